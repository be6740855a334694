#!/usr/bin/env bash
# End-to-end: native imports, batches, and every kind of bad input the issue names.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" import

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from,deposit
s1,Shenzhen Gadgets,amazon,USD,Asia/Shanghai,CN-GD,500.00
s2,快手小店,kuaishou,CNY,Asia/Shanghai,CN-ZJ:3100,
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,name,weight_g,price,currency
k1,USB cable,50,3.99,USD
k2,"Lamp, ""warm"" white",900,19.50,USD
CSV
cat > "$TMP/orders.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at
o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z
o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z
o2,s1,k1,1,3.99,2024-03-01 20:00:00,,GB,
o1,s2,k1,1,25,2024-03-02T01:00:00+08:00,,CN-BJ,
CSV

expect_ok "init" bl init
expect_ok "init again is a no-op" bl init
expect_ok "import shops" bl import shops "$TMP/shops.csv"
expect_ok "import skus" bl import skus "$TMP/skus.csv"
expect_ok "import orders" bl import orders "$TMP/orders.csv"
expect_eq "3 shop orders" 3 "$(rows orders)"
expect_eq "4 order lines" 4 "$(rows order_line)"
expect_eq "3 batches" 3 "$(rows import_batch)"

amount=$(bl --format csv orders list --shop s1 | awk -F, '$2=="o1" {print $14}')
expect_eq "order amount is the sum of its lines" "27.48" "$amount"
placed=$(bl --format csv orders list --shop s1 | awk -F, '$2=="o2" {print $4}')
expect_eq "local time without offset read in the shop's zone" "2024-03-01T12:00:00Z" "$placed"
name=$(bl --format json orders show o1 --shop s2 | grep -c '"CN-BJ"')
expect_eq "orders show finds the order in its shop" 1 "$name"

before=$(fingerprint)
err=$(bl import orders "$TMP/orders.csv" 2>&1)
expect_eq "same file twice: nothing added" "$before" "$(fingerprint)"
[[ "$err" == *"already imported as batch 3"* ]] && ok "same file twice: says so" || not_ok "same file twice: says so" "$err"
gzip -c "$TMP/skus.csv" > "$TMP/skus2.csv.gz"
err=$(bl import skus "$TMP/skus2.csv.gz" 2>&1)
[[ "$err" == *"already imported as batch 2 on "* ]] && ok "gzip input read: the same records are the same batch" \
    || not_ok "gzip input read: the same records are the same batch" "$err"
sed 's/USB cable/USB-C cable/' "$TMP/skus.csv" | gzip -c > "$TMP/skus2.csv.gz"
expect_fail "gzip input read; duplicate ids across batches" 1 "skus2.csv.gz:2: column 'id': duplicate sku id" bl import skus "$TMP/skus2.csv.gz"

