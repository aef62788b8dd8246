#!/usr/bin/env bash
# Builds the load generator and runs it: by default it starts the real Touchpoint server in this JVM
# (temporary data folder, SQLite synchronous=FULL) and runs the noop, single, batch and steady
# scenarios over loopback. Arguments pass through; `bench/run-ingest.sh --help` lists them.
#
#   --scenarios noop,single,able,batch,steady   adds the Able webhook (at the single concurrency)
#   --stores sqlite,postgres                    the same scenarios on SQLite, then on PostgreSQL, compared
#   --db jdbc:postgresql://...                  the PostgreSQL to use; without it, when --stores names
#                                               postgres, this script starts a throwaway PostgreSQL server
#                                               with bin/test-postgres.sh and removes it afterwards
#
# The JVM gets a fixed 2 GiB heap and ./touchpoint's collector setting unless BENCH_JVM_OPTS says otherwise.
# See docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/jdk.sh"
tp_find_jdk

# does the run need a PostgreSQL server that nobody gave us?
wants_postgres=false has_db=false help=false prev=""
for a in "$@"; do
  case "$prev" in
    --stores) [[ ",$a," == *,postgres,* ]] && wants_postgres=true ;;
  esac
  case "$a" in
    --stores=*) [[ ",${a#--stores=}," == *,postgres,* ]] && wants_postgres=true ;;
    --db | --db=*) has_db=true ;;
    -h | --help | -V | --version) help=true ;;
  esac
  prev="$a"
done

echo "bench: building (JDK at $JAVA_HOME) ..." >&2
(cd "$root" && mvn -q -B -DskipTests -pl bench -am package >&2)

cd "$root"
extra=()
if $wants_postgres && ! $has_db && ! $help; then
  . "$root/bin/test-postgres.sh"
  unset TOUCHPOINT_TEST_POSTGRES_URL # always a throwaway server: never someone's test database
  trap tp_stop_postgres EXIT
  trap 'exit 130' INT TERM # so that the EXIT trap removes the server on Ctrl-C too
  tp_start_postgres
  if [ -z "${TOUCHPOINT_TEST_POSTGRES_URL:-}" ]; then
    echo "bench: could not start PostgreSQL (no server binaries under /usr/lib/postgresql?); give --db" >&2
    exit 2
  fi
  echo "bench: throwaway PostgreSQL at $TOUCHPOINT_TEST_POSTGRES_URL (removed when the run ends)" >&2
  extra=(--db "$TOUCHPOINT_TEST_POSTGRES_URL")
fi

# word splitting of BENCH_JVM_OPTS is intended: it holds several options
# shellcheck disable=SC2086
set +e
"$JAVA" ${BENCH_JVM_OPTS:--Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:MaxTenuringThreshold=1} \
  "-Dbench.command=bench/run-ingest.sh $*" \
  -jar "$root/bench/target/touchpoint-bench.jar" --results "$root/bench/results" "${extra[@]}" "$@"
status=$?
set -e
exit $status
