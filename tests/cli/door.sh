#!/usr/bin/env bash
# Values checked at the door (issue 15, items 3, 5, 7 and 11): every number of an import
# in its documented range (docs/formats.md, "Ranges"), and anything a range accepts works
# in every command; orders whose times contradict each other, backup_for chains that
# name nobody or come back, an unknown Olist order_status, control characters in names
# and ids; organisation names. Each refusal names the file, line and column and stores
# nothing.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" door

D="$TMP/edge"
mkdir -p "$D"
# --- a store at the top of every range -------------------------------------------------
cat >"$D/shops.csv" <<'EOF'
id,name,platform,currency,tz,ship_from,deposit
s1,Edge Shop,amazon,USD,UTC,CN-GD,1000000000.00
s2,Owing Shop,amazon,USD,UTC,CN-GD,-1000000000.00
EOF
cat >"$D/skus.csv" <<'EOF'
id,name,weight_g,length_mm,width_mm,height_mm,price,currency,handling_min,handling_max
k1,Heavy,10000000,100000,100000,100000,1000000000.00,USD,365,365
k2,Small,500,,,,9.99,USD,0,0
EOF
cat >"$D/warehouses.csv" <<'EOF'
id,region
w1,CN-GD
w2,US-CA
EOF
cat >"$D/suppliers.csv" <<'EOF'
id,region,lead_days,lead_days_max,moq,case_pack,backup_for
p1,CN-GD,365,365,1000000000,1000000000,
p2,CN-ZJ,0,365,1,1,p1
EOF
cat >"$D/sku_suppliers.csv" <<'EOF'
sku,supplier,rank,unit_cost,currency,moq
k1,p1,1,1000000000.00,USD,1000000000
k1,p2,100,0,USD,1
EOF
cat >"$D/stock.csv" <<'EOF'
warehouse,sku,on_hand,reserved,counted_at
w1,k1,1000000000,1000000000,2025-01-01T00:00:00Z
w2,k1,1000000000,0,2025-01-01T00:00:00Z
w1,k2,10,0,2025-01-01T00:00:00Z
EOF
cat >"$D/inbound.csv" <<'EOF'
po,sku,qty,warehouse,supplier,ordered_at,eta
PO1,k1,1000000000,w1,p1,2024-12-01T00:00:00Z,2025-12-01T00:00:00Z
EOF
cat >"$D/channels.csv" <<'EOF'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,per_kg,currency,transit_min,transit_max,sla_days,volumetric_divisor
slow,Slow Boat,sea,CN,US,0,10000,1000000000.00,100000.00,USD,365,365,365,1000000
fast,Fast Air,air,CN,US,0,2,5.00,1.00,USD,1,2,3,6000
EOF
awk 'BEGIN { print "sku,date,units"
    for (i = 0; i < 60; i++) { d = strftime("%Y-%m-%d", 1735689600 - (60 - i) * 86400, 1)
        print "k1," d ",1000000000"; print "k2," d ",3" } }' >"$D/sales.csv"
cat >"$D/orders.csv" <<'EOF'
order,shop,sku,qty,unit_price,placed_at,ship_by,promised_at,ship_to,shipped_at,delivered_at
o1,s1,k1,1,1000000000.00,2024-12-20T00:00:00Z,2024-12-22T00:00:00Z,2025-01-30T00:00:00Z,US-CA,2024-12-21T00:00:00Z,
o2,s1,k2,1000000,1000.00,2024-12-28T00:00:00Z,2024-12-30T00:00:00Z,2025-01-10T00:00:00Z,US-NY,,
o3,s1,k2,1,9.99,2024-12-29T00:00:00Z,,,US,,
EOF

expect_ok "init" bl init
for k in shops skus warehouses suppliers sku_suppliers stock inbound channels sales orders; do
    expect_ok "import $k at the top of its ranges" bl import "$k" "$D/$k.csv"
