#!/usr/bin/env bash
# The workload ingest of a generated trace: this tree against a baseline tree, interleaved.
#
#   bench/ingest.sh --baseline DIR [--rows N] [--reps N] [--dir DIR]
#
# Generates a trace of N rows (default 1,000,000, seed 1) with this tree's submit/servelens
# once (not timed), then runs `submit/servelens ingest workload` of it into a new catalog with
# the baseline's submit/servelens and with this tree's, alternately, --reps times each (default
# 3). Prints each run's wall and CPU (user + system) seconds, the medians and the baseline's
# medians over this tree's, then runs each once more with Spark's event log on and prints the
# number of Spark jobs each ingest ran. Build the baseline first, e.g.
#   git worktree add /tmp/old 31f857e && (cd /tmp/old && mvn -B -o -q -DskipTests package)
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
rows=1000000
reps=3
baseline=""
dir="${TMPDIR:-/tmp}/servelens-ingest-bench"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --baseline) baseline="$(cd "$2" && pwd -P)"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench/ingest.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n "$baseline" && -f "$baseline/target/servelens.jar" ]] \
  || { echo "bench/ingest.sh: --baseline DIR of a built tree is required" >&2; exit 2; }
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"
warm_launchers "$ROOT" "$baseline"

mkdir -p "$dir"
trace="$dir/trace-$rows"
if [[ ! -d "$trace" ]]; then
  echo "generating $rows rows ..."
  "$ROOT/submit/servelens" generate workload --out "$trace" --rows "$rows" --seed 1 \
    > "$dir/generate.log" 2>&1 || { cat "$dir/generate.log" >&2; exit 1; }
fi

names=(baseline this)
homes=("$baseline" "$ROOT")

# One ingest; prints "wall_s cpu_s". Extra arguments go before the command (Spark options).
run_once() {
  local home="$1" catalog="$2"
  shift 2
  rm -rf "$catalog"
  /usr/bin/time -f "%e %U %S" -o "$catalog.time" "$home/submit/servelens" "$@" \
    ingest workload --input "$trace" --catalog "$catalog" > "$catalog.log" 2>&1 \
    || { cat "$catalog.log" >&2; return 1; }
  grep -q "rows read $rows = kept" "$catalog.log" || { tail -3 "$catalog.log" >&2; return 1; }
  awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' "$catalog.time"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A walls cpus
echo "rep variant wall_s cpu_s load1"
for ((rep = 1; rep <= reps; rep++)); do
  for i in "${!names[@]}"; do
    read -r wall cpu < <(run_once "${homes[$i]}" "$dir/cat-${names[$i]}")
    echo "$rep ${names[$i]} $wall $cpu $(cut -d' ' -f1 /proc/loadavg)"
    walls[${names[$i]}]+="$wall "
    cpus[${names[$i]}]+="$cpu "
  done
done

echo
echo "medians over $reps runs of $rows rows ($(nproc) cores)"
declare -A wall_median cpu_median
for name in "${names[@]}"; do
  wall_median[$name]=$(tr ' ' '\n' <<< "${walls[$name]}" | grep . | median)
  cpu_median[$name]=$(tr ' ' '\n' <<< "${cpus[$name]}" | grep . | median)
  echo "$name wall ${wall_median[$name]} s, cpu ${cpu_median[$name]} s"
done
awk -v bw="${wall_median[baseline]}" -v bc="${cpu_median[baseline]}" \
  -v w="${wall_median[this]}" -v c="${cpu_median[this]}" \
  'BEGIN { printf "baseline / this: wall %.2fx, cpu %.2fx\n", bw / w, bc / c }'

echo
for i in "${!names[@]}"; do
  events="$dir/events-${names[$i]}"
  rm -rf "$events" && mkdir -p "$events"
  run_once "${homes[$i]}" "$dir/cat-${names[$i]}" --conf spark.eventLog.enabled=true \
    --conf "spark.eventLog.dir=$events" > /dev/null
  echo "${names[$i]}: $(cat "$events"/* | grep -c '"Event":"SparkListenerJobStart"') Spark jobs"
done
