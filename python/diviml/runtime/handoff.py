"""The cost of handing a tensor from one runner worker to another: two
threads pinned to two cores pass a tensor back and forth through the
runner's TensorStore; one hand-off = half a round trip (median). It is the
link latency of the host:NxC platforms (tensors cross by reference, so
the size does not matter)."""
import os
import statistics
import threading
import time

from .devices import available_cores
from .errors import RuntimeInputError
from .runner import TensorStore


def measure_handoff(rounds=2000, cores=None):
    """Median seconds of one hand-off between workers on two cores."""
    cores = list(cores or available_cores()[:2])
    if len(cores) < 2:
        raise RuntimeInputError("measuring the hand-off needs two cores")
    store = TensorStore()
    trips = []

    def echo():
        os.sched_setaffinity(0, {cores[1]})
        for i in range(rounds):
            v = store.get([f"ping{i}"])
            store.put({f"pong{i}": v[f"ping{i}"]})

    t = threading.Thread(target=echo, daemon=True)
    t.start()
    old = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cores[0]})
    try:
        payload = object()
        for i in range(rounds):
            t0 = time.perf_counter()
            store.put({f"ping{i}": payload})
            store.get([f"pong{i}"])
            trips.append(time.perf_counter() - t0)
    finally:
        os.sched_setaffinity(0, old)
        t.join()
    return statistics.median(trips) / 2
