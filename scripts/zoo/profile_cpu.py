#!/usr/bin/python3
"""Times every operator of an ONNX model on this machine's CPU and writes a
profile for DiviML's `--profile` option.

How: the ONNX graph itself is executed, node by node in file order (ONNX
requires topological order), by a small interpreter that maps each operator
to the PyTorch call that implements it (Conv -> torch.nn.functional.conv2d,
Gemm -> torch.addmm, ...). Every node call is timed (--clock,
below); the whole graph is run --warmup + --runs times and each
node's time is the median over the --runs timed runs. Because the real graph
runs, every node sees the tensors (shapes, and values where they matter:
Reshape targets, Gather indices) it sees in deployment, and the times key on
exactly the ONNX nodes the importer creates. (onnx.reference, the official
Python runtime, only exists from onnx 1.13; Debian 12 has 1.12. There is no
onnxruntime in Debian.)

Weights: initializers whose data was stripped (zoo files) are filled with
random values of their dims and type (positive for BatchNormalization
variances); graph inputs with random values (token ids in [0, 1000)).
Integer indices are wrapped into range before a Gather is timed.

BLAS: Debian's torch does MatMul / Gemm through the system libblas.so.3,
by default the reference BLAS (about 1 GFLOP/s, 20x slower than OpenBLAS on
this machine), which no deployment would use. When the system BLAS is the
reference one and scripts/setup-python.sh has unpacked OpenBLAS into the
cache (~/.cache/diviml/openblas, or $DIVIML_CACHE/openblas), the script
re-executes itself with that OpenBLAS first on LD_LIBRARY_PATH (nothing on
the system changes). --blas system keeps the system BLAS. The BLAS used is
recorded in the .meta.json file.

Denormals: flushed to zero (torch.set_flush_denormal(True)); with random
weights deep networks otherwise run into denormal floats, which made some
models 4x slower here. Random float weights of rank >= 2 have standard
deviation 1/sqrt(fan-in) (product of all dims but the first).

Memory: glibc returns freed blocks above 128 KB to the system and maps
fresh ones on the next allocation, so nearly every operator's output was
page-faulted in anew; in this Firecracker VM a page fault is so expensive
that a depthwise Conv took 27 ms instead of 0.3 ms. An inference runtime
reuses its memory (arena / caching allocator), so the profiler re-executes
itself with GLIBC_TUNABLES=glibc.malloc.mmap_threshold=32MiB and
trim_threshold=4GiB (freed memory stays in the heap and is reused after the
warm-up runs). --malloc system keeps glibc's defaults.

Clock: with one thread the default is the thread's CPU time
(time.thread_time, CLOCK_THREAD_CPUTIME_ID): on a shared machine wall-clock
times include preemption by other processes (here 2 cores and a load of ~12
made wall times of the same run vary 5x); CPU time does not, and with one
thread it is what an idle machine's wall time would be. With more threads
the wall clock (time.perf_counter) is used. --clock overrides.

Threads: --threads (default 1) is torch's intra-op thread count: use the
count the deployment would. 1 by default because this machine is shared.

Writes (see docs/zoo.md for the formats):
  OUT.json      {"format": "diviml-profile-v1", "device": DEVICE, "unit": "s", "times": {node: s}}
  OUT.csv       node,device,time_s   (with the measurement described in '#' comment lines)
  OUT.meta.json the measurement: CPU, threads, runs, whole-model times vs sum of operators

Node names: NodeProto.name, or "<op_type>_<index>" (index = position in
graph.node) when the name is empty; a duplicate name is an error here.

Usage: /usr/bin/python3 scripts/zoo/profile_cpu.py resnet50 [--runs 7] [--threads 1]
         [--device cpu] [--out zoo/profiles/resnet50.cpu]
       MODEL is a zoo name (zoo/models/MODEL.onnx) or a path to an .onnx file.
"""
import argparse
import datetime
import glob
import json
import math
import os
import platform
import statistics
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

