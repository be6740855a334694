#!/usr/bin/env bash
# bench/assess.sh - how fast `ballast assess` rates every shop, against the same
# per-shop counters computed as one SQL query by the sqlite3 CLI over the same store
# file and by DuckDB (@duckdb/node-api) over its own database file of the same data;
# once on the store as imported, once after UPD_PCT% of its orders were updated by a
# later import (issue #12); and the pure engine pass alone (build/assess_bench,
# synthetic data in memory).
#
# Usage: bench/assess.sh [N_ORDERS] [N_SHOPS]   shop orders (about; gen counts order
#                                               lines), shops; default 10000000 100000
# Env:   BALLAST=path/to/ballast  (default: build/ballast, built with `make build`)
#        RUNS=3                   timed runs per side; the median is reported
#        EXTRA_DIS=300            disruptions added to gen's (which makes about 30)
#        AS_OF=2024-10-31T00:00:00Z  as-of of the store as imported (gen's data:
#                                 2024-09-01 + 90 days)
#        UPD_PCT=10               orders updated for the second case (0: no second case)
#        AS_OF_UPD=2024-12-01T00:00:00Z  as-of of the second case: the end of the day
#                                 of the updates (bench/update_rows.sh), so that the
#                                 updated orders, the most recent, are in its window
#        DUCKDB_THREADS=          DuckDB threads (default: DuckDB's, all cores)
#        KEEP=1                   keep the temporary directory
#
# What is compared (one window of 30 days, profile kuaishou, every shop):
#   ballast  `ballast --db DB assess --as-of A --profile kuaishou --all-shops --dry-run
#            --format csv`: end to end, a process that loads the snapshot from SQLite,
#            runs the engine (for the profile's windows and carry-over days) and prints.
#   sqlite3  the sqlite3 CLI running bench/assess.sh's single SELECT on the same file:
#            due, exempt, counted, on time, late, shipped, pickup anomalies, delivery
#            due/exempt/counted/late, placed, seller cancels per shop, with the same
#            rules as bl_assess_order (src/engine/assess.c): disruption regions contain
#            order regions by code prefix at a boundary, active over [starts,
#            min(ends, lifted)), scope, channel, supplier, protections, origin required.
#   duckdb   the same SELECT over a DuckDB database file loaded before the timed runs
#            (not timed) from the CSV files: orders.csv (order lines deduplicated to
#            shop orders, ISO 8601 text converted to epoch seconds; in the second case
#            the update file's rows replace the orders it holds), shops.csv, both
#            disruption files, the protections file.
# The three outputs are compared counter by counter, sorted by shop; the script says
# whether they agree. Rates (orders/s) are the shop orders in the store divided by the
# median wall time of the whole process.
#
# The second case: bench/update_rows.sh picks UPD_PCT% of the shop orders, the most
# recent open ones then the most recent in transit, and gives them the next day's
# state (shipped, ship-by extended, delivered); `ballast import orders` of that file
# updates them in the store (their rows marked stale: the snapshot reads those rows
# instead of the order blocks written at the first import).
#
# Exit status 1 when the counters disagree. Figures measured (2 shared cores, noisy;
# RUNS=3): see docs/bench.md.
set -euo pipefail

N=${1:-10000000}
S=${2:-100000}
RUNS=${RUNS:-3}
EXTRA_DIS=${EXTRA_DIS:-300}
AS_OF=${AS_OF:-2024-10-31T00:00:00Z}
UPD_PCT=${UPD_PCT:-10}
AS_OF_UPD=${AS_OF_UPD:-2024-12-01T00:00:00Z}
WINDOW=30        # kuaishou's window_days
PICKUP_SECS=86400 # kuaishou's pickup_hours
PROFILE=kuaishou  # auto_exempt and origin_required, as the peers assume
for v in "$N" "$S" "$RUNS" "$EXTRA_DIS" "$UPD_PCT"; do
    case $v in '' | *[!0-9]*)
        echo "usage: bench/assess.sh [N_ORDERS] [N_SHOPS]   (whole numbers)" >&2
        exit 2 ;;
    esac
