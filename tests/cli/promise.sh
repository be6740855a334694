#!/usr/bin/env bash
# End-to-end: the demo catalogue imports; per-shop routing policy; listing promises
# (handling + transit, an origin lockdown, core channels suspended); refund decisions
# recorded once; and the errors a user can make.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" promise

cat > "$TMP/shops.csv" <<'CSV'
id,platform,currency,tz,ship_from
s1,amazon,USD,Asia/Shanghai,CN-GD
s2,temu,USD,Asia/Shanghai,CN-ZJ
CSV
cat > "$TMP/skus.csv" <<'CSV'
id,weight_g,handling_min,handling_max
k1,500,1,3
k2,5000,2,4
CSV
cat > "$TMP/warehouses.csv" <<'CSV'
id,region,kind
us-nj,US-NJ,overseas
gz,CN-GD,own
CSV
cat > "$TMP/orders.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_to,shipped_at,delivered_at,cancelled_at
o1,s1,k1,1,19.99,2024-04-01T00:00:00Z,US-CA,2024-04-02T00:00:00Z,2024-04-15T00:00:00Z,
o2,s1,k1,1,9.99,2024-04-01T00:00:00Z,GB,,,
o3,s1,k1,1,9.99,2024-04-01T00:00:00Z,GB,2024-04-02T00:00:00Z,,
o4,s1,k1,2,29.99,2024-04-01T00:00:00Z,GB,2024-04-02T00:00:00Z,2024-04-12T00:00:00Z,
o5,s2,k1,2,29.99,2024-04-01T00:00:00Z,GB,2024-04-02T00:00:00Z,,
o6,s2,k1,1,9.99,2024-04-01T00:00:00Z,DE,,,2024-04-03T00:00:00Z
CSV
# a return lane from GB to China (the demo catalogue only ships out of China)
cat > "$TMP/returns.csv" <<'CSV'
channel,carrier,mode,origin,destination,min_kg,max_kg,base,currency,transit_min,transit_max,tz
ret-gb,Royal Mail,postal,GB,CN,0,30,12.00,USD,5,10,Europe/London
CSV

expect_ok "init" bl init
expect_ok "calendars" bl calendars import "$SRC/data/calendars.csv"
expect_ok "demo calendars" bl calendars import "$SRC/data/demo/calendars.csv"
expect_ok "demo catalogue imports" bl channels import "$SRC/data/demo/channels.csv"
expect_eq "18 channels" 18 "$(rows channel)"
err=$(bl channels list 2>&1 >/dev/null)
expect_eq "every calendar the demo channels name is loaded" "" "$err"
expect_ok "return lane" bl channels import "$TMP/returns.csv"
expect_ok "shops" bl import shops "$TMP/shops.csv"
expect_ok "skus" bl import skus "$TMP/skus.csv"
expect_ok "warehouses" bl import warehouses "$TMP/warehouses.csv"
expect_ok "orders" bl import orders "$TMP/orders.csv"

# ---- per-shop routing policy
expect_eq "route: the default is cheapest" "cnpost-small" \
    "$(bl --format csv route --as-of 2024-04-01T12:00:00Z | awk -F, '$1=="o2" {print $3}')"
expect_ok "route policy --shop s1 fastest" bl route policy --shop s1 fastest
expect_eq "route policy list" "s1,fastest,0.5000|s2,cheapest,0.5000" \
    "$(bl --format csv route policy list | tail -n +2 | tr '\n' '|' | sed 's/|$//')"
expect_eq "route: the shop's policy" "ups-express" \
    "$(bl --format csv route --as-of 2024-04-01T12:00:00Z | awk -F, '$1=="o2" {print $3}')"
expect_eq "route: --policy overrides the shop's" "cnpost-small" \
    "$(bl --format csv route --as-of 2024-04-01T12:00:00Z --policy cheapest | awk -F, '$1=="o2" {print $3}')"
ex=$(bl route --as-of 2024-04-01T12:00:00Z --explain o2)
[[ "$ex" == *"policy: fastest (the shop's)"* ]] && ok "route --explain names the shop's policy" ||
    not_ok "route --explain names the shop's policy" "$ex"
printf 'shop,route_policy,refund_share\ns2,preferred:DHL,0.1\n' > "$TMP/pol.csv"
expect_ok "route policy import" bl route policy import "$TMP/pol.csv"
expect_eq "imported policy and share" "s2,preferred:DHL,0.1000" \
    "$(bl --format csv route policy list | grep '^s2')"
