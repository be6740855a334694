#!/usr/bin/env bash
# End-to-end: `ballast gen` writes a dataset that imports cleanly, file by file in
# dependency order, with the counts it reports; the same seed gives the same bytes;
# --orders 0 and tiny sizes; bad flags are usage errors.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" gen

KINDS="shops skus warehouses suppliers sku_suppliers channels stock inbound orders customers sales disruptions rates"

# gen_ok DIR ARGS...: runs gen, keeps its summary line in $TMP/DIR.err.
gen_ok() {
    local dir=$1; shift
    if "$BALLAST" gen --out "$TMP/$dir" "$@" 2>"$TMP/$dir.err"; then
        ok "gen $dir: $*"
    else
        not_ok "gen $dir: $*" "$(cat "$TMP/$dir.err")"
    fi
}

# reported DIR 'order lines': the number before that label in gen's summary.
reported() { grep -o "[0-9]* $2" "$TMP/$1.err" | head -1 | cut -d' ' -f1; }

# import_all ORG DIR: imports every file gen wrote, in dependency order.
import_all() {
    local org=$1 dir=$2 kind out
    expect_ok "$dir: init org $org" bl --org "$org" init
    for kind in $KINDS; do
        [ -f "$TMP/$dir/$kind.csv" ] || continue
        if out=$(bl --org "$org" import "$kind" "$TMP/$dir/$kind.csv" 2>&1); then
            ok "$dir: import $kind"
        else
            not_ok "$dir: import $kind" "$out"
        fi
    done
}

# count ORG TABLE
count() { bl --org "$1" --format csv stats | awk -F, -v t="$2" '$1==t {print $2}'; }

# ---- a small dataset imports, and the store has what gen reported
gen_ok a --orders 3000 --shops 12 --skus 400 --days 30 --seed 7
for f in $KINDS; do
    [ -s "$TMP/a/$f.csv" ] && ok "a: $f.csv written" || not_ok "a: $f.csv written"
done
import_all main a
check() { # check ORG DIR TABLE 'label in the summary'
    expect_eq "$2: $3 rows = gen's '$4'" "$(reported "$2" "$4")" "$(count "$1" "$3")"
}
check main a order_line "order lines"
check main a orders "orders)"
check main a shop "shops"
check main a sku "SKUs"
check main a warehouse "warehouses"
check main a supplier "suppliers"
check main a channel_rate "channel rows"
check main a stock "stock rows"
check main a inbound "inbound lines"
check main a disruption "disruptions"
check main a sales_daily "sales rows"
expect_eq "a: 3000 order lines as asked" 3000 "$(count main order_line)"
expect_eq "a: 12 shops as asked" 12 "$(count main shop)"
expect_eq "a: 13 batches, one per file (sku_suppliers, customers and rates too)" 13 \
    "$(count main import_batch)"
expect_eq "a: customers.csv names every buyer of orders.csv, once" \
    "$(cut -d, -f18 "$TMP/a/orders.csv" | sed 1d | sort -u | wc -l | tr -d ' ')" "$(count main customer)"
# shop_settings.csv is not an import kind: `shops import` reads it
expect_ok "a: the shops' message settings" bl --org main shops import "$TMP/a/shop_settings.csv"
expect_eq "a: every shop has an account page" 12 \
    "$(bl --org main --format csv shops list | awk -F, 'NR > 1 && $0 ~ /https:/' | wc -l | tr -d ' ')"
expect_eq "a: the files are the header plus the rows" "$(($(reported a "order lines") + 1))" \
    "$(wc -l < "$TMP/a/orders.csv" | tr -d ' ')"

