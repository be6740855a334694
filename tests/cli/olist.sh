#!/usr/bin/env bash
# End-to-end: the real Olist dataset, checked against figures computed here with awk,
# independently of Ballast's code.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" olist
O="$DATASETS/olist"
[ -f "$O/olist_orders_dataset.csv" ] || { echo "no Olist dataset at $O"; exit 77; }

expect_ok "init" bl init
out=$(bl import olist "$O" 2>&1); rc=$?
expect_eq "import olist succeeds" 0 "$rc"
[[ "$out" == *"775 orders without items were skipped"* ]] && ok "reports orders without items" || not_ok "reports orders without items" "$out"

sellers=$(awk 'NR>1' "$O/olist_sellers_dataset.csv" | wc -l)
products=$(awk 'NR>1' "$O/olist_products_dataset.csv" | wc -l)
items=$(awk 'NR>1' "$O/olist_order_items_dataset.csv" | wc -l)
shop_orders=$(awk -F, 'NR>1 {print $1","$4}' "$O/olist_order_items_dataset.csv" | sort -u | wc -l)
cancelled=$(awk -F, 'NR==FNR {if (FNR>1) st[$1]=$3; next}
    FNR>1 {k=$1","$4; if (!(k in seen)) {seen[k]=1; if (st[$1]=="canceled" || st[$1]=="unavailable") n++}}
    END {print n}' "$O/olist_orders_dataset.csv" "$O/olist_order_items_dataset.csv")
by_seller=$(awk -F, 'NR==FNR {if (FNR>1) st[$1]=$3; next}
    FNR>1 {k=$1","$4; if (!(k in seen)) {seen[k]=1; if (st[$1]=="unavailable") n++}}
    END {print n+0}' "$O/olist_orders_dataset.csv" "$O/olist_order_items_dataset.csv")

expect_eq "one shop per seller" "$sellers" "$(rows shop)"
expect_eq "one sku per product" "$products" "$(rows sku)"
expect_eq "one line per item" "$items" "$(rows order_line)"
expect_eq "one shop order per (order, seller)" "$shop_orders" "$(rows orders)"
got=$(bl --format csv orders list --status cancelled | awk 'NR>1' | wc -l)
expect_eq "cancelled shop orders" "$cancelled" "$got"
got=$(bl --format csv orders list --status cancelled | awk -F, '$11=="seller"' | wc -l)
expect_eq "unavailable = cancelled by the seller" "$by_seller" "$got"

# One order, by hand: a4591c265e18cb1dcee52889e2d8acc3 (seller 7c67e144..., São Paulo, July 2017,
# UTC-3). Estimated 2017-08-01: the deadline is the local midnight ending that day.
row=$(bl --format csv orders list | awk -F, '$2=="a4591c265e18cb1dcee52889e2d8acc3"')
IFS=, read -r shop order status placed ship_by shipped picked delivered promised rest <<< "$row"
expect_eq "placed: local purchase time to UTC" "2017-07-10T00:57:05Z" "$placed"
lim=$(awk -F, '$1=="a4591c265e18cb1dcee52889e2d8acc3" {print $5}' "$O/olist_order_items_dataset.csv" | sort | head -1)
expect_eq "ship-by: earliest shipping_limit_date ($lim local)" "$(date -u -d "$lim -0300" +%Y-%m-%dT%H:%M:%SZ)" "$ship_by"
expect_eq "shipped = picked up = carrier hand-over" "$shipped" "$picked"
expect_eq "promised: local midnight ending the estimated day" "2017-08-02T03:00:00Z" "$promised"
expect_eq "status delivered" "delivered" "$status"

# Daylight saving time: Brazil's clocks went back at 2018-02-18 00:00 (-02 -> -03) and
# forward at 2017-10-15 00:00 (-03 -> -02). Every placed_at must be what GNU date says.
bad=0
checked=0
while IFS=, read -r oid ts; do
    checked=$((checked+1))
    want=$(TZ=America/Sao_Paulo date -u -d "TZ=\"America/Sao_Paulo\" $ts" +%Y-%m-%dT%H:%M:%SZ)
    got=$(bl --format csv orders list | awk -F, -v o="$oid" '$2==o {print $4; exit}')
    [ "$want" = "$got" ] || { bad=$((bad+1)); echo "  # $oid $ts: want $want got $got"; }
done < <(awk -F, 'NR==FNR {if (FNR>1) has[$1]=1; next}
    FNR>1 && has[$1] && ($4 ~ /^2017-10-1[45]|^2018-02-1[78]/) {print $1","$4}' \
    "$O/olist_order_items_dataset.csv" "$O/olist_orders_dataset.csv" | head -20)
expect_eq "checked some orders around DST changes" 1 "$([ "$checked" -gt 5 ] && echo 1)"
expect_eq "local times around DST changes" 0 "$bad"

before=$(fingerprint)
out=$(bl import olist "$O" 2>&1)
expect_eq "the same directory twice adds nothing" "$before" "$(fingerprint)"
[[ "$out" == *"already imported"* ]] && ok "says it was already imported" || not_ok "says it was already imported" "$out"

bl_done
