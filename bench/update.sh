#!/usr/bin/env bash
# bench/update.sh - how fast `ballast import orders` applies changes to orders the store
# already has (issue #12, "orders that change"), against SQLite's own floor for the same
# changes: the sqlite3 CLI, on a copy of the same store, loading the same update rows
# with `.import` into a temporary table and applying them with one UPDATE ... FROM.
#
# Usage: bench/update.sh [N_ORDERS] [N_UPDATES] [N_SHOPS]
#                        shop orders in the store (about: gen counts order lines),
#                        orders updated, shops; default 10000000 100000 N_ORDERS/100
#                        (at most 100000, as bench/assess.sh)
# Env:   BALLAST=path/to/ballast  (default: build/ballast, built with `make build`)
#        RUNS=3                   timed runs per side; the median is reported
#        KEEP=1                   keep the temporary directory
#
# The store: `ballast gen --orders 1.515*N --shops S --seed 1` (gen makes about 1.52
# lines per shop order), imported into a fresh store (not timed). The update file:
# bench/update_rows.sh, the most recent open orders (then in transit, if there are
# not enough open ones), every line of each, identity columns unchanged, with the state
# of the day after the data ends: shipped (4 in 5 open orders), ship-by extended by two
# days (1 in 5), delivered (in transit).
#
# Each timed run starts from a fresh copy of the prepared store file (the copy is not
# timed), interleaved, and times the whole process:
#   ballast  `ballast --db COPY import orders update.csv`: every row parsed and
#            validated, each order looked up and compared field by field, each change
#            recorded in order_event, the changed rows applied by one UPDATE ... FROM
#            and marked stale, the order blocks an eighth or more stale written again
#            from their rows (no longer stale), the batch recorded, COMMIT.
#   sqlite3  the sqlite3 CLI with Ballast's pragmas (WAL, synchronous=NORMAL, 64 MiB
#            cache, temp_store=MEMORY): `.import --csv` of update.csv into a temporary
#            table of text columns, then one UPDATE orders SET ship_by, shipped_at,
#            delivered_at (ISO 8601 to epoch seconds with unixepoch()), stale = 1 FROM
#            the rows of line 1 with their order's id (looked up through shop_ext and
#            orders_ext: the CTE is MATERIALIZED and CROSS JOINed, as SQLite's planner
#            otherwise scans orders_ext whole) WHERE the id matches. No validation, no
#            comparison with the stored row, no history.
# After the runs the two copies must agree: orders with shipped_at set, with
# delivered_at set, the sum of ship_by; and Ballast must say N_UPDATES updated.
set -euo pipefail

N=${1:-10000000}
U=${2:-100000}
S=${3:-$((N / 100 > 100000 ? 100000 : (N / 100 < 1 ? 1 : N / 100)))}
RUNS=${RUNS:-3}
for v in "$N" "$U" "$S" "$RUNS"; do
    case $v in '' | *[!0-9]*)
        echo "usage: bench/update.sh [N_ORDERS] [N_UPDATES] [N_SHOPS]   (whole numbers)" >&2
        exit 2 ;;
    esac
