# Shared by the bench/*.sh scripts (sourced, not run). The script sets, before sourcing, ROOT
# and, for the functions past die, require_built and warm_launchers (the scripts with peers):
#   BENCH_DIR, RESULTS, DRIVER_MEMORY, TIMEOUT, MVN_ARGS, TEST_CLASSPATH_FILE, BUILD_STAMP,
#   PEER_CLASS (the peer's .class file under target/test-classes, proof the build made it).
# It gets die, require_built, warm_launchers, absolute_paths, build_if_needed, launchers (JAVA,
# TEST_CLASSPATH, LAUNCHER and the SERVELENS command array), now, seconds, ratio, sum and timed.

die() {
  echo "bench/$(basename "$0"): $*" >&2
  exit 1
}

# Exits unless every tree named (this one, a baseline; an empty name is skipped) is built.
require_built() {
  local tree
  for tree in "$@"; do
    [[ -z "$tree" || -f "$tree/target/servelens.jar" ]] \
      || die "$tree is not built: (cd $tree && mvn -B -DskipTests package)"
  done
}

# The first command after a build writes the tree's class data sharing archive (several seconds
# more, once): an untimed query of an empty catalog with each named tree's launcher (an empty
# name is skipped) does it before anything is timed.
warm_launchers() {
  local tree warm
  for tree in "$@"; do
    [[ -n "$tree" && -x "$tree/submit/servelens" ]] || continue
    warm="$(mktemp -d)"
    "$tree/submit/servelens" query --catalog "$warm" "SELECT 1 AS one" > /dev/null 2>&1 || true
    rm -rf "$warm"
  done
}

# Makes BENCH_DIR and RESULTS absolute (they may be given relative to where the script was
# started), creates them, then moves to ROOT.
absolute_paths() {
  mkdir -p "$BENCH_DIR"
  BENCH_DIR="$(cd "$BENCH_DIR" && pwd -P)"
  mkdir -p "$(dirname "$RESULTS")"
  RESULTS="$(cd "$(dirname "$RESULTS")" && pwd -P)/$(basename "$RESULTS")"
  cd "$ROOT"
}

# Runs Maven quietly, its output kept in target/bench-build.log and shown only on failure.
mvn_quiet() {
  local log="$ROOT/target/bench-build.log"
  mkdir -p "$ROOT/target"
  # shellcheck disable=SC2086
  if mvn -B -q -Dstyle.color=never $MVN_ARGS "$@" > "$log" 2>&1; then
    return 0
  fi
  if [[ -n "$MVN_ARGS" ]]; then
    echo "(mvn $MVN_ARGS failed; trying again without it)" >&2
    mvn -B -q -Dstyle.color=never "$@" > "$log" 2>&1 && return 0
  fi
  cat "$log" >&2
  return 1
}

# Builds the jar, target/lib, the test classes (the DuckDB peers are test code: DuckDB is a
# test-scope dependency) and the test classpath when a source or the pom changed since the
# last build here.
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

# The servelens CLI as a user runs it: submit/servelens when the tree has it, else the jar and
# its runtime dependencies on a plain java command line (local[*], the same driver memory).
# Commands are arrays, not functions, so that timeout(1) can run them.
launchers() {
  # Spark's Java 17 options: the pom's property is the one copy.
  read -r -a JAVA_OPENS <<< "$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' pom.xml)"
  [[ ${#JAVA_OPENS[@]} -gt 0 ]] || die "no spark.java.opens property in pom.xml"
  TEST_CLASSPATH="$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$TEST_CLASSPATH_FILE")"
  JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  if [[ -x "$ROOT/submit/servelens" ]]; then
    LAUNCHER="submit/servelens"
    SERVELENS=("$ROOT/submit/servelens" --master 'local[*]' --driver-memory "$DRIVER_MEMORY")
    warm_launchers "$ROOT"
  else
    LAUNCHER="java -cp target/lib"
    SERVELENS=("$JAVA" "-Xmx$DRIVER_MEMORY" "${JAVA_OPENS[@]}")
    [[ ! -f "$ROOT/conf/log4j2.properties" ]] \
      || SERVELENS+=("-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties")
    SERVELENS+=(-cp "$ROOT/target/servelens.jar:$ROOT/target/lib/*" dev.servelens.cli.Main)
  fi
}

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