done
[ "$S" -ge 1 ] && [ "$S" -le 100000 ] || { echo "bench/assess.sh: 1 to 100000 shops" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
ENGINE=${ENGINE:-$(dirname "$BALLAST")/assess_bench}
command -v sqlite3 >/dev/null || { echo "bench/assess.sh: needs the sqlite3 CLI" >&2; exit 1; }
command -v node >/dev/null || { echo "bench/assess.sh: needs node and npm (DuckDB)" >&2; exit 1; }
if [ ! -d "$root/bench/node/node_modules/@duckdb/node-api" ]; then
    (cd "$root/bench/node" && npm install --no-audit --no-fund --silent) >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp" >&2; fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

A=$(date -u -d "$AS_OF" +%s)
LO=$((A - WINDOW * 86400))

# ---- data -------------------------------------------------------------------------
# gen writes about 1.52 order lines per shop order; ask for that many lines.
LINES=$(awk -v n="$N" 'BEGIN { printf "%.0f", n * 1.515 }')
data=$tmp/data
t0=$(now)
"$BALLAST" gen --out "$data" --orders "$LINES" --shops "$S" --seed 1 2>"$tmp/gen.err" ||
    { cat "$tmp/gen.err" >&2; exit 1; }
t1=$(now)
sed 's/^ballast gen: [^:]*: /gen:     /' "$tmp/gen.err"

# A few hundred more disruptions on regions the orders use (and their country and
# subdivision), 1 to 10 days each within gen's 90 days, scopes mixed; 10% on one
# channel, 5% on one supplier (those never exempt). Deterministic (awk srand(1)).
{
    awk -F, 'NR > 1 && NR <= 200001 { print $11; print $12 }' "$data/orders.csv"
    awk -F, 'NR > 1 && NR <= 200001 { print $11; print $12 }' "$data/orders.csv" | sed 's/:.*//'
    awk -F, 'NR > 1 && NR <= 200001 { print $11; print $12 }' "$data/orders.csv" | sed 's/[-:].*//'
} | grep -v '^$' | sort -u >"$tmp/codes"
awk -F, 'NR > 1 && $1 != "" { print $1 }' "$data/channels.csv" | sort -u >"$tmp/channels"
awk -F, 'NR > 1 && $1 != "" { print $1 }' "$data/suppliers.csv" | sort -u >"$tmp/suppliers"
awk -v n="$EXTRA_DIS" -v t0="$(date -u -d 2024-09-01 +%s)" \
    -v codesf="$tmp/codes" -v chf="$tmp/channels" -v supf="$tmp/suppliers" '
    function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
    BEGIN {
        while ((getline l < codesf) > 0) code[nc++] = l
        while ((getline l < chf) > 0) ch[nch++] = l
        while ((getline l < supf) > 0) sup[nsup++] = l
        srand(1)
        print "id,region,scope,kind,starts_at,ends_at,channel,supplier,note"
        for (i = 1; i <= n; i++) {
            r = code[int(rand() * nc)]
            u = rand(); scope = u < 0.45 ? "origin" : u < 0.9 ? "destination" : "both"
            s = t0 + int(rand() * 90 * 24) * 3600
            e = s + (1 + int(rand() * 10 * 24)) * 3600
            u = rand(); c = u < 0.10 && nch ? ch[int(rand() * nch)] : ""
            p = u >= 0.10 && u < 0.15 && nsup ? sup[int(rand() * nsup)] : ""
            printf "bench-%04d,%s,%s,other,%s,%s,%s,%s,bench\n", i, r, scope, iso(s), iso(e), c, p
        }
    }' >"$data/bench_disruptions.csv"

# gen gives every order a ship-from and makes no protections; so that the comparison
# covers those rules too: shops whose id ends in 7 lose their ship-from (in shops.csv
# and on their orders: no origin, never exempt), orders whose id ends in 3 leave it
# empty (the shop's applies, as on import), and one shop in 50 gets a protection
# window of 3 to 10 days in October.
awk -F, -v OFS=, 'NR > 1 && $1 ~ /7$/ { $6 = "" } { print }' "$data/shops.csv" >"$tmp/shops.csv"
mv "$tmp/shops.csv" "$data/shops.csv"
awk -F, -v OFS=, 'NR > 1 && NF == 20 && ($3 ~ /7$/ || $1 ~ /3$/) { $11 = "" } { print }' \
    "$data/orders.csv" >"$tmp/orders.csv"
mv "$tmp/orders.csv" "$data/orders.csv"
awk -F, -v t0="$(date -u -d 2024-10-01 +%s)" '
    function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
    BEGIN { srand(2); print "shop,starts_at,ends_at,reason" }
    NR > 1 && rand() < 0.02 {
        s = t0 + int(rand() * 30 * 24) * 3600
        printf "%s,%s,%s,bench\n", $1, iso(s), iso(s + (3 + int(rand() * 8)) * 86400)
    }' "$data/shops.csv" >"$data/bench_protections.csv"

db=$tmp/store.db
"$BALLAST" --db "$db" init >/dev/null 2>&1
t0=$(now)
for kind in shops skus warehouses suppliers channels disruptions orders; do
    "$BALLAST" --db "$db" import "$kind" "$data/$kind.csv" >/dev/null 2>"$tmp/import.err" ||
        { cat "$tmp/import.err" >&2; exit 1; }
done
for f in disruptions protections; do
    "$BALLAST" --db "$db" import "$f" "$data/bench_$f.csv" >/dev/null 2>"$tmp/import.err" ||
        { cat "$tmp/import.err" >&2; exit 1; }
done
t1=$(now)
NORD=$(sqlite3 "$db" "SELECT count(*) FROM orders")
NSHOP=$(sqlite3 "$db" "SELECT count(*) FROM shop")
NDIS=$(sqlite3 "$db" "SELECT count(*) FROM disruption")
NPROT=$(sqlite3 "$db" "SELECT count(*) FROM protection")
NOFROM=$(sqlite3 "$db" "SELECT count(*) FROM orders WHERE coalesce(ship_from, '') = ''")
printf 'store:   %s shop orders (%s without ship-from), %s shops, %s disruptions, %s protections;\n' \
    "$NORD" "$NOFROM" "$NSHOP" "$NDIS" "$NPROT"
printf '         imported in %s s; %s MB\n' "$(elapsed "$t0" "$t1")" "$(($(wc -c <"$db") / 1000000))"

# ---- the query --------------------------------------------------------------------
# One SELECT over four relations (shops, ord, dis, prot) that each peer defines from
# its own sources; ord has one row per shop order with a key oid. rd: which disruption
# covers which region code used by an order (containment: equal, or a prefix followed
# by '-' or ':', or any prefix inside a postal code), so that matching an order is an
# equi-join on the code, as the engine's trie lookup is. An order is exempt over
# [T0, T1) when it has a ship-from (origin required) and a protection of its shop or
# an applicable disruption on its ship-from or ship-to is active during [T0, T1): the
# exempt orders are collected by joins (ship_ex, deliv_ex), then tested with IN. An
# order the platform fulfils (pf: the order's fulfilment, else its shop's) is not the
# seller's: it is neither due nor delivery-due nor a seller cancel (kuaishou keeps such
# orders in no group of metrics).
# exempt_join FLAG T0 T1: the keys of the orders with FLAG that are exempt over [T0, T1).
exempt_join() {
    local flag=$1 t0=$2 t1=$3
    cat <<SQL
    SELECT q.oid FROM o3 q JOIN prot p ON p.sid = q.sid
    WHERE q.$flag AND coalesce(q.f, '') <> '' AND p.s < $t1 AND $t0 < p.e
    UNION
    SELECT q.oid FROM o3 q JOIN rd ON rd.code = q.f
    WHERE q.$flag AND rd.orig AND rd.s < $t1 AND $t0 < rd.e
      AND (rd.channel IS NULL OR rd.channel = q.ch)
    UNION
    SELECT q.oid FROM o3 q JOIN rd ON rd.code = q.t
    WHERE q.$flag AND coalesce(q.f, '') <> '' AND rd.dest AND rd.s < $t1 AND $t0 < rd.e
      AND (rd.channel IS NULL OR rd.channel = q.ch)
SQL
}
body() {
    cat <<SQL
codes AS MATERIALIZED (
    SELECT f AS code FROM ord WHERE coalesce(f, '') <> ''
    UNION SELECT t FROM ord WHERE coalesce(t, '') <> ''),
rd AS MATERIALIZED (
    SELECT c.code, d.s, d.e, d.channel,
           d.scope IN ('origin', 'both') AS orig, d.scope IN ('destination', 'both') AS dest
    FROM codes c JOIN dis d
      ON substr(c.code, 1, length(d.region)) = d.region
     AND (length(c.code) = length(d.region) OR instr(d.region, ':') > 0
          OR substr(c.code, length(d.region) + 1, 1) IN ('-', ':'))
    WHERE coalesce(d.supplier, '') = ''),
o1 AS $NM (
    SELECT oid, sid, f, t, ch, pl, sb, sh, pk, dv, pr, cb, pf,
           (ca IS NOT NULL AND ca <= $A) AS canc
    FROM ord),
o2 AS $NM (
    SELECT *,
           (sb IS NOT NULL AND sb <= $A AND sb > $LO AND NOT canc AND NOT pf) AS due,
           (pr IS NOT NULL AND pr <= $A AND pr > $LO AND NOT canc AND NOT pf) AS ddue,
           (pl IS NOT NULL AND pl <= $A AND pl > $LO) AS pin,
           (sh IS NOT NULL AND sh <= $A) AS shk,
           CASE WHEN coalesce(sb, pl) IS NULL OR coalesce(sb, pl) >= pr THEN pr - 1
                ELSE coalesce(sb, pl) END AS ds
    FROM o1),
o3 AS MATERIALIZED (SELECT * FROM o2 WHERE due OR ddue OR pin),
ship_ex AS MATERIALIZED (
$(exempt_join due q.sb "q.sb + 1")),
deliv_ex AS MATERIALIZED (
$(exempt_join ddue q.ds q.pr)),
o4 AS MATERIALIZED (
    SELECT q.*, (q.due AND q.oid IN (SELECT oid FROM ship_ex)) AS ex,
           (q.ddue AND q.oid IN (SELECT oid FROM deliv_ex)) AS dex
    FROM o3 q),
agg AS (
    SELECT sid,
           count(*) FILTER (WHERE due) AS due,
           count(*) FILTER (WHERE ex) AS exempt,
           count(*) FILTER (WHERE due AND NOT ex) AS counted,
           count(*) FILTER (WHERE due AND NOT ex AND shk AND sh <= sb) AS on_time,
           count(*) FILTER (WHERE due AND NOT ex AND NOT (shk AND sh <= sb)) AS late,
           count(*) FILTER (WHERE due AND NOT ex AND shk AND
               (CASE WHEN pk IS NOT NULL AND pk <= $A THEN pk - sh ELSE $A - sh END)
               > $PICKUP_SECS) AS pickup_anomalies,
           count(*) FILTER (WHERE ddue) AS delivery_due,
           count(*) FILTER (WHERE dex) AS delivery_exempt,
           count(*) FILTER (WHERE ddue AND NOT dex) AS delivery_counted,
           count(*) FILTER (WHERE ddue AND NOT dex
               AND NOT (dv IS NOT NULL AND dv <= $A AND dv < pr)) AS delivered_late,
           count(*) FILTER (WHERE pin) AS placed,
           count(*) FILTER (WHERE pin AND canc AND cb = 'seller' AND NOT pf) AS seller_cancels,
           count(*) FILTER (WHERE due AND NOT ex AND shk) AS shipped
    FROM o4 GROUP BY sid)
SELECT s.ext AS shop,
       coalesce(a.due, 0) AS due, coalesce(a.exempt, 0) AS exempt,
       coalesce(a.counted, 0) AS counted, coalesce(a.on_time, 0) AS on_time,
       coalesce(a.late, 0) AS late, coalesce(a.pickup_anomalies, 0) AS pickup_anomalies,
       coalesce(a.delivery_due, 0) AS delivery_due,
       coalesce(a.delivery_exempt, 0) AS delivery_exempt,
       coalesce(a.delivery_counted, 0) AS delivery_counted,
       coalesce(a.delivered_late, 0) AS delivered_late, coalesce(a.placed, 0) AS placed,
       coalesce(a.seller_cancels, 0) AS seller_cancels, coalesce(a.shipped, 0) AS shipped
FROM shops s LEFT JOIN agg a ON a.sid = s.sid
ORDER BY s.ext
SQL
}

# write_queries: the sqlite3 and the DuckDB query for the as-of in A (and LO).
write_queries() {
    # SQLite would otherwise copy every order into a temporary table for ord, o1 and o2.
    NM="NOT MATERIALIZED"
    {
        cat <<SQL
WITH
shops AS (SELECT id AS sid, ext_id AS ext FROM shop),
ord AS $NM (
    SELECT o.id AS oid, o.shop_id AS sid, o.ship_from AS f, o.ship_to AS t, o.channel AS ch,
           o.placed_at AS pl, o.ship_by AS sb, o.shipped_at AS sh, o.picked_up_at AS pk,
           o.delivered_at AS dv, o.promised_at AS pr, o.cancelled_at AS ca,
           o.cancelled_by AS cb, coalesce(o.fulfilment, s.fulfilment) = 'platform' AS pf
    FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id),
dis AS (
    SELECT region, scope, starts_at AS s,
           CASE WHEN lifted_at IS NOT NULL AND lifted_at < ends_at THEN lifted_at
                ELSE ends_at END AS e,
           channel, supplier
    FROM disruption),
prot AS (SELECT shop_id AS sid, starts_at AS s, ends_at AS e FROM protection),
SQL
        body
        echo ";"
    } >"$tmp/sqlite.sql"
    # DuckDB's tables (duckdb_load) have the relations' names and columns.
    NM=""
    {
        echo "WITH"
        body
    } >"$tmp/duckdb.sql"
}

# ---- DuckDB's own database ----------------------------------------------------------
# duckdb_load DB [UPDATE.csv]: a DuckDB file with the tables the query reads, built
# from the CSV files gen wrote (and the bench's): orders.csv deduplicated to one row
# per (shop, order) (an empty ship-from takes the shop's, as on import), ISO 8601
# text to epoch seconds, both disruption files, the protections file. With an update
# file, an order it holds takes its rows instead (what `ballast import orders` of it
# does to the store). Not timed: the timed runs read this file, as Ballast and sqlite3
# read the store.
ts() { echo "epoch(CAST(any_value($1) AS TIMESTAMPTZ))::BIGINT"; }
csv() { echo "read_csv('$1', all_varchar = true, header = true)"; }
duckdb_load() {
    local ddb=$1 upd=${2:-} lines t0 t1
    if [ -n "$upd" ]; then
        lines="(SELECT * FROM (SELECT *, 0 AS prio FROM $(csv "$data/orders.csv")
                UNION ALL SELECT *, 1 AS prio FROM $(csv "$upd"))
            QUALIFY prio = max(prio) OVER (PARTITION BY shop, \"order\"))"
    else
        lines=$(csv "$data/orders.csv")
    fi
    cat >"$tmp/duckdb_load.sql" <<SQL
CREATE TABLE shops AS SELECT id AS sid, id AS ext, ship_from, fulfilment FROM $(csv "$data/shops.csv");
CREATE TABLE ord AS
    SELECT row_number() OVER () AS oid, shop AS sid,
           coalesce(any_value(l.ship_from), any_value(sh.ship_from)) AS f,
           any_value(ship_to) AS t,
           any_value(channel) AS ch, $(ts placed_at) AS pl, $(ts ship_by) AS sb,
           $(ts shipped_at) AS sh, $(ts picked_up_at) AS pk, $(ts delivered_at) AS dv,
           $(ts promised_at) AS pr, $(ts cancelled_at) AS ca, any_value(cancelled_by) AS cb,
           coalesce(any_value(sh.fulfilment), 'merchant') = 'platform' AS pf
    FROM $lines l LEFT JOIN shops sh ON sh.sid = l.shop
    GROUP BY shop, "order";
CREATE TABLE dis AS
    SELECT region, scope, epoch(CAST(starts_at AS TIMESTAMPTZ))::BIGINT AS s,
           coalesce(epoch(CAST(ends_at AS TIMESTAMPTZ))::BIGINT, 9223372036854775807) AS e,
           channel, supplier
    FROM $(csv "$data/disruptions.csv")
    UNION ALL
    SELECT region, scope, epoch(CAST(starts_at AS TIMESTAMPTZ))::BIGINT,
           coalesce(epoch(CAST(ends_at AS TIMESTAMPTZ))::BIGINT, 9223372036854775807),
           channel, supplier
    FROM $(csv "$data/bench_disruptions.csv");
CREATE TABLE prot AS
    SELECT shop AS sid, epoch(CAST(starts_at AS TIMESTAMPTZ))::BIGINT AS s,
           epoch(CAST(ends_at AS TIMESTAMPTZ))::BIGINT AS e
    FROM $(csv "$data/bench_protections.csv");
SQL
    t0=$(now)
    node "$root/bench/node/assess_duckdb.mjs" load "$ddb" "$tmp/duckdb_load.sql" \
        ${DUCKDB_THREADS:-} 2>"$tmp/duckdb.err" || { cat "$tmp/duckdb.err" >&2; exit 1; }
    t1=$(now)
    printf 'duckdb:  %s loaded in %s s (not timed): %s shop orders; %s MB\n' "$(basename "$ddb")" \
        "$(elapsed "$t0" "$t1")" "$(node "$root/bench/node/assess_duckdb.mjs" count "$ddb")" \
        "$(($(wc -c <"$ddb") / 1000000))"
}

# ---- the runs ---------------------------------------------------------------------
# CUR_AS_OF: the as-of of the runs; DDB: DuckDB's file.
run_ballast() {
    "$BALLAST" --db "$db" assess --as-of "$CUR_AS_OF" --profile "$PROFILE" --all-shops --dry-run \
        --format csv >"$tmp/ballast.out" 2>"$tmp/ballast.err" || { cat "$tmp/ballast.err" >&2; exit 1; }
}
run_sqlite() {
    sqlite3 -csv -header -cmd "PRAGMA cache_size=-262144" -cmd "PRAGMA temp_store=MEMORY" \
        "$db" <"$tmp/sqlite.sql" >"$tmp/sqlite.out" 2>"$tmp/sqlite.err" || { cat "$tmp/sqlite.err" >&2; exit 1; }
}
run_duckdb() {
    node "$root/bench/node/assess_duckdb.mjs" query "$DDB" "$tmp/duckdb.sql" "$tmp/duckdb.out" \
        ${DUCKDB_THREADS:-} 2>"$tmp/duckdb.err" || { cat "$tmp/duckdb.err" >&2; exit 1; }
}
timed() {
    local t0 t1
    t0=$(now)
    "$@"
    t1=$(now)
    elapsed "$t0" "$t1"
}
# ballast_alone AS_OF: the median of RUNS runs of ballast alone.
ballast_alone() {
    CUR_AS_OF=$1
    : >"$tmp/a.times"
    for _ in $(seq "$RUNS"); do
        timed run_ballast >>"$tmp/a.times"; echo >>"$tmp/a.times"
    done
    median <"$tmp/a.times"
}

# ballast's csv columns: shop,profile,as_of,window_days,due,exempt,counted,
# shipped_on_time,late,on_time_rate,pickup_anomalies,pickup_anomaly_rate,delivery_due,
# delivery_exempt,delivery_counted,delivered_late,late_delivery_rate,orders_placed,
# seller_cancels,cancel_rate,rating,carried_over,score,carried_from,shipped
agree() {
    if cmp -s "$1" "$2"; then
        echo "yes ($(wc -l <"$1") shops, 13 counters each)"
    else
        echo "NO: $(diff "$1" "$2" | grep -c '^<') shops differ, e.g.:"
        diff "$1" "$2" | head -6 | sed 's/^/      /'
    fi
}
totals() {
    awk -F, '{ for (i = 2; i <= NF; i++) t[i] += $i } END {
        printf "due %d, exempt %d, counted %d, on time %d, late %d, pickup anomalies %d, ", t[2], t[3], t[4], t[5], t[6], t[7]
        printf "delivery due %d, exempt %d, counted %d, late %d, placed %d, seller cancels %d, shipped %d\n", t[8], t[9], t[10], t[11], t[12], t[13], t[14] }' "$1"
}

