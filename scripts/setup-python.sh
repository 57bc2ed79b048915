#!/usr/bin/env bash
# Installs the Python side of the model zoo on Debian 12 (idempotent):
# Debian's python3-torch, python3-torchvision and python3-onnx, used by
# scripts/zoo/*.py through /usr/bin/python3 (a pyenv or venv python3 on PATH
# does not see Debian's packages). Installs only what is missing and runs
# apt-get update only when something is missing and cannot be found in the
# package lists already on the machine.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(python3 python3-numpy python3-torch python3-torchvision python3-onnx)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# A fast BLAS for the CPU profiler (scripts/zoo/profile_cpu.py), private to it.
# Debian's python3-torch does its matrix products (MatMul, Gemm) through the
# system libblas.so.3, by default the reference BLAS (~1 GFLOP/s). Installing
# libopenblas0 system-wide would switch every program on the machine (CBC, CLP
# and igraph link libblas.so.3 too), so instead the .deb is downloaded and
# unpacked into the cache and only the profiler loads it (LD_LIBRARY_PATH).
fetch_openblas() {
  local cache=${DIVIML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diviml}
  local dest="$cache/openblas"
  if find "$dest" -path '*openblas-pthread/libblas.so.3' 2>/dev/null | grep -q .; then
    echo "setup-python: private OpenBLAS cached at $dest"
    return 0
  fi
  local tmp
  tmp=$(mktemp -d)
  if (cd "$tmp" && apt-get download -qq libopenblas0-pthread 2>/dev/null) ||
     { $SUDO apt-get update -qq && (cd "$tmp" && apt-get download -qq libopenblas0-pthread); }; then
    mkdir -p "$dest"
    dpkg -x "$tmp"/libopenblas0-pthread_*.deb "$dest"
    echo "setup-python: private OpenBLAS unpacked into $dest"
  else
    echo "setup-python: warning: could not download libopenblas0-pthread; the profiler will use the system BLAS" >&2
  fi
  rm -rf "$tmp"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-python: all Debian packages present (${PACKAGES[*]})"
  fetch_openblas
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
need_update=0
for p in "${missing[@]}"; do
  # A package the local lists do not know (or know with no candidate) needs an update first.
  cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then need_update=1; fi
done
if [ "$need_update" -eq 1 ]; then
  echo "setup-python: apt-get update"
  $SUDO apt-get update -qq
fi
echo "setup-python: installing ${missing[*]}"
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

fetch_openblas
/usr/bin/python3 -c 'import torch, torchvision, onnx; print("setup-python: torch", torch.__version__, "torchvision", torchvision.__version__, "onnx", onnx.__version__)'
