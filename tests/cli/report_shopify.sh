#!/usr/bin/env bash
# End-to-end: Shopify's orders export (one row per line item, the order's columns on its
# first row only), one day and the next: new orders, updates (fulfilled, cancelled),
# the same file again, the order's history, and bad files.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" report_shopify
D="$SRC/tests/data/reports/shopify"

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
kb-shop,Keybright,shopify,USD,America/New_York,US-NJ:07302
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name
KB-USB2,USB-C cable
KB-LAMP,Desk lamp
KB-STAND,Phone stand
CSV
expect_ok "init" bl init
expect_ok "import shops" bl import shops "$TMP/shops.csv"
expect_ok "import skus" bl import skus "$TMP/skus.csv"

out=$(bl import shopify "$D/day1.csv" --shop kb-shop 2>&1)
[[ "$out" == *"6 rows, 3 new, 0 updated, 0 unchanged"* ]] && ok "day 1: 3 new orders" || not_ok "day 1: 3 new orders" "$out"
[[ "$out" == *"note: 1 item without a SKU that does not ship (gift cards, tips) was left out"* ]] &&
    ok "day 1: a gift card line is left out, and said so" || not_ok "day 1: gift card" "$out"
expect_eq "day 1: 3 orders, 5 lines" "3 5" "$(rows orders) $(rows order_line)"

csv() { bl --format csv orders list --shop kb-shop | awk -F, -v o="$1" -v c="$2" '$2==o {print $c}'; }
expect_eq "times with the offset after a space" "2024-10-01T13:15:02Z" "$(csv '#1001' 4)"
expect_eq "a continuation row (order columns blank) is a line of the same order" "open 55.00" \
    "$(csv '#1001' 3) $(csv '#1001' 14)"
expect_eq "the zip's leading ' is dropped" "US-NY:10118" "$(csv '#1001' 13)"
expect_eq "fulfilled: shipped at Fulfilled at" "shipped 2024-10-01T20:40:11Z CA-ON:K1A0A2" \
    "$(csv '#1002' 3) $(csv '#1002' 6) $(csv '#1002' 13)"
expect_eq "a quoted name with commas and quotes" "2 60.00" "$(csv '#1003' 19) $(csv '#1003' 14)"

out=$(bl import shopify "$D/day2.csv" --shop kb-shop 2>&1)
[[ "$out" == *"7 rows, 1 new, 2 updated, 1 unchanged"* ]] && ok "day 2: 1 new, 2 updated, 1 unchanged" ||
    not_ok "day 2: 1 new, 2 updated, 1 unchanged" "$out"
expect_eq "day 2: fulfilled" "shipped 2024-10-02T18:03:27Z" "$(csv '#1001' 3) $(csv '#1001' 6)"
expect_eq "day 2: cancelled, by whom the export does not say" "cancelled 2024-10-02T14:12:00Z unknown" \
    "$(csv '#1003' 3) $(csv '#1003' 10) $(csv '#1003' 11)"
expect_eq "day 2: a new order; a province written as JP-13" "open JP-13:1000001" "$(csv '#1004' 3) $(csv '#1004' 13)"

before=$(fingerprint)
out=$(bl import shopify "$D/day2.csv" --shop kb-shop 2>&1)
expect_eq "day 2 again: nothing added" "$before" "$(fingerprint)"
[[ "$out" == *"nothing added"* ]] && ok "day 2 again: says so" || not_ok "day 2 again: says so" "$out"
show=$(bl orders show '#1001' --shop kb-shop)
[[ "$show" == *"shipped_at"*"2024-10-02T18:03:27Z"*"shopify day2.csv"* ]] &&
    ok "orders show: the history has the fulfilment, from day 2's export" || not_ok "orders show: history" "$show"

bad() { # bad NAME FILE 'expected message'
    local fp
    fp=$(fingerprint)
    expect_fail "$1" 1 "$3" bl import shopify "$D/$2" --shop kb-shop
    expect_eq "$1: nothing stored" "$fp" "$(fingerprint)"
}
bad "the products export is not the orders export" bad_layout.csv \
    "bad_layout.csv:1: column 'Name': required column 'Name' is missing from the header"
bad "an unknown Fulfillment Status" bad_status.csv \
    "bad_status.csv:2: column 'Fulfillment Status': 'shipped': expected one of fulfilled, partial, unfulfilled, restocked"
bad "a date not as Shopify writes it" bad_date.csv \
    "bad_date.csv:2: column 'Created at': expected an ISO 8601 date-time"
head -1 "$D/day1.csv" > "$TMP/cont.csv"
sed -n '3p' "$D/day1.csv" | sed 's/^#1003/#1009/' >> "$TMP/cont.csv"
expect_fail "a first row without the order's columns" 1 \
    "cont.csv:2: column 'Financial Status': missing value on the first row of order #1009" \
    bl import shopify "$TMP/cont.csv" --shop kb-shop
bl_done
