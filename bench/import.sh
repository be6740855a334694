#!/usr/bin/env bash
# bench/import.sh - how fast `ballast import orders` loads a large file, against the
# sqlite3 CLI's `.import --csv` of the same file into an equivalent typed table, and
# against the floor: SQLite inserting the rows Ballast stored, from memory, into the
# same tables (what no importer into this schema can beat); and Ballast's peak memory
# for N and N/4 rows (it should not grow with the file).
#
# Usage: bench/import.sh [N]      N order lines, default 1000000
# Env:   BALLAST=path/to/ballast  (default: build/ballast, built with `make build`)
#        RUNS=3                   timed runs per side; the median is reported
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp" >&2; fi

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

if command -v hyperfine >/dev/null; then
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
