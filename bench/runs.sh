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
PEER_CLASS=target/test-classes/dev/servelens/bench/DuckDbRunsPeer.class

die() {
  echo "bench/runs.sh: $*" >&2
  exit 1
}

sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100)
for runs in "${sizes[@]}"; do
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "N must be positive integers, got '$runs'"
done
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "BENCH_TIMEOUT must be a number of seconds"
read -r -a generate_options <<< "$GENERATE_OPTIONS"

# Paths given relative to where the script was started, made absolute before moving.
mkdir -p "$BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd -P)"
mkdir -p "$(dirname "$RESULTS")"
RESULTS="$(cd "$(dirname "$RESULTS")" && pwd -P)/$(basename "$RESULTS")"

cd "$ROOT"

# Runs Maven quietly, its output kept in target/bench-build.log and shown only on failure.
mvn_quiet() {
  local log="$ROOT/target/bench-build.log"
  mkdir -p "$ROOT/target"
  # shellcheck disable=SC2086
  mvn -B -q -Dstyle.color=never $MVN_ARGS "$@" > "$log" 2>&1 && return 0
  if [[ -n "$MVN_ARGS" ]]; then
    echo "(mvn $MVN_ARGS failed; trying again without it)" >&2
    mvn -B -q -Dstyle.color=never "$@" > "$log" 2>&1 && return 0
  fi
  cat "$log" >&2
  return 1
}

# Builds the jar, target/lib, the test classes (the peer is test code: DuckDB is a test-scope
# dependency) and the test classpath when a source or the pom changed since the last build.
build_if_needed() {
  if [[ -f "$BUILD_STAMP" && -f target/servelens.jar && -d target/lib && -f "$PEER_CLASS" \
    && -f "$TEST_CLASSPATH_FILE" ]] \
    && [[ -z "$(find src pom.xml -newer "$BUILD_STAMP" -print -quit)" ]]; then
    return
  fi
  echo "building: mvn -B -q -DskipTests package, test-compile ..."
  mvn_quiet -DskipTests package || die "the build failed"
  mvn_quiet test-compile || die "the build failed"
  mvn_quiet dependency:build-classpath -Dmdep.outputFile="$TEST_CLASSPATH_FILE" \
    -Dmdep.includeScope=test || die "could not write the test classpath"
  [[ -f "$PEER_CLASS" ]] || die "the build did not produce the DuckDB peer"
  touch "$BUILD_STAMP"
}

build_if_needed

# Spark's Java 17 options: the pom's property is the one copy.
read -r -a JAVA_OPENS <<< "$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' pom.xml)"
[[ ${#JAVA_OPENS[@]} -gt 0 ]] || die "no spark.java.opens property in pom.xml"
TEST_CLASSPATH="$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$TEST_CLASSPATH_FILE")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The servelens CLI as a user runs it: submit/servelens when the tree has it, else the jar and
# its runtime dependencies on a plain java command line (local[*], the same driver memory).
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
if [[ -x "$ROOT/submit/servelens" ]]; then
  LAUNCHER="submit/servelens"
  SERVELENS=("$ROOT/submit/servelens" --master 'local[*]' --driver-memory "$DRIVER_MEMORY")
else
  LAUNCHER="java -cp target/lib"
  SERVELENS=("$JAVA" "-Xmx$DRIVER_MEMORY" "${JAVA_OPENS[@]}")
  [[ ! -f "$ROOT/conf/log4j2.properties" ]] \
    || SERVELENS+=("-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties")
  SERVELENS+=(-cp "$ROOT/target/servelens.jar:$ROOT/target/lib/*" dev.servelens.cli.Main)
fi
PEER=("$JAVA" -Xmx1g -cp "$TEST_CLASSPATH" dev.servelens.bench.DuckDbRunsPeer)
COMPARISON=("$JAVA" -Xmx1g -cp "$TEST_CLASSPATH" dev.servelens.bench.RunsOutputsComparison)

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b + 0 == 0) print "NA";
    else printf "%.1f", a / b }'
}
sum() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA") print "NA"; else printf "%.1f", a + b }'; }

# timed LOG COMMAND...: runs the command with output to LOG; sets ELAPSED (seconds, or NA when
# it failed) and reports a failure loudly with the end of the log.
timed() {
  local log="$1"
  shift
  local started status=0
  started="$(now)"
  if [[ "$TIMEOUT" -gt 0 ]]; then
    timeout --kill-after=30 "$TIMEOUT" "$@" > "$log" 2>&1 || status=$?
  else
    "$@" > "$log" 2>&1 || status=$?
  fi
  ELAPSED="$(seconds "$started" "$(now)")"
  if [[ $status -ne 0 ]]; then
    if [[ $status -eq 124 ]]; then
      echo "!!! TIMEOUT after ${TIMEOUT}s (log: $log)"
    else
      echo "!!! FAILED (exit $status) after ${ELAPSED}s (log: $log)"
    fi
    tail -n 15 "$log" | sed 's/^/    | /'
    ELAPSED=NA
  fi
}

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
