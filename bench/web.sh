#!/usr/bin/env bash
# bench/web.sh - the dashboard's pages on a large organisation, in a real browser
# (issue 17, "Performance"): Debian's chromium driven by playwright-core (bench/web.mjs)
# against `ballast serve` on loopback, measured with the browser's navigation and resource
# timings. The peer, in the same run: the same page with every /api/v1/ answer replayed
# from memory by the browser (recorded in the first load), the page's own cost when the
# API costs nothing; the ratio says what the API adds.
#
# Usage: bench/web.sh [N_ORDERS] [N_SKUS]      shop orders (about; gen counts order lines)
#                                              and SKUs; default 1000000 10000
# Env:   BALLAST=path/to/ballast  (default: build/ballast, built with `make build`)
#        RUNS=5                   loads per side, interleaved; medians reported
#        SHOPS=100 DAYS=365       the organisation's shops and days of history
#        KEEP=1                   keep the temporary directory (the store is reused by a
#                                 later run given STORE=that/dir/web.db)
#        PAGES=today,...          the pages loaded (default every page: today, messages,
#                                 disruptions, health, stock, orders, logistics, market;
#                                 market as a marketplace "bench-mall" governing the store's
#                                 organisation)
#
# The store: `ballast gen` (seed 1) imported as scripts/demo.sh does, then one daily cycle
# as of the last day (so Today has a last cycle, messages waiting and actions proposed).
# Not timed. Goal: first load under 1 s and no API answer over 100 ms at p99.
set -euo pipefail

N=${1:-1000000}
SKUS=${2:-10000}
RUNS=${RUNS:-5}
SHOPS=${SHOPS:-100}
DAYS=${DAYS:-365}
D=2024-12-30           # the as-of day: gen's last day
T=2024-12-31T00:00:00Z # the end of D
for v in "$N" "$SKUS" "$RUNS" "$SHOPS" "$DAYS"; do
    case $v in '' | *[!0-9]*)
            echo "usage: bench/web.sh [N_ORDERS] [N_SKUS]   (whole numbers)" >&2
            exit 2 ;;
    esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
[ -x /usr/bin/chromium ] && [ -f "$root/node_modules/playwright-core/index.mjs" ] || {
    echo "bench/web.sh: needs Debian's chromium and playwright-core (scripts/install-deps.sh test)" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
    if [ -z "${KEEP:-}" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
[ -z "${KEEP:-}" ] || echo "keeping $tmp" >&2
die() { echo "bench/web.sh: $*" >&2; exit 1; }
bl() { "$BALLAST" --db "$db" "$@"; }

db=${STORE:-$tmp/web.db}
if [ -z "${STORE:-}" ]; then
    data=$tmp/data
    lines=$(awk -v n="$N" 'BEGIN { printf "%.0f", n * 1.515 }')
    start=$(date -u -d "$D - $((DAYS - 1)) days" +%F)
    t0=$(date +%s)
    "$BALLAST" gen --out "$data" --seed 1 --orders "$lines" --shops "$SHOPS" --skus "$SKUS" \
        --start "$start" --days "$DAYS" 2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; exit 1; }
    bl init >/dev/null 2>&1 || die "init failed"
    for kind in shops skus warehouses suppliers stock inbound channels disruptions sales orders \
        customers rates; do
        [ -f "$data/$kind.csv" ] || continue
        bl import "$kind" "$data/$kind.csv" >/dev/null 2>"$tmp/import.err" ||
            { cat "$tmp/import.err" >&2; exit 1; }
    done
    bl import calendars "$root/data/calendars.csv" >/dev/null 2>&1 || die "calendars"
    if [ -f "$data/shop_settings.csv" ]; then
        bl shops import "$data/shop_settings.csv" >/dev/null 2>&1 || die "shop settings"
    fi
    bl org set --currency USD >/dev/null 2>&1 || die "org set"
    bl cycle --as-of "$D" --no-digest >/dev/null 2>"$tmp/cycle.err" ||
        { cat "$tmp/cycle.err" >&2; exit 1; }
    echo "store:   $(bl --format csv stats 2>/dev/null | awk -F, '$1=="orders" {o=$2} $1=="sku" {s=$2} $1=="message" {m=$2} END {printf "%s shop orders, %s SKUs, %s messages", o, s, m}');" \
        "built in $(($(date +%s) - t0)) s (not timed)"
fi

[ -z "${STORE:-}" ] || bl init >/dev/null 2>&1 || die "init $db failed (an older store is upgraded)"
PASSWORD="bench password $$"
bl user remove bench-viewer >/dev/null 2>&1 || true
printf '%s\n' "$PASSWORD" | bl user add bench-viewer --role viewer --password-stdin >/dev/null 2>&1 ||
    die "user add failed"
PAGES=${PAGES:-today,messages,disruptions,health,stock,orders,logistics,market}
# the marketplace page: a platform user of a marketplace governing the organisation
bl --org bench-mall init >/dev/null 2>&1 || die "init bench-mall failed"
bl org govern default --by bench-mall >/dev/null 2>&1 || true # governed already: fine
bl --org bench-mall user remove bench-platform >/dev/null 2>&1 || true
printf '%s\n' "$PASSWORD" | bl --org bench-mall user add bench-platform --role platform \
    --password-stdin >/dev/null 2>&1 || die "platform user add failed"

"$BALLAST" --db "$db" serve --listen 127.0.0.1:0 --no-schedule --threads 4 2>"$tmp/serve.err" &
server=$!
base=""
for _ in $(seq 600); do
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.err" | head -1 || true)
    [ -n "$base" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.err" >&2; die "serve exited"; }
    sleep 0.1
done
[ -n "$base" ] || die "serve did not start"

echo "server:  $base (load average $(cut -d' ' -f1-3 /proc/loadavg)); $RUNS loads per side"
node "$root/bench/web.mjs" "$base" bench-viewer "$PASSWORD" "$RUNS" "$PAGES" bench-platform \
    "$PASSWORD" bench-mall >"$tmp/web.json" ||
    die "the browser's run failed"

python3 - "$tmp/web.json" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def f(v): return "-" if v is None else f"{v:,.0f}"
def ratio(a, b): return "-" if not a or not b else f"{a / b:.2f}x"
for page, p in r["pages"].items():
    live, ceil = p["live"], p["ceiling"]
    print()
    print(f"{page} page, median of {r['runs']} cold loads (ms)   ballast   ceiling   ratio   goal")
    rows = [("first load (loadEventEnd)", "load_ms", "< 1,000"),
            ("data shown (page ready)", "ready_ms", ""),
            ("API answers: p50", "api_p50_ms", ""),
            ("API answers: p99", "api_p99_ms", "<= 100"),
            ("API answers: max", "api_max_ms", "")]
    for name, k, goal in rows:
        print(f"  {name:<37} {f(live[k]):>8}  {f(ceil[k]):>8}  {ratio(live[k], ceil[k]):>6}   {goal}")
    print(f"  API requests per load: {live['api_calls']}; the slowest routes (median ms): " +
          ", ".join(f"{x['path']} {x['median_ms']:,.0f}" for x in live["slowest"]))
print()
print(f"(ceiling: the same page with every /api/v1/ answer replayed from memory by the browser;"
      f" load average at the end {sys.argv[2]})")
PY