disagree=0
# compare TITLE AS_OF DUCKDB_FILE: the three peers, interleaved, RUNS times each; the
# medians, the ratios, whether the counters agree.
compare() {
    local title=$1 b_med s_med d_med b_rate s_rate d_rate
    CUR_AS_OF=$2
    DDB=$3
    A=$(date -u -d "$CUR_AS_OF" +%s)
    LO=$((A - WINDOW * 86400))
    write_queries
    : >"$tmp/b.times"
    : >"$tmp/s.times"
    : >"$tmp/d.times"
    for _ in $(seq "$RUNS"); do # interleaved, so that a noisy neighbour hits all three
        timed run_ballast >>"$tmp/b.times"; echo >>"$tmp/b.times"
        timed run_sqlite >>"$tmp/s.times"; echo >>"$tmp/s.times"
        timed run_duckdb >>"$tmp/d.times"; echo >>"$tmp/d.times"
    done
    b_med=$(median <"$tmp/b.times")
    LAST_B_MED=$b_med
    s_med=$(median <"$tmp/s.times")
    d_med=$(median <"$tmp/d.times")

    awk -F, 'NR > 1 { print $1","$5","$6","$7","$8","$9","$11","$13","$14","$15","$16","$18","$19","$25 }' \
        "$tmp/ballast.out" | LC_ALL=C sort >"$tmp/b.cmp"
    tail -n +2 "$tmp/sqlite.out" | tr -d '\r' | LC_ALL=C sort >"$tmp/s.cmp"
    tail -n +2 "$tmp/duckdb.out" | tr -d '\r' | LC_ALL=C sort >"$tmp/d.cmp"

    echo
    echo "== $title"
    echo "as of $CUR_AS_OF, window $WINDOW days, profile $PROFILE, all shops:"
    echo "  totals: $(totals "$tmp/b.cmp")"
    echo "  sqlite3 agrees with ballast: $(agree "$tmp/b.cmp" "$tmp/s.cmp")"
    echo "  duckdb agrees with ballast:  $(agree "$tmp/b.cmp" "$tmp/d.cmp")"
    cmp -s "$tmp/b.cmp" "$tmp/s.cmp" && cmp -s "$tmp/b.cmp" "$tmp/d.cmp" || disagree=1

    b_rate=$(rate "$NORD" "$b_med")
    s_rate=$(rate "$NORD" "$s_med")
    d_rate=$(rate "$NORD" "$d_med")
    echo
    echo "assessment of $NORD shop orders, $NSHOP shops, median of $RUNS (wall clock, whole process):"
    printf '  ballast assess (SQLite store)  %8.3f s  %12s orders/s\n' "$b_med" "$b_rate"
    printf '  sqlite3 CLI, one SELECT        %8.3f s  %12s orders/s\n' "$s_med" "$s_rate"
    printf '  duckdb (node-api), own db file %8.3f s  %12s orders/s\n' "$d_med" "$d_rate"
    printf '  ratio ballast/sqlite3          %8s   (goal: at least 10)\n' "$(ratio "$b_rate" "$s_rate")"
    printf '  ratio ballast/duckdb           %8s   (goal: above 1)\n' "$(ratio "$b_rate" "$d_rate")"
    echo "  single runs: ballast $(tr '\n' ' ' <"$tmp/b.times")| sqlite3 $(tr '\n' ' ' <"$tmp/s.times")| duckdb $(tr '\n' ' ' <"$tmp/d.times")" |
        sed 's/  */ /g'
}

