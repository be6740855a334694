#!/usr/bin/env bash
# End-to-end: `ballast orders list|show`, in particular the JSON of `orders show`,
# which must be one document a JSON parser accepts.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" orders

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
s1,Shenzhen Gadgets,amazon,USD,Asia/Shanghai,CN-GD
s2,快手小店,kuaishou,CNY,Asia/Shanghai,CN-ZJ:3100
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name,weight_g,price,currency
k1,USB cable,50,3.99,USD
k2,"Lamp, ""warm"" white",900,19.50,USD
CSV
cat > "$TMP/orders.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by
o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,
o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,
o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,,GB,,2024-03-01T21:00:00Z,buyer
o1,s2,k1,1,25,2024-03-02T01:00:00+08:00,,CN-BJ,,,
CSV
expect_ok "init" bl init
for kind in shops skus orders; do
    expect_ok "import $kind" bl import "$kind" "$TMP/$kind.csv"
done

# Checks read the document with python3's json module (jq too, when installed).
pyq() { # pyq EXPR: evaluate a Python expression over the parsed document `d`
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

bl --format json orders show o1 --shop s1 > "$TMP/o1.json" 2>"$TMP/err"
expect_eq "show --format json exits 0" "" "$(cat "$TMP/err")"
python3 -m json.tool < "$TMP/o1.json" >/dev/null && ok "show --format json is one JSON document (python3 -m json.tool)" ||
    not_ok "show --format json is one JSON document (python3 -m json.tool)" "$(cat "$TMP/o1.json")"
if command -v jq >/dev/null; then
    expect_eq "jq reads exactly one value" 1 "$(jq -s length < "$TMP/o1.json")"
fi
expect_eq "the document is an object" "dict" "$(pyq 'type(d).__name__' < "$TMP/o1.json")"
expect_eq "order fields at the top" "s1 o1 shipped 27.48 USD US-CA" \
    "$(pyq '" ".join([d["shop"], d["order"], d["status"], d["amount"], d["currency"], d["ship_to"]])' < "$TMP/o1.json")"
expect_eq "times in ISO 8601 UTC, missing ones null" "2024-03-02T09:00:00Z None" \
    "$(pyq 'd["shipped_at"] + " " + str(d["delivered_at"])' < "$TMP/o1.json")"
expect_eq "its lines in a \"lines\" array, in order" "1:k1:2:3.99 2:k2:1:19.50" \
    "$(pyq '" ".join("%d:%s:%d:%s" % (l["line"], l["sku"], l["qty"], l["unit_price"]) for l in d["lines"])' < "$TMP/o1.json")"
expect_eq "a line has its currency" "USD USD" "$(pyq '" ".join(l["currency"] for l in d["lines"])' < "$TMP/o1.json")"

out=$(bl --format json orders show o2)
expect_eq "show without --shop when the id is unique" "o2 cancelled buyer 1" \
    "$(pyq '" ".join([d["order"], d["status"], d["cancelled_by"], str(len(d["lines"]))])' <<< "$out")"
out=$(bl orders show o2 --format json)
expect_eq "--format after the subcommand works too" "o2" "$(pyq 'd["order"]' <<< "$out")"
out=$(bl --format json orders show o1 --shop s2)
expect_eq "the other shop's o1, in its currency" "s2 CNY 25.00 1" \
    "$(pyq '" ".join([d["shop"], d["currency"], d["amount"], str(len(d["lines"]))])' <<< "$out")"
expect_fail "an id in two shops: JSON asks for --shop" 1 "order 'o1' is in 2 shops (s1, s2): name one with --shop S" \
    bl --format json orders show o1
expect_eq "... and prints nothing on stdout" "" "$(bl --format json orders show o1 2>/dev/null)"
expect_fail "an unknown order" 1 "no order 'nope'" bl --format json orders show nope
expect_fail "show needs an id" 2 "show needs one ORDER id" bl orders show

# The table shows every match, order and lines.
out=$(bl orders show o1)
expect_eq "table: both o1 orders and their lines" 2 "$(grep -c '^line ' <<< "$out")"

# list --format json stays an array of objects, one per order.
out=$(bl --format json orders list)
expect_eq "list --format json: an array of 3 orders" "3" "$(pyq 'len(d)' <<< "$out")"
expect_eq "list: \"lines\" is the line count" "2 1 1" "$(pyq '" ".join(str(o["lines"]) for o in d)' <<< "$out")"

bl_done
