#!/usr/bin/env bash
# End-to-end: money per currency and suppliers per SKU (issue 14). Exchange rates
# imported (`import rates`), the organisation's currency (`org set`), a ledger whose
# balances are per currency and whose total in the organisation's currency names its
# rates, a missing rate as an error naming the pair and day; deposit shortfalls shown by
# `alerts` and at the end of `compensate`; each SKU's suppliers (`import sku_suppliers`)
# used by the plan, and alerts that say which fact is missing.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" money

# ---- money: three shops, coupons paid, short and in another currency, a CNY waiver ----
cat >"$TMP/shops.csv" <<'EOF2'
id,name,platform,profile,currency,tz,ship_from,deposit
k1,Kuai One,kuaishou,kuaishou,CNY,Asia/Shanghai,CN-JS,100.00
k2,Kuai Two,kuaishou,kuaishou,CNY,Asia/Shanghai,CN-ZJ,1.00
k3,Kuai Three,kuaishou,kuaishou,USD,Asia/Shanghai,CN-JS,50.00
EOF2
cat >"$TMP/skus.csv" <<'EOF2'
id,name,weight_g
P1,Widget,1500
EOF2
cat >"$TMP/channels.csv" <<'EOF2'
channel,carrier,mode,tier,origin,destination,min_kg,max_kg,base,per_kg,currency,transit_min,transit_max,sla_days,remedy
EXP,SF,express,core,CN,CN,0,30,10.00,2.00,CNY,1,3,3,freight_waiver
EOF2
# A1 (k1) late: 5% of 100.00 = 5.00, paid. B1 (k2) late: 3.00 (the minimum), the deposit
# of 1.00 is short. C1 (k3, a CNY order in a USD shop) late: 3.00 CNY, another currency.
# S1 (k3) took 4 days on a 3-day SLA: 14.00 CNY of freight waived.
cat >"$TMP/orders.csv" <<'EOF2'
order,shop,sku,qty,unit_price,currency,placed_at,ship_by,ship_from,ship_to,shipped_at,delivered_at,channel
A1,k1,P1,1,100.00,CNY,2022-05-01T00:00:00Z,2022-05-02T00:00:00Z,CN-JS,CN-ZJ,2022-05-04T00:00:00Z,2022-05-06T00:00:00Z,
B1,k2,P1,1,20.00,CNY,2022-05-01T00:00:00Z,2022-05-02T00:00:00Z,CN-ZJ,CN-GD,2022-05-03T00:00:00Z,2022-05-05T00:00:00Z,
C1,k3,P1,1,40.00,CNY,2022-05-01T00:00:00Z,2022-05-02T00:00:00Z,CN-JS,CN-GD,2022-05-03T00:00:00Z,2022-05-05T00:00:00Z,
S1,k3,P1,1,10.00,USD,2022-04-01T00:00:00Z,2022-04-02T00:00:00Z,CN-JS,CN-ZJ,2022-04-01T12:00:00Z,2022-04-05T12:00:00Z,EXP
EOF2
expect_ok "init" bl init
for k in shops skus channels orders; do expect_ok "import $k" bl import $k "$TMP/$k.csv"; done

ASOF=2022-05-10T00:00:00Z
out=$(bl compensate --as-of $ASOF --profile kuaishou 2>"$TMP/comp.err")
[[ "$out" == *"owed, the deposit short or in another currency: 6.00 CNY (2 coupons, 2 shops)"* ]] &&
    ok "compensate ends with the owed total per currency" || not_ok "compensate owed total" "$out"
expect_eq "compensate counts its coupons" 1 "$(grep -c '^ballast: 3 coupons$' "$TMP/comp.err")"
expect_eq "sla: one shipment, one claim, in the singular" \
    "ballast: 1 shipment past its SLA, 1 new claim" "$(bl sla --as-of $ASOF 2>&1 >/dev/null)"

# the ledger of k3 (a USD deposit): the CNY waiver keeps its own balance, never the USD one
bl --format csv ledger --shop k3 >"$TMP/l.csv"
expect_eq "the waiver's balance is in CNY: the waivers so far" "sla_waiver,14.00,CNY,14.00" \
    "$(awk -F, '$3=="sla_waiver" {print $3","$4","$5","$6}' "$TMP/l.csv")"
