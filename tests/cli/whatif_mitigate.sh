#!/usr/bin/env bash
# End-to-end: `ballast whatif --mitigate` (issue 20, docs/internals/mitigate.md) on a demo
# seller with a rumoured Yiwu lockdown: the plans are ranked by total cost, each measured
# by running the what-if again (its total is its spend plus what is still lost, its steps'
# savings add up to what the run found), the best one at least halves the cost of doing
# nothing, the steps name shops, SKUs, suppliers, warehouses and places (never a code), in
# English and Chinese; nothing is written; the same inputs give the same plans; events
# that cost nothing leave nothing to do.
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/whatif.bash"
bl_setup "$1" whatif_mitigate
trap api_cleanup EXIT
whatif_demo
bl org set --currency USD >/dev/null 2>&1 || not_ok "org currency"
W="whatif --as-of 2024-11-15 --assume $F --horizon 14 --mitigate"

# --- the plans in words
before=$(fingerprint)
out=$(bl $W 2>"$TMP/w.err")
expect_eq "exits 0" 0 "$?"
expect_eq "writes nothing" "$before" "$(fingerprint)"
plans=${out#*The cheapest way through}
[[ "$out" == *"The cheapest way through (in USD"* ]] && ok "the plans follow the report, in USD" ||
    not_ok "the plans follow the report, in USD" "$out"
[[ "$plans" == *"Doing nothing (neither declaring nor acting) costs \$"* && "$plans" == *"Plan 1, every lever: total \$"* ]] &&
    ok "doing nothing, then the plans" || not_ok "doing nothing, then the plans" "$plans"
[[ "$plans" == *"add 14 days to the handling time of the listings that ship from the area around Yiwu"* ]] &&
    ok "the handling step names the place" || not_ok "the handling step names the place" "$plans"
# counts grouped as the locale writes them, each agreeing with its noun
ungrouped=$(printf '%s\n' "$plans" | grep -E '(^|[ (])[0-9]{4,} (runs?|units?|orders?|stock-outs?|amounts?|steps?|more)\b' | head -3)
expect_eq "no count of four digits ungrouped in the plans (1,601 orders, never 1601)" "" "$ungrouped"
one=$(printf '%s\n' "$plans" | grep -E '(^|[^0-9,.])1 (runs|units|orders|stock-outs|amounts|steps|days|shops'"'"') ' | head -3)
expect_eq "no '1' before a plural noun in the plans" "" "$one"
bad=$(printf '%s\n' "$plans" | grep -E 'shop-[0-9]{3}|wh-[a-z]|sup-[0-9]{3}|CN-ZJ' | head -3)
expect_eq "names, not ids or codes" "" "$bad"
[[ "$out" == *") on YunExpress (dedicated line) to United States: "* && "$out" == *" on DHL Express (express) to Germany: "* ]] &&
    ok "the order lines name channels by carrier and mode, and the country where two share those words" ||
    not_ok "the order lines name channels by carrier and mode" "$(printf '%s\n' "$out" | grep ' on ' | head -3)"
codes=$(printf '%s\n' "${out%%The cheapest*}" | grep -E ' on [A-Z0-9]+-[A-Z0-9-]+:' | head -2)
expect_eq "no channel by its code" "" "$codes"
again=$(bl $W 2>/dev/null)
expect_eq "the same plans byte for byte" "$out" "$again"
[[ "$(cat "$TMP/w.err")" == *"searched the plans in "*" s ("*" more runs)"* ]] &&
    ok "the search's time on stderr" || not_ok "the search's time on stderr" "$(cat "$TMP/w.err")"

# --- the plans as data: measured, ranked, their sums hold; with a demand shock on top,
# the stock-outs call for transfers and backup suppliers too
cat > "$TMP/rush.csv" <<'CSV'
event,region,scope,kind,starts_at,ends_at,category,change_pct,note
disruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-30,,,rumour
demand,,,,2024-11-16,2024-11-30,Home & Kitchen,+300,panic buying
demand,,,,2024-11-16,2024-11-30,Electronics,+300,panic buying
CSV
checks() { # NAME JSON HALVES KINDS
    local check
    check=$(python3 - "$2" "$3" "$4" <<'PY'
import json, sys
from decimal import Decimal as D
m = json.load(open(sys.argv[1]))["mitigation"]
bad = []
base = D(m["doing_nothing"])
if base <= 0: bad.append("doing nothing costs nothing")
if D(m["lost_margin"]) + D(m["coupons"]) + D(m["promotion"]) != base: bad.append("margin + coupons + promotion != doing nothing")
plans = m["plans"]
if [p["rank"] for p in plans] != list(range(1, len(plans) + 1)): bad.append("ranks")
key = [(-p["ratings_kept"], D(p["total"])) for p in plans]  # ratings kept first, then the total
if key != sorted(key): bad.append("not by ratings kept, then total")
if not any(p["plan"] == "nothing" for p in plans): bad.append("no 'nothing' plan")
if m["runs"] < 1: bad.append("not measured: no run")
for p in plans:
    if not p["measured"]: bad.append(f"{p['plan']} not measured")
    if D(p["spend"]) + D(p["left"]) != D(p["total"]): bad.append(f"{p['plan']}: spend + left")
    if base - D(p["total"]) != D(p["saving"]): bad.append(f"{p['plan']}: saving")
    if sum(D(s["cost"]) for s in p["steps"]) != D(p["spend"]): bad.append(f"{p['plan']}: step costs")
    if p["plan"] != "nothing" and sum(D(s["saving"]) for s in p["steps"]) != base - D(p["left"]):
        bad.append(f"{p['plan']}: step savings")
    for s in p["steps"]:
        if s["kind"] in ("backup_supplier", "transfer") and (not s.get("sku_name") or not s.get("source")):
            bad.append(f"{s['kind']} without names")
best = plans[0]
if sys.argv[2] == "1" and D(best["total"]) * 2 > base:
    bad.append(f"the best plan ({best['total']}) does not halve {base}")
if D(best["total"]) >= base: bad.append("the best plan saves nothing")
kinds = {s["kind"] for s in best["steps"]}
want = set(sys.argv[3].split(","))
if not want <= kinds: bad.append(f"levers {sorted(kinds)}, wanted {sorted(want)}")
print("; ".join(bad) if bad else f"ok: {len(plans)} plans, best {best['plan']} {best['total']} of {base}, {m['runs']} runs")
PY
)
    [[ "$check" == ok:* ]] && ok "$1 ($check)" || not_ok "$1" "$check"
}
bl $W --json > "$TMP/m.json" 2>"$TMP/m.err" || not_ok "--json" "$(cat "$TMP/m.err")"
checks "the lockdown: measured, ranked, sums hold, the best halves it" "$TMP/m.json" 1 extend_handling
# --- one valuation of a late order: the mitigation's coupons are the what-if's undeclared
# money line (the coupons each shop's rule owes, in USD), and every order the events make
# late is either valued or said to cost no coupon
python3 - "$TMP/m.json" <<'PY' && ok "doing nothing's coupons are the what-if's undeclared coupons" || not_ok "one valuation" "$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["mitigation"]["coupons"], j["money"])' "$TMP/m.json")"
import json, sys
from decimal import Decimal as D
j = json.load(open(sys.argv[1]))
m = j["mitigation"]
usd = sum(D(x["coupons"]["with_undeclared"]["amount"]) - D(x["coupons"]["without"]["amount"])
          for x in j["shop_coupons"] if x["currency"] == "USD")
other = [x for x in j["shop_coupons"] if x["currency"] != "USD"
         and x["coupons"]["with_undeclared"] != x["coupons"]["without"]]
money = sum(D(x["coupons"]["with_undeclared"]["amount"]) - D(x["coupons"]["without"]["amount"])
            for x in j["money"] if x["currency"] == "USD")
assert usd == money, (usd, money)              # per shop, the money line's own sum
assert usd > 0, usd
if other:
    assert D(m["coupons"]) > usd, (m["coupons"], usd)  # and the other currencies, converted
else:
    assert D(m["coupons"]) == usd, (m["coupons"], usd)
t = j["totals"]["late_to_ship"]
assert m["late_orders"] + m["late_unpaid"] + m["late_unrated"] == t["with"] - t["without"], (m, t)
# declared, the exempting profiles owe nothing for the held orders: less than undeclared
assert all(D(x["coupons"]["with"]["amount"]) <= D(x["coupons"]["with_undeclared"]["amount"])
           for x in j["shop_coupons"])
PY
bl whatif --as-of 2024-11-15 --assume "$TMP/rush.csv" --horizon 14 --mitigate --json > "$TMP/r.json" ||
    not_ok "--json (rush)"
checks "and a rush: transfers and a backup supplier" "$TMP/r.json" 0 \
    extend_handling,transfer,backup_supplier

# --- in Chinese
zh=$(bl $W --locale zh-CN 2>&1)
[[ "$zh" == *"最省钱的应对方案"* && "$zh" == *"从义乌一带发货的商品，备货时间延长 14 天"* ]] &&
    ok "in Chinese" || not_ok "in Chinese" "${zh#*最省钱}"

# --- reroute: offered where the events suspend a shop's channel alone (a channel
# suspension longer than the handling time can stretch), never for a lockdown of the
# origin (every channel stops: no channel to reroute to)
none=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["mitigation"]
print(sum(s["kind"] == "reroute" for p in m["plans"] for s in p["steps"]))' "$TMP/m.json")
expect_eq "a lockdown of the origin: no reroute" 0 "$none"
cat > "$TMP/yun.csv" <<'CSV'
event,region,scope,kind,starts_at,ends_at,channel,note
channel_suspension,CN,,,2024-11-16,2024-12-31,YUN-LINE-US,YunExpress US line suspended
CSV
bl whatif --as-of 2024-11-15 --assume "$TMP/yun.csv" --horizon 30 --mitigate --json > "$TMP/y.json" ||
    not_ok "--json (a channel suspended)"
checks "a channel suspended: rerouted" "$TMP/y.json" 1 reroute
rr=$(python3 - "$TMP/y.json" <<'PY'
import json, sys
from decimal import Decimal as D
m = json.load(open(sys.argv[1]))["mitigation"]
steps = [s for s in m["plans"][0]["steps"] if s["kind"] == "reroute"]
bad = []
for s in steps:
    if s["carrier"] != "YunExpress (dedicated line)" or not s["source"] or "YunExpress" in s["source"]:
        bad.append(f"channels {s['carrier']} -> {s['source']}")
    if not s.get("carrier_zh") or "（" not in s["carrier_zh"]: bad.append("no Chinese name")
    if s["until"] != "2024-12-30": bad.append(f"until {s['until']}")
    if D(s["cost"]) <= 0 or s["units"] <= 0: bad.append(f"cost {s['cost']} for {s['units']} orders")
print("; ".join(bad) if bad else f"ok: {len(steps)} shops, {steps[0]['source'] if steps else ''}")
PY
)
[[ "$rr" == ok:* && "$rr" != "ok: 0 "* ]] && ok "the reroutes name both channels ($rr)" ||
    not_ok "the reroutes name both channels" "$rr"
yun=$(bl whatif --as-of 2024-11-15 --assume "$TMP/yun.csv" --horizon 30 --mitigate 2>/dev/null)
[[ "$yun" == *"ship the "*" orders the events hold on YunExpress (dedicated line) by "*" instead; costs \$"* ]] &&
    ok "the reroute in words" || not_ok "the reroute in words" "${yun#*The cheapest}"
yunzh=$(bl whatif --as-of 2024-11-15 --assume "$TMP/yun.csv" --horizon 30 --mitigate --locale zh-CN 2>/dev/null)
[[ "$yunzh" == *"滞留在 YunExpress（专线）的 "*" 笔订单改由 "* ]] &&
    ok "the reroute in Chinese" || not_ok "the reroute in Chinese" "${yunzh#*最省钱}"
# a short suspension: the longer handling time covers it for nothing, no freight is spent
sed 's/2024-12-31/2024-11-30/' "$TMP/yun.csv" > "$TMP/yun14.csv"
short=$(bl whatif --as-of 2024-11-15 --assume "$TMP/yun14.csv" --horizon 14 --mitigate 2>/dev/null)
[[ "$short" == *"add 14 days to the handling time"* && "$short" != *"by Yanwen"* ]] &&
    ok "a short suspension: the handling time, no reroute" || not_ok "a short suspension" "${short#*The cheapest}"

# --- events that cost nothing: nothing to do
printf 'event,region,scope,kind,starts_at,ends_at\ndisruption,JP-13,destination,weather,2024-11-16,2024-11-17\n' > "$TMP/calm.csv"
calm=$(bl whatif --as-of 2024-11-15 --assume "$TMP/calm.csv" --horizon 14 --mitigate 2>&1)
[[ "$calm" == *"nothing to do"* ]] && ok "events that cost nothing: nothing to do" ||
    not_ok "events that cost nothing: nothing to do" "${calm#*The cheapest}"

# --- POST /api/v1/whatif with "mitigate": the same plans as the command's
TOK=$(bl token create --role operator 2>/dev/null)
api_start
body=$(python3 -c 'import json,sys; print(json.dumps({"as_of": "2024-11-15", "horizon_days": 14,
    "assume": open(sys.argv[1]).read(), "mitigate": True}))' "$F")
req POST /api/v1/whatif "$TOK" "$body"
expect_eq "POST /api/v1/whatif with mitigate: 200" 200 "$STATUS"
same=$(python3 - "$TMP/m.json" <<PY
import json, sys
a = json.load(open(sys.argv[1]))["mitigation"]
b = json.loads(open("$TMP/body").read()).get("mitigation")
print("same" if a == b else f"differ: {json.dumps(b)[:300]}")
PY
)
expect_eq "the API's plans are the command's" same "$same"
req POST /api/v1/whatif "$TOK" '{"as_of": "2024-11-15", "assume": "x", "mitigate": "yes"}'
expect_eq "mitigate must be a boolean: 422" 422 "$STATUS"
api_stop

bl_done
