#!/usr/bin/env bash
# Installs what `make fuzz` needs on Debian 12: clang (with libFuzzer and
# the sanitizer runtimes, libclang-rt-14-dev). Idempotent.
set -euo pipefail
if command -v clang++ >/dev/null && echo 'int LLVMFuzzerTestOneInput(const char*, long) { return 0; }' |
   clang++ -x c++ -fsanitize=fuzzer,address - -o /dev/null 2>/dev/null; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq clang libclang-rt-14-dev