# ---- the store as imported ----------------------------------------------------------
duckdb_load "$tmp/imported.duckdb"
compare "the store as imported" "$AS_OF" "$tmp/imported.duckdb"

# ---- UPD_PCT% of the orders updated after import ------------------------------------
if [ "$UPD_PCT" -gt 0 ]; then
    NUPD=$((NORD * UPD_PCT / 100))
    echo
    "$root/bench/update_rows.sh" "$data/orders.csv" "$NUPD" "$tmp/update.csv"
    before_upd=$(ballast_alone "$AS_OF_UPD")
    t0=$(now)
    "$BALLAST" --db "$db" import orders "$tmp/update.csv" >/dev/null 2>"$tmp/import.err" ||
        { cat "$tmp/import.err" >&2; exit 1; }
    t1=$(now)
    printf 'import:  %s in %s s\n' "$(sed -n 's/^ballast: imported [^:]*: \(.*\) in [0-9.]* s$/\1/p' "$tmp/import.err")" \
        "$(elapsed "$t0" "$t1")"
    NSTALE=$(sqlite3 "$db" "SELECT count(*) FROM orders WHERE stale IS NOT NULL")
    duckdb_load "$tmp/updated.duckdb" "$tmp/update.csv"
    compare "$UPD_PCT% of the orders updated after import ($NSTALE stale rows)" "$AS_OF_UPD" \
        "$tmp/updated.duckdb"
    after_old=$(ballast_alone "$AS_OF")
    echo
    echo "ballast assess alone, median of $RUNS (what the $NSTALE stale rows cost):"
    printf '  as of %s, before the update  %8.3f s\n' "$AS_OF_UPD" "$before_upd"
    printf '  as of %s, after the update   %8.3f s   (above)\n' "$AS_OF_UPD" "$LAST_B_MED"
    printf '  as of %s, after the update   %8.3f s   (no updated order in the window)\n' \
        "$AS_OF" "$after_old"
fi

if [ -x "$ENGINE" ]; then
    echo
    echo "pure engine pass (bl_assess_prepare + bl_assess_count, synthetic, one thread;"
    echo "orders grouped by shop, as the snapshot holds them):"
    "$ENGINE" "$NORD" "$NSHOP" "$NDIS" "$RUNS" 90 by-shop >"$tmp/engine.out"
    sed 's/^/  /' "$tmp/engine.out"
    e_cpu=$(sed -n 's/^engine_orders_per_sec_cpu //p' "$tmp/engine.out")
    printf '  engine: %s orders/s per core (goal: at least 50000000)\n' "$e_cpu"
else
    echo "no $ENGINE: build it with make build" >&2
fi
if [ "$disagree" = 1 ]; then
    echo "bench/assess.sh: the peers do not compute the same counters; the ratios mean nothing" >&2
    exit 1
fi