TORCH_DTYPE = {
    onnx.TensorProto.FLOAT: torch.float32, onnx.TensorProto.DOUBLE: torch.float64,
    onnx.TensorProto.FLOAT16: torch.float16, onnx.TensorProto.INT64: torch.int64,
    onnx.TensorProto.INT32: torch.int32, onnx.TensorProto.INT8: torch.int8,
    onnx.TensorProto.UINT8: torch.uint8, onnx.TensorProto.BOOL: torch.bool,
}


def node_id(node, index):
    return node.name if node.name else f"{node.op_type}_{index}"


def attrs(node):
    """The node's attributes; keys starting with '_' are the interpreter's own
    (a pooling node's chosen implementation)."""
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def has_data(t):
    return bool(t.raw_data) or any(len(getattr(t, f)) for f in
                                   ("float_data", "int32_data", "int64_data", "double_data", "uint64_data",
                                    "string_data"))


def random_tensor(dims, dtype, gen, positive=False):
    dims = [int(d) for d in dims]
    if dtype.is_floating_point:
        # weights (rank >= 2) scaled by 1/sqrt(fan-in) so activations keep their magnitude
        scale = 1 / math.sqrt(max(1, math.prod(dims[1:]))) if len(dims) >= 2 else 0.05
        x = torch.randn(dims, generator=gen).to(dtype) * scale
        return x.abs() + 0.5 if positive else x
    if dtype == torch.bool:
        return torch.randint(0, 2, dims, generator=gen).bool()
    return torch.randint(0, 1000, dims, generator=gen).to(dtype)


# ---------------------------------------------------------------- operators
# Each op: f(inputs: list of tensors or None, attrs: dict) -> list of outputs.

def _pads_split(pads, n):
    return list(pads[:n]), list(pads[n:])


def _conv(x, w, b, a):
    n = w.dim() - 2
    strides = a.get("strides", [1] * n)
    dil = a.get("dilations", [1] * n)
    group = a.get("group", 1)
    pads = a.get("pads", [0] * (2 * n))
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("Conv auto_pad")
    begin, end = _pads_split(pads, n)
    if begin != end:
        fp = []
        for i in reversed(range(n)):
            fp += [begin[i], end[i]]
        x = F.pad(x, fp)
        begin = [0] * n
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[n]
    return conv(x, w, b, strides, begin, dil, group)


def _pool_impl(x, a, kind, impl):
    k = a["kernel_shape"]
    n = len(k)
    strides = a.get("strides", [1] * n)
    pads = a.get("pads", [0] * (2 * n))
    begin, end = _pads_split(pads, n)
    ceil = bool(a.get("ceil_mode", 0))
    dil = a.get("dilations", [1] * n)
    if begin != end:
        fp = []
        for i in reversed(range(n)):
            fp += [begin[i], end[i]]
        x = F.pad(x, fp, value=-math.inf if kind == "max" else 0.0)
        begin = [0] * n
    if impl == "mkldnn":
        x = x.to_mkldnn()
    elif impl == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    if kind == "max":
        f = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[n]
        y = f(x, k, strides, begin, dil, ceil)
    else:
        f = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[n]
        y = f(x, k, strides, begin, ceil, bool(a.get("count_include_pad", 0)))
    if impl == "mkldnn":
        return y.to_dense()
    if impl == "channels_last":
        return y.contiguous()
    return y


def _pool(x, a, kind):
    """Pooling with the fastest of torch's implementations for this node,
    picked at its first call (the warm-up) like a runtime's kernel
    selection: native NCHW, oneDNN (mkldnn tensors) or channels-last; the
    layout conversions in and out are part of the op and timed. torch
    1.13's native NCHW pooling is 10-30x slower here than the others on
    some shapes, oneDNN's on others. All give identical results."""
    impl = a.get("_impl")
    if impl is None:
        cands = ["native"]
        if len(a["kernel_shape"]) == 2 and x.dtype == torch.float32:
            cands.append("channels_last")
            if list(a.get("dilations", [1, 1])) == [1, 1] and torch.backends.mkldnn.is_available():
                cands.append("mkldnn")
        best = None
        for c in cands:
            ts = []
            for _ in range(3):
                t0 = time.thread_time()
                _pool_impl(x, a, kind, c)
                ts.append(time.thread_time() - t0)
            if best is None or min(ts) < best[0]:
                best = (min(ts), c)
        impl = a["_impl"] = best[1]
    return _pool_impl(x, a, kind, impl)


