#!/usr/bin/env bash
# Agentic-runs benchmark: servelens (Spark, local[*]) against DuckDB (in process) on the same
# generated run directories, for the active_window table.
#
#   bench/runs.sh [N ...]          N = number of run directories; default: 100
#
# For each size: builds the project if needed, generates N run directories with
# `servelens generate runs --out DIR --runs N --seed 1` (once per size, timed for information
# only), then times side by side
#   servelens: ingest runs + analyze runs (two processes, Spark local[*]);
#   DuckDB:    bench DuckDbRunsPeer, one process: active_window straight from the raw files;
# prints a table, appends one line to the results file and compares servelens's active_window,
# the peer's and the generator's truth (_truth/active_window.csv) run by run (OK / MISMATCH
# lines; a mismatch is reported, it does not fail the script).
#
# Environment (all optional):
#   BENCH_DIR              where run sets, catalogs and outputs go (default bench/out, git-ignored)
#   BENCH_RESULTS          results file (default bench/runs-results.tsv)
#   BENCH_GENERATE_OPTIONS extra `generate runs` options, e.g. "--dirty-fraction 0.02" (default none)
#   BENCH_DRIVER_MEMORY    servelens driver memory (default 8g)
#   BENCH_DUCKDB_MEMORY    DuckDB memory_limit (default 8GB)
#   BENCH_DUCKDB_THREADS   DuckDB threads (default 2)
#   BENCH_TIMEOUT          seconds allowed to each timed command, 0 = no limit (default 0)
#   MVN_ARGS               extra Maven arguments (default -o; falls back to online if that fails)
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
BENCH_DIR="${BENCH_DIR:-$ROOT/bench/out}"
RESULTS="${BENCH_RESULTS:-$ROOT/bench/runs-results.tsv}"
GENERATE_OPTIONS="${BENCH_GENERATE_OPTIONS:-}"
DRIVER_MEMORY="${BENCH_DRIVER_MEMORY:-8g}"
DUCKDB_MEMORY="${BENCH_DUCKDB_MEMORY:-8GB}"
DUCKDB_THREADS="${BENCH_DUCKDB_THREADS:-2}"
TIMEOUT="${BENCH_TIMEOUT:-0}"
MVN_ARGS="${MVN_ARGS--o}"
# The peer computes the table at 70 %: servelens is pinned to the same threshold.
THRESHOLD=70
TEST_CLASSPATH_FILE="$ROOT/target/bench-test-classpath.txt"
BUILD_STAMP="$ROOT/target/.bench-build-stamp"
PEER_CLASS=target/test-classes/dev/servelens/peers/DuckDbRunsPeer.class

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100)
for runs in "${sizes[@]}"; do
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "N must be positive integers, got '$runs'"
done
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "BENCH_TIMEOUT must be a number of seconds"
read -r -a generate_options <<< "$GENERATE_OPTIONS"

absolute_paths
build_if_needed
launchers
PEER=("$JAVA" -Xmx1g -cp "$TEST_CLASSPATH" dev.servelens.peers.DuckDbRunsPeer)
COMPARISON=("$JAVA" -Xmx1g -cp "$TEST_CLASSPATH" dev.servelens.peers.RunsOutputsComparison)

commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  commit+="-dirty"
fi
cores="$(nproc)"
if [[ ! -f "$RESULTS" ]]; then
  printf '%s\n' "date	commit	runs	cores	load1	launcher	generate_s	servelens_ingest_s	servelens_analyze_s	servelens_total_s	duckdb_total_s	duckdb_inprocess_s	ratio_total	comparison" \
    > "$RESULTS"
fi