out=$(bl ledger --shop k3)
[[ "$out" == *"balance: 50.00 USD"* ]] && ok "the deposit's balance stays in USD" ||
    not_ok "deposit balance" "$out"
bl --format csv ledger --balances >"$TMP/b.csv"
expect_eq "balances columns" "shop,name,currency,deposit,balance,coupons_paid,coupons_owed,waivers_due,entries" \
    "$(head -1 "$TMP/b.csv")"
expect_eq "k3 in USD: the deposit alone" "k3,Kuai Three,USD,50.00,50.00,0.00,0.00,0.00" \
    "$(grep '^k3,Kuai Three,USD' "$TMP/b.csv" | cut -d, -f1-8)"
expect_eq "k3 in CNY: no deposit, 3.00 owed, 14.00 of waivers due" \
    "k3,Kuai Three,CNY,,,0.00,3.00,14.00" "$(grep '^k3,Kuai Three,CNY' "$TMP/b.csv" | cut -d, -f1-8)"
expect_eq "k1: 5.00 paid from 100.00" "k1,Kuai One,CNY,100.00,95.00,5.00,0.00,0.00" \
    "$(grep '^k1,Kuai One,CNY' "$TMP/b.csv" | cut -d, -f1-8)"
expect_eq "no total without an organisation currency" 0 \
    "$(bl ledger --balances 2>&1 | grep -c 'total in')"

# rates and the organisation's currency
cat >"$TMP/rates.csv" <<'EOF2'
date,from,to,rate
2022-05-01,CNY,USD,0.15
2022-05-09,CNY,USD,0.1492
EOF2
expect_ok "import rates" bl import rates "$TMP/rates.csv"
printf 'date,from,to,rate\n2022-05-01,CNY,CNY,1\n' >"$TMP/r1.csv"
expect_fail "a rate between one currency" 1 "from and to are both CNY" bl import rates "$TMP/r1.csv"
printf 'date,from,to,rate\n2022-05-01,CNY,EUR,0\n' >"$TMP/r2.csv"
expect_fail "a zero rate" 1 "more than 0" bl import rates "$TMP/r2.csv"
printf 'date,from,to,rate\n2022-05-01,CNY,EUR,1.2.3\n' >"$TMP/r3.csv"
expect_fail "a malformed rate, with its line and column" 1 "r3.csv:2: column 'rate'" bl import rates "$TMP/r3.csv"
printf 'date,from,to,rate\n2022-05-01,CNY,USD,0.151\n' >"$TMP/r4.csv"
expect_fail "a second rate for the same day and pair" 1 "duplicate rate" bl import rates "$TMP/r4.csv"
expect_fail "an unknown currency for the organisation" 1 "not an ISO 4217 code" bl org set --currency XYZ
expect_ok "org set --currency USD" bl org set --currency USD
out=$(bl org show)
[[ "$out" == *"currency: USD"*"exchange rates: 2, dated 2022-05-01 to 2022-05-09"* ]] &&
    ok "org show" || not_ok "org show" "$out"
out=$(bl ledger --balances --as-of 2022-05-10)
# waivers: 14.00 CNY x 0.1492 = 2.0888 -> 2.09; owed: 6.00 CNY x 0.1492 = 0.8952 -> 0.90
[[ "$out" == *"total in USD on 2022-05-10:"*"coupons owed 0.90, freight waivers due 2.09"* ]] &&
    ok "a total in USD, exact and rounded half away from zero" || not_ok "total in USD" "$out"
[[ "$out" == *"1 CNY = 0.1492 USD (of 2022-05-09)"* ]] && ok "the total says which rate it used" ||
    not_ok "rates used" "$out"
out=$(bl ledger --balances --as-of 2022-05-05)
[[ "$out" == *"1 CNY = 0.15 USD (of 2022-05-01)"* ]] && ok "the rate in effect on the report's day" ||
    not_ok "rate in effect" "$out"
expect_fail "a missing rate names the pair and the day" 1 \
    "no exchange rate CNY -> USD on or before 2022-04-30" bl ledger --balances --as-of 2022-04-30
out=$(bl ledger --balances --as-of 2022-04-30 2>/dev/null)
[[ "$out" == *"k3"*"CNY"*"14.00"* && "$out" != *"total in"* ]] &&
    ok "a missing rate: the rows per currency are shown, no partial total" ||
    not_ok "missing rate rows" "$out"
