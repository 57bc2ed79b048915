"""Per-node times from ONNX Runtime's profiler, in DiviML's --profile format
(docs/runtime.md).

The model runs in a session made as the runner makes its sessions (same
optimisation level, one intra-op thread per core, pinned to those cores),
with enable_profiling. Every node is first named by its DiviML id (the
importer's convention, onnx_ids.py), so ORT's kernel events name the ids.
Each kernel's time is the median over the timed runs (the warm-up runs are
dropped by their model_run events).

Fused kernels: at levels above "disable" ORT fuses nodes (Conv+Relu ->
FusedConv, the decomposed LayerNorm -> LayerNormalization, Gelu, ...) and
keeps the original tensor names at the fused outputs. A kernel covers the
original nodes found by walking back from its outputs through tensors the
optimised graph no longer has; its time is split over them in proportion
to their times in an unfused profile (level "disable", same inputs; equal
shares when those are 0). A kernel none of whose outputs is an original
tensor (an inserted reorder or cast) gives its time to the kernels that
consume it. Nodes the optimiser removed (constant folding, Identity,
Dropout) run in no kernel and get 0 s: in the runner they cost nothing
either. So every node of the graph gets a measured time.
"""
import bisect
import json
import os
import statistics
import tempfile
from pathlib import Path

from .errors import RuntimeInputError
from .paths import repo_root, zoo_dir
from .onnx_ids import is_constant, node_ids
from .session import DEFAULT_OPT_LEVEL, DISABLED_OPTIMIZERS, ort, session_options



def resolve_model(graph):
    graph = str(graph)
    if graph.startswith("zoo:"):
        zoo = zoo_dir()
        p = zoo / "models" / f"{graph[4:]}.onnx"
        if not p.exists():
            raise RuntimeInputError(f"{graph}: unknown zoo model")
        return p
    p = Path(graph)
    if not p.is_file():
        raise RuntimeInputError(f"{graph}: no such file")
    return p


def fill_stripped(model, seed=0):
    """Random values for initializers without data (the zoo strips them):
    the exporter's rules (>= 2-D uniform +-sqrt(3/fan_in), 1-D floats in
    [0.5, 1.5), integers 0), from numpy's generator. Times do not depend on
    the values (denormals are flushed in every session). Returns the count."""
    import numpy as np
    from onnx import mapping as onnx_mapping
    from onnx import numpy_helper
    rng = np.random.default_rng(seed)
    filled = 0
    for t in model.graph.initializer:
        has = (t.raw_data or t.float_data or t.int32_data or t.int64_data or t.double_data or t.uint64_data
               or t.data_location == 1)
        n = int(np.prod(t.dims)) if len(t.dims) else 1
        if has or n == 0:
            continue
        dtype = np.dtype(onnx_mapping.TENSOR_TYPE_TO_NP_TYPE[t.data_type])
        if np.issubdtype(dtype, np.floating):
            if len(t.dims) >= 2:
                a = (3.0 / max(1.0, n / t.dims[0])) ** 0.5
                v = rng.uniform(-a, a, size=tuple(t.dims))
            else:
                v = rng.uniform(0.5, 1.5, size=tuple(t.dims))
        else:
            v = np.zeros(tuple(t.dims))
        t.CopyFrom(numpy_helper.from_array(v.astype(dtype), t.name))
        filled += 1
    return filled


def _kernel_medians(events, warmup):
    runs = sorted((e["ts"], e["ts"] + e["dur"]) for e in events
                  if e.get("cat") == "Session" and e.get("name") == "model_run")
    timed = runs[warmup:]
    starts = [a for a, _ in timed]
    per = {}
    for e in events:
        if e.get("cat") != "Node" or not e.get("name", "").endswith("_kernel_time"):
            continue
        run = bisect.bisect_right(starts, e["ts"]) - 1
        if run < 0 or e["ts"] > timed[run][1]:
            continue
        by_run = per.setdefault(e["name"][:-len("_kernel_time")], {})
        by_run[run] = by_run.get(run, 0.0) + e["dur"] * 1e-6
    return {k: statistics.median(v.values()) for k, v in per.items()}, len(timed)


def _profile(path, opt_level, threads, runs, warmup, feeds, tmp, save_optimized=None):
    rt = ort()
    so = session_options(threads, opt_level, profile_prefix=str(Path(tmp) / f"ort_{opt_level}"))
    if save_optimized:
        so.optimized_model_filepath = str(save_optimized)
    try:
        s = rt.InferenceSession(str(path), so, providers=["CPUExecutionProvider"],
                                disabled_optimizers=DISABLED_OPTIMIZERS)
        for _ in range(warmup + runs):
            s.run(None, feeds)
    except Exception as e:
        raise RuntimeInputError(f"{path}: ONNX Runtime: {' '.join(str(e).split())}")
    events = json.loads(Path(s.end_profiling()).read_text())
    return _kernel_medians(events, warmup)


