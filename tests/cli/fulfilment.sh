#!/usr/bin/env bash
# End-to-end: orders the platform fulfils (Amazon FBA, a platform warehouse) are not
# the seller's shipments: out of the seller's shipment and delivery metrics (unless the
# profile keeps them in), not routed. The shop's fulfilment column decides, an order's
# own fulfilment overrides it; the same counts whether orders come from order blocks or
# rows.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" fulfilment

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from,deposit,fulfilment
m1,Merchant shop,amazon,USD,UTC,CN-GD,500.00,merchant
f1,FBA shop,amazon,USD,UTC,CN-GD,500.00,platform
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name,weight_g,price,currency
k1,USB cable,50,3.99,USD
CSV
# Every order is shipped a day late. m1: A1 the seller's, A2 the platform's; f1: B1
# the platform's (its shop's), B2 the seller's own (an exception).
cat > "$TMP/orders.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,fulfilment
A1,m1,k1,1,3.99,2024-03-01T00:00:00Z,2024-03-03T00:00:00Z,US-CA,2024-03-04T00:00:00Z,
A2,m1,k1,1,3.99,2024-03-01T00:00:00Z,2024-03-03T00:00:00Z,US-CA,2024-03-04T00:00:00Z,platform
B1,f1,k1,1,3.99,2024-03-01T00:00:00Z,2024-03-03T00:00:00Z,US-CA,2024-03-04T00:00:00Z,
B2,f1,k1,1,3.99,2024-03-01T00:00:00Z,2024-03-03T00:00:00Z,US-CA,2024-03-04T00:00:00Z,merchant
A3,m1,k1,1,3.99,2024-03-09T00:00:00Z,2024-03-12T00:00:00Z,US-CA,,platform
A4,m1,k1,1,3.99,2024-03-09T00:00:00Z,2024-03-12T00:00:00Z,US-CA,,
CSV
expect_ok "init" bl init
expect_ok "shops" bl import shops "$TMP/shops.csv"
expect_ok "skus" bl import skus "$TMP/skus.csv"
expect_ok "orders" bl import orders "$TMP/orders.csv"

due() { # SHOP [env...]: due,late of SHOP
    bl --format csv assess --as-of 2024-03-10T00:00:00Z --profile amazon --all-shops --dry-run |
        awk -F, -v s="$1" 'NR==1 {for (i=1;i<=NF;i++) c[$i]=i} NR>1 && $c["shop"]==s {print $c["due"] "," $c["late"]}'
}
expect_eq "m1: only the seller's own order is due" "1,1" "$(due m1)"
expect_eq "f1: only the order the seller ships itself is due" "1,1" "$(due f1)"
expect_eq "the same from rows" "1,1" "$(BALLAST_ORDER_BLOCKS=0 due m1)"
expect_eq "the same from rows (f1)" "1,1" "$(BALLAST_ORDER_BLOCKS=0 due f1)"
out=$(bl assess --as-of 2024-03-10T00:00:00Z --profile amazon --explain A2 --dry-run 2>&1)
[[ "$out" == *"the platform fulfils this order"* ]] && ok "--explain says why" || not_ok "--explain says why" "$out"

# A profile that keeps them in the shipment metrics.
mkdir -p "$TMP/profiles"
python3 - "$SRC/profiles/amazon.json" "$TMP/profiles/keep.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["name"] = "keep"
p["platform_fulfilled_counts_in"] = ["shipment"]
json.dump(p, open(sys.argv[2], "w"))
PY
got=$(BALLAST_PROFILES="$TMP/profiles" bl --format csv assess --as-of 2024-03-10T00:00:00Z --profile keep --all-shops --dry-run 2>/dev/null |
    awk -F, 'NR==1 {for (i=1;i<=NF;i++) c[$i]=i} NR>1 && $c["shop"]=="m1" {print $c["due"]}')
expect_eq "a profile that counts them in the shipment metrics" 2 "$got"
err=$(BALLAST_PROFILES="$TMP/profiles" bl assess --as-of 2024-03-10T00:00:00Z --profile keep --all-shops --dry-run 2>&1 >/dev/null)
[[ "$err" == *"not rated: 2 shops with profile 'amazon', which does not exist (add profiles/amazon.json): f1, m1"* ]] \
    && ok "assess names the shops it cannot rate, and why" || not_ok "assess names the shops it cannot rate" "$err"
cp "$TMP/shops.csv" "$TMP/more.csv"
printf 'id,name,platform,currency\nt1,TikTok shop,tiktok-shop,USD\n' >"$TMP/more.csv"
out=$(bl import shops "$TMP/more.csv" 2>&1)
[[ "$out" == *"no such rule profile, so these shops are not rated until profiles/NAME.json exists: tiktok-shop (1 shop: t1)"* ]] \
    && ok "import warns of a shop whose profile does not exist" || not_ok "import warns" "$out"

# Routing: the platform's open order is not the seller's to route.
out=$(bl --format csv route --as-of 2024-03-10T00:00:00Z 2>&1)
[[ "$out" != *"A3"* && "$out" == *"A4"* ]] && ok "route leaves the platform's order" || not_ok "route leaves the platform's order" "$out"

# An update that moves an order to the platform (an FBA transfer) is recorded.
cat > "$TMP/fba.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,fulfilment
A4,m1,k1,1,3.99,2024-03-09T00:00:00Z,2024-03-12T00:00:00Z,US-CA,platform
CSV
expect_ok "A4 now fulfilled by the platform" bl import orders "$TMP/fba.csv"
[[ "$(bl orders show A4)" == *"fulfilment"*"the shop's"*"platform"* ]] && ok "history: fulfilment" \
    || not_ok "history: fulfilment" "$(bl orders show A4)"
bl_done