out=$(bl compensate --as-of $ASOF --profile kuaishou 2>/dev/null)
[[ "$out" == *"total in USD on 2022-05-10: coupons owed 0.90"* ]] &&
    ok "compensate's owed total in USD" || not_ok "compensate total" "$out"

# the cycle's digest: one line per kind of money, its currencies and the whole in USD
for o in m2 m3; do
    expect_ok "org $o" bl --org $o init
    for k in shops skus channels orders rates; do bl --org $o import $k "$TMP/$k.csv" >/dev/null 2>&1; done
    bl --org $o org set --currency USD >/dev/null 2>&1
done
out=$(bl --org m2 cycle --as-of $ASOF 2>&1)
[[ "$out" == *"Coupons owed, the deposit is short: 2 (CN¥6.00; \$0.90 at the day's rates)."* &&
   "$out" == *"Coupons paid from deposits: 1 (CN¥5.00; \$0.75 at the day's rates)."* &&
   "$out" == *"Carrier SLA freight waivers: 1 (CN¥14.00; \$2.09 at the day's rates)."* ]] &&
    ok "the digest totals coupons and waivers in the organisation's currency" ||
    not_ok "digest totals" "$out"
out=$(bl --org m3 cycle --as-of $ASOF --locale zh-CN 2>&1)
[[ "$out" == *"（¥6.00；按当日汇率合计 US\$0.90）"* ]] && ok "and in Chinese" ||
    not_ok "digest totals zh-CN" "$out"

# deposit shortfalls in alerts
bl --format csv alerts --deposits >"$TMP/d.csv"
expect_eq "shortfalls: k2 short, k3 in another currency" \
    "k2,CNY,3.00,1,deposit too small,B1 k3,CNY,3.00,1,deposit in another currency,C1" \
    "$(awk -F, 'NR>1 {print $1","$3","$4","$5","$7","$8}' "$TMP/d.csv" | paste -sd" ")"
out=$(bl alerts --as-of 2022-05-10 2>&1)
[[ "$out" == *"deposit shortfalls"*"k2"*"B1"*"total in USD"* ]] &&
    ok "alerts shows the deposit shortfalls after the stock alerts" || not_ok "alerts shortfalls" "$out"
expect_eq "csv alerts stay one table, the shortfalls counted on stderr" \
    "ballast: 2 deposit shortfalls: ballast alerts --deposits" \
    "$(bl --format csv alerts --as-of 2022-05-10 2>&1 >/dev/null | grep shortfall)"

# ---- suppliers per SKU ---------------------------------------------------------------
st() { "$BALLAST" --db "$DB" --org stock "$@"; }
D="$TMP/stock"
mkdir -p "$D"
printf 'id,platform,currency\nshop-m,amazon,USD\n' >"$D/shops.csv"
# A: listed, primary in Zhejiang (locked down until further notice), backup in Vietnam.
# B: listed, only the Zhejiang supplier. C: no supplier anywhere. D: not listed; its
# purchase order went to sup-gd.
printf 'id,name\nA,Mug\nB,Bowl\nC,Plate\nD,Cup\n' >"$D/skus.csv"
printf 'id,region\nwh-us,US-CA\n' >"$D/warehouses.csv"
cat >"$D/suppliers.csv" <<'EOF2'
id,name,region,lead_days,lead_days_max,moq,case_pack,state
sup-zj,Yiwu Plastics,CN-ZJ:322,10,10,500,10,active
sup-vn,Hanoi Ceramics,VN,8,8,400,10,active
sup-gd,Foshan Kitchen,CN-GD,10,10,100,10,active
EOF2
cat >"$D/sku_suppliers.csv" <<'EOF2'
sku,supplier,rank,unit_cost,currency,moq
A,sup-zj,1,12.00,CNY,
A,sup-vn,2,1.80,USD,50
B,sup-zj,1,,,
EOF2
cat >"$D/stock.csv" <<'EOF2'
warehouse,sku,on_hand,reserved,counted_at
wh-us,A,40,0,2025-01-01T00:00:00Z
wh-us,B,40,0,2025-01-01T00:00:00Z
wh-us,C,40,0,2025-01-01T00:00:00Z
wh-us,D,40,0,2025-01-01T00:00:00Z
EOF2
cat >"$D/inbound.csv" <<'EOF2'
po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state
PO-1,D,100,wh-us,sup-gd,2024-11-01T00:00:00Z,2024-11-11T00:00:00Z,2024-11-11T00:00:00Z,received
EOF2
cat >"$D/disruptions.csv" <<'EOF2'
id,region,scope,kind,starts_at,ends_at,note
zj,CN-ZJ,origin,lockdown,2024-12-20T00:00:00Z,,Zhejiang lockdown
EOF2
awk 'BEGIN {
    print "sku,date,units,shop"
    for (i = 0; i < 90; i++) {
        d = strftime("%Y-%m-%d", 1735689600 - (90 - i) * 86400, 1)
        print "A," d ",10,shop-m"; print "B," d ",10,shop-m"
        print "C," d ",10,shop-m"; print "D," d ",10,shop-m"
    }
}' >"$D/sales.csv"
expect_ok "stock: init" st init
for k in shops skus warehouses suppliers sku_suppliers stock inbound disruptions sales; do
    expect_ok "stock: import $k" st import "$k" "$D/$k.csv"
