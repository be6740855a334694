#!/usr/bin/env bash
# End-to-end: orders of a shop that has orders, past one lookup chunk (64 orders on SQLite,
# 2048 on PostgreSQL). On SQLite a chunk is looked up on the store's side connection while
# the writer thread inserts the chunks before (docs/internals/import.md, "Speed"): new and
# known orders mixed over several chunks are counted and stored as before, and an order
# that comes twice in one file, in two chunks, is refused whether it is new or known, with
# nothing stored.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" import_chunks

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
# day 1: 2,100 orders of one line (the shop's first: no lookup)
{
    echo "$H"
    for i in $(seq 0 2099); do
        echo "o$i,s1,k1,1,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,,,"
    done
} > "$TMP/day1.csv"
# day 2: the 2,100 again, every odd one shipped; then 2,900 new orders of two lines
{
    echo "$H"
    for i in $(seq 0 2099); do
        if ((i % 2)); then s=2024-03-02T09:00:00Z; t=TRK$i; else s=; t=; fi
        echo "o$i,s1,k1,1,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,$s,,$t"
    done
    for i in $(seq 0 2899); do
        echo "n$i,s1,k1,2,3.99,2024-03-02T10:00:00Z,2024-03-04T10:00:00Z,GB,,,"
        echo "n$i,s1,k2,1,19.50,2024-03-02T10:00:00Z,2024-03-04T10:00:00Z,GB,,,"
    done
} > "$TMP/day2.csv"

expect_ok "init" bl init
expect_ok "shops" bl import shops "$TMP/shops.csv"
expect_ok "skus" bl import skus "$TMP/skus.csv"
out=$(bl import orders "$TMP/day1.csv" 2>&1)
[[ "$out" == *"2100 new, 0 updated, 0 unchanged"* ]] && ok "day 1: 2100 new" || not_ok "day 1" "$out"
out=$(bl import orders "$TMP/day2.csv" 2>&1)
[[ "$out" == *"2900 new, 1050 updated, 1050 unchanged"* ]] && ok "day 2: 2900 new, 1050 updated, 1050 unchanged" ||
    not_ok "day 2: 2900 new, 1050 updated, 1050 unchanged" "$out"
expect_eq "5000 orders" 5000 "$(rows orders)"
expect_eq "2100 + 2 x 2900 lines" 7900 "$(rows order_line)"
expect_eq "an update of the last chunk: shipped, tracked" "shipped,TRK2099" \
    "$(bl --format csv orders show o2099 --shop s1 | awk -F, 'NR == 2 { print $3 "," $18 }')"
expect_eq "a new order of the last chunk: two lines" "2" \
    "$(bl --format csv orders show n2899 --shop s1 | awk -F, 'NR == 2 { print $NF }')"
expect_eq "1050 orders shipped" "1050" \
    "$(bl --format csv orders list --shop s1 --status shipped --limit 0 | tail -n +2 | wc -l | tr -d ' ')"

before=$(fingerprint)
# a new order twice, 3,000 lines apart (other chunks): refused at its second line
{
    echo "$H"
    for i in $(seq 0 2999); do
        echo "d$i,s1,k1,1,3.99,2024-03-05T10:00:00Z,2024-03-07T10:00:00Z,US-CA,,,"
    done
    echo "d7,s1,k1,1,3.99,2024-03-05T10:00:00Z,2024-03-07T10:00:00Z,US-CA,,,"
} > "$TMP/dup_new.csv"
expect_fail "a new order twice, chunks apart" 1 "dup_new.csv:3002: column 'order': duplicate order" \
    bl import orders "$TMP/dup_new.csv"
expect_eq "nothing stored" "$before" "$(fingerprint)"
# a known order twice, chunks apart
{
    echo "$H"
    echo "o4,s1,k1,1,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,"
    for i in $(seq 0 2999); do
        echo "e$i,s1,k1,1,3.99,2024-03-05T10:00:00Z,2024-03-07T10:00:00Z,US-CA,,,"
    done
    echo "o4,s1,k1,1,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,"
} > "$TMP/dup_known.csv"
expect_fail "a known order twice, chunks apart" 1 "dup_known.csv:3003: column 'order': duplicate order" \
    bl import orders "$TMP/dup_known.csv"
expect_eq "nothing stored" "$before" "$(fingerprint)"

bl_done
