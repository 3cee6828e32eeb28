# shellcheck shell=bash
# Shared by the submit/ scripts (sourced, not run). Sets SERVELENS_HOME, JAVA, JAVA_OPENS,
# APP_JAR and LIB_DIR, and builds the jar on first use.

SERVELENS_HOME="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
APP_JAR="$SERVELENS_HOME/target/servelens.jar"
LIB_DIR="$SERVELENS_HOME/target/lib"

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# The java to run: $JAVA_HOME/bin/java, else the one on PATH. JAVA_HOME is exported either way,
# because Spark's Worker launches executors with it.
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
elif JAVA="$(command -v java)"; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
  export JAVA_HOME
else
  die "no java found: install a JDK 17 or set JAVA_HOME"
fi

# Spark's Java 17 module options, from the one list in submit/java-opens.
JAVA_OPENS=()
while read -r option; do
  [[ -z "$option" || "$option" == \#* ]] || JAVA_OPENS+=("$option")
done < "$SERVELENS_HOME/submit/java-opens"

# Builds target/servelens.jar and target/lib unless both are there.
ensure_built() {
  if [[ ! -f "$APP_JAR" || ! -d "$LIB_DIR" ]]; then
    echo "servelens: target/servelens.jar or target/lib missing; building them with Maven" \
      "(mvn -B -q -DskipTests package) ..." >&2
    command -v mvn > /dev/null || die "mvn not found: install Maven or build the jar elsewhere"
    (cd "$SERVELENS_HOME" && mvn -B -q -DskipTests package) >&2 \
      || die "the Maven build failed"
  fi
}
