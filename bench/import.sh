#!/usr/bin/env bash
# bench/import.sh - how fast `ballast import orders` loads a large file, against the
# sqlite3 CLI's `.import --csv` of the same file into an equivalent typed table, and
# against the floor: SQLite inserting the rows Ballast stored, from memory, into the
# same tables (what no importer into this schema can beat); and Ballast's peak memory
# for N and N/4 rows (it should not grow with the file).
#
# On PostgreSQL (a throwaway server the bench starts and stops, tests/pg.sh): Ballast's
# import into a fresh store against `psql \copy` of the same CSV into a typed table
# with a unique key; then the update path: a second file of the same orders, part of
# them changed (shipped_at, delivered_at filled in), imported into that store, against
# `psql \copy` of it into a temporary table and one `UPDATE ... FROM` of the rows that
# differ.
#
# Usage: bench/import.sh [N]      N order lines, default 1000000
# Env:   BALLAST=path/to/ballast  (default: build/ballast, built with `make build`)
#        RUNS=3                   timed runs per side; the median is reported
#        PG=1                     also PostgreSQL (default when its server is installed);
#                                 PG=0 SQLite only, PG=only PostgreSQL only
#        KEEP=1                   keep the temporary directory
set -euo pipefail

N=${1:-1000000}
RUNS=${RUNS:-3}
case $N in '' | *[!0-9]*) echo "usage: bench/import.sh [N]   (N order lines)" >&2; exit 2 ;; esac
[ "$N" -ge 4 ] || { echo "bench/import.sh: N must be at least 4" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
command -v sqlite3 >/dev/null || { echo "bench/import.sh: needs the sqlite3 CLI" >&2; exit 1; }

if [ -z "${PG:-}" ]; then
    PG=0
    if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && command -v psql >/dev/null; then PG=1; fi
fi
[ "$PG" = 0 ] || command -v psql >/dev/null || { echo "bench/import.sh: PG=$PG needs psql" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")
cleanup() {
    if [ -f "$tmp/pg/url" ]; then "$root/tests/pg.sh" stop "$tmp/pg" || true; fi
    if [ -z "${KEEP:-}" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
if [ -n "${KEEP:-}" ]; then echo "keeping $tmp" >&2; fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Peak RSS (KiB) of a command: GNU time when present, else polling VmHWM in /proc.
peak_rss() {
    local out=$1
    shift
    if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
        /usr/bin/time -v -o "$out.time" "$@"
        sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$out.time" >"$out"
    else
        "$@" &
        local pid=$! hwm=0 v
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$v" ] && hwm=$v
            sleep 0.02
        done
        wait "$pid"
        echo "$hwm" >"$out"
    fi
}

# A fresh store with the records orders refer to.
fresh_db() {
    local db=$1 data=$2
    rm -f "$db" "$db-wal" "$db-shm"
    "$BALLAST" --db "$db" init 2>/dev/null
    for kind in shops skus warehouses suppliers channels; do
        "$BALLAST" --db "$db" import "$kind" "$data/$kind.csv" 2>/dev/null
    done
}

# One timed import of orders; prints seconds, leaves the peak RSS in $tmp/rss.
ballast_orders() {
    local db=$1 data=$2 t0 t1
    fresh_db "$db" "$data"
    t0=$(now)
    peak_rss "$tmp/rss" "$BALLAST" --db "$db" import orders "$data/orders.csv" 2>"$tmp/import.err" ||
        { cat "$tmp/import.err" >&2; exit 1; }
    t1=$(now)
    elapsed "$t0" "$t1"
}

# The table the sqlite3 shell loads: orders.csv's columns, typed, with Ballast's
# journal mode (its synchronous and cache settings are given at import time).
cat >"$tmp/schema.sql" <<'SQL'
PRAGMA journal_mode=WAL;
CREATE TABLE orders (
    "order" TEXT NOT NULL, line INTEGER NOT NULL, shop TEXT NOT NULL, sku TEXT NOT NULL,
    qty INTEGER NOT NULL, unit_price NUMERIC NOT NULL, currency TEXT, placed_at TEXT NOT NULL,
    ship_by TEXT, promised_at TEXT, ship_from TEXT, ship_to TEXT, picked_up_at TEXT,
    shipped_at TEXT, delivered_at TEXT, cancelled_at TEXT, cancelled_by TEXT, customer TEXT,
    locale TEXT, channel TEXT);
SQL
fresh_sqlite() {
    rm -f "$1" "$1-wal" "$1-shm"
    sqlite3 "$1" <"$tmp/schema.sql" >/dev/null
}
sqlite_import() { # db csv
    sqlite3 -cmd "PRAGMA synchronous=NORMAL" -cmd "PRAGMA cache_size=-65536" "$1" \
        ".import --csv --skip 1 $2 orders"
}

# One timed sqlite3 load; prints seconds.
sqlite_orders() {
    local db=$1 csv=$2 t0 t1 got
    fresh_sqlite "$db"
    t0=$(now)
    sqlite_import "$db" "$csv"
    t1=$(now)
    got=$(sqlite3 "$db" "SELECT count(*) FROM orders")
    [ "$got" = "$N" ] || { echo "bench/import.sh: sqlite3 loaded $got rows, expected $N" >&2; exit 1; }
    elapsed "$t0" "$t1"
}

echo "ballast: $BALLAST"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
echo "data:    $tmp (N = $N order lines)"

t0=$(now)
"$BALLAST" gen --out "$tmp/data" --orders "$N" --seed 1 2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; exit 1; }
t1=$(now)
gen_s=$(elapsed "$t0" "$t1")
"$BALLAST" gen --out "$tmp/data4" --orders $((N / 4)) --seed 1 2>/dev/null
size=$(wc -c <"$tmp/data/orders.csv")
printf 'gen:     %s lines, %s MB of orders.csv, all files in %s s (%s lines/s)\n' \
    "$N" "$(awk -v b="$size" 'BEGIN { printf "%.0f", b / 1e6 }')" "$gen_s" "$(rate "$N" "$gen_s")"

if [ "$PG" = only ]; then
    :
elif command -v hyperfine >/dev/null; then
    # hyperfine runs a prepare command before each timed run: a fresh store or table.
    {
        echo '#!/usr/bin/env bash'
        echo 'set -e'
        printf 'BALLAST=%q\ntmp=%q\n' "$BALLAST" "$tmp"
        declare -f fresh_db fresh_sqlite
        echo '"$@"'
    } >"$tmp/prep.sh"
    chmod +x "$tmp/prep.sh"
    hyperfine --runs "$RUNS" --style none --export-json "$tmp/b.json" \
        --prepare "$tmp/prep.sh fresh_db $tmp/b.db $tmp/data" \
        "$BALLAST --db $tmp/b.db import orders $tmp/data/orders.csv" >/dev/null
    hyperfine --runs "$RUNS" --style none --export-json "$tmp/s.json" \
        --prepare "$tmp/prep.sh fresh_sqlite $tmp/s.db" \
        "sqlite3 -cmd 'PRAGMA synchronous=NORMAL' -cmd 'PRAGMA cache_size=-65536' $tmp/s.db '.import --csv --skip 1 $tmp/data/orders.csv orders'" \
        >/dev/null
    b_med=$(sed -n 's/.*"median": *\([0-9.eE+-]*\).*/\1/p' "$tmp/b.json" | head -1)
    s_med=$(sed -n 's/.*"median": *\([0-9.eE+-]*\).*/\1/p' "$tmp/s.json" | head -1)
    ballast_orders "$tmp/b.db" "$tmp/data" >/dev/null # once more, for the peak RSS
    rss=$(cat "$tmp/rss")
    timer="hyperfine, $RUNS runs each"
else
    : >"$tmp/b.times"
    : >"$tmp/s.times"
    rss=0
    for _ in $(seq "$RUNS"); do
        ballast_orders "$tmp/b.db" "$tmp/data" >>"$tmp/b.times"
        echo >>"$tmp/b.times"
        r=$(cat "$tmp/rss")
        if [ "${r:-0}" -gt "$rss" ]; then rss=$r; fi
        sqlite_orders "$tmp/s.db" "$tmp/data/orders.csv" >>"$tmp/s.times"
        echo >>"$tmp/s.times"
    done
    b_med=$(median <"$tmp/b.times")
    s_med=$(median <"$tmp/s.times")
    timer="date, $RUNS runs each"
fi

if [ "$PG" != only ]; then
ballast_orders "$tmp/b4.db" "$tmp/data4" >/dev/null
rss4=$(cat "$tmp/rss")

# The floor: SQLite itself inserting the rows Ballast stored (orders with their unique
# index, order lines) into a fresh store of the same schema, from temporary tables
# already in memory, in one transaction: no parsing, no validation, no binding, one
# core. No importer into these tables can beat this on this machine; a median of RUNS.
schema=$(sqlite3 "$tmp/b.db" "SELECT sql || ';' FROM sqlite_master WHERE tbl_name IN ('orders', 'order_line') AND sql IS NOT NULL")
: >"$tmp/f.times"
for _ in $(seq "$RUNS"); do
    rm -f "$tmp/f.db" "$tmp/f.db-wal" "$tmp/f.db-shm"
    sqlite3 "$tmp/f.db" >"$tmp/f.out" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-65536;
PRAGMA temp_store=MEMORY;
$schema
ATTACH '$tmp/b.db' AS b;
CREATE TEMP TABLE o AS SELECT * FROM b.orders ORDER BY org_id, id;
CREATE TEMP TABLE l AS SELECT * FROM b.order_line ORDER BY org_id, order_id, line_no;
DETACH b;
.timer on
BEGIN;
INSERT INTO orders SELECT * FROM o;
INSERT INTO order_line SELECT * FROM l;
COMMIT;
SQL
    awk '/^Run Time:/ { t += $4 } END { printf "%.3f\n", t }' "$tmp/f.out" >>"$tmp/f.times"
done
f_med=$(median <"$tmp/f.times")

b_rate=$(rate "$N" "$b_med")
s_rate=$(rate "$N" "$s_med")
echo
echo "orders import of $N lines, median of $RUNS ($timer):"
printf '  ballast import orders   %8.3f s  %10s rows/s\n' "$b_med" "$b_rate"
printf '  sqlite3 .import --csv   %8.3f s  %10s rows/s\n' "$s_med" "$s_rate"
printf '  ratio ballast/sqlite3   %8s\n' "$(awk -v a="$b_rate" -v b="$s_rate" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
printf '  floor: SQLite inserting the stored rows from memory into the same tables\n'
printf '         (orders + unique index + order lines, one transaction, no parsing)\n'
printf '                          %8.3f s  %10s rows/s\n' "$f_med" "$(rate "$N" "$f_med")"
printf '  ratio ballast/floor     %8s\n' "$(awk -v a="$f_med" -v b="$b_med" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
echo "ballast peak RSS:"
printf '  N   = %-10s %8s MB\n' "$N" "$(mb "$rss")"
printf '  N/4 = %-10s %8s MB\n' "$((N / 4))" "$(mb "$rss4")"
fi

[ "$PG" != 0 ] || exit 0

# ---- PostgreSQL ----------------------------------------------------------------------
# A server on loopback started for the bench (tests/pg.sh: fsync, synchronous_commit and
# full_page_writes off, for both sides alike). Ballast's store and the peer's table live
# in databases of their own, made afresh for each timed run.
"$root/tests/pg.sh" start "$tmp/pg" >/dev/null
pg_url=$(cat "$tmp/pg/url")
pg_host=${pg_url%/*}
b_url=$pg_host/bench_ballast
p_url=$pg_host/bench_peer
pg_fresh() { # DATABASE
    psql -qX "$pg_url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
}

# The second file: the same orders later on; of the ones not cancelled, those with an even
# number progressed: an empty shipped_at and delivered_at filled in (after every time in
# the file, so the order sink accepts the change).
awk 'BEGIN { FS = OFS = "," }
     NR == 1 { print; next }
     { n = $1; sub(/^.*-/, "", n)
       if ($16 == "" && n % 2 == 0) {
           if ($14 == "") $14 = "2099-01-01T08:00:00Z"
           if ($15 == "") $15 = "2099-01-03T12:00:00Z"
       }
       print }' "$tmp/data/orders.csv" >"$tmp/data/orders2.csv"
changed_lines=$(diff "$tmp/data/orders.csv" "$tmp/data/orders2.csv" | grep -c '^>' || true)

# A fresh Ballast store with the records orders refer to (and, with an argument, the
# orders of that file already imported, and the tables analysed as autovacuum does within
# a minute: a store never analysed gets plans that scan every order for each lookup).
pg_ballast_fresh() {
    pg_fresh bench_ballast
    "$BALLAST" --db "$b_url" init 2>/dev/null
    for kind in shops skus warehouses suppliers channels; do
        "$BALLAST" --db "$b_url" import "$kind" "$tmp/data/$kind.csv" >/dev/null 2>&1
    done
    if [ -n "${1:-}" ]; then
        "$BALLAST" --db "$b_url" import orders "$1" >/dev/null 2>&1
        psql -qX "$b_url" -c ANALYZE
    fi
}
pg_ballast_import() { # CSV; prints seconds
    local t0 t1
    t0=$(now)
    "$BALLAST" --db "$b_url" import orders "$1" >"$tmp/pg.out" 2>&1 || { cat "$tmp/pg.out" >&2; exit 1; }
    t1=$(now)
    elapsed "$t0" "$t1"
}

# The peer: orders.csv's columns typed as the file holds them (bigint, numeric,
# timestamptz, text), unique on the organisation, shop, order and line as Ballast's
# orders are on (org_id, shop_id, ext_id).
cols='"order", line, shop, sku, qty, unit_price, currency, placed_at, ship_by, promised_at,
      ship_from, ship_to, picked_up_at, shipped_at, delivered_at, cancelled_at, cancelled_by,
      customer, locale, channel'
cols=$(echo $cols)
cat >"$tmp/peer.sql" <<'SQL'
CREATE TABLE orders_csv (
    org_id bigint NOT NULL DEFAULT 1,
    "order" text NOT NULL, line bigint NOT NULL, shop text NOT NULL, sku text NOT NULL,
    qty bigint NOT NULL, unit_price numeric NOT NULL, currency text,
    placed_at timestamptz NOT NULL, ship_by timestamptz, promised_at timestamptz,
    ship_from text, ship_to text, picked_up_at timestamptz, shipped_at timestamptz,
    delivered_at timestamptz, cancelled_at timestamptz, cancelled_by text, customer text,
    locale text, channel text,
    UNIQUE (org_id, shop, "order", line));
SQL
upd_set= upd_old= upd_new=
for c in sku qty unit_price currency placed_at ship_by promised_at ship_from ship_to \
    picked_up_at shipped_at delivered_at cancelled_at cancelled_by customer locale channel; do
    upd_set="$upd_set${upd_set:+, }$c = u.$c"
    upd_old="$upd_old${upd_old:+, }o.$c"
    upd_new="$upd_new${upd_new:+, }u.$c"
done
cat >"$tmp/peer_upd.sql" <<SQL
\\set ON_ERROR_STOP 1
BEGIN;
CREATE TEMP TABLE upd (LIKE orders_csv INCLUDING DEFAULTS) ON COMMIT DROP;
\\copy upd ($cols) FROM '$tmp/data/orders2.csv' WITH (FORMAT csv, HEADER true)
ANALYZE upd;
UPDATE orders_csv o SET $upd_set FROM upd u
 WHERE o.org_id = u.org_id AND o.shop = u.shop AND o."order" = u."order" AND o.line = u.line
   AND ($upd_old) IS DISTINCT FROM ($upd_new);
\\echo :ROW_COUNT
COMMIT;
SQL
pg_peer_fresh() { # [CSV already loaded]
    pg_fresh bench_peer
    psql -qX -v ON_ERROR_STOP=1 "$p_url" -f "$tmp/peer.sql" >/dev/null
    if [ -n "${1:-}" ]; then
        pg_peer_copy "$1" >/dev/null
        psql -qX "$p_url" -c ANALYZE
    fi
}
pg_peer_copy() { # CSV; prints seconds
    local t0 t1
    t0=$(now)
    psql -qX -v ON_ERROR_STOP=1 "$p_url" \
        -c "\\copy orders_csv ($cols) FROM '$1' WITH (FORMAT csv, HEADER true)"
    t1=$(now)
    elapsed "$t0" "$t1"
}
pg_peer_update() { # prints seconds; the rows updated in $tmp/peer_upd.out
    local t0 t1
    t0=$(now)
    psql -qX "$p_url" -f "$tmp/peer_upd.sql" >"$tmp/peer_upd.out"
    t1=$(now)
    elapsed "$t0" "$t1"
}

: >"$tmp/pb.times"
: >"$tmp/pp.times"
: >"$tmp/pbu.times"
: >"$tmp/ppu.times"
for _ in $(seq "$RUNS"); do
    pg_ballast_fresh
    pg_ballast_import "$tmp/data/orders.csv" >>"$tmp/pb.times"
    echo >>"$tmp/pb.times"
    pg_peer_fresh
    pg_peer_copy "$tmp/data/orders.csv" >>"$tmp/pp.times"
    echo >>"$tmp/pp.times"
done
got=$(psql -qXAt "$p_url" -c "SELECT count(*) FROM orders_csv")
[ "$got" = "$N" ] || { echo "bench/import.sh: psql loaded $got rows, expected $N" >&2; exit 1; }
for _ in $(seq "$RUNS"); do
    pg_ballast_fresh "$tmp/data/orders.csv"
    pg_ballast_import "$tmp/data/orders2.csv" >>"$tmp/pbu.times"
    echo >>"$tmp/pbu.times"
    b_upd=$(sed -n 's/.* \([0-9]*\) updated.*/\1/p' "$tmp/pg.out")
    pg_peer_fresh "$tmp/data/orders.csv"
    pg_peer_update >>"$tmp/ppu.times"
    echo >>"$tmp/ppu.times"
    p_upd=$(grep -E '^[0-9]+$' "$tmp/peer_upd.out" | tail -1)
done
pb_med=$(median <"$tmp/pb.times")
pp_med=$(median <"$tmp/pp.times")
pbu_med=$(median <"$tmp/pbu.times")
ppu_med=$(median <"$tmp/ppu.times")
ratio() { awk -v b="$1" -v p="$2" 'BEGIN { printf "%.2f", (b > 0 ? p / b : 0) }'; }

echo
echo "PostgreSQL $(psql -qXAt "$pg_url" -c 'SHOW server_version' | cut -d' ' -f1), started by the bench (tests/pg.sh), median of $RUNS (date):"
echo "orders import of $N lines into a fresh store:"
printf '  ballast import orders   %8.3f s  %10s rows/s\n' "$pb_med" "$(rate "$N" "$pb_med")"
printf '  psql \\copy, typed table %8.3f s  %10s rows/s\n' "$pp_med" "$(rate "$N" "$pp_med")"
printf '  ratio ballast/psql      %8s\n' "$(ratio "$pb_med" "$pp_med")"
echo "update: the same $N lines again, $changed_lines of them changed (shipped_at, delivered_at filled in):"
printf '  ballast import orders   %8.3f s  %10s rows/s  (%s orders updated)\n' "$pbu_med" "$(rate "$N" "$pbu_med")" "${b_upd:-?}"
printf '  psql \\copy + UPDATE FROM %7.3f s  %10s rows/s  (%s rows updated)\n' "$ppu_med" "$(rate "$N" "$ppu_med")" "${p_upd:-?}"
printf '  ratio ballast/psql      %8s\n' "$(ratio "$pbu_med" "$ppu_med")"