def _reshape(x, shape, a):
    shape = [int(s) for s in shape.tolist()]
    if not a.get("allowzero", 0):
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


def _slice(x, starts, ends, axes=None, steps=None):
    starts, ends = starts.tolist(), ends.tolist()
    axes = list(range(len(starts))) if axes is None else axes.tolist()
    steps = [1] * len(starts) if steps is None else steps.tolist()
    idx = [slice(None)] * x.dim()
    flip = []
    for s, e, ax, st in zip(starts, ends, axes, steps):
        ax = ax % x.dim()
        if st < 0:
            raise NotImplementedError("Slice with a negative step")
        dim = x.shape[ax]
        s = max(0, min(dim, s + dim if s < 0 else s))
        e = max(0, min(dim, e + dim if e < 0 else e))
        idx[ax] = slice(s, e, st)
    return x[tuple(idx)]


def _gemm(A, B, C, a):
    if a.get("transA", 0):
        A = A.t()
    if a.get("transB", 0):
        B = B.t()
    alpha, beta = a.get("alpha", 1.0), a.get("beta", 1.0)
    if C is None:
        return torch.mm(A, B) * alpha if alpha != 1.0 else torch.mm(A, B)
    return torch.addmm(C, A, B, beta=beta, alpha=alpha)


def _unsqueeze(x, axes):
    out_rank = x.dim() + len(axes)
    for ax in sorted(int(v) % out_rank for v in axes):
        x = x.unsqueeze(ax)
    return x


def _squeeze(x, axes):
    if axes is None:
        return x.squeeze()
    for ax in sorted((int(v) % x.dim() for v in axes), reverse=True):
        x = x.squeeze(ax)
    return x


def _reduce(x, axes, keep, f):
    if axes is None or len(axes) == 0:
        axes = list(range(x.dim()))
    return f(x, dim=[int(v) for v in axes], keepdim=bool(keep))


def _split(x, split, a, nout):
    axis = a.get("axis", 0)
    if split is None:
        return list(torch.chunk(x, nout, dim=axis))
    return list(torch.split(x, [int(v) for v in split.tolist()], dim=axis))


def _pad(x, pads, value, a):
    mode = a.get("mode", b"constant")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    pads = [int(v) for v in pads.tolist()]
    n = len(pads) // 2
    fp = []
    for i in reversed(range(n)):
        fp += [pads[i], pads[i + n]]
    v = float(value.item()) if value is not None else 0.0
    return F.pad(x, fp, mode=mode, value=v) if mode == "constant" else F.pad(x, fp, mode=mode)


def _scalar(t):
    """A 0-dim / 1-element bound as a Python number (torch.clamp's fast path)."""
    return None if t is None else (t.item() if t.numel() == 1 else t)


def _cast(x, a):
    return x.to(TORCH_DTYPE[a["to"]])


