#!/usr/bin/env bash
# Skew benchmark: servelens on two traces that differ only in how requests spread over models.
#
#   bench/skew.sh [ROWS]          default: 1000000
#
# Generates one trace (`generate workload --rows ROWS --seed 1`, not timed) and derives two
# from it by rewriting model_id only (same users, tokens and times, same size):
#   uniform: every request to one of 10 models, uniformly (model-0 .. model-9);
#   skewed:  90 % of the requests to model-0, the rest uniformly to model-1 .. model-9.
# The choice is a seeded hash of the line number, so both traces are the same on every run.
# Times servelens ingest + analyze of each (two processes each, Spark local[*]) with the
# event log on, prints the times, the Spark job counts and the ratio skewed / uniform, and
# appends a line to the results file. Reported in README and bench/README.md.
#
# Environment (all optional): BENCH_DIR (default bench/out), BENCH_RESULTS (default
# bench/skew-results.tsv), BENCH_DRIVER_MEMORY (default 8g), BENCH_TIMEOUT (0 = no limit),
# MVN_ARGS (default -o).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
BENCH_DIR="${BENCH_DIR:-$ROOT/bench/out}"
RESULTS="${BENCH_RESULTS:-$ROOT/bench/skew-results.tsv}"
DRIVER_MEMORY="${BENCH_DRIVER_MEMORY:-8g}"
TIMEOUT="${BENCH_TIMEOUT:-0}"
MVN_ARGS="${MVN_ARGS--o}"
ANALYZE_OPTIONS=(--top-models 10 --top-n 20 --window 1000 --diversity-top-users 50)
TEST_CLASSPATH_FILE="$ROOT/target/bench-test-classpath.txt"
BUILD_STAMP="$ROOT/target/.bench-build-stamp"
PEER_CLASS=target/test-classes/dev/servelens/peers/DuckDbWorkloadPeer.class

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

rows="${1:-1000000}"
[[ "$rows" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, got '$rows'"
absolute_paths
build_if_needed
launchers

dir="$BENCH_DIR/skew-$rows"
logs="$dir/logs"
mkdir -p "$logs"
cd "$dir"
if [[ ! -f "$dir/traces.done" ]]; then
  rm -rf "$dir/trace" "$dir/uniform" "$dir/skewed"
  echo "generating the trace (not timed) ..."
  "${SERVELENS[@]}" generate workload --out "$dir/trace" --rows "$rows" --seed 1 \
    > "$logs/generate.log" 2>&1 || die "generate failed (log: $logs/generate.log)"
  mkdir -p "$dir/uniform" "$dir/skewed"
  for file in "$dir"/trace/*.csv; do
    name="$(basename "$file")"
    # model_id is the second column of the generator's CSV, which quotes no field.
    awk -F, -v OFS=, -v mode=uniform 'NR == 1 { print; next }
      { h = (NR * 2654435761 + 12345) % 4294967296; u = h / 4294967296;
        $2 = "model-" int(u * 10); print }' "$file" > "$dir/uniform/$name"
    awk -F, -v OFS=, 'NR == 1 { print; next }
      { h = (NR * 2654435761 + 12345) % 4294967296; u = h / 4294967296;
        $2 = (u < 0.9) ? "model-0" : "model-" (1 + int((u - 0.9) / 0.1 * 9)); print }' \
      "$file" > "$dir/skewed/$name"
  done
  touch "$dir/traces.done"
fi

declare -A total jobs
for kind in uniform skewed; do
  rm -rf "$dir/catalog-$kind" "$dir/out-$kind" "$logs/events-$kind"
  mkdir -p "$logs/events-$kind"
  share="$(awk -F, 'NR > 1 { n[$2]++; t++ } END { m = 0; for (k in n) if (n[k] > m) m = n[k]; printf "%.3f", m / t }' "$dir"/$kind/*.csv)"
  echo "$kind: busiest model has $share of the requests"
  timed "$logs/ingest-$kind.log" "${SERVELENS[@]}" ingest workload --input "$dir/$kind" \
    --catalog "$dir/catalog-$kind"
  ingest="$ELAPSED"
  timed "$logs/analyze-$kind.log" "${SERVELENS[@]}" \
    --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$logs/events-$kind" \
    --conf spark.eventLog.compress=false \
    analyze workload --catalog "$dir/catalog-$kind" --out "$dir/out-$kind" "${ANALYZE_OPTIONS[@]}"
  analyze="$ELAPSED"
  total[$kind]="$(sum "$ingest" "$analyze")"
  jobs[$kind]="$(cat "$logs/events-$kind"/* 2>/dev/null | grep -c '"Event":"SparkListenerJobStart"' || true)"
  printf '%-8s ingest %8s s  analyze %8s s  total %8s s  analyze jobs %s\n' "$kind" "$ingest" \
    "$analyze" "${total[$kind]}" "${jobs[$kind]}"
done
skew_ratio="$(awk -v a="${total[skewed]}" -v b="${total[uniform]}" \
  'BEGIN { if (a == "NA" || b == "NA" || b + 0 == 0) print "NA"; else printf "%.2f", a / b }')"
echo "ratio skewed / uniform (ingest + analyze): $skew_ratio"

if [[ ! -f "$RESULTS" ]]; then
  printf '%s\n' "date	commit	rows	cores	load1	uniform_total_s	skewed_total_s	ratio_skewed_uniform	uniform_analyze_jobs	skewed_analyze_jobs" > "$RESULTS"
fi
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
printf '%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)	$commit	$rows	$(nproc)	$(cut -d' ' -f1 /proc/loadavg)	${total[uniform]}	${total[skewed]}	$skew_ratio	${jobs[uniform]}	${jobs[skewed]}" >> "$RESULTS"
echo "appended to $RESULTS"
