#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then delete the cluster.
#
#   tests/with_postgresql.sh .venv/bin/python -m pytest
#
# initdb writes a new cluster into a temporary directory; the server listens on 127.0.0.1 only
# (a free port, a random password) with its unix socket inside that directory, and
# HLHR_TEST_DATABASE_URL tells the tests where it is. Whatever happens, the server is stopped
# and the directory removed. The exit status is the command's.
# PG_BIN=/path/to/bin picks the server binaries; as root the cluster runs as PG_USER (postgres).
set -euo pipefail

find_pg_bin() {
    # Debian keeps initdb and pg_ctl out of PATH, in /usr/lib/postgresql/<version>/bin.
    if [ -n "${PG_BIN:-}" ]; then
        echo "$PG_BIN"
    elif command -v initdb >/dev/null; then
        dirname "$(command -v initdb)"
    else
        find /usr/lib/postgresql -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname
    fi
}

PG_BIN=$(find_pg_bin)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    echo "$0: no PostgreSQL server found (install Debian's postgresql package or set PG_BIN)" >&2
    exit 2
fi

# initdb refuses to run as root: the cluster then belongs to an unprivileged user.
OWNER=
if [ "$(id -u)" = 0 ]; then
    OWNER=${PG_USER:-postgres}
fi
as_owner() {
    if [ -n "$OWNER" ]; then
        (cd "$CLUSTER" && runuser -u "$OWNER" -- "$@")
    else
        "$@"
    fi
}

# Under /tmp when root, so the owner can reach it whatever TMPDIR says.
CLUSTER=$(mktemp -d "$([ -n "$OWNER" ] && echo /tmp || echo "${TMPDIR:-/tmp}")/hlhr-postgresql.XXXXXX")
DATA="$CLUSTER/data"

stop_and_remove() {
    if [ -f "$DATA/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$CLUSTER"
}
trap stop_and_remove EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "$PASSWORD" >"$CLUSTER/password"
if [ -n "$OWNER" ]; then
    chown -R "$OWNER:" "$CLUSTER"
fi

# Text sorts and compares as on a typical production server (a language's collation, here
# ICU's English, PostgreSQL 15+), not byte by byte as SQLite does: code must not depend on either.
as_owner "$PG_BIN/initdb" --pgdata="$DATA" --username=postgres --pwfile="$CLUSTER/password" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    --locale-provider=icu --icu-locale=en-US --no-sync >"$CLUSTER/initdb.log" ||
    { cat "$CLUSTER/initdb.log" >&2; exit 2; }
# A test cluster: durability is not wanted, speed is.
cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$CLUSTER'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$CLUSTER/server.log" -w -t 60 start >/dev/null ||
    { cat "$CLUSTER/server.log" >&2; exit 2; }

echo "$("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL)/PostgreSQL/') on 127.0.0.1:$PORT ($CLUSTER)" >&2
export HLHR_TEST_DATABASE_URL="postgresql+psycopg://postgres:$PASSWORD@127.0.0.1:$PORT/postgres"
status=0
"$@" || status=$?
exit "$status"
