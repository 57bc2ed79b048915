"""DiviML: map neural networks onto heterogeneous devices, with a lower bound.

The C++ core (extension ``diviml._diviml``) does the work; this module gives
the Python API over its pipeline layer and solver registry::

    import diviml
    r = diviml.solve("zoo:resnet50", "zoo:paper", solver="split", time_limit=10)
    print(r.status, r.makespan, r.lower_bound, r.gap)
    r.save("plan.json")            # the CLI's `solve --out` file

Units: times in seconds, sizes in bytes, rates in FLOP/s and bytes/s,
throughput in samples per second. Subpackages (``diviml.torch``,
``diviml.runtime``) import without the extension where they can.
"""

from __future__ import annotations

__version__ = "0.1.0"

try:  # The extension; pure-Python submodules still import without it.
    from . import _diviml as _core
    _CORE_ERROR = None
except ImportError as _e:  # pragma: no cover - only without a build
    _core = None
    _CORE_ERROR = _e

if _core is not None:
    InputError = _core.InputError
else:  # pragma: no cover
    class InputError(ValueError):
        """Bad input: the one-line message of the CLI ("FILE: problem")."""

from .runtime.export import export_parts  # noqa: E402  (docs/runtime.md)
from ._api import (  # noqa: E402
    Graph,
    Interrupted,
    Param,
    Platform,
    Problem,
    Result,
    SolverInfo,
    bound,
    evaluate,
    load_graph,
    load_platform,
    problem,
    solve,
    solvers,
)

__all__ = [
    "export_parts",
    "Graph",
    "InputError",
    "Interrupted",
    "Param",
    "Platform",
    "Problem",
    "Result",
    "SolverInfo",
    "bound",
    "evaluate",
    "load_graph",
    "load_platform",
    "problem",
    "solve",
    "solvers",
    "__version__",
]
