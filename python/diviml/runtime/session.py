"""ONNX Runtime sessions as the runner and the profiler make them: the same
options, so profiles measure what the runner runs."""
from .errors import RuntimeInputError

OPT_LEVELS = ("disable", "basic", "extended", "all")
DEFAULT_OPT_LEVEL = "extended"
# Graph rewrites every session leaves out because they change results.
# Pad_Fusion (onnxruntime 1.19) folds a constant Pad into a following
# AveragePool whose count_include_pad is 0, so border averages divide by the
# valid cells instead of the padded window: inception_v3's outputs moved by
# 4% of their largest value at level basic and above (docs/runtime.md).
DISABLED_OPTIMIZERS = ["Pad_Fusion"]


def ort():
    try:
        import onnxruntime
    except ImportError as e:
        raise RuntimeInputError(f"onnxruntime is not installed ({e}); run scripts/setup-venv.sh")
    onnxruntime.set_default_logger_severity(4)  # errors reach the user as one line, not as ORT's log
    return onnxruntime


def session_options(threads, opt_level=DEFAULT_OPT_LEVEL, profile_prefix=None):
    rt = ort()
    if opt_level not in OPT_LEVELS:
        raise RuntimeInputError(f"--opt-level: '{opt_level}' is not one of {', '.join(OPT_LEVELS)}")
    so = rt.SessionOptions()
    so.graph_optimization_level = {
        "disable": rt.GraphOptimizationLevel.ORT_DISABLE_ALL,
        "basic": rt.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended": rt.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "all": rt.GraphOptimizationLevel.ORT_ENABLE_ALL}[opt_level]
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = rt.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 4
    so.add_session_config_entry("session.set_denormal_as_zero", "1")
    if profile_prefix:
        so.enable_profiling = True
        so.profile_file_prefix = profile_prefix
    return so


def check_cuda(device, cuda_id):
    rt = ort()
    if "CUDAExecutionProvider" not in rt.get_available_providers():
        raise RuntimeInputError(f"device '{device}' maps to cuda:{cuda_id}, but this onnxruntime has no CUDA "
                                "execution provider (install onnxruntime-gpu), or map it to CPU cores with "
                                f"--device-map {device}=cpu:CORES")


def providers(target):
    if target.kind == "cuda":
        return [("CUDAExecutionProvider", {"device_id": target.cuda_id}), "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


def make_session(path, target, opt_level=DEFAULT_OPT_LEVEL, profile_prefix=None, device="?"):
    rt = ort()
    threads = len(target.cores) if target.kind == "cpu" else 1
    so = session_options(threads, opt_level, profile_prefix)
    try:
        s = rt.InferenceSession(str(path), so, providers=providers(target),
                                disabled_optimizers=DISABLED_OPTIMIZERS)
    except Exception as e:  # ORT raises its own exception types
        raise RuntimeInputError(f"{path}: ONNX Runtime cannot load it on device {device}: "
                                f"{' '.join(str(e).split())}")
    if target.kind == "cuda" and s.get_providers()[0] != "CUDAExecutionProvider":
        raise RuntimeInputError(f"device '{device}' maps to cuda:{target.cuda_id}, but ONNX Runtime found no "
                                "usable GPU there")
    return s
