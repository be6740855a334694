#!/usr/bin/env bash
# End-to-end: Temu's order export as a US seller saves it as CSV from the downloaded
# sheet (tests/data/reports/temu: BOM, CRLF, lower-case headers, one row per item,
# times with their zone), imported on two days.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" report_temu
R="$SRC/tests/data/reports/temu"

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
tm1,Lamps on Temu,temu,USD,America/New_York,US-CA:917
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name,weight_g,price,currency
TM-LAMP,LED desk lamp,900,18.40,USD
TM-BULB,Spare bulbs,100,3.10,USD
CSV
expect_ok "init" bl init
expect_ok "import shops" bl import shops "$TMP/shops.csv"
expect_ok "import skus" bl import skus "$TMP/skus.csv"

out=$(bl import temu "$R/day1.csv" --shop tm1 2>&1)
[[ "$out" == *"5 rows, 4 new, 0 updated, 0 unchanged"* ]] && ok "day 1: 4 new orders from 5 item rows" || not_ok "day 1: 4 new orders" "$out"

list() { bl --format csv orders list --shop tm1 | awk -F, -v o="$1" -v c="$2" '($2 "") == (o "") {print $c}'; }
P=PO-211-004128733105110
expect_eq "placed: the zone in the text wins over the shop's (New York)" "2024-10-01T16:12:00Z" "$(list ${P}01 4)"
expect_eq "ship-by: latest shipping time" "2024-10-04T06:59:00Z" "$(list ${P}01 5)"
expect_eq "promised: latest delivery time, PST after the clocks change" "2024-11-05T07:59:00Z" "$(list ${P}06 9)"
expect_eq "amount: quantity times activity goods base price" "24.60" "$(list ${P}01 14)"
expect_eq "ship-to: country name, state and ZIP" "US-WA:98101" "$(list ${P}01 13)"

out=$(bl import temu "$R/day2.csv" --shop tm1 2>&1)
[[ "$out" == *"1 new, 3 updated, 1 unchanged"* ]] && ok "day 2: 1 new, 3 updated, 1 unchanged" || not_ok "day 2: 1 new, 3 updated, 1 unchanged" "$out"
expect_eq "day 2: ship-by extended" "2024-10-06T06:59:00Z" "$(list ${P}02 5)"
expect_eq "day 2: cancelled" "cancelled" "$(list ${P}06 3)"
expect_eq "day 2: cancelled by an unknown party (the export does not say)" "unknown" "$(list ${P}06 11)"

fp=$(fingerprint)
out=$(bl import temu "$R/day2.csv" --shop tm1 2>&1)
[[ "$out" == *"nothing added"* ]] && ok "day 2 again: nothing added" || not_ok "day 2 again: nothing added" "$out"
expect_eq "day 2 again: store unchanged" "$fp" "$(fingerprint)"

show=$(bl orders show ${P}02 --shop tm1 2>&1)
[[ "$show" == *"2024-10-04T06:59:00Z"* && "$show" == *"2024-10-06T06:59:00Z"* ]] && ok "orders show: the ship-by before and after" || not_ok "orders show: the ship-by history" "$show"

fp=$(fingerprint)
expect_fail "unknown status: file, line, column, expected" 1 \
    "bad_status.csv:4: column 'order status': unknown value 'Awaiting pickup': expected one of 'Pending', 'Unshipped'" \
    bl import temu "$R/bad_status.csv" --shop tm1
expect_fail "bad time: file, line, column, expected" 1 \
    "bad_date.csv:5: column 'purchase date': '09/30/2024 07:44:00': expected a time such as Jun 12, 2025, 10:32 am PDT(UTC-7)" \
    bl import temu "$R/bad_date.csv" --shop tm1
expect_fail "wrong layout: names the missing column" 1 \
    "bad_layout.csv:1: column 'contribution sku': required column 'contribution sku' is missing" \
    bl import temu "$R/bad_layout.csv" --shop tm1
# An order's rows apart: refused, naming where it started.
{ head -2 "$R/day1.csv"; sed -n 4p "$R/day1.csv"; sed -n 3p "$R/day1.csv"; } > "$TMP/split.csv"
expect_fail "an order's rows apart" 1 "split.csv:4: column 'order id': order 'PO-211-00412873310511001' comes back after other orders (its first row is line 2)" \
    bl import temu "$TMP/split.csv" --shop tm1
expect_eq "errors stored nothing" "$fp" "$(fingerprint)"

bl_done
