#!/usr/bin/env bash
# Several writers of one catalog: K ingests of the same trace started at once, against one
# ingest alone, with this tree's submit/servelens and (with --baseline) another built tree's.
#
#   bench/writers.sh [--rows N] [--writers K] [--baseline DIR] [--dir DIR]
#
# Generates a trace of N rows (default 200,000, seed 1, one file) once (not timed). For each
# tree: one ingest into a new catalog (the peer: the time of a single writer), then K ingests
# (default 2) of the same file into another new catalog, all started together. Prints each
# case's wall seconds (until the last writer ends), the writers' exit codes, and what the
# catalog then holds: rows of workload_requests and manifest rows, beside the trace's rows.
# Rows = trace rows and manifest rows = 1 is the contract; a tree without the commit protocol
# shows K times the rows. Build the baseline first, e.g.
#   git worktree add /tmp/old c967507 && (cd /tmp/old && mvn -B -o -q -DskipTests package)
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
rows=200000
writers=2
baseline=""
dir="${TMPDIR:-/tmp}/servelens-writers-$$"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --writers) writers="$2"; shift 2 ;;
    --baseline) baseline="$(cd "$2" && pwd -P)"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench/writers.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"
require_built "$ROOT" "$baseline"
warm_launchers "$ROOT" "$baseline"

mkdir -p "$dir"
trace="$dir/trace"
if [[ ! -d "$trace" ]]; then
  echo "generating $rows rows into $trace (untimed) ..."
  "$ROOT/submit/servelens" generate workload --out "$trace" --rows "$rows" --files 1 --seed 1 \
    > "$dir/generate.log" 2>&1 || { cat "$dir/generate.log" >&2; exit 1; }
fi

# The number in the one-cell result of `servelens query SQL` on catalog $2 with tree $1.
count() {
  "$1/submit/servelens" query --catalog "$2" "$3" 2> "$2.query.log" \
    | awk -F'|' 'NR == 3 { gsub(/ /, "", $2); print $2 }'
}

# Runs K writers of tree $1 into new catalog $2 at once; prints "wall exit_codes rows manifest".
run_case() {
  local home="$1" catalog="$2" k="$3" start end codes="" pids=() i
  rm -rf "$catalog" "$catalog".*.log
  start="$(date +%s.%N)"
  for ((i = 1; i <= k; i++)); do
    "$home/submit/servelens" ingest workload --input "$trace" --catalog "$catalog" \
      > "$catalog.writer$i.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    if wait "$pid"; then codes+="0,"; else codes+="$?,"; fi
  done
  end="$(date +%s.%N)"
  printf '%.1f %s %s %s\n' "$(echo "$end - $start" | bc)" "${codes%,}" \
    "$(count "$home" "$catalog" "SELECT count(*) AS n FROM workload_requests")" \
    "$(count "$home" "$catalog" "SELECT count(*) AS n FROM ingest_manifest")"
}

trees=(this)
homes=("$ROOT")
if [[ -n "$baseline" ]]; then
  trees+=(baseline); homes+=("$baseline")
fi
echo "trace rows: $rows; machine load: $(cut -d' ' -f1 /proc/loadavg)"
echo "tree writers wall_s exit_codes catalog_rows manifest_rows"
for i in "${!trees[@]}"; do
  for k in 1 "$writers"; do
    echo "${trees[$i]} $k $(run_case "${homes[$i]}" "$dir/${trees[$i]}-$k" "$k")"
  done
done
echo "logs and catalogs: $dir"
