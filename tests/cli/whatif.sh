#!/usr/bin/env bash
# End-to-end: `ballast whatif` (issue 20) on a demo seller. Input errors name the file,
# line and column; names the store lacks are refused with their line; nothing is written;
# the same inputs give the same report byte for byte; a lockdown holds the shipments from
# its area, makes them late, moves stock-outs earlier with a demand shock (+80%: the stock
# day forecasts with the event calendar since #18, and at +40% no stock-out moved); and, for a
# disruption in the past, the what-if from the day before equals what the cycle records
# once it is declared (rating, score and counters per shop).
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/whatif.bash"
bl_setup "$1" whatif
trap api_cleanup EXIT
# +80%: one marginal stock-out must move (the plan forecasts with the event calendar)
whatif_demo +80

# --- usage and input errors
expect_fail "--assume is required" 2 "--assume is required" bl whatif --as-of 2024-11-15
expect_fail "--as-of is required" 2 "--as-of is required" bl whatif --assume "$F"
expect_fail "a horizon out of range" 2 "--horizon" bl whatif --as-of 2024-11-15 --assume "$F" --horizon 0
printf 'event,region,scope,kind,starts_at\ndisruption,CN-ZJ,inside,lockdown,2024-11-16\n' > "$TMP/bad.csv"
expect_fail "a bad row: file, line, column" 1 "bad.csv:2: column 'scope'" bl whatif --as-of 2024-11-15 --assume "$TMP/bad.csv"
printf 'event,supplier,starts_at\nsupplier_shutdown,nobody,2024-11-16\n' > "$TMP/sup.csv"
expect_fail "an unknown supplier, with its line" 1 "sup.csv:2: column 'supplier': supplier nobody: not in this organisation" \
    bl whatif --as-of 2024-11-15 --assume "$TMP/sup.csv"
printf 'event,category,change_pct,starts_at,ends_at\ndemand,Spaceships,+10,2024-11-16,2024-11-20\n' > "$TMP/cat.csv"
expect_fail "an unknown category" 1 "category Spaceships: not in this organisation" \
    bl whatif --as-of 2024-11-15 --assume "$TMP/cat.csv"
printf 'event,channel,per_kg,currency,starts_at\nchannel_price,YUN-LINE-US,9.00,USD,2024-11-16\n' > "$TMP/price.csv"
expect_fail "a new rate per kg in another currency than the channel's" 1 \
    "price.csv:2: column 'currency': USD: channel YUN-LINE-US's rates are in CNY" \
    bl whatif --as-of 2024-11-15 --assume "$TMP/price.csv"
printf 'event,channel,change_pct,starts_at\nchannel_price,NO-SUCH-LINE,+10,2024-11-16\n' > "$TMP/price.csv"
expect_fail "a price change on an unknown channel, with its line" 1 "price.csv:2: column 'channel'" \
    bl whatif --as-of 2024-11-15 --assume "$TMP/price.csv"
# --- a channel's price rise: the extra freight per shop and channel, per currency
cat > "$TMP/price.csv" <<'CSV'
event,channel,starts_at,ends_at,change_pct,per_kg,currency
channel_price,YUN-LINE-US,2024-11-16,2024-12-01,+20,,
channel_price,CNPOST-EPACKET-US,2024-11-16,2024-12-01,,999.00,CNY
CSV
bl whatif --as-of 2024-11-15 --assume "$TMP/price.csv" --horizon 14 --json > "$TMP/p.json" 2>"$TMP/p.err" ||
    not_ok "price rise" "$(cat "$TMP/p.err")"
python3 - "$TMP/p.json" <<'PY' && ok "a price rise: extra freight per shop and channel, summed per currency" || not_ok "price rise" "$(head -c 600 "$TMP/p.json")"
import json, sys
from decimal import Decimal as D
j = json.load(open(sys.argv[1]))
rows = [o for o in j["orders"] if o.get("repriced")]
assert {o["channel"] for o in rows} == {"YUN-LINE-US", "CNPOST-EPACKET-US"}, rows[:2]
assert all(D(o["freight_extra"]["amount"]) > 0 for o in rows), rows[:2]
for m in j["money"]:
    want = sum(D(o["freight_extra"]["amount"]) for o in j["orders"]
               if o.get("freight_extra") and o["freight_extra"]["currency"] == m["currency"])
    assert D(m["freight_extra"]["amount"]) == want, (m, want)
    waived = sum(D(o["sla_waivers"]["without"]["amount"]) for o in j["orders"]
                 if o.get("sla_waivers") and o["sla_waivers"]["without"]["currency"] == m["currency"])
    assert D(m["sla_waivers"]["without"]["amount"]) == waived, (m, waived)