done
A=2025-01-01
T=2025-01-01T00:00:00Z
# What the issue saw fail (lead_days 4000: plan, alerts, playbook; transit 999999999:
# quote, route, promise, sla, windows, refund; handling 5000; 2^63-1 units: forecast,
# plan) works at the top of the ranges.
expect_ok "forecast" bl forecast --horizon 28
out=$(bl --format csv forecast --horizon 28 | awk -F, '$1 == "k1" { print $6; exit }')
expect_eq "forecast p95 of a SKU selling 10^9 a day" "1000000000.0000" "$out"
expect_ok "plan" bl plan --as-of $A
expect_ok "alerts" bl alerts --as-of $A
expect_ok "playbook" bl playbook --as-of $A
expect_ok "quote, 365 transit days and the top prices" \
    bl quote --from CN-GD --to US-CA --weight 9999 --ship-at $T --by 2027-01-01
out=$(bl --format csv quote --from CN-GD --to US-CA --weight 9999 --ship-at $T | awk -F, 'NR == 2 { print $6 }')
expect_eq "a 9999 kg parcel at the top base and per-kg price" "1999900000.00" "$out"
expect_ok "route" bl route --as-of $T
expect_ok "promise, 365 handling days" bl promise --sku k1 --to US
expect_ok "promise" bl promise --sku k2 --to US
expect_ok "sla" bl sla --as-of $T
expect_ok "windows" bl windows --from CN-GD
expect_ok "refund of the top order" bl refund o1
expect_ok "assess" bl assess --as-of $A
expect_ok "ledger" bl ledger --balances
expect_ok "the cycle" bl cycle --as-of $A --dry-run

# --- past the ranges: refused with the file, line and column ---------------------------
# bad NAME KIND 'substring' < file: the import fails (exit 1), names the place, stores nothing.
bad() {
    local name=$1 kind=$2 sub=$3 before
    cat >"$TMP/bad.csv"
    before=$(fingerprint)
    expect_fail "$name" 1 "$sub" bl import "$kind" "$TMP/bad.csv"
    expect_eq "$name: nothing stored" "$before" "$(fingerprint)"
}
bad "lead_days 4000" suppliers "bad.csv:2: column 'lead_days': '4000' is out of range: expected a whole number from 0 to 365" <<'EOF'
id,region,lead_days
p9,CN,4000
EOF
bad "lead_days_max 366" suppliers "bad.csv:2: column 'lead_days_max': '366' is out of range" <<'EOF'
id,region,lead_days,lead_days_max
p9,CN,1,366
EOF
bad "transit_max 999999999" channels "bad.csv:2: column 'transit_max': '999999999' is out of range: expected a whole number from 0 to 365" <<'EOF'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,currency,transit_min,transit_max
c9,X,air,CN,US,0,1,1.00,USD,1,999999999
EOF
bad "transit 4294967297 (narrowed to 1 before)" channels "column 'transit_min': '4294967297' is out of range" <<'EOF'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,currency,transit_min,transit_max
c9,X,air,CN,US,0,1,1.00,USD,4294967297,4294967298
EOF
bad "base 92233720368547758.07" channels "bad.csv:2: column 'base': '92233720368547758.07' is out of range: expected an amount from 0.00 to 1000000000.00" <<'EOF'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,currency,transit_min,transit_max
c9,X,air,CN,US,0,1,92233720368547758.07,USD,1,2
EOF
bad "per_kg 92233720368547758.07" channels "column 'per_kg': '92233720368547758.07' is out of range: expected an amount from 0.00 to 100000.00" <<'EOF'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,per_kg,currency,transit_min,transit_max
c9,X,air,CN,US,0,1,1.00,92233720368547758.07,USD,1,2
EOF
bad "max_kg past 10 t" channels "column 'max_kg': '10000.001': expected kilograms from 0 to 10000" <<'EOF'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,currency,transit_min,transit_max
c9,X,air,CN,US,0,10000.001,1.00,USD,1,2
EOF
bad "sla_days 366" channels "column 'sla_days': '366' is out of range" <<'EOF'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,currency,transit_min,transit_max,sla_days
c9,X,air,CN,US,0,1,1.00,USD,1,2,366
EOF
bad "handling_max 5000" skus "bad.csv:2: column 'handling_max': '5000' is out of range: expected a whole number from 0 to 365" <<'EOF'
id,handling_min,handling_max
k9,1,5000
EOF
bad "handling 2^32" skus "column 'handling_min': '4294967296' is out of range" <<'EOF'
id,handling_min,handling_max
k9,4294967296,4294967296
EOF
bad "weight past 10 t" skus "column 'weight_g': '10000001' is out of range" <<'EOF'
id,weight_g
k9,10000001
EOF
bad "sales units 2^63-1" sales "bad.csv:3: column 'units': '9223372036854775807' is out of range: expected a whole number from 0 to 1000000000" <<'EOF'
sku,date,units
k2,2025-01-01,1
k2,2025-01-02,9223372036854775807
EOF
bad "on_hand 2^63-1" stock "column 'on_hand': '9223372036854775807' is out of range" <<'EOF'
warehouse,sku,on_hand,counted_at
w1,k2,9223372036854775807,2025-02-01T00:00:00Z
EOF
bad "inbound qty past 10^9" inbound "column 'qty': '1000000001' is out of range" <<'EOF'
po,sku,qty,warehouse,eta
PO9,k2,1000000001,w1,2025-02-01T00:00:00Z
EOF
bad "deposit past the money range" shops "column 'deposit': '1000000000.01' is out of range: expected an amount from -1000000000.00 to 1000000000.00" <<'EOF'
id,platform,currency,deposit
s9,amazon,USD,1000000000.01
EOF
bad "rank 101" sku_suppliers "column 'rank': '101' is out of range: expected a whole number from 1 to 100" <<'EOF'
sku,supplier,rank
k2,p2,101
EOF
bad "a line of more than 10^6 units" orders "bad.csv:2: column 'qty': '1000001' is out of range: expected a whole number from 1 to 1000000" <<'EOF'
order,shop,sku,qty,unit_price,placed_at
o9,s1,k2,1000001,1.00,2025-01-01T00:00:00Z
EOF
bad "an order past the money range" orders "bad.csv:2: column 'unit_price': order o9: its amount (the sum of qty x unit_price of its lines) is too large: expected at most 1000000000.00 USD" <<'EOF'
order,shop,sku,qty,unit_price,placed_at
o9,s1,k2,1,600000000.00,2025-01-01T00:00:00Z
o9,s1,k1,1,600000000.00,2025-01-01T00:00:00Z
EOF
cat >"$TMP/amazon.tsv" <<'EOF'
amazon-order-id	purchase-date	last-updated-date	order-status	fulfillment-channel	sku	quantity	currency	item-price	ship-state	ship-postal-code	ship-country
A-1	2025-01-01T00:00:00+00:00	2025-01-01T00:00:00+00:00	Unshipped	Merchant	k2	1000001	USD	1.00	CA	94103	US
EOF
expect_fail "a platform report: quantity past the range" 1 "amazon.tsv:2: column 'quantity': '1000001' is out of range" \
    bl import amazon "$TMP/amazon.tsv" --shop s1

