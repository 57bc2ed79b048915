"""The cost of handing a tensor from one runner worker to another, as the
runner pays it: two workers pinned to two cores, each with a one-node ONNX
Runtime session (Identity on one float), pass a tensor back and forth
through the runner's TensorStore; one hand-off = half a round trip
(median), i.e. the store's wake-up plus one session call's overhead. It is
the link latency of host:NxC platforms (tensors cross by reference, so the
size does not matter)."""
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from .devices import Target, available_cores
from .errors import RuntimeInputError
from .runner import TensorStore
from .session import make_session


def _identity_model(path):
    from onnx import TensorProto, helper
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"], name="id")], "handoff",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    Path(path).write_bytes(m.SerializeToString())


def measure_handoff(rounds=2000, cores=None):
    """Median seconds of one hand-off between workers on two cores."""
    import numpy as np
    cores = list(cores or available_cores()[:2])
    if len(cores) < 2:
        raise RuntimeInputError("measuring the hand-off needs two cores")
    store = TensorStore()
    trips = []
    with tempfile.TemporaryDirectory(prefix="diviml-handoff-") as tmp:
        path = Path(tmp) / "identity.onnx"
        _identity_model(path)
        ready = threading.Barrier(2)

        def echo():
            os.sched_setaffinity(0, {cores[1]})
            s = make_session(path, Target("cpu", (cores[1],)), device="handoff")
            ready.wait()
            for i in range(rounds):
                v = store.get([f"ping{i}"])
                store.put({f"pong{i}": s.run(["y"], {"x": v[f"ping{i}"]})[0]})

        t = threading.Thread(target=echo, daemon=True)
        t.start()
        old = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {cores[0]})
        try:
            s = make_session(path, Target("cpu", (cores[0],)), device="handoff")
            x = np.zeros(1, np.float32)
            ready.wait()
            for i in range(rounds):
                t0 = time.perf_counter()
                store.put({f"ping{i}": s.run(["y"], {"x": x})[0]})
                store.get([f"pong{i}"])
                trips.append(time.perf_counter() - t0)
        finally:
            os.sched_setaffinity(0, old)
            t.join()
    return statistics.median(trips) / 2
