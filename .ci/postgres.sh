# Starts a private, throw-away PostgreSQL cluster for the test suite.
# Sourced by ./nexus test. Installs Debian's PostgreSQL with apt-get if no server is installed.
# Exports NEXUS_TEST_PG_URL: a JDBC URL of a superuser connection the tests use to create
# one fresh database per test class.

nexus_pg_free_port() { # the first port from 55432 on that nothing listens on
  local port
  for port in $(seq 55432 55531); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  echo "nexus: no free port in 55432-55531 for the test PostgreSQL" >&2
  return 1
}

nexus_pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

nexus_as_pg_owner() { # runs a command as the cluster owner (postgres when we are root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

nexus_postgres_start() {
  local bindir
  NEXUS_PG_PORT=${NEXUS_PG_PORT:-$(nexus_pg_free_port)} || return 1
  bindir=$(nexus_pg_bindir)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "nexus: PostgreSQL server not installed; installing it with apt-get" >&2
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    else
      sudo DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    fi
    bindir=$(nexus_pg_bindir)
  fi
  NEXUS_PG_DIR=$(mktemp -d /tmp/nexus-pg.XXXXXX)
  chmod 755 "$NEXUS_PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$NEXUS_PG_DIR"
  nexus_as_pg_owner "$bindir/initdb" -D "$NEXUS_PG_DIR/data" -U nexus --auth=trust -E UTF8 --no-locale >"$NEXUS_PG_DIR/initdb.log" 2>&1 \
    || { cat "$NEXUS_PG_DIR/initdb.log" >&2; return 1; }
  nexus_postgres_resume || return 1
  NEXUS_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$NEXUS_PG_PORT/postgres?user=nexus"
  echo "nexus: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running for the tests on 127.0.0.1:$NEXUS_PG_PORT" >&2
}

# Starts the server of an initialised cluster again ($NEXUS_PG_DIR, $NEXUS_PG_PORT), e.g. after
# nexus_postgres_pause: the outage test takes its own cluster down and brings it back this way.
nexus_postgres_resume() {
  nexus_as_pg_owner "$(nexus_pg_bindir)/pg_ctl" -D "$NEXUS_PG_DIR/data" -l "$NEXUS_PG_DIR/server.log" -w -t 60 \
    -o "-p $NEXUS_PG_PORT -k $NEXUS_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c shared_buffers=128MB" start >&2 \
    || { cat "$NEXUS_PG_DIR/server.log" >&2; return 1; }
}

# Stops the server (fast shutdown: open connections are ended) but keeps the cluster for nexus_postgres_resume.
nexus_postgres_pause() {
  nexus_as_pg_owner "$(nexus_pg_bindir)/pg_ctl" -D "$NEXUS_PG_DIR/data" -m fast -w stop >&2
}

nexus_postgres_stop() {
  [ -n "${NEXUS_PG_DIR:-}" ] || return 0
  nexus_as_pg_owner "$(nexus_pg_bindir)/pg_ctl" -D "$NEXUS_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$NEXUS_PG_DIR"
}
