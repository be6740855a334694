#!/usr/bin/env bash
# bench/api.sh - the HTTP API under load (issue #16, "Performance"): `wrk` on loopback
# against `ballast serve`, and in the same run nginx serving static JSON files of the
# same sizes as the ceiling.
#
#   GET /api/v1/orders/{id}                  one order with its lines and history
#   GET /api/v1/assessments?shop=S&as_of=T   one shop's assessment (computed per request)
#   POST /api/v1/orders                      1,000 order lines (500 new orders) as JSON
#                                            Lines per request (bench/api_post.lua); wrk
#                                            waits 30 s for an answer (uploads take turns)
#   GET /api/v1/orders/{id} again            after the POSTs: RSS and speed as before?
#   nginx, the same two GETs                 a static file of each GET answer's size
#   the SQLite floor                         the sqlite3 CLI alone on a copy of the store:
#                                            100,000 lines like the POSTs' (50,000 new
#                                            orders of the same shop), looked up by
#                                            (shop, ext id), inserted into orders and
#                                            order_line (same indexes) from an in-memory
#                                            table, committed: what one SQLite writer does
#                                            with these rows, no HTTP, no parsing
#
# Usage: bench/api.sh
# Env:   DURATION=30      seconds per measurement (64 connections, wrk -t2)
#        RUNS=3           runs; each figure is the median of its runs
#        CONNECTIONS=64
#        THREADS=4        ballast serve --threads (its store connections too)
#        DB=FILE          a demo store to copy (default: scripts/demo.sh makes one)
#        BALLAST=path/to/ballast (default: build/ballast, built with `make build`)
#        KEEP=1           keep the temporary directory
#
# Each run starts from a fresh copy of the store (the POSTs add orders), starts the
# server on a free port, reads its RSS (VmRSS) at start and after each measurement, then
# measures nginx. wrk and nginx (nginx-light) are Debian
# packages, installed with apt-get when missing; nginx runs as the user, on a free port,
# with its own configuration in the temporary directory.
# Goals (issue #16): GETs >= 0.5x nginx with zero errors; POST >= 200,000 order
# lines/s; RSS flat.
set -euo pipefail

DURATION=${DURATION:-30}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-4}
for v in "$DURATION" "$RUNS" "$CONNECTIONS" "$THREADS"; do
    case $v in '' | *[!0-9]*) echo "bench/api.sh: DURATION, RUNS, CONNECTIONS, THREADS are whole numbers" >&2; exit 2 ;; esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
need=""
command -v sqlite3 >/dev/null || need="$need sqlite3"
command -v wrk >/dev/null || need="$need wrk"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need="$need nginx-light"
if [ -n "$need" ]; then
    echo "bench/api.sh: installing$need" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $need >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-apibench.XXXXXX")