done
printf 'sku,supplier,rank\nA,sup-nope,3\n' >"$D/bad1.csv"
expect_fail "sku_suppliers: an unknown supplier" 1 "sup-nope" st import sku_suppliers "$D/bad1.csv"
printf 'sku,supplier,rank\nB,sup-vn,1\n' >"$D/bad2.csv"
expect_fail "sku_suppliers: a second supplier at a rank" 1 "duplicate SKU supplier" \
    st import sku_suppliers "$D/bad2.csv"
printf 'sku,supplier,rank,unit_cost\nC,sup-vn,1,2.00\n' >"$D/bad3.csv"
expect_fail "sku_suppliers: a cost needs its currency" 1 "needs its currency" \
    st import sku_suppliers "$D/bad3.csv"
expect_eq "sku_suppliers stored" 3 "$(st --format csv stats | awk -F, '$1=="sku_supplier" {print $2}')"

st --format csv alerts --as-of 2025-01-01T00:00:00Z --no-save >"$TMP/al.csv" 2>/dev/null
msg() { awk -F, -v s="$1" -v k="$2" '$1==s && $2==k' "$TMP/al.csv"; }
m=$(msg A reorder)
[[ "$m" == *"from sup-vn"*"backup supplier: its primary supplier sup-zj (Yiwu Plastics) is inside the lockdown in Zhejiang (CN-ZJ), until further notice"* ]] &&
    ok "A: the backup, because the primary is inside the lockdown" || not_ok "A reorder" "$m"
[[ "$m" == *"order 340 from sup-vn (Hanoi Ceramics) by 2025-01-01, 340 x \$1.80 = \$612.00"* ]] &&
    ok "A: the order's cost at the backup's unit cost" || not_ok "A cost" "$m"
m=$(msg B reorder)
[[ "$m" == *"its only supplier sup-zj (Yiwu Plastics) is inside the lockdown in Zhejiang (CN-ZJ), until further notice"* ]] &&
    ok "B: its only supplier is inside the lockdown" || not_ok "B reorder" "$m"
m=$(msg C reorder)
[[ "$m" == *"C has no supplier: add it to sku_suppliers.csv"* ]] &&
    ok "C: no supplier, and where to add it" || not_ok "C reorder" "$m"
m=$(msg D reorder)
[[ "$m" == *"from sup-gd"*"supplier inferred from the latest purchase order"* ]] &&
    ok "D: the inferred supplier says so" || not_ok "D reorder" "$m"
st --format csv plan --as-of 2025-01-01T00:00:00Z --no-save >"$TMP/p.csv" 2>/dev/null
# A: ROP 10 x (8 + 15) = 230 > 40; up to 10 x (8 + 30) = 380: 340, the SKU's MOQ of 50
# with sup-vn (its own 400 would apply otherwise)
expect_eq "A: ordered from the backup with the SKU's MOQ" "A,340,sup-vn,1" \
    "$(awk -F, '$1=="A" {print $1","$10","$12","$13}' "$TMP/p.csv")"
bl_done
