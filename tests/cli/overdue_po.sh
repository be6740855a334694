#!/usr/bin/env bash
# End-to-end: an open purchase order past its expected day (docs/metrics.md "Overdue
# purchase orders"). Within the policy's 14 days it counts as arriving today, and the
# alerts name it ("PO-7 from Ningbo Sun Trading was due 2024-12-25, 7 days late"); more
# than 14 days late it no longer counts: the plan shows the stock-out and the reorder the
# seller would see, and the alert says so by name. The API's alerts carry the parts (the
# dashboard's words) and Today lists the overdue orders, the latest first.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" overdue_po
trap api_cleanup EXIT

D="$TMP/in"
mkdir -p "$D"
printf 'id,platform,currency,fulfilment\nshop-m,amazon,USD,merchant\n' > "$D/shops.csv"
printf 'id,handling_min,handling_max\nB,1,3\nE,1,3\n' > "$D/skus.csv"
printf 'id,region\nwh-us,US-CA\n' > "$D/warehouses.csv"
printf 'id,name,region,lead_days\nsup-a,Ningbo Sun Trading,CN-ZJ,10\n' > "$D/suppliers.csv"
cat > "$D/stock.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
wh-us,B,5,5,2025-01-01T00:00:00Z
wh-us,E,5,5,2025-01-01T00:00:00Z
CSV
cat > "$D/inbound.csv" <<'CSV'
po,sku,qty,warehouse,supplier,ordered_at,eta
PO-7,B,300,wh-us,sup-a,2024-12-01T00:00:00Z,2024-12-25T00:00:00Z
PO-8,E,300,wh-us,sup-a,2024-10-01T00:00:00Z,2024-10-20T00:00:00Z
CSV
awk 'BEGIN { print "sku,date,units,shop"
    for (i = 0; i < 90; i++) { d = strftime("%Y-%m-%d", 1735689600 - (90 - i) * 86400, 1)
        print "B," d ",10,shop-m"; print "E," d ",10,shop-m" } }' > "$D/sales.csv"
expect_ok "init" bl init
for k in shops skus warehouses suppliers stock inbound sales; do
    expect_ok "import $k" bl import "$k" "$D/$k.csv"
done

plan=$(bl --format csv plan --as-of 2025-01-01T00:00:00Z --no-save)
line() { awk -F, -v s="$1" '$1 == s' <<<"$plan"; }
expect_eq "7 days late: counted as arriving today, flagged" \
    "B,*,0,300,10.00,0.0,2025-01-31,150,250,0,2025-01-06,sup-a,0,10,low_stock stockout overdue_po" "$(line B)"
expect_eq "73 days late: not counted; the stock-out and the reorder show" \
    "E,*,0,0,10.00,0.0,2025-01-01,150,250,400,2025-01-01,sup-a,0,10,low_stock stockout reorder overdue_po" \
    "$(line E)"
al=$(bl --format csv alerts --as-of 2025-01-01T00:00:00Z --no-save 2>/dev/null)
b=$(awk -F, '$1 == "B" && $2 == "overdue_po"' <<<"$al")
e=$(awk -F, '$1 == "E" && $2 == "overdue_po"' <<<"$al")
[[ "$b" == *"PO-7 from Ningbo Sun Trading was due 2024-12-25, 7 days late: its 300 units are counted as arriving today until 2025-01-08"* ]] &&
    ok "the alert names the late order, its supplier, how late" || not_ok "the alert names the late order" "$b"
[[ "$e" == *"PO-8 from Ningbo Sun Trading was due 2024-10-20, 73 days late: its 300 units are no longer counted as arriving (more than 14 days late): chase it, or order again"* ]] &&
    ok "the alert says a long-late order no longer counts" || not_ok "the alert: no longer counted" "$e"
[[ "$e" != *sup-a* ]] && ok "the supplier by name" || not_ok "the supplier by name" "$e"
# the last day it counts, then not
expect_eq "14 days late: still counted" 300 \
    "$(bl --format csv plan --as-of 2025-01-08T00:00:00Z --no-save | awk -F, '$1 == "B" {print $4}')"
expect_eq "15 days late: no longer" 0 \
    "$(bl --format csv plan --as-of 2025-01-09T00:00:00Z --no-save | awk -F, '$1 == "B" {print $4}')"

# --- the API: the alert in parts, and Today's list of the overdue orders
TOK=$(bl token create --role viewer 2>/dev/null)
api_start
req GET "/api/v1/alerts?as_of=2024-12-31&sku=E" "$TOK"
expect_status "GET alerts" 200
parts=$(jpy "[(a['why'], a['data']['po'], a['data']['po_supplier'], a['data']['due'], a['data']['days_late'], a['data']['counted']) for a in d['alerts'] if a['kind'] == 'overdue_po']")
expect_eq "the alert in parts" "[('dropped', 'PO-8', 'Ningbo Sun Trading', '2024-10-20', 73, False)]" "$parts"
req GET "/api/v1/today?as_of=2025-01-01T00:00:00Z" "$TOK"
expect_status "GET today" 200
late=$(jpy "[(x['po'], x['sku'], x['days_late'], x['counted']) for x in d['overdue_pos']['latest']]")
expect_eq "Today: the overdue orders, the latest first" "[('PO-8', 'E', 73, False), ('PO-7', 'B', 7, True)]" "$late"
api_stop
bl_done
