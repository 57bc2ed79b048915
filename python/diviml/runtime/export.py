"""export_parts(): the C++ exporter (`diviml export --format onnx-parts`)."""
import json
import os
import shutil
import subprocess
from pathlib import Path

from .errors import RuntimeInputError
from .paths import repo_root, zoo_dir



def diviml_binary():
    """The `diviml` executable: $DIVIML_BIN, else build/diviml of this
    checkout, else `diviml` on PATH."""
    env = os.environ.get("DIVIML_BIN")
    if env:
        return env
    local = repo_root() / "build" / "diviml"
    if local.exists():
        return str(local)
    found = shutil.which("diviml")
    if found:
        return found
    raise RuntimeInputError("diviml executable not found (build it with `make build` or set DIVIML_BIN)")


def export_parts(graph, plan, out, fill_weights="auto", seed=0):
    """Writes the plan's per-device ONNX parts and manifest.json into `out`;
    returns the manifest (dict). graph: .onnx file or zoo:NAME; plan: a
    latency plan JSON file. RuntimeInputError with the exporter's line."""
    cmd = [diviml_binary(), "export", "--graph", str(graph), "--plan", str(plan), "--format", "onnx-parts",
           "--out", str(out), "--fill-weights", fill_weights, "--seed", str(seed), "--json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        msg = (r.stderr.strip().splitlines() or ["export failed"])[-1]
        raise RuntimeInputError(msg.removeprefix("diviml: "))
    return json.loads(r.stdout)
