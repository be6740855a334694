#!/usr/bin/env bash
# End-to-end: `ballast comply` (issue 19, tax thresholds). On a small store: each
# jurisdiction's total and the day 80% was crossed, cancelled orders, refunds (as of their
# day) and domestic sales left out, a shop's share, each shop a seller of its own, words in
# English and Chinese with no raw codes, a missing exchange rate and a bad rules file named
# precisely. On real data (the Online Retail dataset: a UK seller shipping to the EU in
# 2010-2011): the days it would have crossed the EU's EUR 10,000 under today's rule, checked
# by an independent awk over the raw file. The cycle's watch step stores each crossing as an
# alert once, raises alert.raised, and the digest names it.
source "$(dirname "$0")/../lib/cli.bash"
source "$(dirname "$0")/../lib/messages.bash"
bl_setup "$1" comply

# --- usage
expect_fail "--as-of is required" 2 "--as-of is required" bl comply
expect_fail "an unknown option, with the nearest" 2 "--explain" bl comply --as-of 2024-01-01 --explian EU
expect_fail "--locale is en or zh-CN" 2 "expected en or zh-CN" bl comply --as-of 2024-01-01 --locale fr

# --- a small store: s1 ships from China, s2 from Germany
cat >"$TMP/shops.csv" <<'EOF'
id,name,platform,currency,tz,ship_from
s1,Lotus Lamps,own-site,EUR,UTC,CN-ZJ
s2,Berlin Basics,own-site,EUR,UTC,DE
EOF
printf 'id\nlamp\n' >"$TMP/skus.csv"
cat >"$TMP/orders.csv" <<'EOF'
order,shop,sku,qty,unit_price,currency,placed_at,ship_to,cancelled_at
A1,s1,lamp,1,5000,EUR,2024-02-01T10:00:00Z,DE,
A2,s1,lamp,1,3000.01,EUR,2024-03-01T10:00:00Z,FR-75,
A3,s1,lamp,1,1999.99,EUR,2024-03-05T10:00:00Z,IT,2024-03-06T10:00:00Z
A4,s2,lamp,1,4000,EUR,2024-03-10T10:00:00Z,DE,
A5,s2,lamp,1,1500,EUR,2024-04-01T10:00:00Z,AT,
A6,s1,lamp,1,100,USD,2024-04-02T10:00:00Z,US-NY,
EOF
bl init >/dev/null 2>&1
for k in shops skus orders; do bl import $k "$TMP/$k.csv" >/dev/null 2>&1 || not_ok "import $k"; done

json=$(bl --format json comply --as-of 2024-04-30)
echo "$json" | python3 -c '
import json, sys
j = {x["jurisdiction"]: x for x in json.load(sys.stdin)}
eu = j["EU"]
# A1 + A2 + A5: the cancelled A3 and the domestic A4 (Germany to Germany) are left out
assert eu["amount"] == "9500.01" and eu["orders"] == 3, eu
assert eu["status"] == "near" and eu["near_on"] == "2024-03-01" and eu["crossed_on"] is None, eu
assert eu["order"] == "A2" and eu["order_shop"] == "s1", eu
assert j["US-NY"]["amount"] == "100.00" and j["US-NY"]["status"] == "under", j["US-NY"]
' && ok "EU total without the cancelled and the domestic order; 80% on the day of A2" ||
    not_ok "EU total" "$json"

