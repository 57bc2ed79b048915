"""The Python API over the extension (see ``diviml`` for an overview).

Everything here is a thin layer: the checks, the solving, the bounds and
the JSON of a result come from the C++ pipeline, so a call here and the
``diviml`` command give the same answer and the same one-line errors.
"""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union


def _ext():
    from . import _core, _CORE_ERROR

    if _core is None:
        raise ImportError(
            "diviml: the C++ extension diviml._diviml is not built "
            f"({_CORE_ERROR}); run scripts/setup-venv.sh or `pip install .` in the repository"
        )
    return _core


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a solve. ``.result`` holds the best plan found so far
    (status ``time_limit`` when there is one)."""

    def __init__(self, result: "Result"):
        super().__init__("diviml: solve interrupted; the best plan so far is in .result")
        self.result = result


# --------------------------------------------------------------------------
# Graph and Platform
# --------------------------------------------------------------------------


class Graph:
    """A DAG of operators (read-only). Build one with :func:`load_graph` or
    :meth:`Graph.from_dict` (the diviml-graph-v1 shape of docs/formats.md).

    ``nodes``: id, op, time_s (seconds by device name or type), flops,
    param_bytes, output_bytes, memory_bytes, pin; ``edges``: source and
    target (indices into ``nodes``) and bytes.
    """

    def __init__(self, core_graph, label: str):
        self._g = core_graph
        self._label = label

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> "Graph":
        """A graph from a diviml-graph-v1 dict ({"nodes": [...], "edges": [...]});
        InputError naming ``source`` on a bad shape."""
        data = dict(data)
        data.setdefault("format", "diviml-graph-v1")
        return cls(_ext().parse_graph_json(json.dumps(data), source), source)

    @property
    def name(self) -> str:
        return self._g.name

    @property
    def nodes(self) -> list:
        return self._g.nodes

    @property
    def edges(self) -> list:
        return self._g.edges

    @property
    def num_nodes(self) -> int:
        return self._g.num_nodes

    @property
    def num_edges(self) -> int:
        return self._g.num_edges

    def find_node(self, node_id: str) -> int:
        """Index of the node with this id, or -1."""
        return self._g.find_node(node_id)

    def total_flops(self) -> float:
        """Sum of the nodes' flops (FLOP)."""
        return sum(n.flops for n in self._g.nodes)

    def __len__(self) -> int:
        return self._g.num_nodes

    def __repr__(self) -> str:
        return f"<diviml.Graph {self.name!r}: {self.num_nodes} nodes, {self.num_edges} edges>"


class Platform:
    """Devices and links (read-only). ``devices``: name, type, memory_bytes,
    peak_flops (FLOP/s), mem_bandwidth_Bps, server; ``link(d, e)`` gives
    (bandwidth_Bps, latency_s)."""

    def __init__(self, core_platform, label: str):
        self._p = core_platform
        self._label = label

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> "Platform":
        """A platform from a diviml-platform-v1 dict; InputError on a bad shape."""
        data = dict(data)
        data.setdefault("format", "diviml-platform-v1")
        return cls(_ext().parse_platform_json(json.dumps(data), source), source)

    @property
    def name(self) -> str:
        return self._p.name

    @property
    def devices(self) -> list:
        return self._p.devices

    @property
    def device_names(self) -> List[str]:
        return [d.name for d in self._p.devices]

    @property
    def num_devices(self) -> int:
        return self._p.num_devices

    def link(self, d: int, e: int) -> Tuple[float, float]:
        """(bandwidth_Bps, latency_s) of the link from device d to device e."""
        return self._p.link(d, e)

    def __len__(self) -> int:
        return self._p.num_devices

    def __repr__(self) -> str:
        return f"<diviml.Platform {self.name!r}: {self.num_devices} devices>"


GraphLike = Union[str, os.PathLike, Graph, Mapping[str, Any]]
PlatformLike = Union[str, os.PathLike, Platform, Mapping[str, Any]]


