#!/usr/bin/env bash
# End-to-end: Amazon's All Orders report (tab-separated, never quoted), one day and the
# next: new orders, updates (shipped, delivered, cancelled), the same file again, the
# order's history, and bad files named by file, line, column and what was expected.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" report_amazon
D="$SRC/tests/data/reports/amazon"

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
amz-us,Gadgets US,amazon,USD,America/Los_Angeles,CN-GD
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name
KB-USB2,USB-C cable
KB-LAMP,Desk lamp
KB-STAND,Phone stand
CSV
expect_ok "init" bl init
expect_ok "import shops" bl import shops "$TMP/shops.csv"
expect_fail "a report needs --shop" 2 "give --shop SHOP" bl import amazon "$D/day1.tsv"
expect_fail "an unknown --shop" 1 "unknown shop 'nope' (--shop)" bl import amazon "$D/day1.tsv" --shop nope
expect_fail "SKUs first" 1 "day1.tsv:2: column 'sku': unknown sku 'KB-USB2'" \
    bl import amazon "$D/day1.tsv" --shop amz-us
expect_ok "import skus" bl import skus "$TMP/skus.csv"

out=$(bl import amazon "$D/day1.tsv" --shop amz-us 2>&1)
[[ "$out" == *"7 rows, 4 new, 0 updated, 0 unchanged shop orders in"* ]] && ok "day 1: 4 new orders" || not_ok "day 1: 4 new orders" "$out"
[[ "$out" == *"1 order not priced yet (Pending) and 1 cancelled before Ballast saw it were skipped"* ]] &&
    ok "day 1: the pending and the cancelled order are skipped, and said so" || not_ok "day 1: skipped" "$out"
expect_eq "day 1: 4 orders, 5 lines" "4 5" "$(rows orders) $(rows order_line)"

csv() { bl --format csv orders list --shop amz-us | awk -F, -v o="$1" -v c="$2" '$2==o {print $c}'; }
O1=113-4410001-2210007 O2=113-4410002-2210014 O3=113-4410003-2210021 O4=113-4410004-2210028
O5=113-4410005-2210035 O7=113-4410007-2210049
expect_eq "two items of one order: one order, its amount the sum of the item prices" "open 45.48" \
    "$(csv $O1 3) $(csv $O1 14)"
expect_eq "ship-to: country, state and postal code" "US-CA:941031234" "$(csv $O1 13)"
expect_eq "a state written in full is its code" "US-TX:75024" "$(csv $O2 13)"
expect_eq "shipped: the report's last-updated-date" "shipped 2024-10-01T23:10:05Z" "$(csv $O2 3) $(csv $O2 6)"
expect_eq "a product name with an unbalanced quote does not break the file" "open 19.50" \
    "$(csv $O4 3) $(csv $O4 14)"
expect_eq "item-price is the item's total: unit price = total / quantity" "3 8.95" \
    "$(bl --format csv orders show $O5 --shop amz-us | awk -F, '$1=="1" {print $3, $4}')"

out=$(bl import amazon "$D/day2.tsv" --shop amz-us 2>&1)
[[ "$out" == *"7 rows, 2 new, 3 updated, 1 unchanged"* ]] && ok "day 2: 2 new, 3 updated, 1 unchanged" ||
    not_ok "day 2: 2 new, 3 updated, 1 unchanged" "$out"
expect_eq "day 2: shipped" "shipped 2024-10-02T15:20:00Z" "$(csv $O1 3) $(csv $O1 6)"
expect_eq "day 2: a newer last-updated-date does not move a recorded shipment" "2024-10-01T23:10:05Z" "$(csv $O2 6)"
expect_eq "day 2: priced now, so new" "open 8.95" "$(csv $O3 3) $(csv $O3 14)"
expect_eq "day 2: cancelled (by whom, the report does not say), its lines kept" "cancelled unknown 19.50" \
    "$(csv $O4 3) $(csv $O4 11) $(csv $O4 14)"
expect_eq "day 2: delivered, shipped as recorded" "delivered 2024-10-02T01:12:40Z 2024-10-04T18:30:00Z" \
    "$(csv $O5 3) $(csv $O5 6) $(csv $O5 8)"
expect_eq "day 2: a new FBA order" "shipped" "$(csv $O7 3)"

before=$(fingerprint)
out=$(bl import amazon "$D/day2.tsv" --shop amz-us 2>&1)
expect_eq "day 2 again: nothing added" "$before" "$(fingerprint)"
[[ "$out" == *"nothing added"* ]] && ok "day 2 again: says so" || not_ok "day 2 again: says so" "$out"

show=$(bl orders show $O5 --shop amz-us)
[[ "$show" == *"delivered_at"*"2024-10-04T18:30:00Z"*"amazon day2.tsv"* ]] &&
    ok "orders show: the history has the delivery, from day 2's report" || not_ok "orders show: history" "$show"
show=$(bl orders show $O4 --shop amz-us)
[[ "$show" == *"cancelled_at"*"2024-10-02T08:05:00Z"* ]] && ok "orders show: the cancellation" ||
    not_ok "orders show: the cancellation" "$show"

bad() { # bad NAME FILE 'expected message'
    local fp
    fp=$(fingerprint)
    expect_fail "$1" 1 "$3" bl import amazon "$D/$2" --shop amz-us
    expect_eq "$1: nothing stored" "$fp" "$(fingerprint)"
}
bad "a comma-separated file is not the report" bad_layout.tsv \
    "bad_layout.tsv:1: column 'amazon-order-id': required column 'amazon-order-id' is missing from the header"
bad "an unknown order-status is refused, naming the expected ones" bad_status.tsv \
    "bad_status.tsv:3: column 'order-status': 'Shipped - Teleported': expected one of Pending,"
bad "a date not in ISO 8601" bad_date.tsv \
    "bad_date.tsv:4: column 'purchase-date': expected an ISO 8601 date-time"
printf 'amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsku\tquantity\tcurrency\tship-country\nx\t2024-10-01T00:00:00+00:00\t2024-10-01T00:00:00+00:00\tShipped\tAmazon\tKB-LAMP\t1\tUSD\tUS\n' > "$TMP/noprice.tsv"
expect_fail "a report without item-price" 1 "column 'item-price': required column 'item-price' is missing from the header: expected Amazon's All Orders report" \
    bl import amazon "$TMP/noprice.tsv" --shop amz-us
bl_done