for runs in "${sizes[@]}"; do
  dir="$BENCH_DIR/runs-$runs"
  input="$dir/runs"
  logs="$dir/logs"
  mkdir -p "$dir" "$logs"
  # Spark leaves spark-warehouse/ and the like in the working directory: keep them out of the tree.
  cd "$dir"
  echo
  echo "=== $runs runs (work folder $dir)"

  # The run set: generated once per size, seed and options, then reused.
  generation="--runs $runs --seed 1 ${generate_options[*]}"
  generate_s=reused
  if [[ ! -f "$dir/runs.done" || "$(cat "$dir/runs.done")" != "$generation" ]]; then
    rm -rf "$input" "$dir/runs.done"
    echo "generating $runs run directories (timed for information) ..."
    timed "$logs/generate.log" "${SERVELENS[@]}" generate runs --out "$input" --runs "$runs" \
      --seed 1 "${generate_options[@]}"
    [[ "$ELAPSED" != NA ]] || die "generate failed (log: $logs/generate.log)"
    generate_s="$ELAPSED"
    echo "$generation" > "$dir/runs.done"
  fi
  echo "run set: $(du -sh "$input" | cut -f1), $(find "$input" -name driver.log | wc -l) driver.log," \
    "$(find "$input" -name kv_cache_timeseries.csv | wc -l) kv_cache_timeseries.csv"

  rm -rf "$dir/catalog" "$dir/servelens-out" "$dir/duckdb-out"
  load1="$(cut -d' ' -f1 /proc/loadavg)"

  echo "servelens ingest runs ..."
  timed "$logs/servelens-ingest.log" "${SERVELENS[@]}" ingest runs --input "$input" \
    --catalog "$dir/catalog"
  s_ingest="$ELAPSED"
  echo "servelens analyze runs ..."
  timed "$logs/servelens-analyze.log" "${SERVELENS[@]}" analyze runs --catalog "$dir/catalog" \
    --out "$dir/servelens-out" --threshold "$THRESHOLD"
  s_analyze="$ELAPSED"
  s_total="$(sum "$s_ingest" "$s_analyze")"

  echo "DuckDB active_window ..."
  timed "$logs/duckdb.log" "${PEER[@]}" --input "$input" --out "$dir/duckdb-out" \
    --threads "$DUCKDB_THREADS" --memory "$DUCKDB_MEMORY"
  d_total="$ELAPSED"
  d_inside="$(sed -n 's/^total_s=//p' "$logs/duckdb.log" | tail -n 1)"
  d_inside="${d_inside:-NA}"

  echo
  echo "--- results: $runs runs, $cores cores, load average $load1 at start, servelens via $LAUNCHER"
  printf '%-34s %10s\n' "generate (not compared) s" "$generate_s"
  printf '%-34s %10s\n' "servelens ingest (process) s" "$s_ingest"
  printf '%-34s %10s\n' "servelens analyze (process) s" "$s_analyze"
  printf '%-34s %10s\n' "servelens total s" "$s_total"
  printf '%-34s %10s\n' "DuckDB total (process) s" "$d_total"
  printf '%-34s %10s\n' "DuckDB inside the process s" "$d_inside"
  printf '%-34s %10s\n' "ratio servelens/DuckDB total" "$(ratio "$s_total" "$d_total")"

  echo
  echo "--- comparison (active_window: servelens, DuckDB, generator truth)"
  "${COMPARISON[@]}" "$dir/servelens-out/agentic/active_window.csv" \
    "$dir/duckdb-out/agentic/active_window.csv" "$input/_truth/active_window.csv" 2>&1 \
    | tee "$logs/comparison.log" || true
  comparison="$(sed -n 's/^comparison: //p' "$logs/comparison.log")"
  comparison="${comparison:-not run}"
  if [[ "$comparison" != *" 0 MISMATCH"* ]]; then
    echo "!!! MISMATCH in active_window: see the lines marked !!! above"
  fi

  printf '%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)	$commit	$runs	$cores	$load1	$LAUNCHER	$generate_s	$s_ingest	$s_analyze	$s_total	$d_total	$d_inside	$(ratio "$s_total" "$d_total")	$comparison" \
    >> "$RESULTS"
  echo "appended to $RESULTS"
done
