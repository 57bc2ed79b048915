"""PyTorch front end: capture a module as a DiviML graph, plan it, run the plan.

    import diviml, diviml.torch as dt
    g = dt.capture(model, (x,))                       # torch.fx trace + shapes
    r = diviml.solve(g, "zoo:paper", solver="split")  # g is a diviml.Graph
    placed = dt.place(g, r)                           # one submodule per run
    y = placed(x)                                     # same output as model(x)

capture() traces with torch.fx (``symbolic_trace`` and ``ShapeProp``;
torch 1.13 has no torch.export) and makes one DiviML node per
call_module / call_function / call_method (``granularity="node"``; torch.nn's
own modules, such as Conv2d or TransformerEncoderLayer, are single nodes as
torch.fx makes them), or with ``granularity="module"`` also every submodule
whose forward torch.fx cannot trace (data-dependent control flow) as one
node, not traced into. The
graph's inputs and outputs are nodes pinned to the host, as the ONNX
importer makes them. Flops per node use the ONNX importer's formulas
(docs/formats.md; src/io/onnx/flops.cc): 1 multiply-add = 2 flops, Conv
2|Y|(C_in/g)prod(k) (+|Y| bias), Linear 2|Y|K (+|Y| bias), pooling
|Y|prod(k), global pools |X|, BatchNorm 2|Y|, Layer/Group/Instance norm
8|Y|, softmax 8|Y|, arithmetic and piecewise-linear activations 1 per
element, transcendental 4 per element, data movement 0; modules without a
formula are counted from the aten operators they run with the same table.
Bytes: output_bytes from the propagated shapes, param_bytes from the
module's parameters and buffers.
"""

from __future__ import annotations

import json
import math
import operator
import traceback
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import torch
import torch.fx
from torch.fx.passes.shape_prop import ShapeProp
from torch.fx.passes.split_module import split_module

import diviml
from ._api import Graph, Result

__all__ = ["CaptureError", "CapturedGraph", "capture", "place", "PlacedModule"]

ELEMENTWISE = 1.0
TRANSCENDENTAL = 4.0
BATCH_NORM = 2.0
NORM = 8.0
SOFTMAX = 8.0


class CaptureError(ValueError):
    """A module torch.fx cannot trace (or a bad capture/place request): one line."""


# ---------------------------------------------------------------------------
# shapes and bytes
# ---------------------------------------------------------------------------


def _metas(meta) -> List[Any]:
    """The TensorMetadata leaves of a node's propagated output."""
    if meta is None:
        return []
    if hasattr(meta, "shape") and hasattr(meta, "dtype"):
        return [meta]
    if isinstance(meta, (list, tuple)):
        return [m for x in meta for m in _metas(x)]
    if isinstance(meta, dict):
        return [m for x in meta.values() for m in _metas(x)]
    return []


def _numel(shape) -> float:
    return float(math.prod(int(s) for s in shape))


def _elem_size(dtype) -> int:
    return torch.empty((), dtype=dtype).element_size()


def _bytes(meta) -> float:
    return sum(_numel(m.shape) * _elem_size(m.dtype) for m in _metas(meta))


def _out_elems(node: torch.fx.Node) -> float:
    ms = _metas(node.meta.get("tensor_meta"))
    return _numel(ms[0].shape) if ms else 0.0


def _in_elems(node: torch.fx.Node) -> float:
    for a in node.all_input_nodes:
        ms = _metas(a.meta.get("tensor_meta"))
        if ms:
            return _numel(ms[0].shape)
    return 0.0


def _tensor_bytes(t: torch.Tensor) -> float:
    return float(t.numel() * t.element_size())


# ---------------------------------------------------------------------------
# flops: the ONNX importer's formulas
# ---------------------------------------------------------------------------

_ELEMENTWISE_FUNCS = {
    operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.neg,
    operator.iadd, operator.imul, torch.add, torch.sub, torch.mul, torch.div, torch.relu, torch.abs,
    torch.clamp, torch.neg, torch.sqrt, torch.rsqrt, torch.where, torch.nn.functional.relu,
    torch.nn.functional.relu6, torch.nn.functional.leaky_relu, torch.nn.functional.hardtanh,
    torch.nn.functional.hardsigmoid, torch.nn.functional.hardswish,
}
_ELEMENTWISE_METHODS = {"add", "sub", "mul", "div", "relu", "clamp", "neg", "abs", "sqrt", "add_", "mul_",
                        "relu_", "masked_fill"}
