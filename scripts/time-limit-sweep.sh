#!/usr/bin/env bash
# Time-limit sweep (issue 15): runs `diviml solve --time-limit L` for every
# latency solver on the zoo models, the RandWire bench graphs and RandWire
# graphs of about 2,000 and 10,000 nodes, and prints the whole-process wall
# time and the overrun over L; fails (exit 1) when an overrun is above
# max(10% of L, 0.5 s). Usage:
#   scripts/time-limit-sweep.sh [BUILD_DIR] [LIMITS] [GRAPHS] [SOLVERS]
# e.g. scripts/time-limit-sweep.sh build "1 5" "zoo:resnet50" "split milp"
# EXTRA_ARGS is added to every solve, e.g. EXTRA_ARGS="--milp-backend cbc".
set -uo pipefail
BUILD=${1:-build}
LIMITS=${2:-"1 5"}
GRAPHS=${3:-"zoo:resnet50 zoo:inception_v3 zoo:bert_base zoo:gpt2_small zoo:densenet121
  randwire:er,n=32,stages=3,seed=1 randwire:ba,n=32,stages=3,seed=1 randwire:ws,n=32,stages=3,seed=1
  randwire:ws,n=667,stages=3,seed=1 randwire:ws,n=3333,stages=3,seed=1"}
SOLVERS=${4:-"single heft peft cpop etf rls milp split"}
PLATFORM=${PLATFORM:-zoo:paper}
EXTRA_ARGS=${EXTRA_ARGS:-}
bad=0
printf "%-40s %-7s %6s %8s %8s %s\n" graph solver limit wall_s over_s status
for g in $GRAPHS; do
  for s in $SOLVERS; do
    for l in $LIMITS; do
      t0=$(date +%s.%N)
      out=$("$BUILD/diviml" solve --graph "$g" --platform "$PLATFORM" --solver "$s" --time-limit "$l" $EXTRA_ARGS 2>&1)
      rc=$?
      t1=$(date +%s.%N)
      status=$(grep -o "status [a-z_]*" <<<"$out" | head -1 | cut -d' ' -f2)
      read -r wall over ok < <(awk -v a="$t0" -v b="$t1" -v l="$l" 'BEGIN {
        w = b - a; o = w - l; tol = (0.1 * l > 0.5) ? 0.1 * l : 0.5;
        printf "%.3f %.3f %d\n", w, o, (o <= tol) }')
      flag=""
      if [ "$ok" != 1 ]; then flag="  OVERRUN"; bad=1; fi
      printf "%-40s %-7s %6s %8s %8s %s rc=%s%s\n" "$g" "$s" "$l" "$wall" "$over" "${status:-?}" "$rc" "$flag"
    done
  done
done
exit $bad
