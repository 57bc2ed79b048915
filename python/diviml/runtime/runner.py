"""The runner (docs/runtime.md): one worker thread per platform device, each
with its own ONNX Runtime sessions. A CPU worker pins itself to its cores
(sched_setaffinity) before it creates its sessions, so their intra-op
threads (one per core) inherit the cores; a CUDA worker uses the CUDA
execution provider. Each worker runs its parts in the plan's order and
starts a part as soon as its inputs are in the shared tensor store; tensors
cross between workers by reference (one process, shared memory, no copies).

A part that fails inside ONNX Runtime stops every worker: the store is
marked failed (waiting workers wake), running sessions are told to
terminate (RunOptions.terminate) and the barrier is aborted; run_parts
raises RuntimeInputError naming the part, its device and ORT's message.
"""
import os
import statistics
import threading
import time
from pathlib import Path

from .devices import resolve_targets
from .errors import RuntimeInputError
from .manifest import check_part_session, load_manifest, make_inputs
from .session import DEFAULT_OPT_LEVEL, check_cuda, make_session, ort


class TensorStore:
    """Tensors by name; get() waits until all are there or the run failed."""

    def __init__(self):
        self.cond = threading.Condition()
        self.values = {}
        self.error = None

    def reset(self, feeds):
        with self.cond:
            self.values = dict(feeds)

    def put(self, values):
        with self.cond:
            self.values.update(values)
            self.cond.notify_all()

    def get(self, names, spin_s=0.0):
        # Spinning first (without the GIL between polls: sleep(0)) keeps the
        # worker on its core, so a tensor from another worker is seen at
        # once instead of after the scheduler wakes a sleeping thread,
        # which a loaded machine delays by milliseconds.
        if spin_s > 0:
            deadline = time.perf_counter() + spin_s
            values = self.values
            while self.error is None and any(n not in values for n in names):
                if time.perf_counter() > deadline:
                    break
                time.sleep(0)
                values = self.values
        with self.cond:
            while self.error is None and any(n not in self.values for n in names):
                self.cond.wait()
            if self.error is not None:
                return None
            return {n: self.values[n] for n in names}

    def fail(self, message):
        with self.cond:
            if self.error is None:
                self.error = message
            self.cond.notify_all()


class Worker(threading.Thread):
    def __init__(self, runner, device, target, parts):
        super().__init__(name=f"diviml-{device}", daemon=True)
        self.r, self.device, self.target, self.parts = runner, device, target, parts
        self.sessions = []
        self.run_options = ort().RunOptions()
        self.run_options.log_severity_level = 4
        self.times = []  # per run: (begin, end, busy)

    def run(self):
        r = self.r
        try:
            if self.target.kind == "cpu":
                os.sched_setaffinity(0, self.target.cores)
            for p in self.parts:
                s = make_session(Path(r.manifest["dir"]) / p["file"], self.target, r.opt_level, device=self.device)
                check_part_session(r.manifest, p, s)
                self.sessions.append((p, s, [o.name for o in s.get_outputs()]))
        except Exception as e:
            r.fail(str(e) if isinstance(e, RuntimeInputError) else f"device {self.device}: {e}")
            return
        try:
            r.barrier.wait()  # sessions ready
            while True:
                r.barrier.wait()  # a run starts
                if r.stopping:
                    return
                begin = time.perf_counter()
                busy = 0.0
                for p, s, outs in self.sessions:
                    feeds = r.store.get(p["inputs"], r.spin_s)
                    if feeds is None:
                        return
                    t0 = time.perf_counter()
                    try:
                        values = s.run(outs, feeds, self.run_options)
                    except Exception as e:
                        r.fail(f"part {p['index']} ({p['file']}) on device {self.device}: ONNX Runtime: "
                               f"{' '.join(str(e).split())}")
                        return
                    busy += time.perf_counter() - t0
                    r.store.put(dict(zip(outs, values)))
                self.times.append((begin, time.perf_counter(), busy))
                r.barrier.wait()  # the run ends
        except threading.BrokenBarrierError:
            return


class Runner:
    def __init__(self, manifest, targets, opt_level, spin_s=0.0):
        self.manifest, self.targets, self.opt_level, self.spin_s = manifest, targets, opt_level, spin_s
        self.store = TensorStore()
        self.stopping = False
        by_device = {d: [] for d in targets}
        for p in manifest["parts"]:
            by_device[p["device"]].append(p)
        self.workers = [Worker(self, d, targets[d], ps) for d, ps in by_device.items() if ps]
        self.barrier = threading.Barrier(len(self.workers) + 1)

    def fail(self, message):
        self.store.fail(message)
        for w in self.workers:
            w.run_options.terminate = True
        self.barrier.abort()

    def start(self):
        for w in self.workers:
            w.start()
        self._wait()

    def _wait(self):
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            self.stop()
            raise RuntimeInputError(self.store.error or "a worker stopped")

    def run_once(self, feeds):
        self.store.reset(feeds)
        self._wait()   # start
        self._wait()   # end
        return dict(self.store.values)

    def stop(self):
        self.stopping = True
        if not self.barrier.broken:
            try:
                self.barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                pass
        self.barrier.abort()
        self.store.fail(self.store.error or "stopped")
        for w in self.workers:
            w.join(timeout=60)


