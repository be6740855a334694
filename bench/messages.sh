#!/usr/bin/env bash
# bench/messages.sh - how fast `ballast messages plan` plans an organisation's customer
# messages, and whether its time grows linearly with the order lines (issue 15, item 6):
# stores of N, 2N and 4N order lines with the same shops, SKUs, stock, inbound and
# disruptions; against the import of the same order lines in the same run (the issue's
# yardstick: planning should cost no more than importing).
#
# Usage: bench/messages.sh [N]          order lines of the smallest store (default 250000:
#                                       250k, 500k and 1M)
# Env:   BALLAST=path/to/ballast        (default: build/ballast, built with `make build`)
#        RUNS=3                         timed runs per size; the median is reported
#        KEEP=1                         keep the temporary directory
#        SHOPS=50 SKUS=5000 DAYS=90     gen's model (the same for every size)
#        START=2024-09-01               gen's first day; the plan is as of its last day
#        PG=1                           the smallest size on PostgreSQL too (tests/pg.sh);
#                                       0: not
#
# `ballast gen --seed 1` writes each size with the same model (only --orders differs, so
# shops, SKUs, suppliers, channels and disruptions are the same files: checked; stock and
# inbound are the size's own, since gen sizes them by demand). Per size, everything but
# the orders is imported once into a base store, and the orders once more into a copy of
# it (not timed). Then, interleaved, RUNS times per size:
#   plan     `ballast --db COPY messages plan --as-of D` on a fresh copy of the size's
#            store (the messages are stored: a real run), output to /dev/null; the
#            process's wall time, its CPU time (user + sys) and peak RSS.
#   import   `ballast --db COPY import orders orders.csv` on a fresh copy of the size's
#            base store: the same measures.
# Printed per size: order lines, shop orders, open orders as of D, messages planned;
# medians of both; order lines planned per second (wall and CPU); plan / import; and the
# growth of each from N to 2N and from 2N to 4N (linear: about 2.00).
# With PG=1 the smallest size is imported into a throwaway PostgreSQL (tests/pg.sh) and
# planned RUNS times, each on a fresh CREATE DATABASE ... TEMPLATE copy.
# Figures measured (2 shared cores, noisy: compare the CPU columns): see docs/bench.md.
set -euo pipefail

N=${1:-250000}
RUNS=${RUNS:-3}
SHOPS=${SHOPS:-50}
SKUS=${SKUS:-5000}
DAYS=${DAYS:-90}
START=${START:-2024-09-01}
PG=${PG:-1}
for v in "$N" "$RUNS" "$SHOPS" "$SKUS" "$DAYS"; do
    case $v in '' | *[!0-9]*)
        echo "usage: bench/messages.sh [N]   (a whole number of order lines)" >&2
        exit 2 ;;
    esac
