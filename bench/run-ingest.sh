#!/usr/bin/env bash
# Builds the load generator and runs it: by default it starts the real Touchpoint server in this JVM
# (temporary data folder, SQLite synchronous=FULL) and runs the noop, single, batch and steady
# scenarios over loopback. Arguments pass through; `bench/run-ingest.sh --help` lists them.
# The JVM gets a fixed 2 GiB heap unless BENCH_JVM_OPTS says otherwise. See docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
tp_find_jdk

echo "bench: building (JDK at $JAVA_HOME) ..." >&2
(cd "$root" && mvn -q -B -DskipTests -pl bench -am package >&2)

cd "$root"
# word splitting of BENCH_JVM_OPTS is intended: it holds several options
# shellcheck disable=SC2086
exec "$JAVA" ${BENCH_JVM_OPTS:--Xms2g -Xmx2g -XX:+AlwaysPreTouch} \
  "-Dbench.command=bench/run-ingest.sh $*" \
  -jar "$root/bench/target/touchpoint-bench.jar" --results "$root/bench/results" "$@"
