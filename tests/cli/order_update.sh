#!/usr/bin/env bash
# End-to-end: orders that change. Importing an order the store has updates it under
# checked transitions; every change is in the order's history; a file whose orders are
# all as stored is a no-op whatever its bytes; identity changes need --corrections.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" order_update

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from,deposit
s1,Shenzhen Gadgets,amazon,USD,Asia/Shanghai,CN-GD,500.00
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name,weight_g,price,currency
k1,USB cable,50,3.99,USD
k2,Lamp,900,19.50,USD
CSV
H=order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,delivered_at,tracking
cat > "$TMP/day1.csv" <<CSV
$H
o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,,,
o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,,,
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-03T20:00:00Z,GB,,,
CSV
cat > "$TMP/day2.csv" <<CSV
$H
o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,1Z999AA
o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,1Z999AA
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,,,
o3,s1,k2,1,19.50,2024-03-02T20:00:00Z,2024-03-05T20:00:00Z,GB,,,
CSV

expect_ok "init" bl init
expect_ok "shops" bl import shops "$TMP/shops.csv"
expect_ok "skus" bl import skus "$TMP/skus.csv"
out=$(bl import orders "$TMP/day1.csv" 2>&1)
[[ "$out" == *"2 new, 0 updated, 0 unchanged"* ]] && ok "day 1: 2 new" || not_ok "day 1: 2 new" "$out"
out=$(bl import orders "$TMP/day2.csv" 2>&1)
[[ "$out" == *"1 new, 2 updated, 0 unchanged"* ]] && ok "day 2: 1 new, 2 updated" || not_ok "day 2" "$out"
[[ "$out" == *"3 changes recorded"* ]] && ok "day 2: 3 changes recorded" || not_ok "day 2: 3 changes" "$out"
expect_eq "3 orders" 3 "$(rows orders)"
expect_eq "4 lines (updates add none)" 4 "$(rows order_line)"
expect_eq "the shipment is stored" "shipped" \
    "$(bl --format csv orders list | awk -F, '$2=="o1" {print $3}')"
expect_eq "the extended ship-by is stored" "2024-03-05T20:00:00Z" \
    "$(bl --format csv orders list | awk -F, '$2=="o2" {print $5}')"

before=$(fingerprint)
for v in crlf gz blank; do
    case $v in
    crlf) sed 's/$/\r/' "$TMP/day2.csv" >"$TMP/again.csv" ;;
    gz) gzip -c "$TMP/day2.csv" >"$TMP/again.csv" ;;
    blank) { cat "$TMP/day2.csv"; echo; } >"$TMP/again.csv" ;;
    esac
    out=$(bl import orders "$TMP/again.csv" 2>&1)
    # the same records in another encoding are the same batch (issue 15 item 10)
    [[ "$out" == *"already imported as batch"*" on "* ]] && ok "day 2 again ($v): the same batch" \
        || not_ok "day 2 again ($v)" "$out"
done
out=$(bl import orders "$TMP/day2.csv" 2>&1)
[[ "$out" == *"already imported"* || "$out" == *"changes nothing"* ]] && ok "day 2, same bytes: nothing" \
    || not_ok "day 2, same bytes" "$out"
expect_eq "nothing stored by the repeats" "$before" "$(fingerprint)"

hist=$(bl orders show o1 --shop s1)
[[ "$hist" == *"shipped_at"*"(none)"*"2024-03-02T09:00:00Z"*"day2.csv (batch"* ]] && ok "history: shipped" \
    || not_ok "history: shipped" "$hist"
[[ "$hist" == *"tracking"*"1Z999AA"* ]] && ok "history: tracking" || not_ok "history: tracking" "$hist"
json=$(bl --format json orders show o2 --shop s1)
[[ "$json" == *'"history":[{"changed_at":'*'"field":"ship_by","from":"2024-03-03T20:00:00Z","to":"2024-03-05T20:00:00Z"'* ]] \
    && ok "history in JSON: the ship-by extended" || not_ok "history in JSON" "$json"
[[ "$(bl orders show o3 --shop s1)" == *"no changes since the order was imported"* ]] \
    && ok "a new order has no history" || not_ok "a new order has no history"

