#!/usr/bin/env bash
# bench/market_ledger.sh - GET /merchants and GET /ledger, one build against another, in
# the same run (docs/bench.md, "GET /merchants and the ledger's pages").
#
#   BEFORE=/path/to/old/ballast AFTER=build/ballast bench/market_ledger.sh [DIR]
#
# A store (SQLite) of two merchants generated up to today (200,000 and 50,000 order lines,
# `gen --start` 120 days ago), each with its cycle as of this morning, a marketplace "mall"
# governing both; 100,000 more ledger entries for shop-001 (coupons, top-ups and SLA
# waivers in three currencies). Then both builds serve a copy each (AFTER's migrated) and
# are asked in turn, N times each (default 15), curl's total time, medians:
#   /merchants; /merchants just after a merchant changed (its data generation bumped);
#   the ledger's first page of 100, a middle one, a page of 1,000;
# and every page of the ledger, 1,000 a page, compared byte for byte.
set -euo pipefail
BEFORE=${BEFORE:?BEFORE must name the older ballast binary}
AFTER=${AFTER:?AFTER must name the newer ballast binary}
N=${N:-15}
dir=${1:-$(mktemp -d /tmp/ballast-mlb.XXXXXX)}
mkdir -p "$dir"
cd "$dir"
B=$BEFORE
start=$(date -u -d '120 days ago' +%Y-%m-%d)
today=$(date -u +%Y-%m-%dT00:00:00Z)
if [ ! -f s.db ]; then
    "$B" gen --out gen --orders 200000 --shops 20 --skus 2000 --seed 3 --start "$start" --days 120 >/dev/null
    "$B" gen --out gen2 --orders 50000 --shops 5 --skus 500 --seed 4 --start "$start" --days 120 >/dev/null
    "$B" --db s.db init >/dev/null 2>&1
    "$B" --db s.db --org m2 init >/dev/null 2>&1
    for k in shops skus warehouses suppliers sku_suppliers stock inbound channels disruptions sales \
        orders customers rates; do
        "$B" --db s.db import "$k" "gen/$k.csv" >/dev/null 2>&1
        "$B" --db s.db --org m2 import "$k" "gen2/$k.csv" >/dev/null 2>&1
    done
    "$B" --db s.db cycle --as-of "$today" --no-digest >/dev/null 2>&1
    "$B" --db s.db --org m2 cycle --as-of "$today" --no-digest >/dev/null 2>&1
    "$B" --db s.db --org mall init >/dev/null 2>&1
    "$B" --db s.db org govern default --by mall >/dev/null 2>&1
    "$B" --db s.db org govern m2 --by mall >/dev/null 2>&1
    "$B" --db s.db --org mall token create --role platform 2>/dev/null >tokp
    "$B" --db s.db token create --role viewer 2>/dev/null >tokv
    sid=$(sqlite3 s.db "SELECT id FROM shop WHERE org_id = 1 AND ext_id = 'shop-001'")
    cur=$(sqlite3 s.db "SELECT currency FROM shop WHERE org_id = 1 AND id = $sid")
    sqlite3 s.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
        INSERT INTO ledger (org_id, id, shop_id, kind, amount, currency, balance, ref, idem, note,
        as_of, at, cycle_id) SELECT 1, 1000000 + i, $sid,
        CASE WHEN i % 10 = 0 THEN 'topup' WHEN i % 7 = 0 THEN 'sla_waiver' ELSE 'coupon' END,
        CASE WHEN i % 10 = 0 THEN 5000 ELSE -219 END,
        CASE WHEN i % 13 = 0 THEN 'EUR' ELSE '$cur' END, 0, 'S001-' || i, 'bench:' || i,
        'late shipment: promised by 2024-11-10T12:00:00Z, shipped 2024-11-12T08:00:00Z; 5.00% of 43.80 USD',
        1730000000 + i, 1730000000 + i, 0 FROM n"
fi
cp s.db before.db
cp s.db after.db
"$AFTER" --db after.db init >/dev/null 2>&1
"$BEFORE" --db before.db serve --listen 127.0.0.1:0 --threads 2 --no-schedule 2>b.err &
P1=$!
"$AFTER" --db after.db serve --listen 127.0.0.1:0 --threads 2 --no-schedule 2>a.err &
P2=$!
trap 'kill $P1 $P2 2>/dev/null; wait' EXIT
port() { for _ in $(seq 200); do p=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$1"); [ -n "$p" ] && { echo "$p"; return; }; sleep 0.1; done; }
PB=$(port b.err)
PA=$(port a.err)
[ -n "$PB" ] && [ -n "$PA" ] || { echo "a server did not start: $(cat b.err a.err)"; exit 1; }
sleep "${SETTLE:-30}" # the warm thread's first computations
TOKP=$(cat tokp)
TOKV=$(cat tokv)
t() { curl -s -o "$3" -w '%{time_total}\n' -H "Authorization: Bearer $2" "http://127.0.0.1:$1$4"; }
med() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)*1000}'; }
row() { printf '%-34s before %8.1f ms   after %8.1f ms\n' "$1" "$(med <t1)" "$(med <t2)"; }
run() { # NAME TOKEN PATH
    t "$PB" "$2" /dev/null "$3" >/dev/null
    t "$PA" "$2" /dev/null "$3" >/dev/null
    : >t1
    : >t2
    for _ in $(seq "$N"); do
        t "$PB" "$2" /dev/null "$3" >>t1
        t "$PA" "$2" /dev/null "$3" >>t2
    done
    row "$1"
}
uptime
run "/merchants" "$TOKP" /api/v1/merchants
: >t1
: >t2
for _ in $(seq "$N"); do
    sqlite3 -cmd '.timeout 5000' after.db "UPDATE data_gen SET gen = gen + 1 WHERE org_id = 1"
    t "$PA" "$TOKP" /dev/null /api/v1/merchants >>t2
    t "$PB" "$TOKP" /dev/null /api/v1/merchants >>t1
done
row "/merchants after a change"
run "/ledger first page (100)" "$TOKV" "/api/v1/ledger?shop=shop-001&limit=100"
c=$(python3 -c 'import base64; print(base64.urlsafe_b64encode((0).to_bytes(8, "big") + (1050000).to_bytes(8, "big")).decode().rstrip("="))')
run "/ledger a middle page (100)" "$TOKV" "/api/v1/ledger?shop=shop-001&limit=100&cursor=$c"
run "/ledger a page of 1,000" "$TOKV" "/api/v1/ledger?shop=shop-001&limit=1000"
uptime
cur=""
n=0
differ=0
while :; do
    q="/api/v1/ledger?shop=shop-001&limit=1000${cur:+&cursor=$cur}"
    t "$PB" "$TOKV" p1 "$q" >/dev/null
    t "$PA" "$TOKV" p2 "$q" >/dev/null
    cmp -s p1 p2 || differ=$((differ + 1))
    n=$((n + 1))
    cur=$(python3 -c 'import json; print(json.load(open("p1"))["next_cursor"] or "")')
    [ -n "$cur" ] || break
done
echo "the ledger's pages compared byte for byte: $n, differing: $differ"