done
D=$(date -u -d "$START + $((DAYS - 1)) days" +%F) || exit 2   # gen's last day

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
command -v sqlite3 >/dev/null || { echo "bench/messages.sh: needs the sqlite3 CLI" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/messages.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-msg-bench.XXXXXX")
pgdir=$tmp/pg
cleanup() {
    [ -f "$pgdir/url" ] && "$root/tests/pg.sh" stop "$pgdir" >/dev/null 2>&1 || true
    if [ -z "${KEEP:-}" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
[ -z "${KEEP:-}" ] || echo "keeping $tmp" >&2

die() { echo "bench/messages.sh: $*" >&2; exit 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Runs a command under GNU time; appends "wall cpu rss_kib" to the file $1.
timed() {
    local out=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time.out" "$@" >/dev/null 2>"$tmp/cmd.err" ||
        { cat "$tmp/cmd.err" >&2; die "failed: $*"; }
    awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' "$tmp/time.out" >>"$out"
}

# The median of column $2 of the file $1.
col_median() { awk -v c="$2" '{ print $c }' "$1" | median; }

# Every gen file but the orders into the store $1 (organisation "default"), in gen's order.
import_base() {
    local db=$1 data=$2 kind
    "$BALLAST" --db "$db" init >/dev/null 2>&1 || die "init $db failed"
    for kind in shops skus warehouses suppliers sku_suppliers channels stock inbound sales \
        disruptions rates; do
        [ -f "$data/$kind.csv" ] || continue
        "$BALLAST" --db "$db" import "$kind" "$data/$kind.csv" >/dev/null 2>"$tmp/import.err" ||
            { cat "$tmp/import.err" >&2; die "import $kind failed"; }
    done
}

sizes=("$N" $((2 * N)) $((4 * N)))
echo "== messages plan --as-of $D: $SHOPS shops, $SKUS SKUs, $DAYS days from $START;" \
    "order lines ${sizes[*]}"
for s in "${sizes[@]}"; do
    "$BALLAST" gen --out "$tmp/g$s" --seed 1 --orders "$s" --shops "$SHOPS" --skus "$SKUS" \
        --start "$START" --days "$DAYS" 2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; exit 1; }
    for f in shops skus warehouses suppliers channels disruptions; do
        cmp -s "$tmp/g${sizes[0]}/$f.csv" "$tmp/g$s/$f.csv" ||
            die "gen wrote another $f.csv for $s lines: the sizes are not comparable"
    done
done
for s in "${sizes[@]}"; do
    import_base "$tmp/base$s.db" "$tmp/g$s"
    cp "$tmp/base$s.db" "$tmp/s$s.db"
    "$BALLAST" --db "$tmp/s$s.db" import orders "$tmp/g$s/orders.csv" >/dev/null 2>&1 ||
        die "import orders ($s lines) failed"
done

open_orders() {
    sqlite3 "$1" "SELECT count(*) FROM orders WHERE placed_at < unixepoch('$D', '+1 day')
        AND (delivered_at IS NULL OR delivered_at >= unixepoch('$D', '+1 day'))
        AND (cancelled_at IS NULL OR cancelled_at >= unixepoch('$D', '+1 day'))
        AND status <> 'cancelled'"
}

for k in $(seq "$RUNS"); do
    for s in "${sizes[@]}"; do
        rm -f "$tmp/run.db" "$tmp/run.db-wal" "$tmp/run.db-shm"
        cp "$tmp/s$s.db" "$tmp/run.db"
        timed "$tmp/plan.$s" "$BALLAST" --db "$tmp/run.db" messages plan --as-of "$D"
        sqlite3 "$tmp/run.db" "SELECT count(*) FROM message" >"$tmp/msgs.$s.$k"
        cmp -s "$tmp/msgs.$s.1" "$tmp/msgs.$s.$k" || die "run $k planned another count"
        rm -f "$tmp/run.db" "$tmp/run.db-wal" "$tmp/run.db-shm"
        cp "$tmp/base$s.db" "$tmp/run.db"
        timed "$tmp/imp.$s" "$BALLAST" --db "$tmp/run.db" import orders "$tmp/g$s/orders.csv"
        echo "run $k, $s lines: plan $(tail -n 1 "$tmp/plan.$s" | cut -d' ' -f1) s," \
            "import $(tail -n 1 "$tmp/imp.$s" | cut -d' ' -f1) s" >&2
    done
done

echo
echo "median of $RUNS, wall seconds (CPU seconds: user + sys), order lines per second:"
printf '  %9s %8s %7s %6s %15s %15s %11s %11s %7s\n' lines orders open msgs "plan s (cpu)" \
    "import s (cpu)" "plan l/s" "plan l/cpu" "p/i"
for s in "${sizes[@]}"; do
    pw=$(col_median "$tmp/plan.$s" 1)
    pc=$(col_median "$tmp/plan.$s" 2)
    iw=$(col_median "$tmp/imp.$s" 1)
    ic=$(col_median "$tmp/imp.$s" 2)
    printf '  %9s %8s %7s %6s %7s (%5s) %7s (%5s) %11s %11s %7s\n' "$s" \
        "$(sqlite3 "$tmp/s$s.db" "SELECT count(*) FROM orders")" "$(open_orders "$tmp/s$s.db")" \
        "$(cat "$tmp/msgs.$s.1")" "$pw" "$pc" "$iw" "$ic" "$(per_s "$s" "$pw")" \
        "$(per_s "$s" "$pc")" "$(ratio "$pw" "$iw")"
done
echo "  (open: orders placed and neither delivered nor cancelled by the end of $D; msgs:"
echo "   messages planned; p/i: plan wall time / import wall time)"
growth() {
    printf '  %-18s %6s %6s     %6s %6s\n' "$1" \
        "$(ratio "$(col_median "$2.${sizes[1]}" 1)" "$(col_median "$2.${sizes[0]}" 1)")" \
        "$(ratio "$(col_median "$2.${sizes[2]}" 1)" "$(col_median "$2.${sizes[1]}" 1)")" \
        "$(ratio "$(col_median "$2.${sizes[1]}" 2)" "$(col_median "$2.${sizes[0]}" 2)")" \
        "$(ratio "$(col_median "$2.${sizes[2]}" 2)" "$(col_median "$2.${sizes[1]}" 2)")"
}
echo
echo "growth (linear: 2.00):  wall 2N/N 4N/2N   cpu 2N/N 4N/2N"
growth "messages plan" "$tmp/plan"
growth "import orders" "$tmp/imp"
printf '  peak RSS at %s lines: plan %s MB, import %s MB\n' "${sizes[2]}" \
    "$(mb "$(col_median "$tmp/plan.${sizes[2]}" 3)")" \
    "$(mb "$(col_median "$tmp/imp.${sizes[2]}" 3)")"
printf '  peak RSS at %s lines: plan %s MB, import %s MB\n' "${sizes[0]}" \
    "$(mb "$(col_median "$tmp/plan.${sizes[0]}" 3)")" \
    "$(mb "$(col_median "$tmp/imp.${sizes[0]}" 3)")"

[ "$PG" = 1 ] || exit 0
s=${sizes[0]}
"$root/tests/pg.sh" start "$pgdir" >/dev/null
pgurl=$(cat "$pgdir/url")
export PGOPTIONS="-c client_min_messages=warning"
base=${pgurl%/*}
import_base "$pgurl" "$tmp/g$s"
psql -q "$base/postgres" -c "CREATE DATABASE bench_base TEMPLATE ballast_test" >/dev/null
"$BALLAST" --db "$pgurl" import orders "$tmp/g$s/orders.csv" >/dev/null 2>&1 ||
    die "pg: import orders failed"
psql -q "$pgurl" -c "ANALYZE" >/dev/null
for k in $(seq "$RUNS"); do
    psql -q "$base/postgres" -c "DROP DATABASE IF EXISTS run" \
        -c "CREATE DATABASE run TEMPLATE ballast_test" >/dev/null
    timed "$tmp/pgplan" "$BALLAST" --db "$base/run" messages plan --as-of "$D"
    n=$(psql -Atq "$base/run" -c "SELECT count(*) FROM message")
    [ "$n" = "$(cat "$tmp/msgs.$s.1")" ] || die "pg planned $n messages, SQLite $(cat "$tmp/msgs.$s.1")"
    psql -q "$base/postgres" -c "DROP DATABASE IF EXISTS run" \
        -c "CREATE DATABASE run TEMPLATE bench_base" >/dev/null
    timed "$tmp/pgimp" "$BALLAST" --db "$base/run" import orders "$tmp/g$s/orders.csv"
    echo "pg run $k: plan $(tail -n 1 "$tmp/pgplan" | cut -d' ' -f1) s," \
        "import $(tail -n 1 "$tmp/pgimp" | cut -d' ' -f1) s" >&2
done
pw=$(col_median "$tmp/pgplan" 1)
iw=$(col_median "$tmp/pgimp" 1)
echo
echo "PostgreSQL, $s order lines, median of $RUNS (the client's CPU in brackets):"
printf '  messages plan %7s s (%5s)  %9s order lines/s\n' "$pw" "$(col_median "$tmp/pgplan" 2)" \
    "$(per_s "$s" "$pw")"
printf '  import orders %7s s (%5s)  plan / import %s\n' "$iw" "$(col_median "$tmp/pgimp" 2)" \
    "$(ratio "$pw" "$iw")"
