#!/usr/bin/env bash
# End-to-end: the pause-promotion lever of `ballast whatif --mitigate` (issue 20): a SKU's
# promotion spend a day (skus.promo_spend) imported and listed; a stock-out of a promoted
# SKU with a spend is offered its promotion paused (by name, with its days and saving, en
# and zh-CN), an unpromoted one is not, whatever its spend; applied, a promotion_until
# action is proposed, which the playbook leaves alone (the rumour is not declared),
# approval clears the SKU's promoted flag, and the playbook promotes it again on its end
# day; the playbook's own pause of a promotion says what it saves a day. The demo seller
# of tests/lib/whatif.bash with a spend of 15.00 a day.
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/whatif.bash"
bl_setup "$1" whatif_promo
trap api_cleanup EXIT
WI_PROMO_SPEND=15.00 whatif_demo
bl org set --currency USD >/dev/null 2>&1 || not_ok "org currency"

# --- the column: required with a currency, not negative; listed
printf 'id,currency,promo_spend\nSKU-X1,,2.00\n' > "$TMP/nocur.csv"
expect_fail "a promotion spend needs its currency" 1 "a promotion spend needs its currency" \
    bl import skus "$TMP/nocur.csv"
printf 'id,price,currency,promo_spend\nSKU-X1,9.99,USD,-2.00\n' > "$TMP/neg.csv"
expect_fail "a negative promotion spend is refused" 1 "column 'promo_spend': '-2.00' is out of range" \
    bl import skus "$TMP/neg.csv"
bl --format json skus > "$TMP/skus.json" 2>/dev/null || not_ok "skus listed"
read -r PROMOTED PLAIN < <(python3 - "$TMP/skus.json" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))
spent = [x for x in k if x.get("promo_spend") == "15.00"]
print(sum(1 for x in spent if x["promoted"] in (1, True)), sum(1 for x in spent if x["promoted"] in (0, False)))
PY
)
[[ "$PROMOTED" -gt 0 && "$PLAIN" -gt 0 ]] && ok "skus lists the spend ($PROMOTED promoted, $PLAIN not)" ||
    not_ok "skus lists the spend" "$(head -c 400 "$TMP/skus.json")"

# --- offered: the stock-outs of promoted SKUs, not of the others
cat > "$TMP/rush.csv" <<'CSV'
event,region,scope,kind,starts_at,ends_at,category,change_pct,note
disruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-30,,,rumour
demand,,,,2024-11-16,2024-11-30,Home & Kitchen,+300,panic buying
demand,,,,2024-11-16,2024-11-30,Electronics,+300,panic buying
CSV
W="whatif --as-of 2024-11-15 --assume $TMP/rush.csv --horizon 14 --mitigate"
bl --format json $W > "$TMP/m.json" 2>/dev/null || not_ok "whatif --mitigate --json"
check=$(python3 - "$TMP/m.json" "$TMP/skus.json" <<'PY'
import json, sys
from decimal import Decimal as D
m = json.load(open(sys.argv[1]))["mitigation"]
promoted = {x["sku"]: x["promoted"] in (1, True) for x in json.load(open(sys.argv[2]))}
bad = []
if D(m["lost_margin"]) + D(m["coupons"]) + D(m["promotion"]) != D(m["doing_nothing"]):
    bad.append("margin + coupons + promotion != doing nothing")
if D(m["promotion"]) <= 0: bad.append("no promotion spend in doing nothing")
pauses = [s for p in m["plans"] for s in p["steps"] if s["kind"] == "pause_promotion"]
if not pauses: bad.append("no pause offered")
for s in pauses:
    if not promoted.get(s["sku"]): bad.append(f"{s['sku']} paused, not promoted")
    if D(s["cost"]) != 0: bad.append(f"{s['sku']}: a pause costs {s['cost']}")
    if not s.get("sku_name") or not s.get("warehouse") or s.get("spend_a_day") != "15.00":
        bad.append(f"{s['sku']}: names or spend missing")
free = [p for p in m["plans"] if p["plan"] == "free"]
for s in (free[0]["steps"] if free else []):
    if s["kind"] == "pause_promotion" and D(s["saving"]) != D(s["spend_a_day"]) * s["days"]:
        bad.append(f"{s['sku']}: saves {s['saving']}, not {s['spend_a_day']} x {s['days']} days")
for p in m["plans"]:
    if D(p["spend"]) + D(p["left"]) != D(p["total"]): bad.append(f"{p['plan']}: spend + left")
rank = free[0]["rank"] if free else 0
print("; ".join(bad) if bad else f"ok {len(pauses)} {rank} {pauses[0]['sku']}")
PY
)
read -r verdict NPAUSE FREE PSKU <<<"$check"
[ "$verdict" = ok ] && ok "pauses offered for promoted SKUs only, priced at their spend ($NPAUSE steps)" ||
    not_ok "pauses offered for promoted SKUs only" "$check"