SRV=""
NGX=""
cleanup() {
    [ -n "$SRV" ] && kill -TERM "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    [ -n "$NGX" ] && kill -QUIT "$NGX" 2>/dev/null
    [ -z "${KEEP:-}" ] && rm -rf "$tmp"
    return 0
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && echo "keeping $tmp" >&2

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# ---- the store ------------------------------------------------------------------------
if [ -n "${DB:-}" ]; then
    cp "$DB" "$tmp/store.db"
else
    echo "making the demo store (scripts/demo.sh, about a minute)..." >&2
    "$root/scripts/demo.sh" "$BALLAST" "$tmp/store.db" >"$tmp/demo.log" 2>&1 ||
        { tail -20 "$tmp/demo.log" >&2; exit 1; }
fi
bl() { "$BALLAST" --db "$tmp/run.db" "$@"; }
cp "$tmp/store.db" "$tmp/run.db"
# a store made by an older build is brought to this one's schema first (its migrations),
# so the floor below measures the schema the server writes to
bl init >/dev/null
TOKEN=$(bl token create --role operator --label bench 2>/dev/null)
cp "$tmp/run.db" "$tmp/store.db"
# the order asked for: the first delivered one; its shop's assessment; two of its SKUs
read -r SHOP ORDER < <(bl --format csv orders list --status delivered --limit 1 |
    awk -F, 'NR == 2 { print $1, $2 }')
read -r SKU1 SKU2 < <(bl --format csv orders show "$ORDER" --shop "$SHOP" |
    awk -F, '$1 ~ /^[0-9]+$/ { print $2 }' | head -2 | tr '\n' ' ') || true
SKU2=${SKU2:-$SKU1}
AS_OF=${AS_OF:-2024-11-15}
echo "ballast: $BALLAST ($(nproc) cores, serve --threads $THREADS)"
echo "wrk:     $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $CONNECTIONS connections, ${DURATION} s each, $RUNS runs (medians)"
echo "nginx:   $("$NGINX" -v 2>&1 | cut -d/ -f2), worker_processes auto, static files"
echo "data:    GET order $ORDER of shop $SHOP; assessment of $SHOP as of $AS_OF"

# ---- wrk ------------------------------------------------------------------------------
# wrk_run NAME [wrk args] URL [-- script args]: one line "rps p50_ms p99_ms errors
# requests load" appended to $tmp/NAME.all (load: the 1-minute load average at its end).
ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'; }
wrk_run() {
    local name=$1
    shift
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" >"$tmp/$name.out" 2>&1 || true
    local rps p50 p99 errs reqs
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$tmp/$name.out")
    p50=$(awk '$1 == "50%" { print $2 }' "$tmp/$name.out" | ms)
    p99=$(awk '$1 == "99%" { print $2 }' "$tmp/$name.out" | ms)
    reqs=$(awk '/requests in/ { print $1 }' "$tmp/$name.out")
    errs=$(awk '/Non-2xx or 3xx/ { n += $NF } /Socket errors/ { for (i = 4; i <= NF; i += 2) { v = $i; sub(/,/, "", v); n += v } } END { print n + 0 }' "$tmp/$name.out")
    echo "${rps:-0} ${p50:-0} ${p99:-0} $errs ${reqs:-0} $(cut -d' ' -f1 /proc/loadavg)" >>"$tmp/$name.all"
}

# floor_run RUN: appends "lines/s seconds load cpu_seconds" to $tmp/floor.all (sqlite3's
# .timer: wall time, and user + sys CPU time, which the machine's load changes less)
floor_run() {
    cp "$tmp/store.db" "$tmp/floor.db"
    rm -f "$tmp/floor.db-wal" "$tmp/floor.db-shm"
    local org shop k1 k2 id0
    IFS='|' read -r org shop k1 k2 id0 < <(sqlite3 "$tmp/floor.db" \
        "SELECT s.org_id, s.id, (SELECT id FROM sku WHERE org_id = s.org_id AND ext_id = '$SKU1'),
         (SELECT id FROM sku WHERE org_id = s.org_id AND ext_id = '$SKU2'),
         (SELECT COALESCE(MAX(id), 0) + 1 FROM orders WHERE org_id = s.org_id)
         FROM shop s WHERE s.ext_id = '$SHOP' ORDER BY s.org_id LIMIT 1")
    cat >"$tmp/floor.sql" <<EOF
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;
CREATE TEMP TABLE t_o AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999)
 SELECT $org AS org_id, $id0 + i AS id, 'F$1-' || (i / 500) || '-' || (i % 500) AS ext_id,
 $shop AS shop_id, 'bench-' || (i % 500) AS customer, 'open' AS status, 1731657600 AS placed_at,
 NULL AS ship_by, NULL AS ship_from, 'US-CA:94103' AS ship_to, NULL AS picked_up_at,
 NULL AS shipped_at, NULL AS delivered_at, NULL AS promised_at, NULL AS cancelled_at,
 NULL AS cancelled_by, 2997 AS amount, 'USD' AS currency, NULL AS channel, NULL AS locale,
 1000000 + i / 500 AS batch_id, NULL AS tracking, NULL AS fulfilment, NULL AS stale FROM n;
CREATE TEMP TABLE t_l AS SELECT org_id, id AS order_id, k AS line_no,
 CASE k WHEN 1 THEN $k1 ELSE $k2 END AS sku_id, 1 + (id * 2 + k - 1) % 3 AS qty, 999 AS price
 FROM t_o, (SELECT 1 AS k UNION ALL SELECT 2) ORDER BY id, k;
.timer on
BEGIN IMMEDIATE;
SELECT count(*) FROM t_o k CROSS JOIN orders o
 WHERE o.org_id = $org AND o.shop_id = k.shop_id AND o.ext_id = k.ext_id;
INSERT INTO orders SELECT * FROM t_o;
INSERT INTO order_line SELECT * FROM t_l;
COMMIT;
EOF
    local secs cpu
    read -r secs cpu < <(sqlite3 "$tmp/floor.db" <"$tmp/floor.sql" |
        awk '/^Run Time:/ { t += $4; c += $6 + $8 } END { printf "%.4f %.4f\n", t, c }')
    echo "$(awk -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? 100000 / s : 0) }') $secs" \
        "$(cut -d' ' -f1 /proc/loadavg) $cpu" >>"$tmp/floor.all"
    rm -f "$tmp/floor.db" "$tmp/floor.db-wal" "$tmp/floor.db-shm"
}

AUTH="Authorization: Bearer $TOKEN"
for run in $(seq 1 "$RUNS"); do
    cp "$tmp/store.db" "$tmp/run.db"
    rm -f "$tmp/run.db-wal" "$tmp/run.db-shm"
    "$BALLAST" --db "$tmp/run.db" serve --listen 127.0.0.1:0 --threads "$THREADS" 2>"$tmp/serve.err" &
    SRV=$!
    PORT=""
    for _ in $(seq 200); do
        PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err")
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || { cat "$tmp/serve.err" >&2; exit 1; }
    B="http://127.0.0.1:$PORT"
    U_ORDER="$B/api/v1/orders/$ORDER?shop=$SHOP"
    U_ASSESS="$B/api/v1/assessments?shop=$SHOP&as_of=$AS_OF"
    curl -sf -H "$AUTH" "$U_ORDER" >"$tmp/order.json" || { echo "GET order failed" >&2; exit 1; }
    curl -sf -H "$AUTH" "$U_ASSESS" >"$tmp/assess.json" || { echo "GET assessment failed" >&2; exit 1; }
    rss=$(rss_kb "$SRV")
    wrk_run get_order -H "$AUTH" "$U_ORDER"
    rss="$rss $(rss_kb "$SRV")"
    wrk_run get_assess -H "$AUTH" "$U_ASSESS"
    rss="$rss $(rss_kb "$SRV")"
    # an upload waits its turn (one imports at a time): a client allows it 30 s
    wrk_run post -H "$AUTH" --timeout 30s -s "$root/bench/api_post.lua" "$B/api/v1/orders" -- \
        "$SHOP" "$SKU1" "$SKU2" "$run" "$AS_OF"
    rss="$rss $(rss_kb "$SRV")"
    wrk_run get_order_again -H "$AUTH" "$U_ORDER"
    echo "$rss $(rss_kb "$SRV")" >>"$tmp/rss.all"
    kill -TERM "$SRV"
    wait "$SRV" || true
    SRV=""

    # nginx: the same sizes, static
    mkdir -p "$tmp/www" "$tmp/ngx"
    cp "$tmp/order.json" "$tmp/www/order.json"
    cp "$tmp/assess.json" "$tmp/www/assess.json"
    NPORT=$(free_port)
    user_line=""
    [ "$(id -u)" = 0 ] && user_line="user root;"
    cat >"$tmp/ngx/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $tmp/ngx/nginx.pid;
error_log $tmp/ngx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/ngx/body; proxy_temp_path $tmp/ngx/proxy;
    fastcgi_temp_path $tmp/ngx/fcgi; uwsgi_temp_path $tmp/ngx/uwsgi; scgi_temp_path $tmp/ngx/scgi;
    default_type application/json;
    server { listen 127.0.0.1:$NPORT; root $tmp/www; etag on; }
}
EOF
    "$NGINX" -p "$tmp/ngx" -c "$tmp/ngx/nginx.conf" &
    NGX=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$NPORT/order.json" >/dev/null && break; sleep 0.05; done
    wrk_run nginx_order -H "$AUTH" "http://127.0.0.1:$NPORT/order.json"
    wrk_run nginx_assess -H "$AUTH" "http://127.0.0.1:$NPORT/assess.json"
    kill -QUIT "$NGX" 2>/dev/null || true
    wait "$NGX" 2>/dev/null || true
    NGX=""
    floor_run "$run" # the SQLite floor: the same kind of rows, through sqlite3 alone
    echo "run $run: done" >&2
