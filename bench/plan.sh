#!/usr/bin/env bash
# bench/plan.sh - forecast + plan + playbook for 25k, 50k and 100k SKUs with two years
# (730 days) of daily history: seconds and peak RSS (memory should grow linearly).
#
# Prints wall seconds per phase, cpu= (CPU seconds of forecast + plan + playbook, every
# thread: what the work costs on a loaded machine), cpu_all (the data generation too).
#
# 1. Engine path: bench/plan_bench.c, the code `ballast plan/playbook` runs once the
#    store is read (bl_app_stock_forecast_all in 2 threads, bl_rp_plan, bl_pb_run), on
#    synthetic SKUs (history as 16-bit counts; the last WINDOW days are forecast).
# 2. Store path (STORE=1): `ballast plan` and `ballast playbook --apply` end to end on
#    an SQLite store with STORE_SKUS SKUs and STORE_DAYS days of sales, generated
#    here with awk (`ballast gen` writes sales for at most 1000 SKUs).
#
# Usage: bench/plan.sh [SKUS...]        default: 25000 50000 100000
# Env:   DAYS=730 WINDOW=730 THREADS=2 MODEL=auto (the default of `ballast plan`)
#        STORE=1 STORE_SKUS=20000 STORE_DAYS=91   also time the store path
#        KEEP=1                                    keep the temporary directory
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
DAYS=${DAYS:-730}
WINDOW=${WINDOW:-730}
THREADS=${THREADS:-2}
MODEL=${MODEL:-auto}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(25000 50000 100000)

make -C "$root" build >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-plan-bench.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp" >&2; fi

# shellcheck disable=SC2046
cc -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$root/include" -I"$root/src" \
    "$root/bench/plan_bench.c" "$root/build/libballast_app.a" \
    "$root/build/libballast_shell.a" "$root/build/libballast_core.a" \
    $(pkg-config --libs sqlite3 libpq jansson icu-i18n icu-uc libsodium zlib libcrypto) -lcsv -lm -lpthread \
    -o "$tmp/plan_bench"

echo "engine path: forecast ($MODEL, last $WINDOW of $DAYS days, $THREADS threads) + plan + playbook"
for n in "${sizes[@]}"; do
    "$tmp/plan_bench" "$n" "$DAYS" "$WINDOW" "$THREADS" "$MODEL"
done

[ -n "${STORE:-}" ] || exit 0

S=${STORE_SKUS:-20000}
SD=${STORE_DAYS:-91}
B=$root/build/ballast
db=$tmp/store.db
echo "store path: $S SKUs x $SD days of sales in SQLite ($db)"
awk -v n="$S" -v days="$SD" -v dir="$tmp" 'BEGIN {
    srand(7)
    print "id,platform,currency,fulfilment" > dir "/shops.csv"
    for (j = 1; j <= 20; j++) printf "shop-%02d,amazon,USD,%s\n", j, (j % 2 ? "merchant" : "platform") > dir "/shops.csv"
    print "id,region" > dir "/warehouses.csv"
    print "wh-gd,CN-GD" > dir "/warehouses.csv"; print "wh-us,US-CA" > dir "/warehouses.csv"
    print "id,region,lead_days,lead_days_max,moq,case_pack" > dir "/suppliers.csv"
    for (j = 1; j <= 100; j++) printf "sup-%03d,CN-ZJ,%d,%d,%d,%d\n", j, 10 + j % 20, 15 + j % 20, 1 + j * 5, 1 + j % 12 > dir "/suppliers.csv"
    print "id,promoted,price_review" > dir "/skus.csv"
    print "warehouse,sku,on_hand,reserved,counted_at" > dir "/stock.csv"
    print "po,sku,qty,warehouse,supplier,eta" > dir "/inbound.csv"
    print "sku,date,units,shop" > dir "/sales.csv"
    t0 = 1735689600 - days * 86400
    for (k = 1; k <= n; k++) {
        rate = 0.05 + 30 * rand() * rand() * rand()
        printf "S%06d,%d,%s\n", k, k % 3 == 0, (k % 50 ? "none" : "passed") > dir "/skus.csv"
        printf "wh-%s,S%06d,%d,0,2025-01-01T00:00:00Z\n", (k % 2 ? "gd" : "us"), k, int(rate * 40 * rand()) > dir "/stock.csv"
        printf "PO-%06d,S%06d,%d,wh-us,sup-%03d,2025-01-%02dT00:00:00Z\n", k, k, int(rate * 30) + 1, 1 + k % 100, 2 + k % 27 > dir "/inbound.csv"
        for (t = 0; t < days; t++) {
            u = rand()
            v = rate < 1 ? (u < rate ? 1 : 0) : int(rate * (0.5 + u))
            if (v > 0) printf "S%06d,%s,%d,shop-%02d\n", k, strftime("%Y-%m-%d", t0 + t * 86400, 1), v, 1 + k % 20 > dir "/sales.csv"
        }
    }
}'
"$B" --db "$db" init >/dev/null 2>&1
start=$(date +%s.%N)
for k in shops warehouses suppliers skus stock inbound sales; do
    "$B" --db "$db" import "$k" "$tmp/$k.csv" >/dev/null 2>&1
done
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" -v r="$(wc -l <"$tmp/sales.csv")" \
    'BEGIN { printf "import: %.1f s (%d sales rows)\n", b - a, r - 1 }'
for cmd in "plan --as-of 2025-01-01" "playbook --as-of 2025-01-01 --apply"; do
    /usr/bin/time -f "%e s wall, peak RSS %M KB" "$B" --db "$db" $cmd --timing \
        --window "$WINDOW" --threads "$THREADS" --model "$MODEL" >/dev/null 2>"$tmp/err" || true
    echo "ballast $cmd: $(grep -h 'SKUs:' "$tmp/err") / $(tail -1 "$tmp/err")"
done
