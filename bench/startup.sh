#!/usr/bin/env bash
# The fixed cost of a servelens command: wall time of `submit/servelens ingest workload` of a
# 4-row file into a new catalog, and of `submit/servelens query` of one count on that catalog.
#
#   bench/startup.sh [--reps N] [--baseline DIR] [--dir DIR]
#
# Times this tree's submit/servelens as started by default (direct JVM, class data sharing),
# the same without the class data sharing archive (SERVELENS_CDS=0), and with --baseline the
# submit/servelens of another built tree (e.g. an older commit:
#   git worktree add /tmp/old 31f857e && (cd /tmp/old && mvn -B -o -q -DskipTests package)).
# The variants run interleaved, N repetitions each (default 5) after one untimed warm-up run
# each (which also writes the class data sharing archive), so that they share the machine's
# load; it prints every time (wall, and user + system CPU, which the machine's load disturbs
# less), the medians, and the baseline's medians over the others'.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
reps=5
baseline=""
dir="${TMPDIR:-/tmp}/servelens-startup-$$"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --baseline) baseline="$(cd "$2" && pwd -P)"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench/startup.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"
require_built "$ROOT" "$baseline"

mkdir -p "$dir"
trace="$dir/tiny.csv"
printf '%s\n' "user_id,model_id,input_tokens,output_tokens,started_at,completed_at,ttft,duration" \
  "u1,m1,100,20,2025-01-01T00:00:00Z,2025-01-01T00:00:02Z,0.1,2.0" \
  "u2,m1,200,30,2025-01-01T00:00:01Z,2025-01-01T00:00:04Z,0.2,3.0" \
  "u1,m2,300,40,2025-01-01T00:00:02Z,2025-01-01T00:00:06Z,0.3,4.0" \
  "u3,m2,400,50,2025-01-01T00:00:03Z,2025-01-01T00:00:08Z,0.4,5.0" > "$trace"

names=()
homes=()
envs=()
if [[ -n "$baseline" ]]; then
  names+=(baseline); homes+=("$baseline"); envs+=("SERVELENS_CDS=1")
fi
names+=(this-no-cds this); homes+=("$ROOT" "$ROOT"); envs+=("SERVELENS_CDS=0" "SERVELENS_CDS=1")

# Runs one variant's ingest and query; prints "ingest_s query_s ingest_cpu_s query_cpu_s"
# (wall, then user + system CPU) and checks the count.
run_once() {
  local home="$1" env="$2" catalog="$3" out
  rm -rf "$catalog"
  /usr/bin/time -f "%e %U %S" -o "$catalog.ingest.time" env "$env" "$home/submit/servelens" \
    ingest workload --input "$trace" --catalog "$catalog" > "$catalog.ingest.log" 2>&1 \
    || { cat "$catalog.ingest.log" >&2; return 1; }
  /usr/bin/time -f "%e %U %S" -o "$catalog.query.time" env "$env" "$home/submit/servelens" \
    query --catalog "$catalog" "SELECT count(*) AS n FROM workload_requests" \
    > "$catalog.query.out" 2> "$catalog.query.log" || { cat "$catalog.query.log" >&2; return 1; }
  out="$(cat "$catalog.query.out")"
  grep -q '| 4 |' <<< "$out" || { echo "unexpected query result: $out" >&2; return 1; }
  cat "$catalog.ingest.time" "$catalog.query.time" | awk '{ w[NR] = $1; c[NR] = $2 + $3 }
    END { printf "%.2f %.2f %.2f %.2f\n", w[1], w[2], c[1], c[2] }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warm-up (untimed) ..."
for i in "${!names[@]}"; do
  run_once "${homes[$i]}" "${envs[$i]}" "$dir/warm-${names[$i]}" > /dev/null
done

# Times per variant and measure (ingest, query, ingest_cpu, query_cpu), space-separated.
declare -A times
measures=(ingest query ingest_cpu query_cpu)
echo "rep variant ingest_s query_s ingest_cpu_s query_cpu_s load1"
for ((rep = 1; rep <= reps; rep++)); do
  for i in "${!names[@]}"; do
    read -r -a run < <(run_once "${homes[$i]}" "${envs[$i]}" "$dir/cat-${names[$i]}")
    echo "$rep ${names[$i]} ${run[*]} $(cut -d' ' -f1 /proc/loadavg)"
    for m in 0 1 2 3; do
      times[${names[$i]}.${measures[m]}]+="${run[m]} "
    done
  done
done

echo
echo "medians over $reps runs ($(nproc) cores)"
echo "variant ingest_s query_s ingest_cpu_s query_cpu_s"
declare -A medians
for name in "${names[@]}"; do
  line="$name"
  for m in "${measures[@]}"; do
    medians[$name.$m]=$(tr ' ' '\n' <<< "${times[$name.$m]}" | grep . | median)
    line+=" ${medians[$name.$m]}"
  done
  echo "$line"
done
if [[ -n "$baseline" ]]; then
  echo
  echo "baseline / variant (times faster; wall, and CPU in brackets)"
  for name in "${names[@]:1}"; do
    awk -v n="$name" -v bi="${medians[baseline.ingest]}" -v bq="${medians[baseline.query]}" \
      -v bic="${medians[baseline.ingest_cpu]}" -v bqc="${medians[baseline.query_cpu]}" \
      -v i="${medians[$name.ingest]}" -v q="${medians[$name.query]}" \
      -v ic="${medians[$name.ingest_cpu]}" -v qc="${medians[$name.query_cpu]}" \
      'BEGIN { printf "%s ingest %.2fx (%.2fx) query %.2fx (%.2fx)\n", n, bi / i, bic / ic,
        bq / q, bqc / qc }'
  done
fi
rm -rf "$dir"
