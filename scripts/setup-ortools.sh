#!/usr/bin/env bash
# Puts OR-Tools' shared library (CP-SAT, docs/cp.md) into a cache outside
# the build tree, once: Debian 12 has no OR-Tools package, so the library
# comes out of the PyPI wheel (it is self-contained: its protobuf, abseil and
# the rest sit beside it, found through its $ORIGIN run path). Nothing is
# installed into any Python environment. DiviML loads it at run time;
# without it the CP-SAT paths report themselves unavailable.
# Prints the library's path on its last line.
set -euo pipefail
VERSION=9.15.6755
CACHE=${DIVIML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diviml}
DEST="$CACHE/ortools-$VERSION"
LIB="$DEST/ortools/.libs/libortools.so.9"
if [ -f "$DEST/.complete" ]; then
  echo "setup: OR-Tools $VERSION cached at $DEST"
  echo "$LIB"
  exit 0
fi
PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "setup: python3 not found; cannot fetch OR-Tools" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "setup: fetching the OR-Tools $VERSION wheel (for its shared library)"
"$PY" -m pip download --quiet --no-deps --only-binary=:all: "ortools==$VERSION" -d "$tmp"
wheel=$(ls "$tmp"/ortools-*.whl | head -n1)
rm -rf "$DEST"
mkdir -p "$DEST"
# The shared libraries only, in the wheel's own layout (ortools/.libs and
# auditwheel's ortools.libs: their run paths point at each other).
"$PY" - "$wheel" "$DEST" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(("ortools/.libs/", "ortools.libs/")) and not name.endswith("/"):
            target = os.path.join(dest, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(name) as src, open(target, "wb") as out:
                out.write(src.read())
PY
[ -f "$LIB" ] || { echo "setup: the wheel has no ${LIB#"$DEST"/}" >&2; exit 1; }
touch "$DEST/.complete"
echo "setup: OR-Tools $VERSION at $DEST"
echo "$LIB"
