#!/usr/bin/env bash
# Workload benchmark: servelens (Spark, local[*]) against DuckDB (in process) and pandas on the
# same trace.
#
#   bench/workload.sh [ROWS ...]          default: 1000000
#
# For each size: builds the project if needed, generates a trace with
# `servelens generate workload --rows N --seed 1` (not timed), then times side by side
#   servelens: ingest workload + analyze workload (two processes, Spark local[*]);
#   DuckDB:    bench DuckDbWorkloadPeer, one process: load the CSVs, then the same tables in SQL;
#   pandas:    bench/peers/pandas_workload.py, one process (Debian's python3 with python3-pandas,
#              installed with apt-get when missing, skipped when that is not possible): the same
#              tables the way the seed's pandas scripts compute them;
#   re-query:  one model's output-token counts, from the servelens catalog (servelens query)
#              and from the DuckDB database file (a fresh process each);
# prints a table, appends one line to the results file and cross-checks servelens's tables with
# each peer's (OK / MISMATCH lines; a mismatch is reported, it does not fail the script). The two
# servelens commands run with Spark's event log on, and the Spark jobs each started are counted.
#
# Environment (all optional):
#   BENCH_DIR            where traces, catalogs and outputs go (default bench/out, git-ignored)
#   BENCH_RESULTS        results file (default bench/results.tsv)
#   BENCH_DRIVER_MEMORY  servelens driver memory (default 8g)
#   BENCH_DUCKDB_MEMORY  DuckDB memory_limit (default 8GB)
#   BENCH_DUCKDB_THREADS DuckDB threads (default 2)
#   BENCH_TIMEOUT        seconds allowed to each timed command, 0 = no limit (default 0)
#   BENCH_PYTHON         the pandas peer's interpreter (default /usr/bin/python3, Debian's)
#   BENCH_PANDAS         0 = do not run the pandas peer (default 1)
#   MVN_ARGS             extra Maven arguments (default -o; falls back to online if that fails)
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
BENCH_DIR="${BENCH_DIR:-$ROOT/bench/out}"
RESULTS="${BENCH_RESULTS:-$ROOT/bench/results.tsv}"
DRIVER_MEMORY="${BENCH_DRIVER_MEMORY:-8g}"
DUCKDB_MEMORY="${BENCH_DUCKDB_MEMORY:-8GB}"
DUCKDB_THREADS="${BENCH_DUCKDB_THREADS:-2}"
TIMEOUT="${BENCH_TIMEOUT:-0}"
MVN_ARGS="${MVN_ARGS--o}"
PYTHON="${BENCH_PYTHON:-/usr/bin/python3}"
RUN_PANDAS="${BENCH_PANDAS:-1}"
# Pinned so that servelens and the peer compute the same tables whatever conf/ says.
ANALYZE_OPTIONS=(--top-models 10 --top-n 20 --window 1000 --diversity-top-users 50)
TEST_CLASSPATH_FILE="$ROOT/target/bench-test-classpath.txt"
BUILD_STAMP="$ROOT/target/.bench-build-stamp"
PEER_CLASS=target/test-classes/dev/servelens/peers/DuckDbWorkloadPeer.class

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000000)
for rows in "${sizes[@]}"; do
  [[ "$rows" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be positive integers, got '$rows'"
done
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "BENCH_TIMEOUT must be a number of seconds"

absolute_paths
build_if_needed
launchers
PEER=("$JAVA" -Xmx2g -cp "$TEST_CLASSPATH" dev.servelens.peers.DuckDbWorkloadPeer)
COMPARISON=("$JAVA" -Xmx1g -cp "$TEST_CLASSPATH" dev.servelens.peers.WorkloadOutputsComparison)
PANDAS_PEER=("$PYTHON" "$ROOT/bench/peers/pandas_workload.py")
# Spark's event log of each servelens command, to count its jobs (the folder is added per command).
EVENT_LOG=(--conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false)

# Makes pandas importable by $PYTHON: Debian's python3-pandas (with numpy) through apt-get when
# it is missing, as root or with sudo, as .ci/run installs its packages. Sets PANDAS_STATUS to
# "ok" or to the reason the pandas peer is skipped.
ensure_pandas() {
  if [[ "$RUN_PANDAS" == 0 ]]; then
    PANDAS_STATUS="skipped (BENCH_PANDAS=0)"
    return
  fi
  if "$PYTHON" -c 'import pandas, numpy' > /dev/null 2>&1; then
    PANDAS_STATUS=ok
    return
  fi
  local sudo=() log="$BENCH_DIR/apt-python3-pandas.log"
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo > /dev/null; then
      sudo=(sudo)
    else
      PANDAS_STATUS="skipped: $PYTHON cannot import pandas, and installing python3-pandas needs root or sudo"
      return
    fi
  fi
  if ! command -v apt-get > /dev/null; then
    PANDAS_STATUS="skipped: $PYTHON cannot import pandas and there is no apt-get (install pandas and numpy for it, or set BENCH_PYTHON)"
    return
  fi
  echo "installing python3-pandas with apt-get (for the pandas peer; log: $log) ..."
  if { "${sudo[@]}" apt-get update -qq \
      && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends python3-pandas; } > "$log" 2>&1 \
    && "$PYTHON" -c 'import pandas, numpy' > /dev/null 2>&1; then
    PANDAS_STATUS=ok
  else
    PANDAS_STATUS="skipped: python3-pandas could not be installed or $PYTHON still cannot import it (log: $log)"
  fi
}
ensure_pandas
[[ "$PANDAS_STATUS" == ok ]] || echo "!!! pandas peer $PANDAS_STATUS"

# Spark jobs started by one servelens command: the SparkListenerJobStart events of the event log
# its run wrote into FOLDER (one application per folder), or NA.
spark_jobs() {
  local logs=("$1"/*)
  if [[ ! -e "${logs[0]}" ]]; then
    echo NA
    return
  fi
  cat "${logs[@]}" | grep -c '"Event":"SparkListenerJobStart"' || true
}

# The value of a "key=value" line printed by the peer, or NA.
peer_value() {
  local value
  value="$(sed -n "s/^$1=//p" "$2" | tail -n 1)"
  echo "${value:-NA}"
}

commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  commit+="-dirty"
fi
cores="$(nproc)"
OLD_HEADER="date	commit	rows	cores	load1	launcher	servelens_ingest_s	servelens_analyze_s	servelens_total_s	duckdb_load_s	duckdb_analysis_s	duckdb_total_s	ratio_total	ratio_ingest_load	ratio_analysis	servelens_requery_s	duckdb_requery_s	crosscheck"
HEADER="$OLD_HEADER	pandas_load_s	pandas_analysis_s	pandas_total_s	ratio_pandas_total	analyze_jobs	ingest_jobs	pandas_crosscheck"
if [[ ! -f "$RESULTS" ]]; then
  printf '%s\n' "$HEADER" > "$RESULTS"
elif [[ "$(head -n 1 "$RESULTS")" == "$OLD_HEADER" ]]; then
  # Lines written before the pandas and job columns keep their fields; only the header grows.
  sed -i "1s/.*/$HEADER/" "$RESULTS"
fi

for rows in "${sizes[@]}"; do
  dir="$BENCH_DIR/rows-$rows"
  trace="$dir/trace"
  logs="$dir/logs"
  mkdir -p "$dir" "$logs"
  # Spark leaves spark-warehouse/ and the like in the working directory: keep them out of the tree.
  cd "$dir"
  echo
  echo "=== $rows rows (work folder $dir)"

  # The trace: generated once per size and seed, then reused; not timed.
  if [[ ! -f "$dir/trace.done" ]]; then
    rm -rf "$trace"
    echo "generating the trace (not timed) ..."
    "${SERVELENS[@]}" generate workload --out "$trace" --rows "$rows" --seed 1 > "$logs/generate.log" 2>&1 \
      || { tail -n 20 "$logs/generate.log"; die "generate failed (log: $logs/generate.log)"; }
    grep -q "(0 malformed)" "$logs/generate.log" || die "the trace has malformed rows"
    touch "$dir/trace.done"
  fi
  echo "trace: $(du -sh "$trace" | cut -f1) in $(find "$trace" -name '*.csv' | wc -l) CSV file(s)"

  rm -rf "$dir/catalog" "$dir/servelens-out" "$dir/duckdb-out" "$dir/pandas-out" "$dir/requery" \
    "$logs/events-ingest" "$logs/events-analyze"
  mkdir -p "$dir/requery" "$logs/events-ingest" "$logs/events-analyze"
  load1="$(cut -d' ' -f1 /proc/loadavg)"

  echo "servelens ingest workload ..."
  timed "$logs/servelens-ingest.log" "${SERVELENS[@]}" ingest workload --input "$trace" \
    --catalog "$dir/catalog" "${EVENT_LOG[@]}" --conf "spark.eventLog.dir=$logs/events-ingest"
  s_ingest="$ELAPSED"
  ingest_jobs="$(spark_jobs "$logs/events-ingest")"
  echo "servelens analyze workload ..."
  timed "$logs/servelens-analyze.log" "${SERVELENS[@]}" analyze workload --catalog "$dir/catalog" \
    --out "$dir/servelens-out" "${ANALYZE_OPTIONS[@]}" "${EVENT_LOG[@]}" \
    --conf "spark.eventLog.dir=$logs/events-analyze"
  s_analyze="$ELAPSED"
  analyze_jobs="$(spark_jobs "$logs/events-analyze")"
  s_total="$(sum "$s_ingest" "$s_analyze")"

  echo "DuckDB load + analysis ..."
  timed "$logs/duckdb.log" "${PEER[@]}" --input "$trace" --out "$dir/duckdb-out" \
    --threads "$DUCKDB_THREADS" --memory "$DUCKDB_MEMORY"
  d_total="$ELAPSED"
  d_load="$(peer_value load_s "$logs/duckdb.log")"
  d_analysis="$(peer_value analysis_s "$logs/duckdb.log")"

  p_total=NA
  p_load=NA
  p_analysis=NA
  if [[ "$PANDAS_STATUS" == ok ]]; then
    echo "pandas load + analysis ..."
    timed "$logs/pandas.log" "${PANDAS_PEER[@]}" --input "$trace" --out "$dir/pandas-out" \
      "${ANALYZE_OPTIONS[@]}"
    p_total="$ELAPSED"
    p_load="$(peer_value load_s "$logs/pandas.log")"
    p_analysis="$(peer_value analysis_s "$logs/pandas.log")"
  else
    echo "pandas peer $PANDAS_STATUS"
  fi

  # Re-query: the busiest model's output-token counts, from each side's stored copy.
  top_model="$(awk -F, '$1 == "model_id" && $2 == "1" { print $3 }' \
    "$dir/duckdb-out/workload/overview_categorical.csv" 2>/dev/null || true)"
  s_query=NA
  d_query=NA
  requery_check="re-query: not run"
  if [[ -n "$top_model" ]]; then
    sql="SELECT output_tokens, count(*) AS requests FROM workload_requests WHERE model_id = '${top_model//\'/\'\'}' GROUP BY 1 ORDER BY 1"
    echo "re-query ($top_model) ..."
    if [[ "$s_ingest" != NA ]]; then
      timed "$logs/servelens-query.log" "${SERVELENS[@]}" query --catalog "$dir/catalog" \
        --csv "$dir/requery/servelens.csv" "$sql"
      s_query="$ELAPSED"
    fi
    timed "$logs/duckdb-query.log" "${PEER[@]}" --query "$dir/duckdb-out/workload.duckdb" \
      --threads "$DUCKDB_THREADS" --csv "$dir/requery/duckdb.csv" "$sql"
    d_query="$ELAPSED"
    if [[ -f "$dir/requery/servelens.csv" && -f "$dir/requery/duckdb.csv" ]] \
      && cmp -s "$dir/requery/servelens.csv" "$dir/requery/duckdb.csv"; then
      requery_check="OK           re-query CSVs identical ($(($(wc -l < "$dir/requery/duckdb.csv") - 1)) rows)"
    else
      requery_check="MISMATCH !!! re-query CSVs differ: $dir/requery/servelens.csv vs duckdb.csv"
    fi
  fi

  echo
  echo "--- results: $rows rows, $cores cores, load average $load1 at start, servelens via $LAUNCHER"
  printf '%-34s %10s\n' "servelens ingest (process) s" "$s_ingest"
  printf '%-34s %10s\n' "servelens analyze (process) s" "$s_analyze"
  printf '%-34s %10s\n' "servelens total s" "$s_total"
  printf '%-34s %10s\n' "DuckDB load (in process) s" "$d_load"
  printf '%-34s %10s\n' "DuckDB analysis (in process) s" "$d_analysis"
  printf '%-34s %10s\n' "DuckDB total (process) s" "$d_total"
  printf '%-34s %10s\n' "ratio servelens/DuckDB total" "$(ratio "$s_total" "$d_total")"
  printf '%-34s %10s\n' "ratio ingest / load" "$(ratio "$s_ingest" "$d_load")"
  printf '%-34s %10s\n' "ratio analyze / analysis" "$(ratio "$s_analyze" "$d_analysis")"
  printf '%-34s %10s\n' "pandas load (in process) s" "$p_load"
  printf '%-34s %10s\n' "pandas analysis (in process) s" "$p_analysis"
  printf '%-34s %10s\n' "pandas total (process) s" "$p_total"
  printf '%-34s %10s\n' "ratio servelens/pandas total" "$(ratio "$s_total" "$p_total")"
  printf '%-34s %10s\n' "Spark jobs: ingest / analyze" "$ingest_jobs / $analyze_jobs"
  printf '%-34s %10s\n' "re-query servelens (process) s" "$s_query"
  printf '%-34s %10s\n' "re-query DuckDB (process) s" "$d_query"

  echo
  echo "--- cross-check (servelens tables vs DuckDB tables)"
  crosscheck="not run"
  if [[ -d "$dir/servelens-out/workload" && -d "$dir/duckdb-out/workload" ]]; then
    "${COMPARISON[@]}" "$dir/servelens-out/workload" \
      "$dir/duckdb-out/workload" 2>&1 | tee "$logs/crosscheck.log"
    crosscheck="$(sed -n 's/^cross-check: //p' "$logs/crosscheck.log")"
  fi
  echo "$requery_check"
  if grep -q MISMATCH <<< "$requery_check" || [[ "$crosscheck" != *" 0 MISMATCH"* ]]; then
    echo "!!! MISMATCH between servelens and DuckDB: see the lines marked !!! above"
  fi

  pandas_crosscheck="not run"
  if [[ "$PANDAS_STATUS" == ok ]]; then
    echo
    echo "--- cross-check (servelens tables vs pandas tables)"
    if [[ -d "$dir/servelens-out/workload" && -d "$dir/pandas-out/workload" ]]; then
      "${COMPARISON[@]}" "$dir/servelens-out/workload" "$dir/pandas-out/workload" pandas 2>&1 \
        | tee "$logs/crosscheck-pandas.log"
      pandas_crosscheck="$(sed -n 's/^cross-check: //p' "$logs/crosscheck-pandas.log")"
    fi
    if [[ "$pandas_crosscheck" != *" 0 MISMATCH"* ]]; then
      echo "!!! MISMATCH between servelens and pandas: see the lines marked !!! above"
    fi
  fi

  printf '%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)	$commit	$rows	$cores	$load1	$LAUNCHER	$s_ingest	$s_analyze	$s_total	$d_load	$d_analysis	$d_total	$(ratio "$s_total" "$d_total")	$(ratio "$s_ingest" "$d_load")	$(ratio "$s_analyze" "$d_analysis")	$s_query	$d_query	$crosscheck	$p_load	$p_analysis	$p_total	$(ratio "$s_total" "$p_total")	$analyze_jobs	$ingest_jobs	$pandas_crosscheck" \
    >> "$RESULTS"
  echo "appended to $RESULTS"
done