out=$(bl $W 2>/dev/null)
[[ "$out" == *"pause the promotion of "*"($PSKU), which runs out in "*" (\$15.00 a day); costs nothing, saves \$"* &&
    "$out" == *"Of it, \$"*" is promotion spend"* ]] &&
    ok "the step in words, by name" || not_ok "the step in words, by name" "$(printf '%s\n' "$out" | grep -m2 promotion)"
zh=$(bl $W --locale zh-CN 2>/dev/null)
[[ "$zh" == *"暂停 "*" ($PSKU) 的推广（它在 "*" 缺货；每天 US\$15.00）；不花钱，节省 "* ]] &&
    ok "and in Chinese" || not_ok "the step in Chinese" "$(printf '%s\n' "$zh" | grep -m2 '暂停 ')"

# --- applied: promotion_until proposed; the playbook leaves it; approved, the flag clears;
# it reverts on its end day
flag() { bl --format json skus 2>/dev/null | python3 -c "
import json, sys
print([int(x['promoted']) for x in json.load(sys.stdin) if x['sku'] == '$1'][0])"; }
applied=$(bl $W --apply "$FREE" 2>/dev/null)
[[ "$applied" == *": promotion paused, until an end day, "*"($PSKU) (step "* ]] &&
    ok "applied: a promotion pause proposed" || not_ok "applied: a promotion pause proposed" "$applied"
bl --format json actions --state proposed > "$TMP/p.json" 2>/dev/null
read -r PA PEND < <(python3 - "$TMP/p.json" "$PSKU" <<'PY'
import json, sys
a = [x for x in json.load(open(sys.argv[1])) if x["kind"] == "promotion_until" and x["target"] == sys.argv[2]]
print(a[0]["id"], a[0]["reason"].split(" to ")[1].split(" ")[0]) if a else print(0, "")
PY
)
[ "$PA" != 0 ] && ok "listed: action $PA, until $PEND" || not_ok "the pause is listed" "$(head -c 400 "$TMP/p.json")"
why=$(bl actions --state proposed 2>/dev/null | grep -E "^ *$PA +promotion_until")
[[ "$why" == *"pause the promotion of "*"($PSKU) from 2024-11-"*" (it runs out in "*"; \$15.00 a day); saves \$"* ]] &&
    ok "its reason in words" || not_ok "its reason in words" "$why"
whyzh=$(bl actions --state proposed --locale zh-CN 2>/dev/null | grep -E "^ *$PA +限期暂停付费推广（来自假设分析）")
[[ "$whyzh" == *"2024年11月"*" 暂停 "*"（$PSKU） 的推广（它在 "*"缺货；每天 US\$15.00）。此步节省 US\$"* ]] &&
    ok "its reason in Chinese" || not_ok "its reason in Chinese" "$whyzh"
state() { bl --format json actions 2>/dev/null | python3 -c "
import json, sys
a = [x for x in json.load(sys.stdin) if x['id'] == $1][0]
print(a['state'], a['reason'].split(' / ')[1] if ' / ' in a['reason'] else '')"; }
bl playbook --as-of 2024-11-16 --apply >/dev/null 2>&1 || not_ok "playbook on the 16th"
expect_eq "the playbook does not withdraw a proposed pause" "proposed " "$(state "$PA")"
expect_eq "before approval: promoted" 1 "$(flag "$PSKU")"
# a shorter horizon's plan: another pause of the SKU (another end day), not approvable
bl whatif --as-of 2024-11-15 --assume "$TMP/rush.csv" --horizon 12 --mitigate --apply 1 --json \
    > "$TMP/s.json" 2>/dev/null || not_ok "the shorter horizon applied"
PA2=$(python3 - "$TMP/s.json" "$PSKU" <<'PY'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["applied"]["actions"]
     if x["kind"] == "promotion_until" and x["sku"] == sys.argv[2] and x["outcome"] == "proposed"]
print(a[0]["id"] if a else 0)
PY
)
[ "$PA2" != 0 ] && ok "another pause of the SKU proposed (action $PA2)" ||
    not_ok "a shorter horizon proposes another pause of the SKU" "$(head -c 400 "$TMP/s.json")"
bl actions approve "$PA" --note "pause it" >/dev/null 2>&1 || not_ok "approve the pause"
expect_eq "approved: the promoted flag clears" "0 applied " "$(flag "$PSKU") $(state "$PA")"
expect_fail "one pause a SKU: a second is refused" 1 "paused already by action $PA" \
    bl actions approve "$PA2"
expect_fail "... and a set that holds it is refused whole, naming it" 1 \
    "action $PA2, a pause of the paid promotion of " bl actions approve --kind promotion_until
[[ "$(bl $W 2>/dev/null)" != *"($PSKU), which runs out"* ]] && ok "paused: no longer offered" ||
    not_ok "paused: no longer offered"
bl playbook --as-of 2024-11-20 --apply >/dev/null 2>&1 || not_ok "playbook on the 20th"
expect_eq "no disruption declared: the next cycle keeps the pause" "0 applied " "$(flag "$PSKU") $(state "$PA")"
END=$(python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=1))' "$PEND")
bl playbook --as-of "$END" --apply >/dev/null 2>&1 || not_ok "playbook on $END"
[[ "$(state "$PA")" == "reverted the what-if's promotion pause ended on $END: promoted again" &&
    "$(flag "$PSKU")" == 1 ]] && ok "its end day ($END): promoted again" ||
    not_ok "its end day: promoted again" "$(state "$PA") flag $(flag "$PSKU")"
