#!/usr/bin/env bash
# Makes the Python package's virtual environment build/venv (idempotent) and
# installs the package into it:
#   - Debian's python3-torch, python3-torchvision, python3-numpy, python3-onnx
#     (scripts/setup-python.sh): importable only from /usr/bin/python3, so the
#     venv is made with --system-site-packages;
#   - the pins of python/requirements.txt from pip (pybind11,
#     scikit-build-core, pytest), only when one is missing or differs;
#   - the package itself (pip install --no-build-isolation .): scikit-build-core
#     builds diviml._diviml against the CMake target diviml_lib in build/py,
#     incrementally.
# Usage: scripts/setup-venv.sh [VENV]   (default build/venv)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
venv=${1:-$root/build/venv}

bash "$here/setup-python.sh"

if [ ! -x "$venv/bin/python" ]; then
  echo "setup-venv: creating $venv"
  mkdir -p "$(dirname "$venv")"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
py="$venv/bin/python"

# The pins, installed only when something differs (no registry call otherwise).
if ! "$py" - "$root/python/requirements.txt" <<'PYEOF'
import sys
from importlib.metadata import version, PackageNotFoundError
ok = True
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        ok &= version(name) == want
    except PackageNotFoundError:
        ok = False
sys.exit(0 if ok else 1)
PYEOF
then
  echo "setup-venv: pip install -r python/requirements.txt"
  "$py" -m pip install -q --disable-pip-version-check -r "$root/python/requirements.txt"
fi

echo "setup-venv: building and installing the diviml package (build/py)"
cd "$root"
"$py" -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps . 
"$py" -c 'import diviml, numpy; print("setup-venv: diviml", diviml.__version__, "numpy", numpy.__version__)'