# --- order times that contradict each other --------------------------------------------
H=order,shop,sku,qty,unit_price,placed_at,picked_up_at,shipped_at,delivered_at,cancelled_at
bad "delivered before placed" orders "bad.csv:3: column 'delivered_at': order o8: delivered_at 2025-01-01T00:00:00Z is before the order was placed (placed_at 2025-01-05T00:00:00Z)" <<EOF
$H
o7,s1,k2,1,1.00,2025-01-01T00:00:00Z,,2025-01-02T00:00:00Z,2025-01-03T00:00:00Z,
o8,s1,k2,1,1.00,2025-01-05T00:00:00Z,,,2025-01-01T00:00:00Z,
EOF
bad "shipped before placed" orders "bad.csv:2: column 'shipped_at': order o8: shipped_at 2025-01-04T00:00:00Z is before the order was placed" <<EOF
$H
o8,s1,k2,1,1.00,2025-01-05T00:00:00Z,,2025-01-04T00:00:00Z,,
EOF
bad "cancelled before placed" orders "column 'cancelled_at': order o8: cancelled_at" <<EOF
$H
o8,s1,k2,1,1.00,2025-01-05T00:00:00Z,,,,2025-01-04T00:00:00Z
EOF
bad "delivered before shipped" orders "bad.csv:2: column 'delivered_at': order o8: delivered at 2025-01-06T00:00:00Z, before it was shipped at 2025-01-07T00:00:00Z: no delivery before shipment" <<EOF
$H
o8,s1,k2,1,1.00,2025-01-05T00:00:00Z,,2025-01-07T00:00:00Z,2025-01-06T00:00:00Z,
EOF
bad "delivered before picked up" orders "before it was picked up at 2025-01-07T00:00:00Z" <<EOF
$H
o8,s1,k2,1,1.00,2025-01-05T00:00:00Z,2025-01-07T00:00:00Z,,2025-01-06T00:00:00Z,
EOF
cat >"$TMP/tiktok.csv" <<'EOF'
Order ID,Order Status,Seller SKU,Quantity,SKU Unit Original Price,Created Time,Shipped Time,Delivered Time,Cancelled Time
T-1,Delivered,k2,1,1.00,01/05/2025 10:00:00 AM,01/07/2025 10:00:00 AM,01/06/2025 10:00:00 AM,
EOF
expect_fail "a platform report: delivered before shipped" 1 "tiktok.csv:2: column 'Delivered Time': order T-1: delivered at" \
    bl import tiktok "$TMP/tiktok.csv" --shop s1

