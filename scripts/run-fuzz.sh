#!/usr/bin/env bash
# Runs each libFuzzer target until RUNS executions or SECONDS, whichever
# comes first (after `make fuzz` built them), and prints executions, time
# and crashes per target. Usage:
#   scripts/run-fuzz.sh BUILD_DIR SECONDS RUNS TARGET...
set -uo pipefail
BUILD=$1; SECONDS_EACH=$2; RUNS=$3; shift 3
declare -A SEEDS=(
  [graph_json]="tests/data tests/fuzz/graph_json" [platform_json]="tests/data zoo/platforms tests/fuzz/platform_json"
  [plan_json]="tests/fuzz/plan_json" [profile_json]="tests/fuzz/profile_json" [profile_csv]="tests/fuzz/profile_csv"
  [stg]="tests/fuzz/stg" [onnx]="tests/fuzz/onnx" [specs]="tests/fuzz/specs" [llm_config]="tests/fuzz/llm_config")
bad=0
printf "%-14s %12s %8s %8s\n" target execs seconds crashes
for t in "$@"; do
  corpus=$BUILD/corpus/$t; findings=$BUILD/findings/$t
  mkdir -p "$corpus" "$findings"
  # Seeds: the target's directories (only files of its kind for shared ones).
  for d in ${SEEDS[$t]}; do
    [ -d "$d" ] || continue
    case $t in
      graph_json) find "$d" -maxdepth 1 -name '*.graph.json' -exec cp {} "$corpus" \; ;;
      platform_json) find "$d" -maxdepth 1 -name '*.platform.json' -exec cp {} "$corpus" \; ;;
      *) find "$d" -maxdepth 1 -type f -exec cp {} "$corpus" \; ;;
    esac
  done
  case $t in
    stg) cp tests/data/stg50/rand000*.stg "$corpus" ;;
    onnx) cp zoo/models/squeezenet1_1.onnx "$corpus" ;;
    profile_json) cp zoo/profiles/*.cpu.json "$corpus" ;;
    profile_csv) cp zoo/profiles/*.csv "$corpus" ;;
  esac
  log=$BUILD/fuzz_$t.log
  start=$(date +%s)
  ASAN_OPTIONS=detect_leaks=1 "$BUILD/fuzz_$t" -max_total_time="$SECONDS_EACH" -runs="$RUNS" -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  [ -z "$execs" ] && execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  crashes=$(find "$findings" -type f | wc -l)
  printf "%-14s %12s %8s %8s%s\n" "$t" "${execs:-?}" "$took" "$crashes" "$([ $rc -ne 0 ] && echo "  (exit $rc, see $log)")"
  [ "$crashes" -ne 0 ] || [ $rc -ne 0 ] && bad=1
done
exit $bad