PY
txt=$(bl whatif --as-of 2024-11-15 --assume "$TMP/price.csv" --horizon 14 2>/dev/null)
[[ $txt == *"the price of channel YunExpress (dedicated line) to United States (YUN-LINE-US) +20.00%"* && $txt == *"shipments repriced"* && $txt == *"the price changes add"* ]] &&
    ok "the price rise in words" || not_ok "the price rise in words" "$txt"
# --- carrier SLA waivers: a destination strike holds deliveries past the carriers' SLA
printf 'event,region,scope,kind,starts_at,ends_at\ndisruption,US,destination,strike,2024-11-16,2024-11-30\n' > "$TMP/strike.csv"
bl whatif --as-of 2024-11-15 --assume "$TMP/strike.csv" --horizon 14 --json > "$TMP/s.json" 2>/dev/null
python3 - "$TMP/s.json" <<'PY' && ok "deliveries held past the SLA: more waivers due" || not_ok "SLA waivers" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["money"])' "$TMP/s.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert any(m["sla_waiver_count"]["with"] > m["sla_waiver_count"]["without"] for m in j["money"]), j["money"]
PY

# --- writes nothing; deterministic
before=$(fingerprint)
out=$(bl whatif --as-of 2024-11-15 --assume "$F" --horizon 14 2>"$TMP/err")
expect_eq "exits 0" 0 "$?"
[[ $(cat "$TMP/err") == *"nothing was stored"* ]] && ok "says nothing was stored" || not_ok "stderr" "$(cat "$TMP/err")"
expect_eq "writes nothing" "$before" "$(fingerprint)"
again=$(bl whatif --as-of 2024-11-15 --assume "$F" --horizon 14 2>/dev/null)
expect_eq "the same report byte for byte" "$out" "$again"
so=$(printf '%s\n' "$out" | grep -E 'units? short' | head -3)
[[ -n "$so" && "$so" != *" in wh-"* && "$so" == *" warehouse: stock-out "* ]] &&
    ok "the stock-outs name the warehouse" || not_ok "the stock-outs name the warehouse" "$so"
bl whatif --as-of 2024-11-15 --assume "$F" --json > "$TMP/a.json"
bl whatif --as-of 2024-11-15 --assume "$F" --json > "$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok "the same JSON byte for byte" || not_ok "the same JSON byte for byte"
[[ $out == *"lockdown in the area around Yiwu"* && $out == *"held by the events"* && $out == *"Stock-outs"* ]] &&
    ok "the report: what was assumed, orders, stock-outs" || not_ok "report" "$out"
[[ $out == *"over 14 days (to the end of 2024-11-29): 2 assumed events from "* &&
    $out == *" new orders come at its rate of the last 28 days."* ]] &&
    ok "the report's counts in words (2 assumed events, the new orders)" || not_ok "report counts" "$out"
[[ $out != *"{{"* && $out != *"late_shipment"* && $out != *"BL_"* && $out != *"CN-ZJ"* ]] && ok "no codes in the words" ||
    not_ok "no codes in the words" "$out"
[[ $out == *"Rating harm: "*" if the events go undeclared; declaring them saves "* &&
    $out == *"Late orders valued by each shop's marketplace rule"* && $out == *"; undeclared "* ]] &&
    ok "the report: rating harm, late orders valued per shop, coupons undeclared" ||
    not_ok "rating harm and valuation" "$out"
brief=$(bl whatif --as-of 2024-11-15 --assume "$F" --horizon 14 --brief 2>/dev/null)
[[ $brief == *"in coupons, lost sales and extra freight undeclared ("*" declared); "*" shop rating"*", declaring saves "* ]] &&
    ok "the brief line: undeclared and declared, the ratings that fall" || not_ok "brief" "$brief"