done

# ---- the figures ----------------------------------------------------------------------
col() { awk -v c="$2" '{ print $c }' "$tmp/$1.all" | median; }
sum() { awk -v c="$2" '{ n += $c } END { print n + 0 }' "$tmp/$1.all"; }
# the ratio to nginx is the median of each run's ratio (the two measured a minute apart
# on a shared machine); load: the median 1-minute load average at the measurements' ends
for r in order assess; do
    paste -d' ' "$tmp/get_$r.all" "$tmp/nginx_$r.all" |
        awk '{ printf "%.4f\n", ($7 > 0 ? $1 / $7 : 0) }' >"$tmp/ratio_$r.all"
done
printf '\n%-26s %10s %9s %9s %7s %9s %6s\n' "route" "req/s" "p50 ms" "p99 ms" "errors" "vs nginx" "load"
for r in order assess; do
    b=$(col "get_$r" 1)
    n=$(col "nginx_$r" 1)
    printf '%-26s %10s %9s %9s %7s %9s %6s\n' "GET $r (ballast)" "$b" "$(col "get_$r" 2)" \
        "$(col "get_$r" 3)" "$(sum "get_$r" 4)" "$(col "ratio_$r" 1 | awk '{ printf "%.2f", $1 }')x" \
        "$(col "get_$r" 6)"
    printf '%-26s %10s %9s %9s %7s %9s %6s\n' "  nginx, $(wc -c <"$tmp/$r.json") bytes static" "$n" \
        "$(col "nginx_$r" 2)" "$(col "nginx_$r" 3)" "$(sum "nginx_$r" 4)" "" "$(col "nginx_$r" 6)"
