#!/usr/bin/env bash
# Every family end to end on the demo data set, this tree against a baseline tree: wall time of
# `submit/servelens demo` (generate, ingest and analyze all four families, write the report) and
# of each `analyze workload|kstar|runs|bench` alone on the demo's catalog, with the Spark jobs
# each analysis runs (counted from its event log).
#
#   bench/analyses.sh [--reps N] [--baseline DIR] [--dir DIR]
#
# --baseline DIR: the submit/servelens of another built tree, e.g. an older commit:
#   git worktree add /tmp/old 38a550a && (cd /tmp/old && mvn -B -o -q -DskipTests package)
# Each variant runs `demo` into a folder of its own; every variant's analyses then read the
# catalog of this tree's demo (the same rows for both), with the demo's options. The variants
# run interleaved, N repetitions each (default 3), after one untimed warm-up demo each (which
# also writes the class data sharing archive), so that they share the machine's load. Prints
# every time, the medians and, with a baseline, baseline / this (times faster) per command.
# There is no outside peer here: no other tool computes k*, the active window or the Pareto
# fronts; bench/workload.sh and bench/runs.sh time the workload and agentic families against
# DuckDB (and pandas).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
reps=3
baseline=""
dir="${TMPDIR:-/tmp}/servelens-analyses-$$"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --baseline) baseline="$(cd "$2" && pwd -P)"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench/analyses.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || { echo "bench/analyses.sh: --reps needs a positive number" >&2; exit 2; }
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"
require_built "$ROOT" "$baseline"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd -P)"

names=()
homes=()
if [[ -n "$baseline" ]]; then
  names+=(baseline); homes+=("$baseline")
fi
names+=(this); homes+=("$ROOT")
commands=(demo workload kstar runs bench)
# The options the demo gives each analysis.
declare -A options=(
  [workload]=""
  [kstar]="--n 32 --n 64 --profile 0.015,0.00006,0.012,0.0001"
  [runs]=""
  [bench]="--ttft-target-ms 2000"
)

# Wall seconds of one command (its output in $log); fails loudly with the log.
wall() {
  local log="$1"; shift
  /usr/bin/time -f "%e" -o "$log.time" "$@" > "$log" 2>&1 || { tail -30 "$log" >&2; return 1; }
  cat "$log.time"
}

# One variant's demo and analyses; prints "demo_s workload_s kstar_s runs_s bench_s" and then
# the analyses' job counts "workload_jobs kstar_jobs runs_jobs bench_jobs".
run_once() {
  local name="$1" home="$2" tag="$3" work times=() jobs=() family events
  work="$dir/$name-$tag"
  rm -rf "$work"
  mkdir -p "$work"
  times+=("$(wall "$work/demo.log" "$home/submit/servelens" demo --out "$work/demo")")
  for family in "${commands[@]:1}"; do
    events="$work/events-$family"
    mkdir -p "$events"
    # shellcheck disable=SC2086  # the options are words
    times+=("$(wall "$work/$family.log" "$home/submit/servelens" \
      --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$events" \
      analyze "$family" --catalog "$dir/catalog" --out "$work/out" ${options[$family]})")
    jobs+=("$(cat "$events"/* | grep -c '"Event":"SparkListenerJobStart"')")
  done
  echo "${times[*]} ${jobs[*]}"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warm-up (untimed) ..."
for i in "${!names[@]}"; do
  "${homes[$i]}/submit/servelens" demo --out "$dir/warm-${names[$i]}" > "$dir/warm-${names[$i]}.log" 2>&1 \
    || { tail -30 "$dir/warm-${names[$i]}.log" >&2; exit 1; }
done
# The catalog every variant's analyses read: this tree's demo catalog.
rm -rf "$dir/catalog"
cp -r "$dir/warm-this/catalog" "$dir/catalog"

declare -A times
job_counts=()
echo "rep variant demo_s workload_s kstar_s runs_s bench_s | jobs: workload kstar runs bench | load1"
for ((rep = 1; rep <= reps; rep++)); do
  for i in "${!names[@]}"; do
    read -r -a run < <(run_once "${names[$i]}" "${homes[$i]}" "$rep")
    echo "$rep ${names[$i]} ${run[*]:0:5} | ${run[*]:5} | $(cut -d' ' -f1 /proc/loadavg)"
    for m in 0 1 2 3 4; do
      times[${names[$i]}.${commands[m]}]+="${run[m]} "
    done
    job_counts[$i]="${run[*]:5}"
  done
done

echo
echo "medians over $reps runs ($(nproc) cores), seconds"
echo "variant ${commands[*]} | jobs: workload kstar runs bench"
declare -A medians
for i in "${!names[@]}"; do
  name="${names[$i]}"
  line="$name"
  for command in "${commands[@]}"; do
    medians[$name.$command]=$(tr ' ' '\n' <<< "${times[$name.$command]}" | grep . | median)
    line+=" ${medians[$name.$command]}"
  done
  echo "$line | ${job_counts[$i]}"
done
if [[ -n "$baseline" ]]; then
  echo
  echo "baseline / this (times faster)"
  line=""
  for command in "${commands[@]}"; do
    line+="$command $(awk -v b="${medians[baseline.$command]}" -v t="${medians[this.$command]}" \
      'BEGIN { printf "%.2fx", b / t }')  "
  done
  echo "$line"
fi
rm -rf "$dir"