expect_eq "route: preferred carrier of s2" "dhl-express" \
    "$(bl --format csv route --as-of 2024-04-02T12:00:00Z | awk -F, '$1=="o6" {print $3}')"
expect_eq "2 shop policies" 2 "$(rows shop_policy)"

# ---- listing promise
# Monday 2024-04-08 09:00 Shanghai: China Post leaves that day; 1+7 business days end
# Thu 04-18; 3+15 end Tue 05-07 (Labour Day closes 05-01..05).
p=$(bl --format csv promise --sku k1 --shop s2 --to US --as-of 2024-04-08T01:00:00Z --policy cheapest)
expect_eq "promise: handling + transit in the channel's calendar" \
    "k1,CN-ZJ,US,10-29 days,10,29,cnpost-small,core,2024-04-18,2024-05-07," "$(echo "$p" | tail -1)"
expect_eq "promise: fastest" "ups-express,4-10 days" \
    "$(bl --format csv promise --sku k1 --from CN-ZJ --to US --as-of 2024-04-08T01:00:00Z --policy fastest | awk -F, 'NR==2 {print $7","$4}')"
expect_eq "promise: every destination of the lanes from the ship-from" 17 \
    "$(bl --format csv promise --sku k1 --from CN-GD --as-of 2024-04-08T01:00:00Z | tail -n +2 | wc -l | tr -d ' ')"
expect_eq "promise: a 5 kg SKU goes by dedicated line" "yanwen-line" \
    "$(bl --format csv promise --sku k2 --from CN-GD --to GB --as-of 2024-04-08T01:00:00Z | awk -F, 'NR==2 {print $7}')"
expect_eq "promise: 5 kg to BR only by express (postal there is 0-2 kg)" "dhl-express" \
    "$(bl --format csv promise --sku k2 --from CN-GD --to BR --as-of 2024-04-08T01:00:00Z | awk -F, 'NR==2 {print $7}')"
expect_eq "promise: says when no channel serves" "no channel serves CN-GD -> PL at 500 g" \
    "$(bl --format csv promise --sku k1 --from CN-GD --to PL --as-of 2024-04-08T01:00:00Z | awk -F, 'NR==2 {print $11}')"
expect_eq "promise: every SKU" 2 \
    "$(bl --format csv promise --from CN-GD --to US --as-of 2024-04-08T01:00:00Z | tail -n +2 | wc -l | tr -d ' ')"

cat > "$TMP/dis.csv" <<'CSV'
id,region,scope,kind,starts_at,ends_at,channel
d-gd,CN-GD,origin,lockdown,2024-04-08T00:00:00Z,2024-04-10T12:00:00Z,
d-post,CN,both,carrier_suspension,2024-06-01T00:00:00Z,2024-07-01T00:00:00Z,cnpost-small
d-dhl,CN,both,carrier_suspension,2024-06-01T00:00:00Z,2024-07-01T00:00:00Z,dhl-express
d-ups,US,destination,carrier_suspension,2024-06-01T00:00:00Z,2024-07-01T00:00:00Z,ups-express
d-hb,CN-HB,origin,lockdown,2024-01-01T00:00:00Z,2030-01-01T00:00:00Z,
CSV
expect_ok "disruptions" bl import disruptions "$TMP/dis.csv"
# the lockdown has 2 days 11 hours left: hand-over waits 3 days (Thu 04-11 09:00),
# so 1+7 business days end Tue 04-23 and 3+15 end Fri 05-10
p=$(bl --format csv promise --sku k1 --from CN-GD:518 --to US --as-of 2024-04-08T01:00:00Z)
expect_eq "promise: an origin lockdown extends handling" "15-32 days,2024-04-23,2024-05-10" \
    "$(echo "$p" | awk -F, 'NR==2 {print $4","$9","$10}')"
[[ "$p" == *"handling extended 3 days: ship-from disrupted by d-gd (lockdown in CN-GD)"* ]] &&
    ok "promise: says why it is longer" || not_ok "promise: says why it is longer" "$p"
expect_eq "promise: held for years, no window" ",unavailable: ship-from held by d-hb (lockdown in CN-HB) for over a year" \
    "$(bl --format csv promise --sku k1 --from CN-HB --to US --as-of 2024-04-08T01:00:00Z | awk -F, 'NR==2 {print $4","$11}')"
expect_eq "promise: another province is not held" "10-29 days" \
    "$(bl --format csv promise --sku k1 --from CN-ZJ --to US --as-of 2024-04-08T01:00:00Z | awk -F, 'NR==2 {print $4}')"