def profile_model(graph, device="cpu", threads=1, runs=20, warmup=3, opt_level=DEFAULT_OPT_LEVEL, seed=0,
                  cores=None, unfused_runs=None):
    """The profile dict (diviml-profile-v1, "times" {node id: seconds} for
    every operator node, "meta" with how it was measured)."""
    import numpy as np
    import onnx
    from .manifest import make_inputs
    if threads < 1 or runs < 1 or warmup < 0:
        raise RuntimeInputError("--threads and --runs must be >= 1, --warmup >= 0")
    path = resolve_model(graph)
    try:
        model = onnx.load(str(path))
    except Exception as e:
        raise RuntimeInputError(f"{path}: not an ONNX model ({e})")
    g = model.graph
    ids = node_ids(g)
    for k, nid in ids.items():
        g.node[k].name = nid
    filled = fill_stripped(model, seed)
    inits = {t.name for t in g.initializer}
    inputs = []
    for vi in g.input:
        if vi.name in inits:
            continue
        tt = vi.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else 1 for d in tt.shape.dim]
        inputs.append({"name": vi.name, "elem_type": tt.elem_type, "shape": dims})
    feeds = make_inputs({"inputs": inputs}, seed)
    cores = list(cores or sorted(os.sched_getaffinity(0))[:threads])
    if len(cores) < threads:
        raise RuntimeInputError(f"--threads {threads}: this process may use only {len(cores)} cores")
    old = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cores[:threads])
    try:
        with tempfile.TemporaryDirectory(prefix="diviml-profile-") as tmp:
            mpath = Path(tmp) / "model.onnx"
            onnx.save(model, str(mpath))
            opt_path = Path(tmp) / "optimized.onnx"
            fused, timed = _profile(mpath, opt_level, threads, runs, warmup, feeds, tmp, save_optimized=opt_path)
            optimized = onnx.load(str(opt_path))
            unfused = None
            if opt_level != "disable":
                unfused, _ = _profile(mpath, "disable", threads, unfused_runs or max(3, runs // 4), min(warmup, 1),
                                      feeds, tmp)
    finally:
        os.sched_setaffinity(0, old)
    times, covered = map_kernels(g, ids, optimized.graph, fused, unfused)
    op_nodes = [ids[k] for k in sorted(ids)]
    return {
        "format": "diviml-profile-v1", "device": device, "unit": "s",
        "times": {n: times.get(n, 0.0) for n in op_nodes},
        "meta": {"model": str(path), "runtime": f"onnxruntime {ort().__version__}", "opt_level": opt_level,
                 "threads": threads, "cores": cores[:threads], "runs": timed, "warmup": warmup,
                 "statistic": "median per kernel over runs", "initializers_filled_randomly": filled,
                 "kernels": len(fused), "nodes": len(op_nodes),
                 "nodes_in_no_kernel": sorted(n for n in op_nodes if n not in covered),
                 "sum_s": sum(times.values())},
    }


def map_kernels(g, ids, h, kernel_s, unfused_s):
    """{node id: seconds} from the kernels' medians (rules in the module
    docstring), and the set of ids some kernel covers."""
    producer = {}
    for k, nid in ids.items():
        for o in g.node[k].output:
            if o:
                producer[o] = k
    in_h = {vi.name for vi in h.input} | {t.name for t in h.initializer}
    for n in h.node:
        in_h.update(o for o in n.output if o)
    consumers = {}
    for n in h.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    cover = {}
    for n in h.node:
        seen, stack = set(), [producer[o] for o in n.output if o in producer]
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            for i in g.node[k].input:
                if i and i not in in_h and i in producer:
                    stack.append(producer[i])
        cover[n.name] = seen
    times, covered = {}, set()

    def give(name, t, depth=0):
        ks = cover.get(name, set())
        if not ks:
            if depth > 50:
                return
            nxt = [c.name for o in next((x.output for x in h.node if x.name == name), []) for c in consumers.get(o, [])]
            for c in nxt:
                give(c, t / len(nxt), depth + 1)
            return
        nids = [ids[k] for k in ks]
        w = [max(0.0, (unfused_s or {}).get(n, 0.0)) for n in nids]
        total = sum(w)
        for n, wi in zip(nids, w):
            times[n] = times.get(n, 0.0) + (t * wi / total if total > 0 else t / len(nids))

    for n in h.node:
        covered.update(ids[k] for k in cover[n.name])
        if n.name in kernel_s:
            give(n.name, kernel_s[n.name])
    return times, covered