OPS = {
    "Conv": lambda i, a, n: [_conv(i[0], i[1], i[2] if len(i) > 2 else None, a)],
    "Relu": lambda i, a, n: [torch.relu(i[0])],
    "Sigmoid": lambda i, a, n: [torch.sigmoid(i[0])],
    "Tanh": lambda i, a, n: [torch.tanh(i[0])],
    "Erf": lambda i, a, n: [torch.erf(i[0])],
    "Sqrt": lambda i, a, n: [torch.sqrt(i[0])],
    "Exp": lambda i, a, n: [torch.exp(i[0])],
    "Log": lambda i, a, n: [torch.log(i[0])],
    "Neg": lambda i, a, n: [torch.neg(i[0])],
    "Abs": lambda i, a, n: [torch.abs(i[0])],
    "Reciprocal": lambda i, a, n: [torch.reciprocal(i[0])],
    "Not": lambda i, a, n: [torch.logical_not(i[0])],
    "Clip": lambda i, a, n: [torch.clamp(i[0], _scalar(i[1] if len(i) > 1 else None),
                                         _scalar(i[2] if len(i) > 2 else None))],
    "LeakyRelu": lambda i, a, n: [F.leaky_relu(i[0], a.get("alpha", 0.01))],
    "HardSigmoid": lambda i, a, n: [torch.clamp(i[0] * a.get("alpha", 0.2) + a.get("beta", 0.5), 0, 1)],
    "HardSwish": lambda i, a, n: [F.hardswish(i[0])],
    "Gelu": lambda i, a, n: [F.gelu(i[0])],
    "Add": lambda i, a, n: [torch.add(i[0], i[1])],
    "Sub": lambda i, a, n: [torch.sub(i[0], i[1])],
    "Mul": lambda i, a, n: [torch.mul(i[0], i[1])],
    "Div": lambda i, a, n: [torch.div(i[0], i[1], rounding_mode="trunc")
                            if not i[0].is_floating_point() else torch.div(i[0], i[1])],
    "Pow": lambda i, a, n: [torch.pow(i[0], i[1])],
    "Equal": lambda i, a, n: [torch.eq(i[0], i[1])],
    "Greater": lambda i, a, n: [torch.gt(i[0], i[1])],
    "Less": lambda i, a, n: [torch.lt(i[0], i[1])],
    "And": lambda i, a, n: [torch.logical_and(i[0], i[1])],
    "Where": lambda i, a, n: [torch.where(i[0], i[1], i[2])],
    "Max": lambda i, a, n: [torch.maximum(i[0], i[1])],
    "Min": lambda i, a, n: [torch.minimum(i[0], i[1])],
    "Sum": lambda i, a, n: [sum(i[1:], i[0])],
    "MatMul": lambda i, a, n: [torch.matmul(i[0], i[1])],
    "Gemm": lambda i, a, n: [_gemm(i[0], i[1], i[2] if len(i) > 2 else None, a)],
    "MaxPool": lambda i, a, n: [_pool(i[0], a, "max")],
    "AveragePool": lambda i, a, n: [_pool(i[0], a, "avg")],
    "GlobalAveragePool": lambda i, a, n: [i[0].mean(dim=list(range(2, i[0].dim())), keepdim=True)],
    "GlobalMaxPool": lambda i, a, n: [i[0].amax(dim=list(range(2, i[0].dim())), keepdim=True)],
    "BatchNormalization": lambda i, a, n: [F.batch_norm(i[0], i[3], i[4], i[1], i[2], False, 0.0,
                                                        a.get("epsilon", 1e-5))],
    "LayerNormalization": lambda i, a, n: [F.layer_norm(i[0], i[0].shape[a.get("axis", -1):], i[1],
                                                        i[2] if len(i) > 2 else None, a.get("epsilon", 1e-5))],
    "Softmax": lambda i, a, n: [torch.softmax(i[0], dim=a.get("axis", -1))],
    "LogSoftmax": lambda i, a, n: [torch.log_softmax(i[0], dim=a.get("axis", -1))],
    "Concat": lambda i, a, n: [torch.cat(i, dim=a["axis"])],
    "Flatten": lambda i, a, n: [i[0].reshape(int(np.prod(i[0].shape[:a.get("axis", 1)])), -1)],
    "Reshape": lambda i, a, n: [_reshape(i[0], i[1], a)],
    "Transpose": lambda i, a, n: [i[0].permute(*a["perm"]).contiguous() if "perm" in a
                                  else i[0].permute(*reversed(range(i[0].dim()))).contiguous()],
    "Identity": lambda i, a, n: [i[0]],
    "Dropout": lambda i, a, n: [i[0]],
    "Shape": lambda i, a, n: [torch.tensor(list(i[0].shape), dtype=torch.int64)],
    "Size": lambda i, a, n: [torch.tensor(i[0].numel(), dtype=torch.int64)],
    "Gather": lambda i, a, n: [torch.index_select(i[0], a.get("axis", 0), i[1].reshape(-1)).reshape(
        i[0].shape[:a.get("axis", 0) % i[0].dim()] + i[1].shape + i[0].shape[a.get("axis", 0) % i[0].dim() + 1:])],
    "Unsqueeze": lambda i, a, n: [_unsqueeze(i[0], i[1].tolist() if len(i) > 1 else a["axes"])],
    "Squeeze": lambda i, a, n: [_squeeze(i[0], i[1].tolist() if len(i) > 1 and i[1] is not None
                                         else a.get("axes"))],
    "Slice": lambda i, a, n: [_slice(*i)],
    "Cast": lambda i, a, n: [_cast(i[0], a)],
    "CumSum": lambda i, a, n: [torch.cumsum(i[0], dim=int(i[1].item()))],
    "Range": lambda i, a, n: [torch.arange(i[0].item(), i[1].item(), i[2].item(), dtype=i[0].dtype)],
    "ConstantOfShape": lambda i, a, n: [torch.full([int(v) for v in i[0].tolist()],
                                                   onnx.numpy_helper.to_array(a["value"]).item() if "value" in a
                                                   else 0.0,
                                                   dtype=TORCH_DTYPE[a["value"].data_type] if "value" in a
                                                   else torch.float32)],
    "Expand": lambda i, a, n: [i[0] * torch.ones([int(v) for v in i[1].tolist()], dtype=i[0].dtype)],
    "ReduceMean": lambda i, a, n: [_reduce(i[0], a.get("axes"), a.get("keepdims", 1), torch.mean)],
    "ReduceSum": lambda i, a, n: [_reduce(i[0], i[1].tolist() if len(i) > 1 and i[1] is not None
                                          else a.get("axes"), a.get("keepdims", 1), torch.sum)],
    "ReduceMax": lambda i, a, n: [_reduce(i[0], a.get("axes"), a.get("keepdims", 1), torch.amax)],
    "Split": lambda i, a, n: _split(i[0], i[1] if len(i) > 1 else None, a, n),
    "Pad": lambda i, a, n: [_pad(i[0], i[1], i[2] if len(i) > 2 else None, a)],
    "Constant": lambda i, a, n: [torch.from_numpy(onnx.numpy_helper.to_array(a["value"]).copy())],
}


