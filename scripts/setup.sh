#!/usr/bin/env bash
# Installs everything DiviML needs on Debian 12 (idempotent), then builds
# HiGHS 1.10 from Debian trixie's source package into a cache outside the
# build tree (scripts/build-highs.sh). Safe to run again: it skips what is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  build-essential cmake ninja-build pkg-config dpkg-dev ca-certificates
  nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  coinor-libcbc-dev coinor-libclp-dev coinor-libcgl-dev coinor-libosi-dev coinor-libcoinutils-dev
  libigraph-dev libarpack2-dev libplfit-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  zlib1g-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

"$here/build-highs.sh"
"$here/setup-ortools.sh"
"$here/setup-browser.sh" || echo "setup: the browser tools did not install (the browser tests will fail; see above)" >&2
