#!/usr/bin/env bash
# Builds HiGHS 1.10.0 (static) from Debian trixie's source package, once,
# into $DIVIML_CACHE (default ~/.cache/diviml), and reuses it afterwards.
# The mirror comes from the system's apt sources; the deb-src entry lives in a
# private apt directory under the cache (the system's /etc/apt is never edited).
# Prints the install prefix on its last line.
set -euo pipefail
VERSION=1.10.0
CACHE=${DIVIML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diviml}
PREFIX="$CACHE/highs-$VERSION"
if [ -f "$PREFIX/.complete" ]; then
  echo "setup: HiGHS $VERSION cached at $PREFIX"
  exit 0
fi

work="$CACHE/highs-src"
aptdir="$CACHE/apt"
mkdir -p "$work" "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/sources.list.d"

# Mirror: the first Debian URI of the system's apt sources.
mirror=""
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  m=$(grep -Eo 'https?://[^ ]+/debian/?( |$)' "$f" 2>/dev/null | grep -v security | head -n1 | tr -d ' ' || true)
  if [ -n "$m" ]; then mirror=${m%/}; break; fi
done
[ -n "$mirror" ] || mirror="http://deb.debian.org/debian"
echo "setup: fetching highs $VERSION source from $mirror (trixie)"

cat > "$aptdir/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main
SRC
APT_OPTS=(-o "Dir::Etc::SourceList=$aptdir/sources.list"
          -o "Dir::Etc::SourceParts=$aptdir/sources.list.d"
          -o "Dir::State::Lists=$aptdir/lists"
          -o "Dir::Cache=$aptdir/cache"
          -o "APT::Sandbox::User=root")
apt-get "${APT_OPTS[@]}" update -qq
( cd "$work" && rm -rf ./*highs* && apt-get "${APT_OPTS[@]}" source --tar-only "highs=$VERSION*" 2>/dev/null \
    || apt-get "${APT_OPTS[@]}" source --tar-only highs )
tarball=$(ls "$work"/highs_*.orig.tar.* | head -n1)
srcdir="$work/src"
rm -rf "$srcdir" && mkdir -p "$srcdir"
tar -xf "$tarball" -C "$srcdir" --strip-components=1

cmake -S "$srcdir" -B "$work/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF \
  -DFAST_BUILD=ON -DZLIB=OFF -DBUILD_EXAMPLES=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
  -DCMAKE_INSTALL_PREFIX="$PREFIX" >/dev/null
cmake --build "$work/build" -j"$(nproc)"
cmake --install "$work/build" >/dev/null
touch "$PREFIX/.complete"
rm -rf "$work/build" "$srcdir"
echo "setup: HiGHS $VERSION built at $PREFIX"
