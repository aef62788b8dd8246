#!/usr/bin/env bash
# Runs one of the benchmark programs with a JDK >= 21 that bin/jdk.sh finds (the machine's default java
# may be older), building the bench jar first. The first argument names the program's class (its simple name,
# found in the packages under io.touchpoint.bench); the rest pass through. JVM options come from BENCH_JVM_OPTS
# (default -Xmx2g).
#
#   bench/run.sh IdentityProcessorBench --events 1000000 --people 200000
#   BENCH_JVM_OPTS=-Xmx1g bench/run.sh AttributionBench --phase measure --dir /tmp/tp-attr
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: bench/run.sh CLASS [ARGS...]   (e.g. AttributionBench, IdentityProcessorBench, EventLogQueryBench)" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
tp_find_jdk
program="$1"
shift
echo "bench: building (JDK at $JAVA_HOME) ..." >&2
(cd "$root" && mvn -q -B -DskipTests -pl bench -am package >&2)
jar="$root/bench/target/touchpoint-bench.jar"
class=$("$JAVA_HOME/bin/jar" tf "$jar" | grep -E "^io/touchpoint/bench/([a-z]+/)*$program\.class$" | head -1 || true)
if [ -z "$class" ]; then
  echo "bench/run.sh: no program $program in io.touchpoint.bench" >&2
  exit 2
fi
class="${class%.class}"
# shellcheck disable=SC2086 # BENCH_JVM_OPTS holds several options on purpose
exec "$JAVA_HOME/bin/java" ${BENCH_JVM_OPTS:--Xmx2g} -cp "$jar" "${class//\//.}" "$@"