# --- backup_for ------------------------------------------------------------------------
bad "backup_for an unknown supplier" suppliers "bad.csv:3: column 'backup_for': backup_for 'nobody' names no supplier of the store or of this file" <<'EOF'
id,region,lead_days,backup_for
p7,CN,1,p1
p8,CN,1,nobody
EOF
bad "backup_for itself" suppliers "bad.csv:2: column 'backup_for': backup_for 'p8' names the supplier itself" <<'EOF'
id,region,lead_days,backup_for
p8,CN,1,p8
EOF
bad "backup_for cycle in a file" suppliers "bad.csv:2: column 'backup_for': backup_for forms a cycle: p7 -> p8 -> p7" <<'EOF'
id,region,lead_days,backup_for
p7,CN,1,p8
p8,CN,1,p7
EOF
printf 'id,region,lead_days,backup_for\np3,CN,1,p2\n' >"$TMP/sup_chain.csv"
expect_ok "a chain through the store that ends (p3 -> p2 -> p1)" bl import suppliers "$TMP/sup_chain.csv"
cat >"$TMP/sup_ok.csv" <<'EOF'
id,region,lead_days,backup_for
p5,CN,1,p6
p6,CN,1,p1
EOF
expect_ok "a backup named later in the same file, a chain that ends" bl import suppliers "$TMP/sup_ok.csv"

