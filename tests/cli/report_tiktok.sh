#!/usr/bin/env bash
# End-to-end: TikTok Shop's order export (tests/data/reports/tiktok, the US seller
# centre's layout: BOM, the description row, tab-ended ids and times, one row per
# SKU), imported on two days; the second day updates the orders it already has.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" report_tiktok
R="$SRC/tests/data/reports/tiktok"

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
tt1,Mugs & Caps US,tiktok-shop,USD,America/Los_Angeles,US-CA
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name,weight_g,price,currency
TT-MUG,Ceramic mug,400,12.99,USD
TT-CAP,Baseball cap,150,19.50,USD
CSV
expect_ok "init" bl init
expect_ok "import shops" bl import shops "$TMP/shops.csv"

expect_fail "a report needs --shop" 2 "--shop" bl import tiktok "$R/day1.csv"
expect_fail "the skus come first" 1 "day1.csv:3: column 'Seller SKU': unknown sku 'TT-MUG'" \
    bl import tiktok "$R/day1.csv" --shop tt1
expect_ok "import skus" bl import skus "$TMP/skus.csv"

out=$(bl import tiktok "$R/day1.csv" --shop tt1 2>&1)
[[ "$out" == *"5 rows, 4 new, 0 updated, 0 unchanged"* ]] && ok "day 1: 4 new orders from 5 SKU rows (the description row is not one)" || not_ok "day 1: 4 new orders" "$out"
expect_eq "day 1: 5 order lines" 5 "$(rows order_line)"

list() { bl --format csv orders list --shop tt1 | awk -F, -v o="$1" -v c="$2" '($2 "") == (o "") {print $c}'; }
expect_eq "placed: 12-hour US time in the shop's zone (PDT)" "2024-10-01T06:47:31Z" "$(list 576461413012341002 4)"
expect_eq "shipped order" "shipped" "$(list 576461413012341002 3)"
expect_eq "shipped at" "2024-10-01T23:40:00Z" "$(list 576461413012341002 6)"
expect_eq "amount: the SKUs' quantity times unit original price" "45.48" "$(list 576461413012341001 14)"
expect_eq "ship-to: country name, state name and ZIP+4" "US-CA:941031234" "$(list 576461413012341002 13)"
expect_eq "customer: the buyer's username" "m***lover88" "$(list 576461413012341001 16)"
expect_eq "unpaid order is open" "open" "$(list 576461413012341003 3)"

out=$(bl import tiktok "$R/day2.csv" --shop tt1 2>&1)
[[ "$out" == *"1 new, 3 updated, 1 unchanged"* ]] && ok "day 2: 1 new, 3 updated, 1 unchanged" || not_ok "day 2: 1 new, 3 updated, 1 unchanged" "$out"
expect_eq "day 2: shipped" "2024-10-02T17:12:45Z" "$(list 576461413012341001 6)"
expect_eq "day 2: delivered (Completed)" "delivered" "$(list 576461413012341002 3)"
expect_eq "day 2: cancelled (unpaid, by the system)" "cancelled" "$(list 576461413012341003 3)"
expect_eq "day 2: cancelled by the platform" "platform" "$(list 576461413012341003 11)"

fp=$(fingerprint)
out=$(bl import tiktok "$R/day2.csv" --shop tt1 2>&1)
[[ "$out" == *"nothing added"* ]] && ok "day 2 again: nothing added" || not_ok "day 2 again: nothing added" "$out"
expect_eq "day 2 again: store unchanged" "$fp" "$(fingerprint)"

show=$(bl orders show 576461413012341001 --shop tt1 2>&1)
[[ "$show" == *"2024-10-02T17:12:45Z"* ]] && ok "orders show: the shipment" || not_ok "orders show: the shipment" "$show"
[[ "$show" == *"1Z999AA10123456784"* ]] && ok "orders show: the tracking number in its history" || not_ok "orders show: the tracking number" "$show"

# The other seller centres: day first, 24-hour clock; --tz gives the zone.
cat > "$TMP/th.csv" <<'CSV'
Order ID,Order Status,Seller SKU,Quantity,SKU Unit Original Price,Created Time,Shipped Time,Delivered Time,Cancelled Time
576461413012349001,Shipped,TT-MUG,1,12.99,02/10/2024 21:05:43,03/10/2024 08:00:00,,
CSV
expect_ok "day/month/year, 24-hour, in --tz" bl import tiktok "$TMP/th.csv" --shop tt1 --tz Asia/Bangkok
expect_eq "day first: placed" "2024-10-02T14:05:43Z" "$(list 576461413012349001 4)"
expect_eq "day first: shipped" "2024-10-03T01:00:00Z" "$(list 576461413012349001 6)"

fp=$(fingerprint)
expect_fail "unknown status: file, line, column, expected" 1 \
    "bad_status.csv:6: column 'Order Status': unknown value 'Awaiting Pickup': expected one of 'Unpaid'" \
    bl import tiktok "$R/bad_status.csv" --shop tt1
expect_fail "bad time: file, line, column, expected" 1 \
    "bad_date.csv:5: column 'Created Time': '2024-09-30 23:47:31': expected a time such as 10/01/2024 12:34:56 PM" \
    bl import tiktok "$R/bad_date.csv" --shop tt1
expect_fail "wrong layout: names the missing column" 1 \
    "bad_layout.csv:1: column 'Seller SKU': required column 'Seller SKU' is missing" \
    bl import tiktok "$R/bad_layout.csv" --shop tt1
expect_fail "unknown shop" 1 "unknown shop 'nope'" bl import tiktok "$R/day1.csv" --shop nope

# Day first on a 24-hour clock (the other seller centres), and one form per file.
sed -e 's|10/01/2024 09:15:02 AM|01/10/2024 09:15:02|g' "$R/day1.csv" > "$TMP/mixed.csv"
expect_fail "two time forms in one file" 1 \
    "is written month/day/year with AM/PM, but the times from line 3 on are day/month/year" bl import tiktok "$TMP/mixed.csv" --shop tt1
expect_eq "errors stored nothing" "$fp" "$(fingerprint)"

bl_done
