#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server on loopback for the tests.
#   tests/pg.sh start DIR   -> server running, DIR/url holds its postgres:// URL
#   tests/pg.sh stop DIR    -> server stopped, DIR removed
# Runs the server as the invoking user, or as "postgres" when invoked as root
# (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/pg_ctl" ] || { echo "pg.sh: PostgreSQL server not installed (make test-deps)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
    if [ -f "$dir/url" ] && [ -f "$dir/data/postmaster.pid" ]; then
        "$0" stop "$dir" || true
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    # The data directory lives in /tmp so the server user can own it whatever owns DIR.
    data=$(mktemp -d /tmp/ballast-pg.XXXXXX)
    echo "$data" > "$dir/datadir"
    [ "$(id -u)" = 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    as_owner "$bindir/initdb" -D "$data/db" -U ballast --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Pick a free port on loopback.
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
           || echo $((20000 + RANDOM % 20000)))
    as_owner "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
        start >"$dir/start.log" 2>&1 || { cat "$dir/start.log" "$data/server.log" >&2; exit 1; }
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U ballast ballast_test
    echo "postgres://ballast@127.0.0.1:$port/ballast_test" > "$dir/url"
    echo "pg.sh: PostgreSQL on 127.0.0.1:$port (data $data)"
    ;;
stop)
    [ -f "$dir/datadir" ] || exit 0
    data=$(cat "$dir/datadir")
    if [ -f "$data/db/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$data" "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