def _spread(xs):
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=4) if len(xs) >= 2 else [xs[0]] * 3
    return {"min_s": xs[0], "q1_s": q[0], "median_s": statistics.median(xs), "q3_s": q[2], "max_s": xs[-1]}


def run_parts(parts, platform, device_map=None, runs=20, warmup=3, check=None, opt_level=DEFAULT_OPT_LEVEL,
              seed=0, feeds=None, spin_s=0.0):
    """Runs the exported parts in `parts` (a directory) on `platform` `runs`
    times after `warmup` runs. check: True (the manifest's whole model), a
    model path, or None. Returns a dict: measured_latency_s (median),
    latency spread, predicted_makespan_s, error, per-device busy measured vs
    predicted, outputs_match (with check). spin_s > 0: a worker waiting for a
    tensor polls for up to that long before it sleeps. RuntimeInputError on
    bad input or a failing part."""
    if runs < 1 or warmup < 0:
        raise RuntimeInputError("--runs must be >= 1 and --warmup >= 0")
    m = load_manifest(parts)
    needed = list(dict.fromkeys(p["device"] for p in m["parts"]))
    platform_name, targets = resolve_targets(platform, device_map, needed)
    for d, t in targets.items():
        if t.kind == "cuda":
            check_cuda(d, t.cuda_id)
    if feeds is None:
        feeds = make_inputs(m, seed)
    runner = Runner(m, targets, opt_level, spin_s)
    runner.start()
    try:
        for _ in range(warmup + runs):
            values = runner.run_once(feeds)
    finally:
        runner.stop()
    lat, busy = [], {w.device: [] for w in runner.workers}
    for k in range(warmup, warmup + runs):
        begin = min(w.times[k][0] for w in runner.workers)
        end = max(w.times[k][1] for w in runner.workers)
        lat.append(end - begin)
        for w in runner.workers:
            busy[w.device].append(w.times[k][2])
    predicted = m["plan"]["makespan_s"]
    med = statistics.median(lat)
    result = {
        "graph": m["graph"], "platform": platform_name, "parts": len(m["parts"]), "runs": runs, "warmup": warmup,
        "opt_level": opt_level,
        "targets": {d: t.describe() for d, t in targets.items()},
        "measured_latency_s": med, "latency": _spread(lat), "latencies_s": lat,
        "predicted_makespan_s": predicted,
        "error": (med - predicted) / predicted if predicted else None,
        "busy_samples_s": busy,
        "busy_s": {d: {"measured_s": statistics.median(busy.get(d, [0.0])) if busy.get(d) else 0.0,
                       "predicted_s": m["predicted_busy_s"].get(d, 0.0)} for d in targets},
    }
    outputs = {t["name"]: values[t["name"]] for t in m["outputs"]}
    if check:
        result.update(compare_whole(m, check, feeds, outputs, opt_level))
    result["_outputs"] = outputs
    result["_inputs"] = feeds
    return result


def compare_whole(m, check, feeds, outputs, opt_level):
    """The whole model in one session on the same inputs, allclose."""
    import numpy as np
    from .devices import Target
    import onnx
    path = Path(m["dir"]) / m["model"] if check is True else Path(check)
    try:
        g = onnx.load(str(path), load_external_data=False).graph
    except Exception as e:
        raise RuntimeInputError(f"{path}: not an ONNX model ({e.__class__.__name__})")
    inits = {t.name for t in g.initializer}
    if (sorted(o.name for o in g.output) != sorted(outputs)
            or sorted(i.name for i in g.input if i.name not in inits) != sorted(feeds)):
        raise RuntimeInputError(f"{path}: its inputs/outputs differ from the parts' (parts for another model?)")
    del g
    s = make_session(path, Target("cpu", (0,)), opt_level, device="check")
    names = [o.name for o in s.get_outputs()]
    ref = dict(zip(names, s.run(names, feeds)))
    worst, rel, match = 0.0, 0.0, True
    for n, y in ref.items():
        x = outputs[n]
        if x.shape != y.shape:
            match = False
            continue
        scale = float(np.max(np.abs(y))) if y.size else 0.0
        if np.issubdtype(y.dtype, np.floating):
            # float32 through 100+ layers: the cut changes which kernels ORT
            # fuses, so sums round in another order (ORT's own levels
            # disable vs extended differ far more, docs/runtime.md).
            ok = bool(np.allclose(x, y, rtol=1e-3, atol=1e-3 * max(scale, 1e-30)))
            d = float(np.max(np.abs(x.astype(np.float64) - y))) if y.size else 0.0
            worst = max(worst, d)
            rel = max(rel, d / scale if scale > 0 else 0.0)
        else:
            ok = bool(np.array_equal(x, y))
        match = match and ok
    return {"outputs_match": match, "max_abs_diff": worst, "max_diff_over_max_abs": rel, "check_model": str(path)}
