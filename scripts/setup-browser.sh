#!/usr/bin/env bash
# Installs what the browser tests of the HTML report need (idempotent):
# Debian's chromium (the tests drive /usr/bin/chromium; no browser download)
# and node + playwright-core from tests/browser/package-lock.json (npm ci).
# Called by scripts/setup.sh; when it fails the browser tests fail with a
# message saying so (they never pass silently).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
browser_dir="$here/../tests/browser"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@"
}
if [ ! -x /usr/bin/chromium ]; then
  echo "setup-browser: installing chromium"
  apt_install chromium
fi
if ! command -v npm >/dev/null; then
  echo "setup-browser: installing nodejs and npm"
  apt_install nodejs npm
fi
lock="$browser_dir/package-lock.json"
stamp="$browser_dir/node_modules/.diviml-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
  echo "setup-browser: npm ci in tests/browser (playwright-core)"
  (cd "$browser_dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$lock" "$stamp"
else
  echo "setup-browser: chromium and playwright-core present"
fi
