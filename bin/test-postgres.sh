# Sourced by ./test: starts a throwaway PostgreSQL server for the PostgreSQL test suites when none is
# given (TOUCHPOINT_TEST_POSTGRES_URL) and PostgreSQL's server binaries are installed. It runs in a
# temporary folder on a free loopback port, as the `postgres` user when we are root (PostgreSQL refuses
# to run as root), and tp_stop_postgres removes it.

tp_pg_dir=""
tp_pg_bin=""

tp_as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

tp_start_postgres() {
  [ -n "${TOUCHPOINT_TEST_POSTGRES_URL:-}" ] && return 0
  tp_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$tp_pg_bin" ] || [ ! -x "$tp_pg_bin/postgres" ]; then
    echo "test: no PostgreSQL server binaries under /usr/lib/postgresql; PostgreSQL suites will skip (CI fails)" >&2
    return 0
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    echo "test: running as root but there is no 'postgres' user to run PostgreSQL as" >&2
    return 1
  fi
  tp_pg_dir=$(mktemp -d /tmp/touchpoint-pg.XXXXXX)
  chmod 755 "$tp_pg_dir"
  [ "$(id -u)" = "0" ] && chown postgres "$tp_pg_dir"
  local port
  for _ in $(seq 1 50); do
    port=$(shuf -i 20000-60000 -n 1)
    (echo >"/dev/tcp/127.0.0.1/$port") >/dev/null 2>&1 || break
  done
  tp_as_pg "$tp_pg_bin/initdb" -D "$tp_pg_dir/data" -U postgres -A trust --no-sync >/dev/null
  tp_as_pg "$tp_pg_bin/pg_ctl" -D "$tp_pg_dir/data" -l "$tp_pg_dir/server.log" -w -t 60 \
    -o "-p $port -k $tp_pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  export TOUCHPOINT_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
  echo "test: PostgreSQL $("$tp_pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for the tests" >&2
}

tp_stop_postgres() {
  [ -n "$tp_pg_dir" ] || return 0
  tp_as_pg "$tp_pg_bin/pg_ctl" -D "$tp_pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tp_pg_dir"
}
