"""Running DiviML plans on ONNX Runtime (docs/runtime.md).

- export_parts(): a plan as per-device ONNX parts (the C++ exporter).
- run_parts(): one worker per device executes the parts; measured latency
  beside the predicted makespan.
- profile_model(): per-node times from ONNX Runtime's profiler in DiviML's
  --profile format.
"""
from .errors import RuntimeInputError
from .export import export_parts
from .runner import run_parts
try:
    from .profiler import profile_model
except ImportError:
    pass
try:
    from .handoff import measure_handoff
except ImportError:
    pass

__all__ = ["RuntimeInputError", "export_parts", "run_parts", "profile_model", "measure_handoff"]
