"""The manifest of an onnx-parts export (docs/runtime.md) and its checks."""
import json
from pathlib import Path

from .errors import RuntimeInputError

FORMAT = "diviml-onnx-parts-v1"


def load_manifest(parts_dir):
    """The manifest dict with "dir" added; RuntimeInputError for a missing
    or foreign manifest, or part files that do not match it."""
    d = Path(parts_dir)
    path = d / "manifest.json"
    if not path.is_file():
        raise RuntimeInputError(f"{d}: no manifest.json (not a directory written by `diviml export --format onnx-parts`)")
    try:
        m = json.loads(path.read_text())
    except ValueError as e:
        raise RuntimeInputError(f"{path}: not JSON ({e})")
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise RuntimeInputError(f"{path}: not an onnx-parts manifest (format {FORMAT})")
    try:
        for i, p in enumerate(m["parts"]):
            if p["index"] != i:
                raise RuntimeInputError(f"{path}: part {i} is numbered {p['index']}")
            f = d / p["file"]
            if not f.is_file():
                raise RuntimeInputError(f"{f}: missing (the manifest lists it as part {i})")
            if f.stat().st_size != p["bytes"]:
                raise RuntimeInputError(f"{f}: does not match the manifest ({f.stat().st_size} bytes, manifest says "
                                        f"{p['bytes']}): parts of another export?")
        m["plan"]["fnv1a64"], m["inputs"], m["outputs"], m["devices"]
    except (KeyError, TypeError) as e:
        raise RuntimeInputError(f"{path}: malformed manifest (missing {e})")
    m["dir"] = str(d)
    return m


def check_part_session(m, part, session):
    """The part file's stamp and interface against the manifest."""
    meta = session.get_modelmeta().custom_metadata_map
    where = f"{Path(m['dir']) / part['file']}"
    want = {"diviml_graph": m["graph"], "diviml_plan": m["plan"]["fnv1a64"], "diviml_part": str(part["index"]),
            "diviml_device": part["device"]}
    for k, v in want.items():
        if meta.get(k) != v:
            raise RuntimeInputError(f"{where}: does not match the manifest ({k} is {meta.get(k)!r}, manifest "
                                    f"says {v!r}): parts for another plan?")
    ins = [x.name for x in session.get_inputs()]
    outs = [x.name for x in session.get_outputs()]
    if sorted(ins) != sorted(part["inputs"]) or sorted(outs) != sorted(part["outputs"]):
        raise RuntimeInputError(f"{where}: its inputs/outputs do not match the manifest's")


def make_inputs(m, seed=0):
    """Seeded random graph inputs: floats standard normal, integers in
    [0, 100) (token ids valid for any vocabulary of the zoo), bools False."""
    import numpy as np
    rng = np.random.default_rng(seed)
    feeds = {}
    for t in m["inputs"]:
        shape = t["shape"]
        if shape is None:
            raise RuntimeInputError(f"graph input '{t['name']}' has no static shape: give the inputs yourself")
        dtype = ONNX_TO_NUMPY.get(t["elem_type"])
        if dtype is None:
            raise RuntimeInputError(f"graph input '{t['name']}': ONNX type {t['elem_type']} is not supported")
        if np.issubdtype(dtype, np.floating):
            feeds[t["name"]] = rng.standard_normal(shape).astype(dtype)
        elif dtype == np.bool_:
            feeds[t["name"]] = np.zeros(shape, dtype)
        else:
            feeds[t["name"]] = rng.integers(0, 100, size=shape).astype(dtype)
    return feeds


ONNX_TO_NUMPY = {}
try:
    import numpy as _np
    ONNX_TO_NUMPY = {1: _np.float32, 2: _np.uint8, 3: _np.int8, 5: _np.int16, 6: _np.int32, 7: _np.int64,
                     9: _np.bool_, 10: _np.float16, 11: _np.float64, 12: _np.uint32, 13: _np.uint64}
except ImportError:  # numpy comes with onnxruntime; the error shows where it is needed
    pass