class Interpreter:
    def __init__(self, model, seed=0):
        self.model = model
        g = model.graph
        gen = torch.Generator().manual_seed(seed)
        # BatchNormalization variances must be positive.
        positive = {n.input[4] for n in g.node if n.op_type == "BatchNormalization" and len(n.input) > 4}
        self.consts = {}
        self.filled = 0
        for t in g.initializer:
            if has_data(t):
                self.consts[t.name] = torch.from_numpy(onnx.numpy_helper.to_array(t).copy())
            else:
                self.consts[t.name] = random_tensor(t.dims, TORCH_DTYPE[t.data_type], gen, t.name in positive)
                self.filled += 1
        self.inputs = {}
        for vi in g.input:
            if vi.name in self.consts:
                continue
            tt = vi.type.tensor_type
            dims = [d.dim_value if d.HasField("dim_value") else 1 for d in tt.shape.dim]
            self.inputs[vi.name] = random_tensor(dims, TORCH_DTYPE[tt.elem_type], gen)
        self.nodes = list(g.node)
        self.ids = [node_id(n, k) for k, n in enumerate(self.nodes)]
        if len(set(self.ids)) != len(self.ids):
            raise SystemExit("profile_cpu: duplicate node names in the model")
        self.attrs = [attrs(n) for n in self.nodes]
        for n in self.nodes:
            if n.domain not in ("", "ai.onnx"):
                raise SystemExit(f"profile_cpu: operator domain '{n.domain}' ({n.op_type}) not supported")
            if n.op_type not in OPS:
                raise SystemExit(f"profile_cpu: operator {n.op_type} (node {n.name}) not supported; "
                                 "add it to OPS")

        # Liveness: an intermediate tensor is freed after its last consumer, as
        # a runtime would (keeping all of them alive costs memory and time).
        keep = set(self.consts) | set(self.inputs) | {o.name for o in model.graph.output}
        last = {}
        for k, n in enumerate(self.nodes):
            for x in n.input:
                if x and x not in keep:
                    last[x] = k
        self.free_after = [[] for _ in self.nodes]
        for x, k in last.items():
            self.free_after[k].append(x)

    def run(self, times=None, clock=time.perf_counter):
        """One pass over the graph; appends each node's time to times[k]."""
        env = dict(self.consts)
        env.update(self.inputs)
        for k, (n, a) in enumerate(zip(self.nodes, self.attrs)):
            ins = [env[x] if x else None for x in n.input]
            if n.op_type == "Gather":  # wrap random indices into range (outside the timing)
                dim = ins[0].shape[a.get("axis", 0)]
                ins[1] = torch.remainder(ins[1], dim)
            t0 = clock()
            outs = OPS[n.op_type](ins, a, len(n.output))
            t1 = clock()
            if times is not None:
                times[k].append(t1 - t0)
            for name, v in zip(n.output, outs):
                if name:
                    env[name] = v
            del ins, outs
            for x in self.free_after[k]:
                del env[x]
        return [env[o.name] for o in self.model.graph.output]