# refunded in full on 2024-04-15: not a sale from then on, still one before
bl refund A5 --as-of 2024-04-15 >/dev/null 2>&1 || not_ok "refund A5"
got=$(bl --format json comply --as-of 2024-04-30 | python3 -c '
import json, sys; print([x["amount"] for x in json.load(sys.stdin) if x["jurisdiction"] == "EU"][0])')
expect_eq "a refund by the as-of is left out" "8000.01" "$got"
got=$(bl --format json comply --as-of 2024-04-10 | python3 -c '
import json, sys; print([x["amount"] for x in json.load(sys.stdin) if x["jurisdiction"] == "EU"][0])')
expect_eq "... and not before it was made" "9500.01" "$got"

out=$(bl comply --as-of 2024-04-30 --explain EU 2>&1)
for want in "European Union (distance sales)" "Rule: more than €10,000.00 in the current or the previous calendar year" \
    "Covers: Austria, Belgium" "Source: Council Directive (EU) 2017/2455" "80% reached on 2024-03-01: €8,000.01 in 2 orders by then." \
    "The order that set the status: A2 of shop s1" "2 cancelled or refunded in full, 1 domestic (shipped from inside the destination's country or state), 0 without an exchange rate"; do
    [[ $out == *"$want"* ]] || not_ok "explain EU says: $want" "$out"
done
ok "--explain EU: the rule, its source, the totals, the crossing and what was left out"
out=$(bl comply --as-of 2024-04-30 --explain US-NY 2>/dev/null)
[[ $out == *"the year 2024: \$100.00 in 1 order, 0.0% of the threshold."* ]] &&
    ok "--explain US-NY: one order, said in the singular" || not_ok "--explain one order" "$out"
out=$(bl comply --as-of 2024-04-30 --explain s1 2>&1)
[[ $out == *"Shop s1 (Lotus Lamps): €8,000.01 in 2 orders of the total in the year 2024"* ]] &&
    ok "--explain SHOP: its share" || not_ok "--explain SHOP" "$out"
out=$(bl comply --as-of 2024-04-30 --per-shop 2>&1)
[[ $out == *"European Union (distance sales) — Lotus Lamps"*"€8,000.01"* ]] &&
    ok "--per-shop: each shop a seller of its own" || not_ok "--per-shop" "$out"
expect_fail "--explain names a shop or a jurisdiction" 1 "no shop 'nowhere'" bl comply --as-of 2024-04-30 --explain nowhere

out=$(bl comply --as-of 2024-04-30 --locale zh-CN 2>&1)
[[ $out == *"欧盟（远程销售）"*"已达 80%"*"超过 €10,000.00"* ]] && ok "zh-CN: the words in Chinese" ||
    not_ok "zh-CN" "$out"
out=$(bl comply --as-of 2024-04-30 --explain EU --locale zh-CN 2>&1)
[[ $out == *"规则："*"于 2024-03-01 达到 80%：当时累计 €8,000.01，2 笔订单。"* ]] && ok "zh-CN --explain" ||
    not_ok "zh-CN --explain" "$out"
for o in "$(bl comply --as-of 2024-04-30 2>&1)" "$(bl comply --as-of 2024-04-30 --explain EU 2>&1)"; do
    if grep -Eq 'comply_|current_or_previous_year|calendar_year|twelve_months|US-NY|next_year' <<<"$o"; then
        not_ok "no raw codes in front of a person" "$o"
    fi
done
ok "no raw codes in the table or the explanation"

# a GBP order to France with no rate: the pair and the day are named
cat >"$TMP/gbp.csv" <<'EOF'
order,shop,sku,qty,unit_price,currency,placed_at,ship_to
G1,s1,lamp,1,10,GBP,2024-04-20T10:00:00Z,FR
EOF
bl import orders "$TMP/gbp.csv" >/dev/null 2>&1
err=$(bl comply --as-of 2024-04-30 2>&1 >/dev/null) || not_ok "a missing rate is not a failure" "$err"
[[ $err == *"1 order is left out of the totals above: no exchange rate GBP -> EUR on or before 2024-04-20"* ]] &&
    ok "a missing rate: the order left out, the pair and the day named" || not_ok "missing rate" "$err"
out=$(bl comply --as-of 2024-04-30 --explain EU 2>/dev/null)
[[ $out == *"1 without an exchange rate"* ]] && ok "... and the explanation counts it" ||
    not_ok "explain: unconverted" "$out"
printf 'date,from,to,rate\n2024-04-01,EUR,GBP,0.8\n' >"$TMP/rates.csv"
bl import rates "$TMP/rates.csv" >/dev/null 2>&1
got=$(bl --format json comply --as-of 2024-04-30 | python3 -c '
import json, sys; print([x["amount"] for x in json.load(sys.stdin) if x["jurisdiction"] == "EU"][0])')
expect_eq "converted at the inverse of EUR -> GBP 0.8 (£10 = €12.50)" "8012.51" "$got"

# a bad rules file: the file, the line, the column and what was expected
sed 's/,> 10000,,,current_or_previous_year,/,10000,,,current_or_previous_year,/' \
    "$SRC/data/comply/rules.csv" >"$TMP/bad_rules.csv"
expect_fail "a bad rule: file, line, column, expected" 1 "bad_rules.csv:2: column 'amount'" \
    bl comply --as-of 2024-04-30 --rules "$TMP/bad_rules.csv"
BALLAST_COMPLY_RULES="$TMP/bad_rules.csv" expect_fail "... also from \$BALLAST_COMPLY_RULES" 1 \
    "expected > or >=" bl comply --as-of 2024-04-30

# --- real data: the Online Retail dataset
RAW="$DATASETS/online_retail/online_retail.csv.gz"
if [ ! -f "$RAW" ]; then
    echo "# no $RAW: the real-data part is skipped"
    bl_done
fi
br() { "$BALLAST" --db "$DB" --org retail "$@"; }
br init >/dev/null 2>&1
zcat "$RAW" | awk -f "$SRC/tests/data/comply/online_retail_orders.awk" >"$TMP/retail_orders.csv"
printf 'id,name,platform,currency,tz,ship_from\nuk,UK gift shop,own-site,GBP,Europe/London,GB\n' >"$TMP/retail_shops.csv"
(echo id; awk -F, 'NR > 1 {print $3}' "$TMP/retail_orders.csv" | sort -u) >"$TMP/retail_skus.csv"
# the ECB's annual average EUR -> GBP rates of 2010 and 2011
printf 'date,from,to,rate\n2010-01-01,EUR,GBP,0.85784\n2011-01-01,EUR,GBP,0.86788\n' >"$TMP/retail_rates.csv"
for k in shops skus rates; do br import $k "$TMP/retail_$k.csv" >/dev/null 2>&1 || not_ok "retail: import $k"; done
br import orders "$TMP/retail_orders.csv" --tz Europe/London >/dev/null 2>&1 || not_ok "retail: import orders"

check=$(zcat "$RAW" | awk -v rate_2010=0.85784 -v rate_2011=0.86788 -f "$SRC/tests/data/comply/eu_crossing.awk")
want_2010=$(awk '$1 == 2010 && $2 == "over" {print $3}' <<<"$check")
want_2011=$(awk '$1 == 2011 && $2 == "over" {print $3}' <<<"$check")
near_2011=$(awk '$1 == 2011 && $2 == "near" {print $3}' <<<"$check")
expect_eq "the independent awk: December 2010 alone crossed EUR 10,000 on 2010-12-05" "2010-12-05" "$want_2010"
expect_eq "the independent awk: 2011 crossed it on 2011-01-07" "2011-01-07" "$want_2011"

got=$(br --format json comply --as-of 2010-12-31 | python3 -c '
import json, sys; print([x["crossed_on"] for x in json.load(sys.stdin) if x["jurisdiction"] == "EU"][0])')
expect_eq "ballast: crossed in 2010 on the day the awk says" "$want_2010" "$got"
out=$(br comply --as-of 2011-12-09 --explain EU 2>&1)
[[ $out == *"the year 2011: "*"80% reached on $near_2011"*"Crossed on $want_2011"* ]] &&
    ok "ballast: crossed in 2011 on the day the awk says ($want_2011)" || not_ok "2011 crossing" "$out"
[[ $out == *"The rule is in force from 2021-07-01: the dates above say when these sales would have crossed it under today's rule."* ]] &&
    ok "says the dates are under today's rule" || not_ok "today's rule" "$out"
[[ $out == *"Status: crossed: registration is due."* ]] && ok "2010's crossing binds 2011 (current or previous year)" ||
    not_ok "status" "$out"

# --- the cycle's watch step: an alert once, alert.raised, the digest
out=$(br cycle --as-of 2011-12-09 2>&1)
[[ $out == *"1 tax registration threshold crossed or near:"*"European Union (distance sales): crossed: registration is due"* ]] &&
    ok "the digest names the threshold crossed" || not_ok "digest" "$out"
[[ $out == *"tax thresholds and support programmes: 0 tax thresholds at 80% or more, 1 tax threshold crossed, 1 new threshold alert"* ]] &&
    ok "the watch step's counts, in words" || not_ok "watch counts" "$out"
expect_eq "one alert, stored with the cycle" "comply_over|EU:2010:0|1" \
    "$(sql "SELECT a.kind, a.ref, COUNT(*) FROM alert a JOIN org o ON o.id = a.org_id WHERE o.name = 'retail' AND a.kind LIKE 'comply%' AND a.cycle_id IS NOT NULL GROUP BY a.kind, a.ref")"
ev=$(sql "SELECT e.data FROM hook_event e JOIN org o ON o.id = e.org_id WHERE o.name = 'retail' AND e.type = 'alert.raised' AND e.dedup = 'comply_over:EU:2010:0'")
[[ $ev == *'"jurisdiction":"EU"'*'"day":"2010-12-05"'* ]] && ok "alert.raised for it" || not_ok "alert.raised" "$ev"
[[ $ev =~ \"message\":\"Sales\ into\ .*\ in\ [0-9]+\ orders\ by\ then ]] &&
    ok "... its message counts the orders in words" || not_ok "alert.raised message" "$ev"
out=$(br cycle --as-of 2011-12-09 2>&1)
[[ $out == *"1 tax threshold crossed, 0 new threshold alerts"* ]] && ok "a second cycle raises nothing again" ||
    not_ok "second cycle" "$out"
bl_done