def load_graph(path_or_spec: Union[str, os.PathLike]) -> Graph:
    """A graph from a file (.graph.json, .stg, .onnx) or a spec (zoo:NAME,
    randwire:SPEC); InputError "FILE: problem" otherwise."""
    spec = os.fspath(path_or_spec)
    return Graph(_ext().load_graph(spec), spec)


def load_platform(path_or_spec: Union[str, os.PathLike]) -> Platform:
    """A platform from a .platform.json file or a spec (identical:M, zoo:NAME,
    cluster:S); InputError otherwise."""
    spec = os.fspath(path_or_spec)
    return Platform(_ext().load_platform(spec), spec)


def _as_graph(g: GraphLike) -> Graph:
    if isinstance(g, Graph):
        return g
    if isinstance(g, Mapping):
        return Graph.from_dict(g)
    if isinstance(g, (str, os.PathLike)):
        return load_graph(g)
    raise TypeError(f"graph: expected a path, a spec, a dict or a diviml.Graph, got {type(g).__name__}")


def _as_platform(p: PlatformLike) -> Platform:
    if isinstance(p, Platform):
        return p
    if isinstance(p, Mapping):
        return Platform.from_dict(p)
    if isinstance(p, (str, os.PathLike)):
        return load_platform(p)
    raise TypeError(f"platform: expected a path, a spec, a dict or a diviml.Platform, got {type(p).__name__}")


class Problem:
    """A graph on a platform with every time resolved (the cost model fills
    what the graph does not give). ``times[node][device]`` in seconds."""

    def __init__(self, core_problem):
        self._pr = core_problem

    @property
    def graph(self) -> Graph:
        return Graph(self._pr.graph, "<problem>")

    @property
    def platform(self) -> Platform:
        return Platform(self._pr.platform, "<problem>")

    @property
    def times(self) -> List[List[float]]:
        return self._pr.times

    def time(self, node: int, device: int) -> float:
        return self._pr.time(node, device)

    def __repr__(self) -> str:
        return f"<diviml.Problem {self._pr.n} nodes on {self._pr.m} devices>"


def problem(graph: GraphLike, platform: PlatformLike, *, profile: Optional[str] = None,
            coarsen: bool = False) -> Problem:
    """The Problem that :func:`solve` solves: as the CLI's --graph/--platform
    (with --profile, --coarsen). Strings go through the CLI's own loader."""
    if isinstance(graph, Problem):
        return graph
    core = _ext()
    prof = os.fspath(profile) if profile else ""
    if isinstance(graph, (str, os.PathLike)) and isinstance(platform, (str, os.PathLike)):
        return Problem(core.load_problem(os.fspath(graph), os.fspath(platform), prof, bool(coarsen)))
    g, p = _as_graph(graph), _as_platform(platform)
    return Problem(core.build_problem(g._g, p._p, g._label, p._label, prof, bool(coarsen)))


