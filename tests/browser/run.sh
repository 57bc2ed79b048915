#!/usr/bin/env bash
# One browser test of the HTML report (registered in ctest by CMakeLists.txt):
#   run.sh DIVIML OUTDIR CASE     CASE = resnet50 | googlenet | throughput | bench | noplan
# writes the report(s) with DIVIML into OUTDIR, then checks them in headless
# Chromium with report_check.mjs; the screenshot stays in OUTDIR/CASE.png.
# Fails (never skips) when chromium or playwright-core is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
diviml=$1 out=$2 case=$3
mkdir -p "$out"
chromium=${DIVIML_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "browser test FAILED: $chromium is missing; install it with scripts/setup-browser.sh (Debian package chromium)" >&2
  exit 1
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ] || ! command -v node >/dev/null; then
  echo "browser test FAILED: node or playwright-core is missing; run scripts/setup-browser.sh (npm ci in tests/browser)" >&2
  exit 1
fi
nodes() { "$diviml" info --graph "$1" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).nodes))'; }
check() { node "$here/report_check.mjs" "$@"; }
common=(--section graph --section gantt --section bound --section devices)
case $case in
  resnet50)
    "$diviml" solve -g zoo:resnet50 -p zoo:paper -s heft -q --report "$out/resnet50.html" >/dev/null
    check "$out/resnet50.html" --nodes "$(nodes zoo:resnet50)" "${common[@]}" --png "$out/resnet50.png" ;;
  googlenet)
    "$diviml" solve -g zoo:googlenet -p zoo:paper -s split --time-limit 3 -q --report "$out/googlenet.html" >/dev/null
    grep -q 'module_chain bound' "$out/googlenet.html" || { echo "browser test FAILED: no module_chain part in the split report" >&2; exit 1; }
    check "$out/googlenet.html" --nodes "$(nodes zoo:googlenet)" "${common[@]}" --png "$out/googlenet.png" ;;
  throughput)
    "$diviml" solve -g zoo:resnet50 -p zoo:paper --objective throughput -q --report "$out/throughput.html" >/dev/null
    check "$out/throughput.html" --nodes "$(nodes zoo:resnet50)" "${common[@]}" --section throughput --png "$out/throughput.png" ;;
  bench)
    "$diviml" bench --models resnet50,googlenet --platforms paper --solvers single,heft --no-throughput -q \
      --json "$out/bench.json" >/dev/null
    "$diviml" solve -g zoo:googlenet -p zoo:paper -s heft -q --out "$out/bench_plan.json" >/dev/null
    "$diviml" report -g zoo:googlenet -p zoo:paper --plan "$out/bench_plan.json" --bench "$out/bench.json" \
      -o "$out/bench.html" >/dev/null
    points=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.filter(x=>typeof x.gap==="number"&&x.gap>=0).length)' "$out/bench.json")
    check "$out/bench.html" --nodes "$(nodes zoo:googlenet)" "${common[@]}" --section bench --bench-points "$points" \
      --png "$out/bench.png" ;;
  noplan)
    # Weights that fit no device: infeasible, the page says why.
    node -e '
      const fs = require("fs"), [g, p, dir] = process.argv.slice(1);
      const graph = JSON.parse(fs.readFileSync(g)), plat = JSON.parse(fs.readFileSync(p));
      graph.nodes.forEach(n => { n.param_bytes = 5000; });
      plat.devices.forEach(d => { d.memory_bytes = 1000; });
      fs.writeFileSync(dir + "/noplan.graph.json", JSON.stringify(graph));
      fs.writeFileSync(dir + "/noplan.platform.json", JSON.stringify(plat));' \
      "$here/../data/topcuoglu10.graph.json" "$here/../data/topcuoglu10.platform.json" "$out"
    "$diviml" solve -g "$out/noplan.graph.json" -p "$out/noplan.platform.json" -s heft -q \
      --report "$out/noplan.html" >/dev/null || true
    grep -q '"status":"infeasible"' "$out/noplan.html" || { echo "browser test FAILED: no infeasible report" >&2; exit 1; }
    check "$out/noplan.html" --nodes 10 --no-plan "${common[@]}" --png "$out/noplan.png" ;;
  *) echo "run.sh: unknown case $case" >&2; exit 2 ;;
esac