done
p=$(col post 1)
printf '%-26s %10s %9s %9s %7s %9s %6s\n' "POST 1,000 lines" "$p" "$(col post 2)" "$(col post 3)" \
    "$(sum post 4)" "" "$(col post 6)"
echo "POST: $(awk -v r="$p" 'BEGIN { printf "%.0f", r * 1000 }') order lines/s (median of the runs' req/s x 1,000)"
f=$(col floor 1)
echo "SQLite floor: $f lines/s, $(col floor 2) s for 100,000 lines, $(col floor 4) s of CPU" \
    "(sqlite3 alone, load $(col floor 3)); POST/floor $(ratio "$(awk -v r="$p" 'BEGIN { print r * 1000 }')" "$f")"
echo "single runs: floor (s) $(cut -d' ' -f2 "$tmp/floor.all" | tr '\n' ' ')| floor CPU (s) $(cut -d' ' -f4 "$tmp/floor.all" | tr '\n' ' ')"
printf '%-26s %10s %9s %9s %7s %9s %6s\n' "GET order, after the POSTs" "$(col get_order_again 1)" \
    "$(col get_order_again 2)" "$(col get_order_again 3)" "$(sum get_order_again 4)" "" \
    "$(col get_order_again 6)"
echo "single runs (req/s): order $(cut -d' ' -f1 "$tmp/get_order.all" | tr '\n' ' ')| nginx" \
    "$(cut -d' ' -f1 "$tmp/nginx_order.all" | tr '\n' ' ')| assess" \
    "$(cut -d' ' -f1 "$tmp/get_assess.all" | tr '\n' ' ')| nginx" \
    "$(cut -d' ' -f1 "$tmp/nginx_assess.all" | tr '\n' ' ')| POST $(cut -d' ' -f1 "$tmp/post.all" | tr '\n' ' ')"
echo "ballast's RSS (KiB): at start, after GET order, GET assess, POST, GET order again"
awk '{ print "  run " NR ": " $0 }' "$tmp/rss.all"