# Rules: the batch stops, naming file, line, field, old and new; nothing is stored.
bad() { # NAME SUBSTRING [flags] <<CSV
    local name=$1 sub=$2; shift 2
    cat >"$TMP/bad.csv"
    local b; b=$(fingerprint)
    expect_fail "$name" 1 "$sub" bl import orders "$TMP/bad.csv" "$@"
    expect_eq "$name: nothing stored" "$b" "$(fingerprint)"
}
bad "delivery before shipment" "bad.csv:3: column 'delivered_at': order o1: delivered at 2024-03-02T08:00:00Z, before it was shipped at 2024-03-02T09:00:00Z" <<CSV
$H
o3,s1,k2,1,19.50,2024-03-02T20:00:00Z,2024-03-05T20:00:00Z,GB,2024-03-03T09:00:00Z,,
o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,2024-03-02T08:00:00Z,
o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,2024-03-02T08:00:00Z,
CSV
bad "delivery without shipment" "bad.csv:2: column 'delivered_at': order o2: delivered, but never shipped nor picked up" <<CSV
$H
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,,2024-03-06T20:00:00Z,
CSV
bad "a time before the order was placed" "bad.csv:2: column 'shipped_at': order o2: a time before the order was placed (stored: none; this file: 2024-02-01T00:00:00Z)" <<CSV
$H
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,2024-02-01T00:00:00Z,,
CSV
bad "a recorded time moves" "bad.csv:2: column 'shipped_at': order o1: a recorded time does not move (give --corrections" <<CSV
$H
o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T11:00:00Z,,
o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T11:00:00Z,,
CSV
bad "a ship-by moved earlier" "bad.csv:2: column 'ship_by': order o2: a promised time moves later (the platform extends it), not earlier" <<CSV
$H
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-04T20:00:00Z,GB,,,
CSV
bad "the placed time" "bad.csv:2: column 'placed_at': order o2: the time an order was placed does not change" <<CSV
$H
o2,s1,k1,1,3.99,2024-03-01T21:00:00Z,2024-03-05T20:00:00Z,GB,,,
CSV
bad "the lines" "bad.csv:2: column 'sku': order o2: an order's lines (SKU, quantity, unit price) do not change (give --corrections to record a correction) (stored: 1 line; this file: 1 line, not the same)" <<CSV
$H
o2,s1,k1,2,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,,,
CSV
bad "the same order twice" "bad.csv:4: column 'order': duplicate order" <<CSV
$H
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,,,
o3,s1,k2,1,19.50,2024-03-02T20:00:00Z,2024-03-05T20:00:00Z,GB,,,
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,,,
CSV
cat >"$TMP/undeliver.csv" <<CSV
$H
o3,s1,k2,1,19.50,2024-03-02T20:00:00Z,2024-03-05T20:00:00Z,GB,2024-03-03T09:00:00Z,2024-03-06T09:00:00Z,
CSV
expect_ok "o3 shipped and delivered" bl import orders "$TMP/undeliver.csv"
bad "a delivered order is not un-delivered, not even as a correction" "a delivered order is not un-delivered" --corrections <<CSV
$H
o3,s1,k2,1,19.50,2024-03-02T20:00:00Z,2024-03-05T20:00:00Z,GB,2024-03-03T09:00:00Z,,
CSV

# Corrections: recorded as such.
cat >"$TMP/fix.csv" <<CSV
$H
o2,s1,k1,2,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,,,
CSV
out=$(bl import orders "$TMP/fix.csv" --corrections 2>&1)
[[ "$out" == *"1 updated"*"of them corrections"* ]] && ok "--corrections: the lines corrected" || not_ok "--corrections" "$out"
expect_eq "the corrected amount" "7.98" "$(bl --format csv orders list | awk -F, '$2=="o2" {print $14}')"
[[ "$(bl orders show o2 --shop s1)" == *"lines"*"1 line"*"1 line, not the same"*"yes"* ]] \
    && ok "history: the correction" || not_ok "history: the correction" "$(bl orders show o2 --shop s1)"
# A result recomputed after late updates says which orders changed its counts.
expect_ok "assess, stored" bl assess --as-of 2024-03-10T00:00:00Z --profile amazon
cat >"$TMP/late.csv" <<CSV
$H
o2,s1,k1,2,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,2024-03-04T20:00:00Z,,
CSV
expect_ok "o2 shipped, reported late" bl import orders "$TMP/late.csv"
err=$(bl assess --as-of 2024-03-10T00:00:00Z --profile amazon 2>&1 >/dev/null)
printf '%s\n' "$err" | grep -qE '^ballast: s1: the result computed at .* had other counts \(on_time 2 -> 3, late 1 -> 0, shipped 2 -> 3, pickup_anomalies 2 -> 3\); orders changed since: o2$' \
    && ok "the recomputed result names the order that changed it" || not_ok "the recomputed result names the order" "$err"
err=$(bl assess --as-of 2024-03-10T00:00:00Z --profile amazon 2>&1 >/dev/null)
[[ "$err" != *"other counts"* ]] && ok "the same again: nothing changed" || not_ok "the same again" "$err"
# An order id with the characters a lookup must quote ("{}, \ and spaces).
cat >"$TMP/odd1.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by
"x""1,{2} \3",s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z
CSV
cat >"$TMP/odd2.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,shipped_at
"x""1,{2} \3",s1,k1,1,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,2024-03-02T20:00:00Z
CSV
expect_ok "an odd order id, new" bl import orders "$TMP/odd1.csv"
out=$(bl import orders "$TMP/odd2.csv" 2>&1)
[[ "$out" == *"0 new, 1 updated"* ]] && ok "an odd order id is found again" || not_ok "an odd order id is found again" "$out"

# The day's cycle says how many orders the imports changed since the previous one.
expect_ok "a cycle" bl cycle --as-of 2024-03-10T00:00:00Z
cat >"$TMP/deliv.csv" <<CSV
$H
o2,s1,k1,2,3.99,2024-03-01T20:00:00Z,2024-03-05T20:00:00Z,GB,2024-03-04T20:00:00Z,2024-03-09T20:00:00Z,
CSV
expect_ok "o2 delivered" bl import orders "$TMP/deliv.csv"
out=$(bl cycle --as-of 2024-03-11T00:00:00Z 2>&1)
[[ "$out" == *"- Orders the imports updated since: 1 (entries in their history: 1; "* ]] && ok "the digest counts the orders updated since the previous cycle" \
    || not_ok "the digest counts the orders updated" "$out"
out=$(bl cycle --as-of 2024-03-12T00:00:00Z 2>&1)
[[ "$out" != *"Orders the imports updated"* ]] && ok "and says nothing when none was" || not_ok "nothing updated" "$out"
bl_done
