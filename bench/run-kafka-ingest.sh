#!/usr/bin/env bash
# Several Touchpoint nodes on one PostgreSQL, in Kafka mode with one broker, or on PostgreSQL directly, loaded by the
# ingest load generator through all of them in turn (a round-robin load balancer). Everything is throwaway: a
# PostgreSQL server from bin/test-postgres.sh, a KRaft broker started from the Apache Kafka jars the tests use
# (touchpoint-test-kafka/target/broker.classpath), and the nodes as `./touchpoint serve` processes. While the load
# runs and until the stages catch up, it samples each stage's lag from the first node's /metrics once a second.
#
#   bench/run-kafka-ingest.sh --nodes 2 --log kafka -- --scenarios single,steady --duration 30
#   bench/run-kafka-ingest.sh --nodes 1 --log store -- --scenarios single,steady --duration 30
#
# Arguments after -- go to the load generator (bench/run-ingest.sh --help). The lag samples go to
# bench/results/lag-<log>-<nodes>-<UTC time>.tsv. See docs/BENCHMARKS.md, "Kafka mode".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes=2 log=kafka
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --log) log="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: bench/run-kafka-ingest.sh [--nodes N] [--log kafka|store] [-- LOAD-ARGS...]" >&2; exit 2 ;;
  esac
done
[[ "$log" == kafka || "$log" == store ]] || { echo "bench: --log is kafka or store" >&2; exit 2; }
. "$root/bin/jdk.sh"
tp_find_jdk
echo "bench: building (JDK at $JAVA_HOME) ..." >&2
(cd "$root" && mvn -q -B -DskipTests -pl touchpoint-server,bench -am package >&2)

work=$(mktemp -d -t touchpoint-kafka-bench.XXXXXX)
pids=()
. "$root/bin/test-postgres.sh"
unset TOUCHPOINT_TEST_POSTGRES_URL # always a throwaway server: never someone's test database
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  tp_stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
tp_start_postgres
db="${TOUCHPOINT_TEST_POSTGRES_URL:?bench: could not start PostgreSQL (no server binaries under /usr/lib/postgresql?)}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_port() { # port, what
  for _ in $(seq 1 600); do (echo >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "bench: $2 did not listen on $1" >&2; exit 1
}

env_common=(TOUCHPOINT_DB="$db" TOUCHPOINT_INGEST_LOG="$log" TOUCHPOINT_ADMIN_TOKEN="tpa_bench_$(date +%s%N)")
if [ "$log" = kafka ]; then
  port=$(free_port) controller=$(free_port)
  cat >"$work/broker.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/kafka-data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  cp="$(cat "$root/touchpoint-test-kafka/target/broker.classpath")"
  "$JAVA" -cp "$cp" kafka.tools.StorageTool format -t "$(python3 -c 'import base64,uuid; print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))')" \
    -c "$work/broker.properties" --standalone >"$work/format.log" 2>&1
  "$JAVA" -Xmx1g -cp "$cp" kafka.Kafka "$work/broker.properties" >"$work/broker.log" 2>&1 &
  pids+=($!)
  await_port "$port" "the Kafka broker"
  env_common+=(TOUCHPOINT_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$port" TOUCHPOINT_KAFKA_REPLICATION_FACTOR=1)
fi

urls=()
for i in $(seq 1 "$nodes"); do
  p=$(free_port)
  env "${env_common[@]}" TOUCHPOINT_JVM_OPTS="${NODE_JVM_OPTS:--Xmx1g}" "$root/touchpoint" serve --data "$work/node-$i" --port "$p" \
    >"$work/node-$i.log" 2>&1 &
  pids+=($!)
  await_port "$p" "node $i"
  urls+=("http://127.0.0.1:$p")
done
token=$(env "${env_common[@]}" "$root/touchpoint" workspace create "bench-$log" --rate-limit 2000000000 --data "$work/node-1" \
  | grep -o 'tp_[A-Za-z0-9_]*' | head -n 1)
url_list=$(IFS=,; echo "${urls[*]}")

mkdir -p "$root/bench/results"
lag="$root/bench/results/lag-$log-$nodes-$(date -u +%Y%m%dT%H%M%SZ).tsv"
printf 'seconds\tload1\tidentity_lag\tattribution_lag\tdelivery_lag\n' >"$lag"
(
  start=$(date +%s)
  while :; do
    m=$(curl -s "${urls[0]}/metrics" || true)
    value() { echo "$m" | awk -v n="touchpoint_$1_lag_events" '$1 == n { print $2 }' | head -n 1; }
    printf '%s\t%s\t%s\t%s\t%s\n' "$(($(date +%s) - start))" "$(cut -d' ' -f1 /proc/loadavg)" \
      "$(value identity)" "$(value attribution)" "$(value delivery)" >>"$lag"
    sleep 1
  done
) &
sampler=$!
pids+=("$sampler")

echo "bench: $nodes node(s), ingest.log=$log, PostgreSQL $db; uptime before: $(uptime)" >&2
set +e
"$JAVA" ${BENCH_JVM_OPTS:--Xms1g -Xmx1g} "-Dbench.command=bench/run-kafka-ingest.sh --nodes $nodes --log $log -- $*" \
  -jar "$root/bench/target/touchpoint-bench.jar" --results "$root/bench/results" --url "$url_list" --token "$token" "$@"
status=$?
set -e
echo "bench: uptime after the load: $(uptime)" >&2
# the stages catch up (or not) after the load: a minute at most
for _ in $(seq 1 60); do
  last=$(tail -n 1 "$lag")
  [ "$(echo "$last" | cut -f3)" = "0.0" ] && [ "$(echo "$last" | cut -f4)" = "0.0" ] && break
  sleep 1
done
echo "bench: stage lag samples in $lag" >&2
exit $status
