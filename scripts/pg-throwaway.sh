#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 only, for tests (`make test-postgres`, `.ci/run`).
#
#   scripts/pg-throwaway.sh run CMD [ARG...]         # start, run CMD with the URL set, stop
#   eval "$(scripts/pg-throwaway.sh start [PORT])"   # prints the export lines; data in a temp dir
#   scripts/pg-throwaway.sh stop DIR                 # stops it and deletes DIR
#
# `run` exports CHORUS_TEST_POSTGRES_URL=postgresql://chorus@127.0.0.1:PORT/chorus_test (trust
# authentication, loopback only, a free port) for CMD and removes the cluster afterwards.
#
# Needs the PostgreSQL server binaries (Debian: apt-get install postgresql). As root the cluster
# runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as you.
set -euo pipefail

find_bin() {
    local name=$1
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -n "$found" ] && [ -x "$found/$name" ]; then echo "$found/$name"; return; fi
    echo "pg-throwaway: $name not found (apt-get install postgresql)" >&2
    exit 3
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    port=${2:-}
    if [ -z "$port" ]; then port=$(free_port); fi
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    dir=$(mktemp -d /tmp/chorus-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$dir"
    fi
    as_owner "$initdb" -D "$dir/data" --username=chorus --auth=trust --encoding=UTF8 \
        --no-locale >"$dir/initdb.log" 2>&1
    as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on" start >/dev/null
    as_owner "$(find_bin createdb)" -h 127.0.0.1 -p "$port" -U chorus chorus_test
    echo "export CHORUS_TEST_POSTGRES_URL=postgresql://chorus@127.0.0.1:$port/chorus_test"
    echo "export CHORUS_PG_THROWAWAY_DIR=$dir"
    ;;
run)
    shift
    env_lines=$(bash "$0" start "${CHORUS_PG_PORT:-}")
    eval "$env_lines"
    trap 'bash "$0" stop "$CHORUS_PG_THROWAWAY_DIR"' EXIT
    echo "pg-throwaway: PostgreSQL at $CHORUS_TEST_POSTGRES_URL" >&2
    "$@"
    ;;
stop)
    dir=${2:?usage: pg-throwaway.sh stop DIR}
    pg_ctl=$(find_bin pg_ctl)
    as_owner "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg-throwaway.sh run CMD... | start [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