bad() { # bad NAME KIND 'expected message' <<< csv
    local name=$1 kind=$2 msg=$3
    cat > "$TMP/bad.csv"
    local fp
    fp=$(fingerprint)
    expect_fail "$name" 1 "$msg" bl import "$kind" "$TMP/bad.csv"
    expect_eq "$name: nothing stored" "$fp" "$(fingerprint)"
}
H='order,shop,sku,qty,unit_price,placed_at'
bad "broken quoting" orders "bad.csv:3: broken quoting" <<CSV
$H
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z
x2,s1,"k1,1,1.00,2024-03-01T00:00:00Z
CSV
bad "wrong column count" orders "bad.csv:3: expected 6 fields as in the header, got 5" <<CSV
$H
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z
x2,s1,k1,1,1.00
CSV
bad "unknown column" orders "bad.csv:1: column 'colour'" <<CSV
$H,colour
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z,red
CSV
bad "missing required column" orders "required column 'placed_at' is missing" <<CSV
order,shop,sku,qty,unit_price
x1,s1,k1,1,1.00
CSV
bad "bad date" orders "bad.csv:2: column 'placed_at'" <<CSV
$H
x1,s1,k1,1,1.00,01/03/2024
CSV
bad "impossible date" orders "bad.csv:3: column 'placed_at'" <<CSV
$H
x1,s1,k1,1,1.00,2024-02-29T00:00:00Z
x2,s1,k1,1,1.00,2023-02-29T00:00:00Z
CSV
bad "negative quantity" orders "bad.csv:2: column 'qty'" <<CSV
$H
x1,s1,k1,-1,1.00,2024-03-01T00:00:00Z
CSV
bad "non-integer quantity" orders "bad.csv:2: column 'qty'" <<CSV
$H
x1,s1,k1,1.5,1.00,2024-03-01T00:00:00Z
CSV
bad "amount overflows int64 minor units" orders "bad.csv:2: column 'unit_price'" <<CSV
$H
x1,s1,k1,1,92233720368547758.08,2024-03-01T00:00:00Z
CSV
bad "a unit price past the range" orders "expected an amount from 0.00 to 1000000000.00" <<CSV
$H
x1,s1,k1,1000,92233720368547758.07,2024-03-01T00:00:00Z
CSV
bad "unknown currency" orders "bad.csv:2: column 'currency'" <<CSV
$H,currency
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z,ABC
CSV
bad "duplicate id within a batch" orders "bad.csv:4: column 'order': duplicate order" <<CSV
$H
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z
x2,s1,k1,1,1.00,2024-03-01T00:00:00Z
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z
CSV
bad "a known order's identity does not change" orders "bad.csv:3: column 'placed_at': order o1: the time an order was placed does not change" <<CSV
$H
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z
o1,s1,k1,1,1.00,2024-03-01T00:00:00Z
CSV
printf '%s\nx1,s1,k1,1,1.00,2024-03-01T00:00:00Z\nx\xff,s1,k1,1,1.00,2024-03-01T00:00:00Z\n' "$H" > "$TMP/utf.csv"
expect_fail "invalid UTF-8" 1 "utf.csv:3: invalid UTF-8" bl import orders "$TMP/utf.csv"
: > "$TMP/empty.csv"
expect_fail "empty file" 1 "empty.csv: empty file" bl import orders "$TMP/empty.csv"
echo "$H" > "$TMP/header.csv"
expect_fail "header only" 1 "header.csv: the file has a header but no data rows" bl import orders "$TMP/header.csv"
bad "unknown shop" orders "bad.csv:2: column 'shop': unknown shop 'nope'" <<CSV
$H
x1,nope,k1,1,1.00,2024-03-01T00:00:00Z
CSV
bad "lines of one order disagree" orders "bad.csv:3: column 'placed_at': differs from line 2" <<CSV
$H
x1,s1,k1,1,1.00,2024-03-01T00:00:00Z
x1,s1,k2,1,1.00,2024-03-02T00:00:00Z
CSV
bad "bad region" shops "bad.csv:2: column 'ship_from'" <<CSV
id,platform,currency,ship_from
s9,amazon,USD,XX-1
CSV
bad "unknown time zone" shops "bad.csv:2: column 'tz': unknown time zone 'Mars/Olympus'" <<CSV
id,platform,currency,tz
s9,amazon,USD,Mars/Olympus
CSV
bad "no offset and no zone" disruptions "column 'starts_at'" <<CSV
region,scope,kind,starts_at
CN-HB,both,lockdown,2024-03-01 00:00:00
CSV
expect_fail "missing file" 1 "nope.csv" bl import orders "$TMP/nope.csv"
expect_fail "unknown kind" 2 "unknown kind 'widgets'" bl import widgets "$TMP/shops.csv"

cat > "$TMP/dis.csv" <<'CSV'
id,region,scope,kind,starts_at,ends_at,note
d1,CN-HB,origin,lockdown,2020-01-23T00:00:00+08:00,2020-04-08T00:00:00+08:00,Wuhan
d2,RU,destination,route_suspension,2020-01-31,,China-Russia railway stopped
CSV
expect_ok "disruptions with --tz for a bare date" bl import disruptions "$TMP/dis.csv" --tz Asia/Shanghai
expect_eq "2 disruptions" 2 "$(rows disruption)"

bl_done
