#!/usr/bin/env bash
# bench/web.sh - the dashboard's Today page on a large organisation (issue #17,
# "Performance"): a store of ORDERS order lines and SKUS SKUs (`ballast gen`, then the
# day's cycle), `ballast serve`, and Debian's chromium (playwright-core) loading Today
# after signing in, RUNS times. Reported: the page's load (navigation timing: the
# document's start to <html data-ready="1">, which Today sets once every part has been
# drawn), and every /api/v1/ response during those loads (resource timing): p50, p99, max,
# and the slowest routes.
# Goals: the first load under 1 s on loopback; no API response over 100 ms at p99.
#
# Usage: bench/web.sh
# Env:   ORDERS=1000000  order lines (ballast gen --orders)
#        SKUS=10000      SKUs; SHOPS=20 shops
#        RUNS=5          loads of Today (the first is the cold one)
#        DB=FILE         a store made before (skips making one; its cycle as of 2024-11-15)
#        BALLAST=path/to/ballast (default: build/ballast)
#        KEEP=1          keep the temporary directory
set -euo pipefail

ORDERS=${ORDERS:-1000000}
SKUS=${SKUS:-10000}
SHOPS=${SHOPS:-20}
RUNS=${RUNS:-5}
for v in "$ORDERS" "$SKUS" "$SHOPS" "$RUNS"; do
    case $v in '' | *[!0-9]*) echo "bench/web.sh: ORDERS, SKUS, SHOPS, RUNS are whole numbers" >&2; exit 2 ;; esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
BALLAST=${BALLAST:-$root/build/ballast}
[ -x "$BALLAST" ] || make -C "$root" build >/dev/null
[ -x /usr/bin/chromium ] && [ -d "$root/node_modules/playwright-core" ] ||
    "$root/scripts/install-deps.sh" test

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-webbench.XXXXXX")
SRV=""
cleanup() {
    [ -n "$SRV" ] && kill -TERM "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
bl() { "$BALLAST" --db "$db" "$@"; }

if [ -n "${DB:-}" ]; then
    cp "$DB" "$tmp/web.db"
    db=$tmp/web.db
else
    db=$tmp/web.db
    t0=$(date +%s)
    echo "bench/web.sh: generating $ORDERS order lines, $SKUS SKUs, $SHOPS shops" >&2
    "$BALLAST" gen --out "$tmp/data" --orders "$ORDERS" --shops "$SHOPS" --skus "$SKUS" --seed 7 >/dev/null
    bl init >/dev/null 2>&1
    for kind in shops skus warehouses suppliers sku_suppliers stock inbound channels disruptions \
        sales orders customers rates; do
        bl import "$kind" "$tmp/data/$kind.csv" >/dev/null 2>&1
    done
    bl import calendars "$root/data/calendars.csv" >/dev/null 2>&1
    bl shops import "$tmp/data/shop_settings.csv" >/dev/null 2>&1
    bl org set --currency USD >/dev/null 2>&1
    bl cycle --as-of 2024-11-15T00:00:00Z >/dev/null 2>&1
    echo "bench/web.sh: the store and its cycle in $(($(date +%s) - t0)) s" >&2
fi
echo "correct horse battery staple" | bl user add bench-operator --role operator --password-stdin >/dev/null 2>&1 ||
    echo "correct horse battery staple" | bl user passwd bench-operator --password-stdin >/dev/null 2>&1

"$BALLAST" --db "$db" serve --listen 127.0.0.1:0 --no-schedule 2>"$tmp/serve.err" &
SRV=$!
PORT=""
for _ in $(seq 200); do
    PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$tmp/serve.err" >&2; exit 1; }

node "$root/bench/web.mjs" "http://127.0.0.1:$PORT" "$RUNS" "$root"