p=$(bl --format csv promise --sku k1 --from CN-ZJ --to US --as-of 2024-06-03T01:00:00Z)
expect_eq "promise: core channels suspended, the backup tier serves" "cainiao-post,backup" \
    "$(echo "$p" | awk -F, 'NR==2 {print $7","$8}')"
[[ "$p" == *"backup tier: core channel suspended by d-"* ]] &&
    ok "promise: names the suspension" || not_ok "promise: names the suspension" "$p"

# ---- refunds
expect_fail "refund: placed after --as-of" 1 "placed after the --as-of instant" bl refund o2 --shop s1 --as-of 2024-01-01T00:00:00Z
r=$(bl --format csv refund o2 --reason "changed mind" --as-of 2024-04-05T00:00:00Z)
expect_eq "refund: unshipped, full refund" "o2,s1,full_refund,9.99,USD" "$(echo "$r" | tail -1 | cut -d, -f1-5)"
[[ "$r" == *"request: changed mind"* && "$r" == *",recorded" ]] && ok "refund: records the request" ||
    not_ok "refund: records the request" "$r"
expect_eq "refund: delivered to a region with an overseas warehouse" "return_to_warehouse,19.99,us-nj" \
    "$(bl --format csv refund o1 --as-of 2024-04-20T00:00:00Z | awk -F, 'NR==2 {print $3","$4","$6}')"
r=$(bl --format csv refund o3 --as-of 2024-04-05T00:00:00Z)
expect_eq "refund: return costs 12.00 > 50% of 9.99: refund 5.00 and keep" "partial_refund_keep,5.00,12.00,5.00" \
    "$(echo "$r" | awk -F, 'NR==2 {print $3","$4","$7","$8}')"
expect_eq "refund: return costs 12.00 <= 50% of 59.98: return to the ship-from" "return_to_origin,59.98,12.00" \
    "$(bl --format csv refund o4 --as-of 2024-04-20T00:00:00Z | awk -F, 'NR==2 {print $3","$4","$7}')"
expect_eq "refund: s2's share is 0.1: 12.00 > 6.00, refund 6.00" "partial_refund_keep,6.00,6.00" \
    "$(bl --format csv refund o5 --as-of 2024-04-05T00:00:00Z | awk -F, 'NR==2 {print $3","$4","$8}')"
expect_eq "refund: a cancelled, unshipped order" "full_refund,9.99" \
    "$(bl --format csv refund o6 --as-of 2024-04-05T00:00:00Z | awk -F, 'NR==2 {print $3","$4}')"
expect_eq "6 refunds recorded" 6 "$(rows refund)"
r=$(bl --format csv refund o3 --as-of 2024-05-01T00:00:00Z)
expect_eq "refund: asked again, the first decision stands" "partial_refund_keep,5.00,decided before" \
    "$(echo "$r" | awk -F, 'NR==2 {print $3","$4","$NF}')"
expect_eq "still 6 refunds" 6 "$(rows refund)"
expect_ok "refund policy --shop s1 0.05" bl refund policy --shop s1 0.05
expect_eq "refund policy list" "s1,fastest,0.0500" "$(bl --format csv refund policy list | grep '^s1')"

# ---- errors a user can make
expect_fail "route policy: bad policy" 2 "expected cheapest, fastest or preferred:CARRIER" bl route policy --shop s1 slowest
expect_fail "route policy: unknown shop" 1 "no shop 'nope'" bl route policy --shop nope fastest
printf 'shop,route_policy\ns1,cheap\n' > "$TMP/bad.csv"
expect_fail "route policy import: bad row" 1 "bad.csv:2: column 'route_policy'" bl route policy import "$TMP/bad.csv"
expect_eq "route policy import: nothing half-imported" "s1,fastest,0.0500" "$(bl --format csv route policy list | grep '^s1')"
expect_fail "refund policy: share above 1" 2 "expected a share from 0 to 1" bl refund policy --shop s1 1.5
expect_fail "refund: unknown order" 1 "no order 'nope'" bl refund nope
expect_fail "refund: order id required" 2 "expected one order id" bl refund
expect_fail "promise: unknown sku" 1 "no sku 'nope'" bl promise --sku nope --from CN
expect_fail "promise: bad region" 2 "--to ZZ" bl promise --to ZZ
expect_fail "promise: bad policy" 2 "--policy x" bl promise --policy x
expect_fail "windows: unknown channel" 1 "no channel 'nope'" bl windows --channel nope

bl_done