def private_openblas():
    cache = os.environ.get("DIVIML_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "diviml")
    for d in glob.glob(os.path.join(cache, "openblas", "usr", "lib", "*", "openblas-pthread")):
        if os.path.exists(os.path.join(d, "libblas.so.3")):
            return d
    return None


MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967295"


def prepare_process(blas_mode, malloc_mode, threads):
    """Re-executes this script once with the environment the measurement
    needs (see the module doc): glibc malloc tunables that keep freed memory
    for reuse, and the private OpenBLAS when the system BLAS is Debian's
    reference BLAS. Returns normally in the re-executed process."""
    if os.environ.get("DIVIML_PROFILE_ENV"):
        return
    env = dict(os.environ)
    env["DIVIML_PROFILE_ENV"] = "1"
    env["DIVIML_PROFILE_BLAS"] = "system"
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    if malloc_mode == "reuse" and "GLIBC_TUNABLES" not in env:
        env["GLIBC_TUNABLES"] = MALLOC_TUNABLES
    if blas_mode == "auto":
        system = [os.path.realpath(p) for p in glob.glob("/usr/lib/*/libblas.so.3")]
        if any(os.sep + "blas" + os.sep in p for p in system):  # Debian's reference BLAS
            lib = private_openblas()
            if lib is None:
                print("profile_cpu: warning: the system BLAS is the slow reference BLAS and no private "
                      "OpenBLAS was found; run scripts/setup-python.sh (MatMul/Gemm times will be far "
                      "too slow)", file=sys.stderr)
            else:
                env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
                env["DIVIML_PROFILE_BLAS"] = "private-openblas"
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def loaded_blas():
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if "blas" in os.path.basename(path):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="zoo model name or path to an .onnx file")
    ap.add_argument("--runs", type=int, default=11, help="timed runs per operator (median taken); >= 5")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1)")
    ap.add_argument("--device", default="cpu",
                    help="device name or type the times are for (default 'cpu', the CPU of the zoo platforms)")
    ap.add_argument("--out", help="output path without extension (default zoo/profiles/MODEL.DEVICE)")
    ap.add_argument("--clock", choices=["auto", "cpu", "wall"], default="auto",
                    help="cpu: the thread's CPU time (time.thread_time), immune to preemption by other "
                         "processes, right for 1 thread; wall: time.perf_counter. auto: cpu when --threads 1")
    ap.add_argument("--blas", choices=["auto", "system"], default="auto",
                    help="auto: use the private OpenBLAS when the system BLAS is the reference one")
    ap.add_argument("--malloc", choices=["reuse", "system"], default="reuse",
                    help="reuse (default): glibc tunables keep freed memory for reuse, as an inference "
                         "runtime's arena does; system: glibc defaults")
    ap.add_argument("--no-torch", action="store_true", help="skip timing the torch model as a whole")
    a = ap.parse_args()
    if a.runs < 1:
        raise SystemExit("profile_cpu: --runs must be >= 1")
    prepare_process(a.blas, a.malloc, a.threads)
    if a.clock == "auto":
        a.clock = "cpu" if a.threads == 1 else "wall"
    clock = time.thread_time if a.clock == "cpu" else time.perf_counter
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    # Flush denormals to zero (FTZ/DAZ). Random weights drive activations into
    # denormal range in deep nets, which made some models 4x slower on x86 --
    # an artefact of random weights that inference runtimes avoid the same way.
    flush_denormal = torch.set_flush_denormal(True)

    if a.model.endswith(".onnx") or os.sep in a.model:
        path, name = a.model, os.path.splitext(os.path.basename(a.model))[0]
    else:
        path, name = os.path.join(ROOT, "zoo", "models", a.model + ".onnx"), a.model
    if not os.path.exists(path):
        raise SystemExit(f"profile_cpu: no such model file: {path}")
    model = onnx.load(path)
    out = a.out or os.path.join(ROOT, "zoo", "profiles", f"{name}.{a.device}")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    interp = Interpreter(model)
    times = [[] for _ in interp.nodes]
    whole = []
    with torch.inference_mode():
        for _ in range(a.warmup):
            interp.run()
        for _ in range(a.runs):
            t0 = clock()
            interp.run(times, clock)
            whole.append(clock() - t0)
    med = [statistics.median(t) for t in times]
    op_sum = sum(med)
    interp_whole = statistics.median(whole)

    torch_whole = None
    try:
        import zoo_models
        if not a.no_torch and name in zoo_models.MODELS:
            tm, x = zoo_models.build(name)
            tw = []
            with torch.inference_mode():
                for _ in range(a.warmup):
                    tm(x)
                for _ in range(a.runs):
                    t0 = clock()
                    tm(x)
                    tw.append(clock() - t0)
            torch_whole = statistics.median(tw)
    except ImportError:
        pass

    by_op = {}
    for n, t in zip(interp.nodes, med):
        by_op[n.op_type] = by_op.get(n.op_type, 0.0) + t
    meta = {
        "model": name, "file": os.path.relpath(path, ROOT) if path.startswith(ROOT) else path,
        "device": a.device, "cpu": cpu_name(), "logical_cpus": os.cpu_count(), "threads": a.threads,
        "runs": a.runs, "warmup": a.warmup, "clock": a.clock, "statistic": "median per operator",
        "flush_denormal": flush_denormal,
        "glibc_tunables": os.environ.get("GLIBC_TUNABLES"),
        "blas": loaded_blas(), "blas_choice": os.environ.get("DIVIML_PROFILE_BLAS"),
        "torch": torch.__version__, "onnx": onnx.__version__,
        "date_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nodes": len(interp.nodes), "initializers_filled_randomly": interp.filled,
        "sum_of_operator_medians_s": op_sum,
        "interpreted_graph_median_s": interp_whole,
        "torch_model_median_s": torch_whole,
        "pooling_implementations": {i: at["_impl"] for i, at in zip(interp.ids, interp.attrs) if "_impl" in at},
        "time_by_op_type_s": dict(sorted(by_op.items(), key=lambda kv: -kv[1])),
    }
    profile = {"format": "diviml-profile-v1", "device": a.device, "unit": "s",
               "times": {i: float(f"{t:.6g}") for i, t in zip(interp.ids, med)}}
    with open(out + ".json", "w") as f:
        json.dump(profile, f, indent=1)
        f.write("\n")
    with open(out + ".csv", "w") as f:
        f.write(f"# DiviML profile of {name} on '{a.device}' ({meta['cpu']}), {a.threads} thread(s), "
                f"median of {a.runs} runs, {a.clock} clock, torch {torch.__version__}, {meta['date_utc']}\n")
        f.write("node,device,time_s\n")
        for i, t in zip(interp.ids, med):
            q = '"' + i.replace('"', '""') + '"' if ("," in i or '"' in i) else i
            f.write(f"{q},{a.device},{t:.6g}\n")
    with open(out + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(f"{name}: {len(interp.nodes)} operators, sum of per-operator medians {op_sum * 1e3:.2f} ms, "
          f"interpreted graph {interp_whole * 1e3:.2f} ms"
          + (f", torch model {torch_whole * 1e3:.2f} ms" if torch_whole is not None else "")
          + f"  ({a.threads} thread(s), median of {a.runs})")
    print(f"wrote {out}.json, {out}.csv, {out}.meta.json")


if __name__ == "__main__":
    main()