_TRANSCENDENTAL_FUNCS = {torch.exp, torch.log, torch.sigmoid, torch.tanh, torch.erf, torch.pow,
                         torch.nn.functional.gelu, torch.nn.functional.elu, torch.nn.functional.softplus}
_TRANSCENDENTAL_METHODS = {"exp", "log", "sigmoid", "tanh", "pow", "erf"}
_DATA_FUNCS = {torch.flatten, torch.cat, torch.stack, torch.reshape, torch.transpose, torch.permute,
               torch.squeeze, torch.unsqueeze, torch.chunk, torch.split, operator.getitem, getattr,
               torch.nn.functional.dropout}
_DATA_METHODS = {"view", "reshape", "flatten", "transpose", "permute", "contiguous", "squeeze", "unsqueeze",
                 "expand", "chunk", "split", "size", "to", "type", "float", "repeat", "t", "clone", "detach",
                 "narrow", "unbind", "expand_as", "view_as", "dim"}

_ELEMENTWISE_MODULES = (torch.nn.ReLU, torch.nn.ReLU6, torch.nn.LeakyReLU, torch.nn.PReLU, torch.nn.Hardtanh,
                        torch.nn.Hardsigmoid, torch.nn.Hardswish, torch.nn.Threshold)
_TRANSCENDENTAL_MODULES = (torch.nn.Sigmoid, torch.nn.Tanh, torch.nn.GELU, torch.nn.ELU, torch.nn.SELU,
                           torch.nn.Softplus, torch.nn.Mish, torch.nn.CELU)
_DATA_MODULES = (torch.nn.Identity, torch.nn.Dropout, torch.nn.Flatten, torch.nn.Unflatten)
_CONTAINERS = (torch.nn.Sequential, torch.nn.ModuleList, torch.nn.ModuleDict)


def _pool_kernel(k) -> float:
    return float(math.prod(k)) if isinstance(k, (tuple, list)) else float(k) ** 2


def _module_flops(mod: torch.nn.Module, node: torch.fx.Node) -> Optional[float]:
    """The formula of a leaf module, or None when it has none."""
    y = _out_elems(node)
    if isinstance(mod, torch.nn.modules.conv._ConvTransposeNd):
        return 2 * _in_elems(node) * mod.weight.shape[1] * _numel(mod.weight.shape[2:]) + (
            y if mod.bias is not None else 0)
    if isinstance(mod, torch.nn.modules.conv._ConvNd):
        return 2 * y * mod.weight.shape[1] * _numel(mod.weight.shape[2:]) + (y if mod.bias is not None else 0)
    if isinstance(mod, torch.nn.Linear):
        return 2 * y * mod.in_features + (y if mod.bias is not None else 0)
    if isinstance(mod, (torch.nn.MaxPool1d, torch.nn.MaxPool2d, torch.nn.MaxPool3d, torch.nn.AvgPool1d,
                        torch.nn.AvgPool2d, torch.nn.AvgPool3d)):
        dims = {torch.nn.MaxPool1d: 1, torch.nn.AvgPool1d: 1, torch.nn.MaxPool3d: 3, torch.nn.AvgPool3d: 3}.get(
            type(mod), 2)
        k = mod.kernel_size
        return y * (float(math.prod(k)) if isinstance(k, (tuple, list)) else float(k) ** dims)
    if isinstance(mod, (torch.nn.AdaptiveAvgPool1d, torch.nn.AdaptiveAvgPool2d, torch.nn.AdaptiveAvgPool3d,
                        torch.nn.AdaptiveMaxPool2d)):
        return _in_elems(node)  # exported as a global pool
    if isinstance(mod, torch.nn.modules.batchnorm._BatchNorm):
        return BATCH_NORM * y
    if isinstance(mod, (torch.nn.LayerNorm, torch.nn.GroupNorm, torch.nn.modules.instancenorm._InstanceNorm)):
        return NORM * y
    if isinstance(mod, (torch.nn.Softmax, torch.nn.LogSoftmax)):
        return SOFTMAX * y
    if isinstance(mod, _ELEMENTWISE_MODULES):
        return ELEMENTWISE * y
    if isinstance(mod, _TRANSCENDENTAL_MODULES):
        return TRANSCENDENTAL * y
    if isinstance(mod, _DATA_MODULES):
        return 0.0
    return None