# counts as the locale writes them (bl_l10n_count): 1,963, never 1963; a count agrees with
# its noun ("1 of 11 moves", "1 unit short")
grouped() { [[ $1 =~ ^[0-9]{1,3}(,[0-9]{3})*$ ]]; }
m=()
[[ $brief =~ \ days\):\ ([0-9,]+)\ orders?\ held,\ ([0-9,]+)\ more\ late\ to\ ship,\ ([0-9,]+)\ (stock-outs?)\  ]] &&
    m=("${BASH_REMATCH[@]}")
((${#m[@]} == 5)) && grouped "${m[1]}" && grouped "${m[2]}" &&
    [[ ${m[4]} == $([ "${m[3]}" = 1 ] && echo stock-out || echo stock-outs) ]] &&
    ok "the brief: counts grouped, each agreeing with its noun (${m[3]} ${m[4]})" ||
    not_ok "the brief's counts" "$brief"
m=()
[[ $out =~ and\ ([0-9,]+)\ new\ orders\ come ]] && m=("${BASH_REMATCH[@]}")
((${#m[@]} == 2)) && grouped "${m[1]}" && ((${#m[1]} > 3)) &&
    ok "the report groups its counts (${m[1]} new orders)" ||
    not_ok "the report's counts grouped" "$(printf '%s\n' "$out" | head -6)"
m=()
[[ $out =~ Shop\ ratings\ at\ the\ horizon\'s\ end:\ ([0-9,]+)\ of\ [0-9,]+\ (moves?)\; ]] && m=("${BASH_REMATCH[@]}")
((${#m[@]} == 3)) && [[ ${m[2]} == $([ "${m[1]}" = 1 ] && echo moves || echo move) ]] &&
    ok "the ratings' count agrees with its verb (${m[1]} ${m[2]})" ||
    not_ok "ratings' verb" "$(printf '%s\n' "$out" | grep 'Shop ratings')"
! printf '%s\n' "$out" | grep -qE '(^|[^0-9,])1 (units|orders|days|shipments|events|steps) ' &&
    ok "no '1' before a plural noun in the report" ||
    not_ok "1 before a plural" "$(printf '%s\n' "$out" | grep -E '(^|[^0-9,])1 (units|orders|days|shipments|events|steps) ')"
zhb=$(bl whatif --as-of 2024-11-15 --assume "$F" --horizon 14 --brief --locale zh-CN 2>/dev/null)
m=()
[[ $zhb =~ ：([0-9,]+)\ 笔订单滞留，延迟发货增加\ ([0-9,]+)\ 笔 ]] && m=("${BASH_REMATCH[@]}")
((${#m[@]} == 3)) && grouped "${m[1]}" && grouped "${m[2]}" &&
    ok "the Chinese brief: its counts grouped too (${m[2]})" || not_ok "the Chinese brief's counts" "$zhb"
zh=$(bl whatif --as-of 2024-11-15 --assume "$F" --locale zh-CN 2>&1)
[[ $zh == *"评级损害"* && $zh == *"按各店铺平台规则计算的延迟订单补偿"* ]] && ok "the valuation in Chinese" ||
    not_ok "the valuation in Chinese" "$zh"
[[ $zh == *"假设推演"*"义乌一带封控"* ]] && ok "in Chinese" || not_ok "in Chinese" "$zh"
python3 - "$TMP/a.json" <<'PY' && ok "a lockdown holds and delays shipments, a shock deepens stock-outs" || not_ok "effects" "$(head -c 600 "$TMP/a.json")"
import json, sys
j = json.load(open(sys.argv[1]))
t = j["totals"]
assert t["held"] > 0, t
assert t["late_to_ship"]["with"] > t["late_to_ship"]["without"], t
worse = [s for s in j["stockouts"] if s["units_short"]["with"] > s["units_short"]["without"]
         or (s["day"]["with"] and (s["day"]["without"] is None or s["day"]["with"] < s["day"]["without"]))]
assert worse, j["stockouts"][:3]
assert all(o["held"] <= o["due"] for o in j["orders"])
assert j["stock_simulated"] and j["orders_projected"] > 0
PY

# --- truth: a past lockdown, replayed from the day before, equals the cycle once declared
P=$TMP/past.csv
printf 'event,region,scope,kind,starts_at,ends_at\ndisruption,CN-ZJ:322,origin,lockdown,2024-11-05,2024-11-10\n' > "$P"
bl whatif --as-of 2024-11-04 --horizon 10 --replay --assume "$P" --json > "$TMP/past.json"
bl --format json assess --as-of 2024-11-14 > "$TMP/before.json" 2>/dev/null
same_standing "undeclared: the what-if without the events is today's assessment" "$TMP/past.json" without "$TMP/before.json"
bl disruption add --region CN-ZJ:322 --scope origin --kind lockdown --from 2024-11-05 --to 2024-11-10 --tz UTC >/dev/null
bl cycle --as-of 2024-11-14 --no-digest >/dev/null 2>&1
bl --format json assess --as-of 2024-11-14 > "$TMP/after.json" 2>/dev/null
same_standing "declared: the what-if with the events is what the cycle records" "$TMP/past.json" with "$TMP/after.json"
python3 - "$TMP/past.json" <<'PY' && ok "the exemptions change some shop's counters" || not_ok "exemptions matter" "$(head -c 400 "$TMP/past.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert any(r["with"]["exempt"] > r["without"]["exempt"] for r in j["ratings"]), j["ratings"]
PY
# --- POST /api/v1/whatif: the same answer as the command, for an operator only
TOK_viewer=$(bl token create --role viewer 2>/dev/null)
TOK_operator=$(bl token create --role operator 2>/dev/null)
api_start
body=$(python3 -c 'import json,sys; print(json.dumps({"as_of": "2024-11-15", "assume": open(sys.argv[1]).read()}))' "$F")
req POST /api/v1/whatif "$TOK_viewer" "$body"
expect_status "a viewer may not run a what-if" 403
before=$(fingerprint)
bl whatif --as-of 2024-11-15 --assume "$F" --json > "$TMP/a.json" # the store as it is now
req POST /api/v1/whatif "$TOK_operator" "$body"
expect_status "an operator runs it" 200
echo "$BODY" > "$TMP/api.json"
cmp -s <(python3 -m json.tool --sort-keys "$TMP/api.json") <(python3 -m json.tool --sort-keys "$TMP/a.json") &&
    ok "the API answers what the command says" || not_ok "API = CLI" "$(head -c 300 "$TMP/api.json")"
expect_eq "the API writes nothing" "$before" "$(fingerprint)"
req POST /api/v1/whatif "$TOK_operator" '{"as_of": "2024-11-15", "events": [{"event": "disruption", "region": "CN-ZJ:322", "scope": "origin", "kind": "lockdown", "starts_at": "2024-11-16", "ends_at": "2024-11-30"}, {"event": "demand", "category": "Home & Kitchen", "change_pct": "+80", "starts_at": "2024-11-16", "ends_at": "2024-11-30"}]}'
expect_status "the events as objects" 200
echo "$BODY" > "$TMP/api2.json"
cmp -s <(python3 -m json.tool --sort-keys "$TMP/api2.json") <(python3 -m json.tool --sort-keys "$TMP/a.json") &&
    ok "objects or the file's text: the same answer" || not_ok "events = assume" "$(head -c 300 "$TMP/api2.json")"
req POST /api/v1/whatif "$TOK_operator" '{"as_of": "2024-11-15", "events": [{"event": "channel_price", "channel": "CNPOST-EPACKET-US", "per_kg": "999.00", "currency": "CNY", "starts_at": "2024-11-16"}]}'
expect_status "a new rate per kg as an object" 200
[[ $(python3 -c 'import json,sys; print(sum(1 for o in json.loads(sys.stdin.read())["orders"] if o.get("repriced")))' <<<"$BODY") -gt 0 ]] &&
    ok "... repricing the channel's shipments" || not_ok "per_kg over the API" "$(head -c 300 <<<"$BODY")"
req POST /api/v1/whatif "$TOK_operator" '{"as_of": "2024-11-15", "events": [{"event": "flood", "starts_at": "2024-11-16"}]}'
expect_status "a bad event is refused with the file's words" 400 malformed
[[ $BODY == *"assume:2:"*"flood"*"expected disruption"* ]] &&
    ok "... naming it" || not_ok "bad event words" "$BODY"
req POST /api/v1/whatif "$TOK_operator" '{"as_of": "2024-11-15"}'
expect_status "no events is refused" 422 missing
api_stop
expect_eq "SIGTERM: the server stops cleanly" 0 "$API_RC"
bl_done