# --- control characters in names and ids; free text keeps them -------------------------
ESC=$'\x1b'
bad "ESC in a shop's name" shops "bad.csv:2: column 'name': name has a control character (byte 1): expected printable text" <<EOF
id,name,platform,currency
s9,${ESC}]0;PWNED,amazon,USD
EOF
bad "C1 control in a SKU id" skus "bad.csv:2: column 'id': id has a control character (byte 4)" <<EOF
id
k-9$(printf '\xc2\x85')
EOF
bad "bidi override in a carrier" channels "bad.csv:2: column 'carrier': name has a bidirectional control character" <<EOF
channel,carrier,mode,origin,destination,min_kg,max_kg,base,currency,transit_min,transit_max
c9,$(printf '\xe2\x80\xae')tsoP,air,CN,US,0,1,1.00,USD,1,2
EOF
bad "ESC in a customer's name" customers "column 'name': name has a control character" <<EOF
id,name
c9,Ana${ESC}[2J
EOF
bad "DEL in a warehouse name" warehouses "column 'name': name has a control character" <<EOF
id,name,region
w9,Depot$(printf '\x7f'),CN
EOF
bad "ESC in a supplier name" suppliers "column 'name': name has a control character" <<EOF
id,name,region,lead_days
p9,Acme${ESC},CN,1
EOF
bad "tab in an area name" areas "column 'name': name has a control character" <<EOF
region,name
CN-ZJ:322,"Yi	wu"
EOF
cat >"$TMP/dis.csv" <<EOF
region,scope,kind,starts_at,note
CN-GD,origin,weather,2025-01-01T00:00:00Z,"typhoon ${ESC}[2J warning"
EOF
expect_ok "a disruption note is free text: kept (escaped on output)" bl import disruptions "$TMP/dis.csv"

# --- Olist: order_status, delivery before purchase, what the data carries --------------
O="$TMP/olist"
mkdir -p "$O"
cat >"$O/olist_sellers_dataset.csv" <<'EOF'
seller_id,seller_zip_code_prefix,seller_city,seller_state
sel1,13023,campinas,SP
EOF
cat >"$O/olist_products_dataset.csv" <<'EOF'
product_id,product_category_name,product_name_lenght,product_description_lenght,product_photos_qty,product_weight_g,product_length_cm,product_height_cm,product_width_cm
prod1,perfumaria,40,287,1,225,16,10,14
EOF
cat >"$O/olist_customers_dataset.csv" <<'EOF'
customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state
cu1,u1,35182,timoteo,MG
cu2,u2,35182,timoteo,MG
EOF
olist_orders() {
    cat >"$O/olist_orders_dataset.csv" <<EOF
order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at,order_delivered_carrier_date,order_delivered_customer_date,order_estimated_delivery_date
ord1,cu1,delivered,2018-04-27 15:59:23,2018-04-27 16:15:25,2018-04-27 14:35:00,2018-05-02 15:32:39,2018-05-16 00:00:00
ord2,cu2,$1,2018-05-01 10:00:00,,,$2,2018-05-20 00:00:00
EOF
}
cat >"$O/olist_order_items_dataset.csv" <<'EOF'
order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value
ord1,1,prod1,sel1,2018-05-03 15:59:23,99.9,10.0
ord2,1,prod1,sel1,2018-05-05 10:00:00,49.9,10.0
EOF
expect_ok "init olist" bl --org olist init
olist_orders returned ""
expect_fail "an unknown order_status" 1 "olist_orders_dataset.csv:3: column 'order_status': unknown order status 'returned': expected one of created, approved, invoiced, processing, shipped, delivered, unavailable, canceled" \
    bl --org olist import olist "$O"
olist_orders delivered "2018-04-30 10:00:00"
expect_fail "Olist: delivered before the purchase" 1 "olist_orders_dataset.csv:3: column 'order_delivered_customer_date': delivered at" \
    bl --org olist import olist "$O"
expect_eq "Olist: nothing stored" 0 "$(bl --org olist --format csv stats | awk -F, '$1 == "orders" { print $2 }')"
olist_orders invoiced ""
out=$(bl --org olist import olist "$O" 2>&1)
[[ "$out" == *"1 order kept as published with a carrier date before the purchase or after the delivery"* ]] &&
    ok "Olist: a carrier date before the purchase (as in the published data) is kept and said" ||
    not_ok "Olist: carrier date before purchase kept" "$out"

# --- organisation names ----------------------------------------------------------------
expect_fail "--org ''" 1 "an organisation name is empty: expected 1 to 64 bytes of printable text" \
    bl --org "" init
expect_fail "--org ' '" 1 "the organisation name ' ' has a space at its start" bl --org " " init
expect_fail "--org 'default ' is not another tenant" 1 "the organisation name 'default ' has a space at its end" \
    bl --org "default " stats
expect_fail "--org with ESC" 1 "the organisation name 'a?]0;x' has a control character (byte 2)" \
    bl --org "a${ESC}]0;x" init
expect_fail "--org with a bidi override" 1 "has a bidirectional control character" \
    bl --org "shop$(printf '\xe2\x80\xae')" init
expect_fail "--org of 65 bytes" 1 "is 65 bytes long: expected at most 64" \
    bl --org "$(printf 'a%.0s' {1..65})" init
expect_fail "--org of 10,000 bytes (failed on PostgreSQL's index before)" 1 "is 10000 bytes long: expected at most 64" \
    bl --org "$(printf 'a%.0s' {1..10000})" init
expect_fail "--org not UTF-8" 1 "has a byte that is not UTF-8" bl --org "caf$(printf '\xe9')" init
long=$(printf 'b%.0s' {1..64})
expect_ok "--org of 64 bytes" bl --org "$long" init
expect_ok "--org of 64 bytes: used" bl --org "$long" stats
expect_ok "--org in Portuguese with a space inside" bl --org "Loja São Paulo" init
expect_eq "four organisations, none of the refused ones" 4 \
    "$(if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" 'SELECT COUNT(*) FROM org'; else psql -qtAX "$DB" -c 'SELECT COUNT(*) FROM org'; fi)"

bl_done
