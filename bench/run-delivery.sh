#!/usr/bin/env bash
# Builds the bench jar and runs the delivery benchmark (io.touchpoint.bench.delivery.DeliveryBench): the real Touchpoint server
# in this JVM (temporary data folder, SQLite synchronous=FULL), the five ad platforms' local fakes (the server's test
# fakes) in a child JVM, everything on loopback. Three phases: ingest with and without five destinations, delivery
# throughput from a backlog, and an outage with its drain. Arguments pass through; `bench/run-delivery.sh --help`
# lists them.
#
#   bench/run-delivery.sh                          all three phases, a 2-minute outage (about 15-20 minutes)
#   bench/run-delivery.sh --outage-minutes 10      the issue's 10-minute outage (about 30 minutes)
#   bench/run-delivery.sh --phases capacity        only the delivery throughput
#
# The run ends within --time-limit-minutes (default 60; every wait is cut there and what was measured is reported);
# `timeout` stops the JVM 5 minutes after that in any case. The JVM gets the same options as run-ingest.sh unless
# BENCH_JVM_OPTS says otherwise. See docs/BENCHMARKS.md, section *Delivery*.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
tp_find_jdk

limit=60 prev=""
for a in "$@"; do
  case "$prev" in --time-limit-minutes) limit="$a" ;; esac
  case "$a" in --time-limit-minutes=*) limit="${a#--time-limit-minutes=}" ;; esac
  prev="$a"
done

echo "bench: building (JDK at $JAVA_HOME) ..." >&2
(cd "$root" && mvn -q -B -DskipTests -pl bench -am package >&2)

cd "$root"
hard=$(awk -v m="$limit" 'BEGIN { printf "%d", m * 60 + 300 }')
# word splitting of BENCH_JVM_OPTS is intended: it holds several options
# shellcheck disable=SC2086
set +e
timeout --signal=TERM --kill-after=30 "$hard" \
  "$JAVA" ${BENCH_JVM_OPTS:--Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:MaxTenuringThreshold=1} --enable-native-access=ALL-UNNAMED \
  "-Dbench.command=bench/run-delivery.sh $*" \
  -cp "$root/bench/target/touchpoint-bench.jar" io.touchpoint.bench.delivery.DeliveryBench --results "$root/bench/results" "$@"
status=$?
set -e
exit $status