# Generated orders are readable back; show gives one JSON document.
first=$(sed -n 2p "$TMP/a/orders.csv" | cut -d, -f1,3)
oid=${first%,*} sid=${first#*,}
out=$(bl --org main --format json orders show "$oid" --shop "$sid")
if python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["order"]==sys.argv[1] and d["lines"]' "$oid" <<< "$out"; then
    ok "a: a generated order reads back with its lines"
else
    not_ok "a: a generated order reads back with its lines" "$out"
fi

# ---- determinism
gen_ok a2 --orders 3000 --shops 12 --skus 400 --days 30 --seed 7
same=1
for f in $KINDS; do cmp -s "$TMP/a/$f.csv" "$TMP/a2/$f.csv" || { same=0; echo "# $f.csv differs"; }; done
expect_eq "same seed: byte-identical files" 1 "$same"
gen_ok b --orders 3000 --shops 12 --skus 400 --days 30 --seed 8
cmp -s "$TMP/a/orders.csv" "$TMP/b/orders.csv" && not_ok "another seed: other orders" || ok "another seed: other orders"
cmp -s "$TMP/a/shops.csv" "$TMP/b/shops.csv" && not_ok "another seed: other shops" || ok "another seed: other shops"
gen_ok az --orders 3000 --shops 12 --skus 400 --days 30 --seed 7 --gzip
same=1
for f in $KINDS; do gzip -dc "$TMP/az/$f.csv.gz" | cmp -s - "$TMP/a/$f.csv" || same=0; done
expect_eq "--gzip: the same bytes, compressed" 1 "$same"
expect_ok "a .csv.gz imports as it is" bl --org gz init
expect_ok "import shops from .csv.gz" bl --org gz import shops "$TMP/az/shops.csv.gz"

# ---- --orders 0: reference data only; no header-only files the importer would reject
gen_ok zero --orders 0 --shops 3 --skus 2 --days 3
[ ! -e "$TMP/zero/orders.csv" ] && ok "--orders 0: no orders.csv" || not_ok "--orders 0: no orders.csv"
[ ! -e "$TMP/zero/sales.csv" ] && ok "--orders 0, no stock-outs: no sales.csv" || not_ok "--orders 0, no stock-outs: no sales.csv"
grep -q "no orders.csv: it would have no rows (--orders 0)" "$TMP/zero.err" && ok "--orders 0: says so" ||
    not_ok "--orders 0: says so" "$(cat "$TMP/zero.err")"
import_all zero zero
expect_eq "--orders 0: no orders stored" 0 "$(count zero orders)"
expect_eq "--orders 0: 3 shops stored" 3 "$(count zero shop)"
# an earlier orders.csv in the directory is not left behind to mismatch the new shops
gen_ok stale --orders 50 --shops 3
[ -e "$TMP/stale/orders.csv" ] && ok "stale: orders.csv first" || not_ok "stale: orders.csv first"
gen_ok stale --orders 0 --shops 3
[ ! -e "$TMP/stale/orders.csv" ] && ok "--orders 0 over an earlier run: orders.csv removed" ||
    not_ok "--orders 0 over an earlier run: orders.csv removed"

# ---- tiny sizes
gen_ok one --orders 1 --shops 1 --skus 1 --days 1 --seed 3
import_all one one
expect_eq "--orders 1: one order line" 1 "$(count one order_line)"
expect_eq "--shops 1: one shop" 1 "$(count one shop)"
gen_ok small --orders 40 --shops 1 --seed 11
import_all small small
expect_eq "--shops 1: every order in that shop" 1 \
    "$(bl --org small --format csv orders list | awk -F, 'NR > 1 {print $1}' | sort -u | wc -l | tr -d ' ')"

# ---- bad flags: exit 2 and a message naming the flag
bad() { # bad NAME 'message' ARGS...
    local name=$1 msg=$2; shift 2
    expect_fail "$name" 2 "$msg" "$BALLAST" gen --out "$TMP/bad" "$@"
}
bad "negative --orders" "--orders '-5': expected a whole number" --orders -5
bad "non-numeric --orders" "--orders 'lots': expected a whole number" --orders lots
bad "--orders with a fraction" "--orders '1.5': expected a whole number" --orders 1.5
bad "too many orders" "--orders 99999999999: expected 0 to 10000000000" --orders 99999999999
bad "--shops 0" "--shops 0: expected 1 to 100000" --shops 0
bad "negative --skus" "--skus '-1': expected a whole number" --skus -1
bad "--days 0" "--days 0: expected 1 to 3660" --days 0
bad "bad --seed" "--seed 'x1': expected a number from 0 to 2^64-1" --seed x1
bad "negative --seed" "--seed '-1'" --seed -1
bad "bad --start" "--start: '2023-02-30' is not a calendar date" --start 2023-02-30
bad "unknown flag" "unknown option '--bogus'" --bogus
bad "missing value" "--orders needs a value" --orders
bad "stray argument" "unexpected argument 'extra'" extra
expect_fail "no --out" 2 "--out DIR is required" "$BALLAST" gen --orders 5
[ ! -e "$TMP/bad" ] && ok "bad flags write nothing" || not_ok "bad flags write nothing"
expect_fail "--out is a file" 1 "expected a directory" "$BALLAST" gen --out "$TMP/a/shops.csv" --orders 5
out=$("$BALLAST" gen --help)
[[ "$out" == *"usage: ballast gen --out DIR"* ]] && ok "--help prints the usage" || not_ok "--help prints the usage" "$out"

bl_done