done
[ "$S" -ge 1 ] && [ "$S" -le 100000 ] || { echo "bench/update.sh: 1 to 100000 shops" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
command -v sqlite3 >/dev/null || { echo "bench/update.sh: needs the sqlite3 CLI" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp" >&2; fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "ballast: $BALLAST"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"

# ---- the store ----------------------------------------------------------------------
LINES=$(awk -v n="$N" 'BEGIN { printf "%.0f", n * 1.515 }')
data=$tmp/data
"$BALLAST" gen --out "$data" --orders "$LINES" --shops "$S" --seed 1 2>"$tmp/gen.err" ||
    { cat "$tmp/gen.err" >&2; exit 1; }
sed 's/^ballast gen: [^:]*: /gen:     /' "$tmp/gen.err"

db=$tmp/store.db
"$BALLAST" --db "$db" init >/dev/null 2>&1
t0=$(now)
for kind in shops skus warehouses suppliers channels orders; do
    "$BALLAST" --db "$db" import "$kind" "$data/$kind.csv" >/dev/null 2>"$tmp/import.err" ||
        { cat "$tmp/import.err" >&2; exit 1; }
done
t1=$(now)
[ ! -s "$db-wal" ] || sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$db-wal" "$db-shm"
NORD=$(sqlite3 "$db" "SELECT count(*) FROM orders")
printf 'store:   %s shop orders, %s shops; imported in %s s; %s MB\n' "$NORD" \
    "$(sqlite3 "$db" "SELECT count(*) FROM shop")" "$(elapsed "$t0" "$t1")" \
    "$(($(wc -c <"$db") / 1000000))"

upd=$tmp/update.csv
"$root/bench/update_rows.sh" "$data/orders.csv" "$U" "$upd"
ULINES=$(($(wc -l <"$upd") - 1))

# ---- the runs -----------------------------------------------------------------------
fresh() { # a copy of the prepared store, flushed, so no run pays for another's writes
    rm -f "$1" "$1-wal" "$1-shm"
    cp "$db" "$1"
    sync
}
run_ballast() {
    "$BALLAST" --db "$tmp/b.db" import orders "$upd" >"$tmp/ballast.out" 2>"$tmp/ballast.err" ||
        { cat "$tmp/ballast.err" >&2; exit 1; }
}
ORG=$(sqlite3 "$db" "SELECT min(org_id) FROM shop")
cat >"$tmp/sqlite.sql" <<SQL
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-65536;
PRAGMA temp_store=MEMORY;
CREATE TEMP TABLE u (
    "order" TEXT, line INTEGER, shop TEXT, sku TEXT, qty TEXT, unit_price TEXT,
    currency TEXT, placed_at TEXT, ship_by TEXT, promised_at TEXT, ship_from TEXT,
    ship_to TEXT, picked_up_at TEXT, shipped_at TEXT, delivered_at TEXT,
    cancelled_at TEXT, cancelled_by TEXT, customer TEXT, locale TEXT, channel TEXT);
.import --csv --skip 1 $upd u
WITH v AS MATERIALIZED (
    SELECT o.org_id AS org, o.id AS id, u.ship_by, u.shipped_at, u.delivered_at
    FROM u CROSS JOIN shop s CROSS JOIN orders o
    WHERE u.line = 1 AND s.org_id = $ORG AND s.ext_id = u.shop
      AND o.org_id = s.org_id AND o.shop_id = s.id AND o.ext_id = u."order")
UPDATE orders SET ship_by = unixepoch(v.ship_by), shipped_at = unixepoch(v.shipped_at),
                  delivered_at = unixepoch(v.delivered_at), stale = 1
FROM v WHERE orders.org_id = v.org AND orders.id = v.id;
SELECT changes();
SQL
run_sqlite() {
    sqlite3 "$tmp/s.db" <"$tmp/sqlite.sql" >"$tmp/sqlite.out" 2>"$tmp/sqlite.err" ||
        { cat "$tmp/sqlite.err" >&2; exit 1; }
}
timed() {
    local t0 t1
    t0=$(now)
    "$@"
    t1=$(now)
    elapsed "$t0" "$t1"
}

: >"$tmp/b.times"
: >"$tmp/s.times"
for _ in $(seq "$RUNS"); do # interleaved, so that a noisy neighbour hits both
    fresh "$tmp/b.db"
    timed run_ballast >>"$tmp/b.times"; echo >>"$tmp/b.times"
    said=$(sed -n 's/.* \([0-9]*\) new, \([0-9]*\) updated, \([0-9]*\) unchanged.*/\1 \2 \3/p' "$tmp/ballast.err")
    [ "$said" = "0 $U 0" ] || {
        echo "bench/update.sh: ballast did not update $U orders:" >&2
        cat "$tmp/ballast.err" >&2
        exit 1
    }
    fresh "$tmp/s.db"
    timed run_sqlite >>"$tmp/s.times"; echo >>"$tmp/s.times"
    [ "$(tail -1 "$tmp/sqlite.out")" = "$U" ] || {
        echo "bench/update.sh: sqlite3 updated $(tail -1 "$tmp/sqlite.out") orders, not $U" >&2
        exit 1
    }
done
b_med=$(median <"$tmp/b.times")
s_med=$(median <"$tmp/s.times")

# ---- do they agree? -----------------------------------------------------------------
# (not the stale marks: Ballast writes again the blocks an eighth stale, and clears them)
check_sql="SELECT count(shipped_at), count(delivered_at), sum(ship_by) FROM orders"
stale_sql="SELECT count(stale) FROM orders"
b_check=$(sqlite3 "$tmp/b.db" "$check_sql")
s_check=$(sqlite3 "$tmp/s.db" "$check_sql")
before=$(sqlite3 "$db" "$check_sql")
EVENTS=$(sqlite3 "$tmp/b.db" "SELECT count(*) FROM order_event")
STALE=$(sqlite3 "$tmp/b.db" "$stale_sql")

echo
echo "after the update (orders shipped | delivered | sum of ship_by):"
echo "  before   $before"
echo "  ballast  $b_check   ($EVENTS changes in order_event; $STALE rows left stale)"
echo "  sqlite3  $s_check"
if [ "$b_check" = "$s_check" ]; then agree=yes; else agree=NO; fi
echo "  sqlite3 agrees with ballast: $agree"

b_rate=$(rate "$U" "$b_med")
s_rate=$(rate "$U" "$s_med")
echo
echo "$U orders updated ($ULINES lines) in a store of $NORD, median of $RUNS (wall clock, whole process):"
printf '  ballast import orders            %8.3f s  %10s updates/s\n' "$b_med" "$b_rate"
printf '  sqlite3 .import + UPDATE ... FROM %7.3f s  %10s updates/s\n' "$s_med" "$s_rate"
printf '  ratio ballast/sqlite3            %8s\n' "$(ratio "$b_rate" "$s_rate")"
echo "  single runs: ballast $(tr '\n' ' ' <"$tmp/b.times")| sqlite3 $(tr '\n' ' ' <"$tmp/s.times")" |
    sed 's/  */ /g' 
if [ "$agree" != yes ]; then
    echo "bench/update.sh: the two stores differ after the update; the ratio means nothing" >&2
    exit 1
fi