[[ "$(state "$PA2")" == expired* ]] && ok "the other pause, never approved, expired on its end day" ||
    not_ok "the unapproved pause expires" "$(state "$PA2")"

# --- the API: the spend of a SKU, the pause in parts
TOK=$(bl token create --role operator 2>/dev/null)
api_start
req GET "/api/v1/actions?limit=500" "$TOK"
parts=$(jpy "[a['parts'] for a in d['actions'] if a['id'] == $PA][0]" 2>/dev/null)
[[ "$parts" == *"'sku': '$PSKU'"* && "$parts" == *"'until': '$END'"* && "$parts" == *"'first': '2024-11-"* &&
    "$parts" == *"'spend_a_day': '15.00'"* ]] && ok "GET a pause: in parts" || not_ok "the pause's parts" "$parts"
req GET "/api/v1/skus?limit=500" "$TOK"
expect_eq "GET /skus: the spend" "15.00 USD" \
    "$(jpy "' '.join([k['promo_spend'] for k in d['skus'] if k['sku'] == '$PSKU'][0].values())" 2>/dev/null)"
# the playbook's own pause of a promotion says what it saves a day, in every wording: a
# promoted desk lamp counted empty, in an organisation of its own
bl --org lamp init >/dev/null 2>&1
printf 'id,name,price,currency,promoted,promo_spend\nK1,Desk lamp,19.50,USD,1,4.50\n' > "$TMP/lk.csv"
printf 'id,name,region\nW1,Main,CN-GD\n' > "$TMP/lw.csv"
printf 'warehouse,sku,on_hand,counted_at\nW1,K1,0,2024-11-14T00:00:00Z\n' > "$TMP/ls.csv"
for k in skus:lk warehouses:lw stock:ls; do
    bl --org lamp import "${k%%:*}" "$TMP/${k##*:}.csv" >/dev/null 2>&1 || not_ok "lamp: import ${k%%:*}"
done
bl --org lamp playbook --as-of 2024-11-15T00:00:00Z --apply >/dev/null 2>&1 || not_ok "lamp: playbook"
LTOK=$(bl --org lamp token create --role viewer 2>/dev/null)
req GET "/api/v1/actions?kind=pause_promotion" "$LTOK"
en=$(jpy "d['actions'][0]['reason'] + ' | ' + d['actions'][0]['reason_text']" 2>/dev/null)
[[ "$en" == *"; pausing it saves \$4.50 a day | "*"sell what cannot ship. Pausing it saves \$4.50 a day." ]] &&
    ok "the playbook's pause: what it saves a day (stored, and worded)" || not_ok "the playbook's pause's figure" "$en"
req GET "/api/v1/actions?kind=pause_promotion&locale=zh-CN" "$LTOK"
zh=$(jpy "d['actions'][0]['reason_text']" 2>/dev/null)
[[ "$zh" == *"暂停推广每天节省 US\$4.50。" ]] && ok "... and in Chinese" || not_ok "the pause's figure in Chinese" "$zh"
api_stop

bl_done