# --------------------------------------------------------------------------
# Solvers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A solver parameter of the registry: ``name`` is "<solver>.<parameter>";
    default as text; min/max inclusive bounds for int and double."""

    name: str
    type: str
    unit: str
    default: str
    min: float
    max: float
    choices: Tuple[str, ...]
    description: str


@dataclass(frozen=True)
class SolverInfo:
    """A solver of the registry (``diviml solvers``)."""

    name: str
    objectives: Tuple[str, ...]
    description: str
    reference: str
    params: Tuple[Param, ...] = field(default_factory=tuple)
    # True for the LLM planners (llm, llm-memory, llm-flops): they plan llm:
    # models across servers (docs/llm.md); solve() takes their specs as
    # strings only.
    llm: bool = False

    def __str__(self) -> str:
        return f"{self.name} ({', '.join(self.objectives)}): {self.description}"


_LLM_SOLVERS: Optional[frozenset] = None


def _llm_solvers() -> frozenset:
    global _LLM_SOLVERS
    if _LLM_SOLVERS is None:
        _LLM_SOLVERS = frozenset(d["name"] for d in _ext().solvers() if d.get("llm", False))
    return _LLM_SOLVERS


def solvers() -> List[SolverInfo]:
    """Every solver of the registry, in the CLI's order, with its objectives
    and parameters (defaults and bounds)."""
    out = []
    for d in _ext().solvers():
        params = tuple(
            Param(p["name"], p["type"], p["unit"], p["default"], p["min"], p["max"], tuple(p["choices"]),
                  p["description"])
            for p in d["params"]
        )
        out.append(SolverInfo(d["name"], tuple(d["objectives"]), d["description"], d["reference"], params, bool(d.get("llm", False))))
    return out


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _param_list(solver: str, params: Optional[Mapping[str, Any]], kwparams: Mapping[str, Any]) -> List[str]:
    out = []
    for source in (params or {}), kwparams:
        for k, v in source.items():
            name = k if "." in k else f"{solver}.{k}"
            out.append(f"{name}={_param_text(v)}")
    return out


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


class Result:
    """A checked result (the CLI's --json object, diviml-plan-v1).

    ``status``: optimal, feasible, time_limit, no_solution_found, infeasible
    or error. Latency: ``makespan`` (s); throughput: ``throughput``
    (samples/s) and ``period`` (s). ``lower_bound`` (s) on the makespan or
    the period, ``bounds`` every part, ``gap`` = (value - bound) / bound or
    None. ``plan``: node id -> device name; ``order``: device -> node ids in
    run order; ``schedule`` and ``transfers`` rows with start_s/end_s.
    """

    def __init__(self, core_result, problem: Problem):
        self._r = core_result
        self._problem = problem
        self._dict: Optional[dict] = None

    # The JSON of the CLI, computed on first use.
    def to_json(self, indent: Optional[int] = None) -> str:
        """The CLI's --json text (``indent`` None: one line, byte for byte)."""
        return self._r.to_json(-1 if indent is None else indent)

    def to_dict(self) -> dict:
        if self._dict is None:
            self._dict = json.loads(self._r.to_json(-1))
        return self._dict

    def save(self, path: Union[str, os.PathLike], format: str = "json") -> None:
        """Writes the result atomically: "json" (the plan file `diviml eval`
        reads), "text", "svg" (Gantt chart), "html" (the report), or for
        LLM plans "vllm", "llamacpp", "torch-pipelining"."""
        self._r.save(format, os.fspath(path))

    def export(self, format: str) -> str:
        """The text of any exporter of `diviml solve --export`: json, text,
        svg, html, and for LLM plans vllm, llamacpp, torch-pipelining."""
        return self._r.export(format)

    def svg(self) -> str:
        """The Gantt chart as SVG text ("" without a plan)."""
        return self._r.export("svg")

    def text(self) -> str:
        """The CLI's human summary."""
        return self._r.export("text")

    @property
    def problem(self) -> Problem:
        return self._problem

    @property
    def status(self) -> str:
        return self._r.status

    @property
    def has_plan(self) -> bool:
        return self._r.has_plan

    @property
    def interrupted(self) -> bool:
        return self._r.interrupted

    @property
    def objective(self) -> str:
        return self.to_dict()["objective"]

    @property
    def solver(self) -> str:
        return self.to_dict()["solver"]

    @property
    def message(self) -> str:
        return self.to_dict().get("message", "")

    @property
    def solve_time(self) -> float:
        """Seconds the pipeline spent in Solve."""
        return self._r.solve_time_s

    @property
    def pipeline_time(self) -> float:
        """Wall seconds of the C++ pipeline's Solve (solver, evaluation,
        bounds); 0 for evaluate(). The Python call adds its own overhead
        on top (python/bench/overhead.py measures it)."""
        return getattr(self._r, "pipeline_s", 0.0)

    @property
    def value(self) -> Optional[float]:
        """The makespan (latency) or the period (throughput), seconds; None without a plan."""
        v = self._r.value
        return v if self.has_plan and math.isfinite(v) else None

    @property
    def makespan(self) -> Optional[float]:
        return self.to_dict().get("makespan_s")

    @property
    def period(self) -> Optional[float]:
        return self.to_dict().get("period_s")

    @property
    def throughput(self) -> Optional[float]:
        return self.to_dict().get("throughput_per_s")

    @property
    def lower_bound(self) -> Optional[float]:
        d = self.to_dict()
        return d.get("lower_bound_s", d.get("lower_bound"))  # LLM plans: "lower_bound"

    @property
    def lower_bound_source(self) -> str:
        return self.to_dict().get("lower_bound_source", "")

    @property
    def bounds(self) -> Dict[str, Optional[float]]:
        return dict(self.to_dict().get("bounds", {}))

    @property
    def gap(self) -> Optional[float]:
        return self.to_dict().get("gap")

    @property
    def bound_above_plan(self) -> bool:
        return bool(self.to_dict().get("bound_above_plan", False))

    @property
    def params(self) -> Dict[str, str]:
        return dict(self.to_dict().get("params", {}))

    @property
    def plan(self) -> Dict[str, str]:
        return dict(self.to_dict().get("assignment", {}))

    @property
    def order(self) -> Dict[str, List[str]]:
        return dict(self.to_dict().get("order", {}))

    @property
    def schedule(self) -> List[dict]:
        return list(self.to_dict().get("schedule", []))

    @property
    def transfers(self) -> List[dict]:
        return list(self.to_dict().get("transfers", []))

    @property
    def violations(self) -> List[str]:
        return list(self.to_dict().get("violations", []))

    def __repr__(self) -> str:
        v = self.value
        vs = "no plan" if v is None else f"{v:.6g} s"
        return f"<diviml.Result {self.solver} {self.status}: {vs}, bound {self.lower_bound}, gap {self.gap}>"


# --------------------------------------------------------------------------
# solve, bound, evaluate
# --------------------------------------------------------------------------

ProgressFn = Callable[[float, float, float, float], Any]


def solve(
    graph: GraphLike,
    platform: PlatformLike,
    solver: str = "split",
    objective: str = "latency",
    time_limit: Optional[float] = None,
    *,
    seed: int = 0,
    threads: int = 1,
    gap_limit: float = 0.0,
    milp_backend: str = "",
    replicas: Union[int, str] = "auto",
    max_latency: Optional[float] = None,
    min_throughput: Optional[float] = None,
    profile: Optional[str] = None,
    coarsen: bool = False,
    progress: Optional[ProgressFn] = None,
    params: Optional[Mapping[str, Any]] = None,
    **kwparams: Any,
) -> Result:
    """Plans ``graph`` on ``platform`` with a solver of the registry.

    graph, platform: paths, specs ("zoo:resnet50", "zoo:paper",
    "identical:4"), dicts (diviml-graph-v1 / -platform-v1) or loaded objects.
    time_limit: seconds of wall clock (None: none). seed: randomised parts.
    threads: exact solvers' threads. gap_limit: relative gap at which exact
    solvers stop. replicas (throughput): a count or "auto". max_latency
    (throughput): per-sample ceiling, seconds. min_throughput: minimise
    latency subject to at least this many samples/s.
    Solver parameters as keywords (``module_size=12`` means
    ``split.module_size=12``) or ``params={"split.module_size": 12}``.
    progress: called as progress(incumbent, bound, gap, elapsed_s) from the
    solver's threads, with the GIL held; raising in it stops the solve and
    re-raises here. The GIL is released while the solver runs. Ctrl-C
    raises :class:`Interrupted` carrying the best plan so far.
    Raises InputError (a ValueError) with the CLI's one-line message.
    """
    core = _ext()
    args = core.SolveArgs()
    args.solver = solver
    args.objective = objective
    args.params = _param_list(solver, params, kwparams)
    args.time_limit_s = math.inf if time_limit is None else float(time_limit)
    args.gap_limit = float(gap_limit)
    args.threads = int(threads)
    args.seed = int(seed)
    args.milp_backend = milp_backend
    if replicas == "auto" or replicas is None:
        args.replicas = 0
    else:
        args.replicas = int(replicas)
        if args.replicas < 1 or args.replicas > 64:
            raise InputErrorType(f"replicas: expected a number from 1 to 64 or 'auto', got '{replicas}'")
    args.max_latency_s = math.inf if max_latency is None else float(max_latency)
    args.min_throughput_per_s = 0.0 if min_throughput is None else float(min_throughput)
    if solver in _llm_solvers():
        # The LLM planners (docs/llm.md): graph an llm: spec or a
        # config.json, platform a cluster; tensor_parallel, max_servers and
        # target as solver parameters (keywords).
        if not isinstance(graph, (str, os.PathLike)) or not isinstance(platform, (str, os.PathLike)):
            raise InputErrorType(f"solver '{solver}': graph must be an llm: spec or a config.json path and "
                                 "platform a cluster spec or file")
        if profile or coarsen:
            raise InputErrorType(f"solver '{solver}': profile and coarsen do not apply to LLM plans")
        pr_core, r = core.solve_llm(os.fspath(graph), os.fspath(platform), args)
        return Result(r, Problem(pr_core))
    core.check_request(args)  # a bad request fails before anything is loaded
    pr = problem(graph, platform, profile=profile, coarsen=coarsen)
    r = core.solve(pr._pr, args, progress, threading.current_thread() is threading.main_thread())
    result = Result(r, pr)
    if r.interrupted:
        raise Interrupted(result)
    return result


def bound(graph: GraphLike, platform: PlatformLike, *, module_exact: float = 0.0, milp_backend: str = "",
          profile: Optional[str] = None, coarsen: bool = False) -> dict:
    """Every latency lower bound (seconds), as ``diviml bound --json``:
    {graph, platform, lower_bound_s, best, parts: [{name, value_s, detail}]}.
    module_exact > 0 adds module_exact and module_chain with that many
    seconds each."""
    pr = problem(graph, platform, profile=profile, coarsen=coarsen)
    return json.loads(_ext().bound_json(pr._pr, float(module_exact), milp_backend))


def evaluate(graph: GraphLike, platform: PlatformLike, plan: Union[Result, Mapping[str, Any], str, os.PathLike],
             *, objective: str = "latency", profile: Optional[str] = None, coarsen: bool = False) -> Result:
    """Checks a plan as ``diviml eval`` does: a Result, a plan dict
    (diviml-plan-v1, or a plain {node id: device name} mapping, ordered by
    the nodes' topological order) or a plan file. Returns a Result; an
    invalid plan has status "error" and ``violations``. A plan for another
    graph is an InputError."""
    pr = problem(graph, platform, profile=profile, coarsen=coarsen)
    source = "<plan>"
    if isinstance(plan, Result):
        text = plan.to_json()
    elif isinstance(plan, Mapping):
        d = dict(plan)
        if "assignment" not in d and "replica_assignment" not in d:
            g = pr._pr.graph
            ids = [g.nodes[i].id for i in g.topo_order]
            d = {"assignment": d, "priority": [i for i in ids if i in d]}
        text = json.dumps(d)
    else:
        source = os.fspath(plan)
        with open(source, encoding="utf-8") as f:
            text = f.read()
    return Result(_ext().evaluate(pr._pr, text, source, objective), pr)


class _InputErrorProxy:
    def __call__(self, message: str):
        from . import InputError

        return InputError(message)


InputErrorType = _InputErrorProxy()
