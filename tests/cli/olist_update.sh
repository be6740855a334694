#!/usr/bin/env bash
# End-to-end: a later export of the Olist dataset updates the orders the store has.
# The "later export" is written here from the real files: orders that were waiting
# (approved, invoiced, processing) are now handed to the carrier, orders that were
# shipped are now delivered. The assessment after the second import must equal the
# independent computation (tests/golden/olist_assess.py) on the later files, whether
# the orders come from their (now stale) order blocks or from their rows.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" olist_update
O="$DATASETS/olist"
GOLD="$SRC/tests/golden"
[ -f "$O/olist_orders_dataset.csv" ] || { echo "no Olist dataset at $O"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }


L="$TMP/later"
mkdir -p "$L"
cp "$O"/*.csv "$L"/
python3 - "$O/olist_orders_dataset.csv" "$L/olist_orders_dataset.csv" >"$TMP/changed" <<'PY'
import csv, sys
from datetime import datetime, timedelta
fmt = "%Y-%m-%d %H:%M:%S"
rows = list(csv.reader(open(sys.argv[1], newline="")))
head, body = rows[0], rows[1:]
c = {n: i for i, n in enumerate(head)}
handed = delivered = 0
for r in body:
    st = r[c["order_status"]]
    if st in ("approved", "invoiced", "processing") and not r[c["order_delivered_carrier_date"]]:
        t = datetime.strptime(r[c["order_purchase_timestamp"]], fmt) + timedelta(days=2, hours=3)
        r[c["order_delivered_carrier_date"]] = t.strftime(fmt)
        r[c["order_status"]] = "shipped"
        handed += 1
    elif st == "shipped" and r[c["order_delivered_carrier_date"]] and not r[c["order_delivered_customer_date"]]:
        t = datetime.strptime(r[c["order_delivered_carrier_date"]], fmt) + timedelta(days=6)
        r[c["order_delivered_customer_date"]] = t.strftime(fmt)
        r[c["order_status"]] = "delivered"
        delivered += 1
w = csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n")
w.writerow(head)
w.writerows(body)
print(handed, delivered)
PY
read -r handed delivered <"$TMP/changed"

# Orders of the Olist orders that changed, with items (those without are skipped).
want=$(python3 - "$O/olist_orders_dataset.csv" "$L/olist_orders_dataset.csv" "$O/olist_order_items_dataset.csv" <<'PY'
import csv, sys
a = {r["order_id"]: r for r in csv.DictReader(open(sys.argv[1]))}
b = {r["order_id"]: r for r in csv.DictReader(open(sys.argv[2]))}
changed = {k for k in a if a[k] != b[k]}
shop_orders = {(r["order_id"], r["seller_id"]) for r in csv.DictReader(open(sys.argv[3]))}
print(sum(1 for o, s in shop_orders if o in changed))
PY
)
stale_count() { # ORG: its orders read from rows instead of their block
    local q="SELECT COUNT(*) FROM orders o JOIN org g ON g.id = o.org_id WHERE g.name = '$1' AND o.stale IS NOT NULL"
    if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" "$q"; else psql -qtA "$DB" -c "$q"; fi
}
orows() { bl --org "$1" --format csv stats | awk -F, -v t="$2" '$1==t {print $2}'; }

expect_ok "init" bl init
# Twice, in two organisations: blocks left as they are (every updated order read from its
# stale row), then the default, where a block an eighth or more stale is written again.
for mode in stale compact; do
    if [ "$mode" = stale ]; then export BALLAST_COMPACT=0; else unset BALLAST_COMPACT; fi
    expect_ok "init $mode" bl --org $mode init
    BALLAST_BLOCK_ORDERS=1000 expect_ok "import the first export ($mode)" bl --org $mode import olist "$O"
    blocks=$(orows $mode order_block)
    out=$(BALLAST_BLOCK_ORDERS=1000 bl --org $mode import olist "$L" 2>&1); rc=$?
    expect_eq "import the later export ($mode)" 0 "$rc"
    [[ "$out" == *" 0 new, $want updated,"* ]] && ok "the later export updates $want shop orders ($handed handed over, $delivered delivered), no new one" \
        || not_ok "the later export updates $want shop orders" "$out"
    expect_eq "no new order blocks ($mode)" "$blocks" "$(orows $mode order_block)"
    stale=$(stale_count $mode)
    if [ "$mode" = stale ]; then
        expect_eq "every updated order is read from its row" "$want" "$stale"
    else
        [ "$stale" -lt "$want" ] && ok "blocks written again: $stale of $want updated orders still read from rows" \
            || not_ok "blocks written again" "$stale stale of $want"
    fi
    expect_eq "one shop per seller still ($mode)" "$(awk 'NR>1' "$O/olist_sellers_dataset.csv" | wc -l)" "$(orows $mode shop)"
    for asof in 2018-03-01 2018-06-10; do
        python3 "$GOLD/olist_assess.py" "$L" $asof 30 >"$TMP/p.csv"
        if [ $mode = stale ]; then
            python3 "$GOLD/olist_assess.py" "$O" $asof 30 >"$TMP/p0.csv"
            cmp -s "$TMP/p.csv" "$TMP/p0.csv" && not_ok "$asof: the later export changes the counts" \
                || ok "$asof: the later export changes the counts"
        fi
        bl --org $mode assess --as-of $asof --tz America/Sao_Paulo --profile olist --dry-run --format csv >"$TMP/b.csv"
        compare_counters "$asof after the update ($mode)" "$TMP/b.csv" "$TMP/p.csv"
        BALLAST_SPLIT_MIN=1 bl --org $mode assess --as-of $asof --tz America/Sao_Paulo --profile olist \
            --dry-run --format csv >"$TMP/s.csv"
        compare_counters "$asof, blocks on two connections ($mode)" "$TMP/s.csv" "$TMP/p.csv"
        BALLAST_ORDER_BLOCKS=0 bl --org $mode assess --as-of $asof --tz America/Sao_Paulo --profile olist \
            --dry-run --format csv >"$TMP/r.csv"
        compare_counters "$asof, rows only ($mode)" "$TMP/r.csv" "$TMP/p.csv"
    done
done
unset BALLAST_COMPACT

fp() { bl --org compact --format csv stats | tr '\n' ' '; }
before=$(fp)
out=$(bl --org compact import olist "$L" 2>&1)
[[ "$out" == *"already imported"* || "$out" == *"changes nothing"* ]] && ok "the later export again adds nothing" \
    || not_ok "the later export again adds nothing" "$out"
expect_eq "nothing stored" "$before" "$(fp)"

oid=$(awk -F, 'NR>1 && $3=="shipped" {print $1; exit}' "$O/olist_orders_dataset.csv")
hist=$(bl --org compact orders show "$oid" | sed -n '/^history/,$p')
[[ "$hist" == *delivered_at*"olist later (batch"* ]] && ok "orders show: the delivery, from the later export" \
    || not_ok "orders show: the delivery, from the later export" "$hist"
bl_done