def _function_flops(node: torch.fx.Node) -> Optional[float]:
    t, y = node.target, _out_elems(node)
    if node.op == "call_function":
        if t in _DATA_FUNCS:
            return 0.0
        if t in _ELEMENTWISE_FUNCS:
            return ELEMENTWISE * y
        if t in _TRANSCENDENTAL_FUNCS:
            return TRANSCENDENTAL * y
        if t in (torch.softmax, torch.nn.functional.softmax, torch.log_softmax,
                 torch.nn.functional.log_softmax):
            return SOFTMAX * y
        if t in (torch.matmul, torch.bmm, torch.mm, operator.matmul):
            a = _metas(node.all_input_nodes[0].meta.get("tensor_meta"))
            return 2 * float(a[0].shape[-1]) * y if a else None
        if t in (torch.nn.functional.adaptive_avg_pool2d, torch.mean, torch.sum):
            return _in_elems(node)
        if t is torch.nn.functional.linear:
            w = node.args[1] if len(node.args) > 1 else node.kwargs.get("weight")
            return None if w is None else None
        return None
    if node.op == "call_method":
        if t in _DATA_METHODS:
            return 0.0
        if t in _ELEMENTWISE_METHODS:
            return ELEMENTWISE * y
        if t in _TRANSCENDENTAL_METHODS:
            return TRANSCENDENTAL * y
        if t in ("softmax", "log_softmax"):
            return SOFTMAX * y
        if t in ("mean", "sum"):
            return _in_elems(node)
        if t in ("matmul", "bmm"):
            a = _metas(node.all_input_nodes[0].meta.get("tensor_meta"))
            return 2 * float(a[0].shape[-1]) * y if a else None
    return None


def _aten_flops(fn, args, kwargs) -> float:
    """Counts flops of a module without a formula from the aten operators it
    runs (the same table: matrix products 2K|Y|, norms, softmax, elementwise
    1, transcendental 4, data movement 0)."""
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_flatten

    aten = torch.ops.aten
    total = [0.0]

    def numel(x):
        return float(x.numel()) if isinstance(x, torch.Tensor) else 0.0

    matmul = {aten.mm.default, aten.bmm.default, aten.addmm.default, aten.baddbmm.default}
    data = {"view", "_unsafe_view", "reshape", "t", "transpose", "permute", "expand", "clone", "contiguous",
            "detach", "select", "slice", "split", "unbind", "cat", "stack", "squeeze", "unsqueeze", "copy_",
            "empty", "zeros", "ones", "full", "new_empty", "new_zeros", "alias", "split_with_sizes", "chunk",
            "_to_copy", "lift_fresh", "scalar_tensor", "native_dropout", "dropout", "masked_fill", "fill_",
            "empty_like", "zeros_like", "arange", "as_strided", "_reshape_alias", "unflatten"}
    transcend = {"exp", "log", "sigmoid", "tanh", "erf", "gelu", "pow", "elu", "softplus", "rsqrt"}

    class Count(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            outs = [o for o in tree_flatten(out)[0] if isinstance(o, torch.Tensor)]
            y = numel(outs[0]) if outs else 0.0
            name = func.overloadpacket.__name__
            if func in matmul:
                a = args[1] if func in (aten.addmm.default, aten.baddbmm.default) else args[0]
                total[0] += 2 * a.shape[-1] * y + (y if func in (aten.addmm.default, aten.baddbmm.default) else 0)
            elif name in ("_softmax", "_log_softmax", "softmax"):
                total[0] += SOFTMAX * y
            elif name in ("native_layer_norm", "native_group_norm"):
                total[0] += NORM * y
            elif name in ("native_batch_norm", "_native_batch_norm_legit_no_training", "_native_batch_norm_legit"):
                total[0] += BATCH_NORM * y
            elif name in ("convolution",):
                w = args[1]
                total[0] += 2 * y * w.shape[1] * float(math.prod(w.shape[2:])) + (y if args[2] is not None else 0)
            elif name in data:
                pass
            elif name in transcend:
                total[0] += TRANSCENDENTAL * y
            else:
                total[0] += ELEMENTWISE * y
            return out

    # Grad enabled: fused inference fast paths (TransformerEncoderLayer's
    # _transformer_encoder_layer_fwd) would hide the operators.
    with torch.enable_grad(), Count():
        fn(*args, **kwargs)
    return total[0]


# ---------------------------------------------------------------------------
# capture
# ---------------------------------------------------------------------------


class _ModuleTracer(torch.fx.Tracer):
    """granularity="module": torch.fx's leaves (the torch.nn modules other
    than containers) plus every submodule whose forward torch.fx cannot
    trace (data-dependent control flow): each is one node, not traced into."""

    def __init__(self):
        super().__init__()
        self._untraceable: Dict[int, bool] = {}

    def is_leaf_module(self, m: torch.nn.Module, qualname: str) -> bool:
        if super().is_leaf_module(m, qualname):
            return True
        if id(m) not in self._untraceable:
            try:
                _ModuleTracer().trace(m)
                self._untraceable[id(m)] = False
            except Exception:
                self._untraceable[id(m)] = True
        return self._untraceable[id(m)]


def _untraceable(e: Exception, granularity: str) -> CaptureError:
    """One line naming the first user-code call that torch.fx could not trace."""
    frames = traceback.extract_tb(e.__traceback__)
    torch_dir = torch.__file__.rsplit("/", 1)[0]
    where = None
    for f in frames:
        if "/torch/fx/" in f.filename or f.filename.startswith(__file__.rsplit("/", 1)[0]):
            continue
        where = f  # the last frame outside torch.fx and diviml: the call that failed
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    loc = f"{where.filename}:{where.lineno} in {where.name}: `{(where.line or '').strip()}`" if where else "?"
    hint = ('; try granularity="module" (untraceable submodules as single nodes)' if granularity == "node"
            else "; the untraceable code is in the top-level forward: move it into a submodule or remove the "
                 "data-dependent control flow")
    del torch_dir
    return CaptureError(f"torch.fx cannot trace the module: {text} at {loc}{hint}")


class CapturedGraph(Graph):
    """A diviml.Graph captured from a torch module; keeps the traced
    ``graph_module`` (torch.fx.GraphModule) that :func:`place` splits."""

    def __init__(self, core_graph, label, graph_module: torch.fx.GraphModule, granularity: str,
                 node_of: Dict[str, str]):
        super().__init__(core_graph, label)
        self.graph_module = graph_module
        self.granularity = granularity
        self.node_of = node_of  # fx node name -> DiviML node id


def _device_of(example_inputs) -> torch.device:
    for x in example_inputs:
        if isinstance(x, torch.Tensor):
            return x.device
    return torch.device("cpu")


def capture(module: torch.nn.Module, example_inputs: Sequence[Any], *, granularity: str = "node",
            name: Optional[str] = None) -> CapturedGraph:
    """Traces ``module`` on ``example_inputs`` (a tuple of tensors, batch
    included) and returns a DiviML graph (a :class:`diviml.Graph`) with
    flops (FLOP), output_bytes and param_bytes (bytes) per node. Nodes
    carry no times: the cost model fills them from the platform.
    granularity: "node" (each call) or "module" (also untraceable submodules
    as single nodes). Raises CaptureError naming the first untraceable call."""
    if granularity not in ("node", "module"):
        raise CaptureError(f"granularity: '{granularity}' is not supported (node, module)")
    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    example_inputs = tuple(example_inputs)
    was_training = module.training
    module.eval()
    try:
        tracer = torch.fx.Tracer() if granularity == "node" else _ModuleTracer()
        try:
            graph = tracer.trace(module)
        except Exception as e:  # TraceError, TypeError of Proxy misuse, ...
            raise _untraceable(e, granularity) from None
        gm = torch.fx.GraphModule(tracer.root, graph, type(module).__name__)
        with torch.no_grad():
            try:
                ShapeProp(gm).propagate(*example_inputs)
            except Exception as e:
                raise CaptureError(f"capture: running the traced module on example_inputs failed: "
                                   f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
        data = _graph_dict(gm, example_inputs, name or type(module).__name__)
    finally:
        module.train(was_training)
    node_of = {n.pop("fx"): n["id"] for n in data["nodes"]}  # the parser knows only its own keys
    core = diviml._api._ext().parse_graph_json(json.dumps(data), f"<capture {data['name']}>")
    return CapturedGraph(core, f"<capture {data['name']}>", gm, granularity, node_of)


def _graph_dict(gm: torch.fx.GraphModule, example_inputs, name: str) -> dict:
    modules = dict(gm.named_modules())
    nodes, edges = [], []
    ids: Dict[torch.fx.Node, str] = {}
    env_inputs = iter(example_inputs)
    for node in gm.graph.nodes:
        meta = node.meta.get("tensor_meta")
        if node.op == "get_attr":
            continue
        d: Dict[str, Any] = {"fx": node.name, "flops": 0.0, "param_bytes": 0.0, "output_bytes": _bytes(meta)}
        if node.op == "placeholder":
            d.update(id=f"input:{node.name}", op="input", pin="host", time_s={"*": 0})
            next(env_inputs, None)
        elif node.op == "output":
            d.update(id="output", op="output", pin="host", time_s={"*": 0}, output_bytes=0.0)
        else:
            d["id"] = node.name
            if node.op == "call_module":
                mod = modules[node.target]
                d["op"] = type(mod).__name__
                flops = _module_flops(mod, node)
                if flops is None:
                    flops = _node_aten_flops(gm, node, mod)
                d["flops"] = flops
                d["param_bytes"] = sum(_tensor_bytes(p) for p in mod.parameters()) + sum(
                    _tensor_bytes(b) for b in mod.buffers())
            else:
                d["op"] = getattr(node.target, "__name__", str(node.target))
                flops = _function_flops(node)
                if flops is None:
                    flops = ELEMENTWISE * _out_elems(node)  # no formula: 1 per output element, as ONNX
                d["flops"] = flops
            # Parameters used directly (get_attr operands).
            for a in node.all_input_nodes:
                if a.op == "get_attr":
                    t = _fetch_attr(gm, a.target)
                    if isinstance(t, torch.Tensor):
                        d["param_bytes"] += _tensor_bytes(t)
        ids[node] = d["id"]
        nodes.append(d)
    for node in gm.graph.nodes:
        if node not in ids:
            continue
        for a in node.all_input_nodes:
            if a in ids:
                edges.append({"from": ids[a], "to": ids[node], "bytes": _bytes(a.meta.get("tensor_meta"))})
    return {"format": "diviml-graph-v1", "name": name, "nodes": nodes, "edges": edges}


def _fetch_attr(gm: torch.nn.Module, target: str):
    obj = gm
    for part in target.split("."):
        obj = getattr(obj, part)
    return obj


def _node_aten_flops(gm: torch.fx.GraphModule, node: torch.fx.Node, mod: torch.nn.Module) -> float:
    """Runs a leaf module without a formula on tensors of its input shapes."""
    def fake(a):
        if isinstance(a, torch.fx.Node):
            ms = _metas(a.meta.get("tensor_meta"))
            if ms:
                return torch.zeros(tuple(ms[0].shape), dtype=ms[0].dtype)
        return a

    args = torch.fx.node.map_aggregate(node.args, fake)
    kwargs = torch.fx.node.map_aggregate(node.kwargs, fake)
    try:
        return _aten_flops(mod, args, kwargs)
    except Exception:
        return ELEMENTWISE * _out_elems(node)


# ---------------------------------------------------------------------------
# place
# ---------------------------------------------------------------------------


def _to(x, device):
    if isinstance(x, torch.Tensor):
        return x.to(device)
    if isinstance(x, (list, tuple)):
        return type(x)(_to(v, device) for v in x)
    if isinstance(x, dict):
        return {k: _to(v, device) for k, v in x.items()}
    return x


class _OnDevice(torch.nn.Module):
    """A submodule on one torch device; moves its inputs there first."""

    def __init__(self, module: torch.nn.Module, device: torch.device, platform_device: str):
        super().__init__()
        self.module = module.to(device)
        self.device = device
        self.platform_device = platform_device

    def forward(self, *args, **kwargs):
        return self.module(*_to(args, self.device), **_to(kwargs, self.device))


class PlacedModule(torch.nn.Module):
    """The split module: ``parts`` lists (submodule name, platform device,
    torch device, DiviML node ids) in run order; outputs come back on
    ``output_device``."""

    def __init__(self, split: torch.fx.GraphModule, parts, output_device: torch.device):
        super().__init__()
        self.split = split
        self.parts = parts
        self.output_device = output_device

    def forward(self, *args, **kwargs):
        return _to(self.split(*args, **kwargs), self.output_device)


def place(module, result: Result, *, device_map: Optional[Mapping[str, Any]] = None,
          output_device: Any = "cpu") -> PlacedModule:
    """The plan of ``result`` applied to a captured module: a torch.fx
    GraphModule split into one submodule per maximal run of consecutive
    nodes on one platform device (torch.fx.passes.split_module), each moved
    to ``device_map[platform device]`` (default: every device -> "cpu").
    The tensors passed between submodules on different devices are the
    plan's transfers. ``module``: the CapturedGraph from :func:`capture`
    (or the torch module itself, traced again at node granularity).
    Raises CaptureError for a plan of another graph or a platform device
    missing from device_map."""
    if isinstance(module, CapturedGraph):
        captured = module
    elif isinstance(module, torch.nn.Module):
        gm = module if isinstance(module, torch.fx.GraphModule) else None
        if gm is None:
            try:
                gm = torch.fx.symbolic_trace(module)
            except Exception as e:
                raise _untraceable(e, "node") from None
        captured = None
    else:
        raise CaptureError(f"place: expected a CapturedGraph or a torch.nn.Module, got {type(module).__name__}")
    if not isinstance(result, Result) or not result.has_plan:
        raise CaptureError("place: the result has no plan" if isinstance(result, Result)
                           else f"place: expected a diviml.Result, got {type(result).__name__}")
    gm = captured.graph_module if captured is not None else gm
    node_of = captured.node_of if captured is not None else {n.name: (
        f"input:{n.name}" if n.op == "placeholder" else "output" if n.op == "output" else n.name)
        for n in gm.graph.nodes if n.op != "get_attr"}
    plan = result.plan
    wanted = set(node_of.values())
    if set(plan) != wanted:
        missing = sorted(wanted - set(plan))[:3]
        raise CaptureError(f"place: the plan is for graph '{result.to_dict().get('graph')}' ({len(plan)} nodes), "
                           f"not this module's ({len(wanted)} nodes; e.g. no device for {missing})")
    platform_devices = sorted(set(plan.values()))
    if device_map is None:
        device_map = {d: "cpu" for d in result.problem.platform.device_names}
    missing = [d for d in platform_devices if d not in device_map]
    if missing:
        raise CaptureError(f"device_map: platform device '{missing[0]}' has no torch device "
                           f"(device_map gives {sorted(device_map)})")
    torch_dev = {d: torch.device(device_map[d]) for d in platform_devices}

    # Maximal runs of consecutive call nodes on one platform device.
    part_of: Dict[str, int] = {}
    part_device: List[str] = []
    part_nodes: List[List[str]] = []
    for n in gm.graph.nodes:
        if n.op in ("placeholder", "get_attr", "output"):
            continue
        dev = plan[node_of[n.name]]
        if not part_device or part_device[-1] != dev:
            part_device.append(dev)
            part_nodes.append([])
        part_of[n.name] = len(part_device) - 1
        part_nodes[-1].append(node_of[n.name])
    split = split_module(gm, gm, lambda n: part_of[n.name])
    parts = []
    for k, dev in enumerate(part_device):
        sub = f"submod_{k}"
        if not hasattr(split, sub):  # an empty partition (cannot happen with runs)
            continue
        setattr(split, sub, _OnDevice(getattr(split, sub), torch_dev[dev], dev))
        parts.append((sub, dev, str(torch_dev[dev]), part_nodes[k]))
    split.recompile()
    return PlacedModule(split, parts, torch.device(output_device))
