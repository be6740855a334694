#!/usr/bin/env bash
# End-to-end: a what-if's plan applied as proposed actions (issue 20, docs/whatif.md
# "Applying a plan"). On a demo seller with the demo's Yiwu lockdown, `whatif --mitigate
# --apply 1` proposes the plan's longer handling times, one per listing shipping from Yiwu,
# listed by name with their reason; a rush adds purchase orders from backup suppliers and
# transfers; applying again creates nothing twice; a bad plan number is refused and writes
# nothing. Approved, a purchase order is inbound the plan counts and a transfer reserves
# its units at the source and is inbound at the destination; rejected, nothing changes; a
# placed order is not reverted. A handling hold approved is kept by the next days'
# playbook, though no disruption is declared, and reverts on its end day. The API does the
# same under an Idempotency-Key, and lists the new kinds in parts by names.
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/whatif.bash"
bl_setup "$1" whatif_apply
trap api_cleanup EXIT
wi_demo_store || { echo "demo store failed"; exit 1; }
F=$SRC/data/demo/whatif-yiwu.csv
W="whatif --as-of 2024-11-15 --assume $F --horizon 14 --mitigate"

# --- bad plan numbers: a clear error, nothing written
before=$(fingerprint)
expect_fail "--apply needs --mitigate" 2 "--apply N needs --mitigate" \
    bl whatif --as-of 2024-11-15 --assume "$F" --apply 1
expect_fail "--apply 0 is refused" 2 "--apply" bl $W --apply 0
expect_fail "a plan past the last: how many there are" 1 "no plan 9 to apply: the what-if found" \
    bl $W --apply 9
expect_eq "a bad plan number writes nothing" "$before" "$(fingerprint)"

# --- plan 1 of the demo's lockdown: longer handling times, proposed, by name
out=$(bl $W --apply 1 2>"$TMP/a.err")
expect_eq "--apply 1 exits 0" 0 "$?"
applied=${out#*Plan 1 proposed as actions for approval: }
n_new=${applied%% new,*}
[[ "$n_new" =~ ^[1-9][0-9]*$ ]] && ok "plan 1 proposed as $n_new actions" ||
    not_ok "plan 1 proposed as actions" "$out"
expect_eq "as many action rows" "$n_new" "$(rows action)"
bl --format json actions --state proposed > "$TMP/p.json"
check=$(python3 - "$TMP/p.json" <<'PY'
import json, re, sys
acts = json.load(open(sys.argv[1]))
bad = []
for a in acts:
    if a["kind"] != "handling_until": bad.append(f"{a['id']}: {a['kind']}")
    r = a["reason"]
    if not r.startswith("from the what-if of whatif-yiwu.csv, plan 1 (every lever), step "):
        bad.append(f"reason: {r}")
    if re.search(r"shop-\d{3}|wh-[a-z]|sup-\d{3}|CN-ZJ", r): bad.append(f"an id in: {r}")
    if "ships from the area around Yiwu" not in r or "-> " not in r: bad.append(f"words: {r}")
print("; ".join(bad[:3]) if bad else "ok")
PY
)
expect_eq "each a handling hold, its reason in words, by names" ok "$check"

# --- again: nothing twice
again=$(bl $W --apply 1 2>/dev/null)
[[ "$again" == *"Plan 1 proposed as actions for approval: 0 new, $n_new proposed before"* ]] &&
    ok "applied again: nothing new" || not_ok "applied again: nothing new" "${again#*Plan 1 proposed}"
expect_eq "applied again: no row more" "$n_new" "$(rows action)"
zh=$(bl $W --apply 1 --locale zh-CN 2>/dev/null)
[[ "$zh" == *"方案 1 已作为待审批的操作提出：新增 0 项，$n_new 项此前已提出"* && "$zh" == *"限期延长备货时间"* ]] &&
    ok "in Chinese" || not_ok "in Chinese" "${zh#*方案 1 已作为}"
audit=$(bl --format csv audit 2>/dev/null | grep -c 'whatif.apply')
expect_eq "one audit row (the second apply wrote nothing)" 1 "$audit"

# --- a rush on top: purchase orders from backup suppliers and transfers
cat > "$TMP/rush.csv" <<'CSV'
event,region,scope,kind,starts_at,ends_at,category,change_pct,note
disruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-30,,,rumour
demand,,,,2024-11-16,2024-11-30,Home & Kitchen,+300,panic buying
demand,,,,2024-11-16,2024-11-30,Electronics,+300,panic buying
CSV
bl whatif --as-of 2024-11-15 --assume "$TMP/rush.csv" --horizon 14 --mitigate --apply 1 --json \
    > "$TMP/r.json" 2>"$TMP/r.err" || not_ok "the rush applied" "$(cat "$TMP/r.err")"
read -r PO PO_SKU PO_UNITS TR TR_SKU TR_UNITS TR2 EXISTED < <(python3 - "$TMP/r.json" <<'PY'
import json, sys
ap = json.load(open(sys.argv[1]))["applied"]
po = [a for a in ap["actions"] if a["kind"] == "purchase_order" and a["outcome"] == "proposed"]
tr = [a for a in ap["actions"] if a["kind"] == "transfer" and a["outcome"] == "proposed"]
def units(a): return a["after"]
print(po[0]["id"] if po else 0, po[0]["sku"] if po else "-", units(po[0]) if po else 0,
      tr[0]["id"] if tr else 0, tr[0]["sku"] if tr else "-", units(tr[0]) if tr else 0,
      tr[1]["id"] if len(tr) > 1 else 0, ap["existed"])
PY
)
[ "$PO" != 0 ] && [ "$TR" != 0 ] && ok "the rush: a purchase order ($PO_SKU x $PO_UNITS) and transfers" ||
    not_ok "the rush: a purchase order and transfers" "$(head -c 600 "$TMP/r.json")"
expect_eq "the rush: the handling holds proposed before are not again" "$n_new" "$EXISTED"

# inbound of a SKU in the plan of the stock day
inbound() { bl --format csv plan --as-of 2024-11-16 --no-save 2>/dev/null |
    awk -F, -v s="$1" '$1==s && $2=="*" {print $4}'; }
po_in=$(inbound "$PO_SKU")
tr_in=$(inbound "$TR_SKU")
bl actions approve "$PO" --note "agreed with the backup supplier" >/dev/null 2>&1 ||
    not_ok "approve the purchase order"
expect_eq "approved: the plan counts the purchase order inbound" $((po_in + PO_UNITS)) "$(inbound "$PO_SKU")"
bl actions approve "$TR" >/dev/null 2>&1 || not_ok "approve the transfer"
expect_eq "approved: the transfer is inbound at its destination" $((tr_in + TR_UNITS)) "$(inbound "$TR_SKU")"
if [ "$TR2" != 0 ]; then
    plan_before=$(bl --format csv plan --as-of 2024-11-16 --no-save 2>/dev/null)
    said=$(bl actions reject "$TR2" --note "not now" --locale zh-CN 2>&1) || not_ok "reject a transfer"
    expect_eq "rejected: said in Chinese" "操作 $TR2 已拒绝" "$said"
    row=$(bl actions --state rejected --locale zh-CN 2>/dev/null | grep -E "^ *$TR2 " | tr -s ' ')
    [[ "$row" == *" 仓间调拨（来自假设分析） "*" 已拒绝 "*" 不会撤销：一经批准即已下单 "*"年"*"月"*"日 "*":"*" UTC not now"* ]] &&
        ok "rejected: who and when in Chinese, the note as written" || not_ok "the rejected transfer in Chinese" "$row"
    expect_eq "rejected: the plan is unchanged" "$plan_before" \
        "$(bl --format csv plan --as-of 2024-11-16 --no-save 2>/dev/null)"
    expect_eq "rejected: its state" rejected \
        "$(bl --format json actions --state rejected | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')"
fi
expect_fail "a placed purchase order is not reverted" 1 "cannot be reverted" bl actions revert "$PO"
listed=$(bl actions 2>/dev/null | grep -E "^ *$PO ")
[[ "$listed" == *purchase_order* && "$listed" == *"order $PO_UNITS units of"* && "$listed" != *sup-0* ]] &&
    ok "the purchase order listed by name" || not_ok "the purchase order listed by name" "$listed"
listed=$(bl actions --locale zh-CN 2>/dev/null | grep -E "^ *$PO ")
[[ "$listed" == *"来自假设分析“rush.csv”的方案 1 第 "*"订购 $PO_UNITS 件"* ]] &&
    ok "and in Chinese" || not_ok "the purchase order listed in Chinese" "$listed"

# --- a handling hold approved: the playbook keeps it, then reverts it on its end day
HOLD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$TMP/p.json")
bl actions approve "$HOLD" >/dev/null 2>&1 || not_ok "approve a handling hold"
HOLD_SKU=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["target"])' "$TMP/p.json")
# a shorter lockdown's plan: another hold on the same SKU (another end day), not approvable
printf 'event,region,scope,kind,starts_at,ends_at\ndisruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-23\n' \
    > "$TMP/short.csv"
bl whatif --as-of 2024-11-15 --assume "$TMP/short.csv" --horizon 14 --mitigate --apply 1 --json \
    > "$TMP/s.json" 2>/dev/null || not_ok "the shorter lockdown applied"
HOLD2=$(python3 - "$TMP/s.json" "$HOLD_SKU" <<'PY'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["applied"]["actions"]
     if x["kind"] == "handling_until" and x["sku"] == sys.argv[2] and x["outcome"] == "proposed"]
print(a[0]["id"] if a else 0)
PY
)
[ "$HOLD2" != 0 ] && expect_fail "one hold a SKU: a second is refused while the first holds" 1 \
    "held already by action $HOLD" bl actions approve "$HOLD2" ||
    not_ok "a shorter lockdown proposes another hold on the SKU" "$(head -c 400 "$TMP/s.json")"
state() { bl --format json actions 2>/dev/null | python3 -c "
import json, sys
a = [x for x in json.load(sys.stdin) if x['id'] == $HOLD][0]
print(a['state'], a['reason'].split(' / ')[1] if ' / ' in a['reason'] else '')"; }
bl playbook --as-of 2024-11-20 --apply >/dev/null 2>&1 || not_ok "playbook on the 20th"
expect_eq "no disruption declared: the next cycle's playbook keeps the hold" "applied " "$(state)"
bl playbook --as-of 2024-11-30 --apply >/dev/null 2>&1 || not_ok "playbook on the 30th"
[[ "$(state)" == "reverted the what-if's handling time ended on 2024-11-30: back to "*" days" ]] &&
    ok "its end day: the hold reverts" || not_ok "its end day: the hold reverts" "$(state)"

# --- a channel suspended: a reroute proposed on each shop it holds, by name; approved, the
# router sends the shop's orders that would go by the suspended channel by the other one
# until the end day; reverted, they go back
cat > "$TMP/yun.csv" <<'CSV'
event,region,scope,kind,starts_at,ends_at,channel,note
channel_suspension,CN,,,2024-11-16,2024-12-31,YUN-LINE-US,YunExpress US line suspended
CSV
Y="whatif --as-of 2024-11-15 --assume $TMP/yun.csv --horizon 30 --mitigate"
out=$(bl $Y --apply 1 2>/dev/null)
[[ "$out" == *": reroute to a backup channel, "*" (step 1)"* ]] && ok "a reroute proposed on the shop" ||
    not_ok "a reroute proposed on the shop" "${out#*Plan 1 proposed}"
zh=$(bl $Y --apply 1 --locale zh-CN 2>/dev/null)
[[ "$zh" == *"改走备用渠道"* && "$(rows action)" == "$(bl $Y --apply 1 >/dev/null 2>&1; rows action)" ]] &&
    ok "applied again: in Chinese, nothing twice" || not_ok "applied again, in Chinese" "${zh#*方案 1}"
bl --format json actions --state proposed > "$TMP/rr.json"
read -r RR SHOP < <(python3 - "$TMP/rr.json" <<'PY'
import json, sys
a = [x for x in json.load(open(sys.argv[1])) if x["kind"] == "reroute"]
print(a[0]["id"], a[0]["target"]) if a else print(0, "")
PY
)
[ "$RR" != 0 ] && ok "the reroute is listed (action $RR, $SHOP)" || not_ok "the reroute is listed" "$(head -c 300 "$TMP/rr.json")"
why=$(bl actions --state proposed 2>/dev/null | grep -E "^ *$RR +reroute")
[[ "$why" == *": ship its orders on YunExpress (dedicated line) by "*" instead, from 2024-11-16 to 2024-12-30 ("*" held orders); costs \$"*" more freight, saves \$"* &&
    "$why" != *YUN-LINE* ]] && ok "its reason, by the channels' names" || not_ok "its reason, by the channels' names" "$why"
whyzh=$(bl actions --state proposed --locale zh-CN 2>/dev/null | grep -E "^ *$RR +改走备用渠道（来自假设分析）")
[[ "$whyzh" == *"：原由 YunExpress（专线）发货的订单，2024年11月16日 至 2024年12月30日 改由 "*"发货"* ]] &&
    ok "its reason in Chinese" || not_ok "its reason in Chinese" "$whyzh"
on() { bl --format csv route --as-of 2024-11-16T00:00:00Z --shop "$SHOP" 2>/dev/null | grep -c ",$1,"; }
yun_before=$(on YUN-LINE-US)
[ "$yun_before" -gt 0 ] && ok "before: the router sends $yun_before of $SHOP's orders by YunExpress" ||
    not_ok "before: some orders go by YunExpress" "$yun_before"
bl actions approve "$RR" --note "rerouted" >/dev/null 2>&1 || not_ok "approve the reroute"
bound=$(bl --format csv route --as-of 2024-11-16T00:00:00Z --shop "$SHOP" 2>/dev/null |
    grep -c "by the approved reroute (action $RR, from a what-if's plan) until 2024-12-30")
expect_eq "approved: none by YunExpress, each by the approved reroute" "0 $yun_before" "$(on YUN-LINE-US) $bound"
one=$(bl --format csv route --as-of 2024-11-16T00:00:00Z --shop "$SHOP" 2>/dev/null | grep "action $RR" | head -1 | cut -d, -f1)
ex=$(bl route --as-of 2024-11-16T00:00:00Z --explain "$one" 2>/dev/null)
[[ "$ex" == *"(an approved reroute)"* && "$ex" == *"the approved reroute, action $RR (from a what-if's plan)"* ]] &&
    ok "--explain says why" || not_ok "--explain says why" "$ex"
after=$(bl --format csv route --as-of 2024-12-31T00:00:00Z --shop "$SHOP" 2>/dev/null | grep -c "action $RR")
expect_eq "from its end day on, it binds nothing" 0 "$after"
said=$(bl actions revert "$RR" --locale zh-CN 2>&1) || not_ok "revert the reroute"
[[ "$said" == "操作 $RR 已撤销："* ]] && ok "reverted: said in Chinese" || not_ok "reverted: said in Chinese" "$said"
expect_eq "reverted: the router goes back" "$yun_before" "$(on YUN-LINE-US)"
rr_left=$(bl --format csv actions --state proposed --kind reroute 2>/dev/null | tail -n +2 | wc -l | tr -d ' ')
out=$(bl cycle --as-of 2025-01-01T00:00:00Z 2>&1)
[[ "$rr_left" -gt 0 && "$(bl --format csv actions --state proposed --kind reroute 2>/dev/null | tail -n +2 | wc -l | tr -d ' ')" == 0 &&
   "$out" == *"reroute to a backup channel (from a what-if), shop-"*": its end day, 2024-12-31, came"* ]] &&
    ok "the $rr_left reroute(s) nobody approved expire on their end day, named in the digest" ||
    not_ok "proposed reroutes expire" "$rr_left $(echo "$out" | grep -A3 expired)"

# --- the API: apply under an Idempotency-Key, the actions in parts by names
TOK=$(bl token create --role operator 2>/dev/null)
VIEW=$(bl token create --role viewer 2>/dev/null)
api_start
body=$(python3 -c 'import json,sys; print(json.dumps({"as_of": "2024-11-15", "horizon_days": 14,
    "assume": open(sys.argv[1]).read(), "mitigate": True, "apply": 1, "source": "the rush"}))' "$TMP/rush.csv")
req POST /api/v1/whatif "$VIEW" "$body"
expect_status "a viewer may not apply a plan" 403
rows_before=$(rows action)
req POST /api/v1/whatif "$TOK" "$body" -H "Idempotency-Key: apply-1"
expect_status "POST /api/v1/whatif with apply: 201" 201
first=$BODY
expect_eq "the API: nothing twice" "0 $rows_before" "$(jpy 'd["applied"]["added"]') $(rows action)"
req POST /api/v1/whatif "$TOK" "$body" -H "Idempotency-Key: apply-1"
expect_eq "the same key: the first answer again" "201 same" "$STATUS $([ "$BODY" = "$first" ] && echo same)"
req POST /api/v1/whatif "$TOK" "${body/\"apply\": 1/\"apply\": 99}"
expect_status "a plan past the last: 422" 422 invalid
req POST /api/v1/whatif "$TOK" "${body/\"mitigate\": true/\"mitigate\": false}"
expect_status "apply without mitigate: 422" 422 invalid
req GET "/api/v1/actions?state=applied&limit=500" "$TOK"
parts=$(jpy "[a['parts'] for a in d['actions'] if a['id'] == $PO][0]")
[[ "$parts" == *"'units': $PO_UNITS"* && "$parts" == *"'supplier': "* && "$parts" == *"'arrival': '2024-"* &&
    "$parts" != *sup-0* && "$parts" != *"'warehouse': 'wh-"* ]] &&
    ok "GET an action: a purchase order in parts, by names" || not_ok "the action's parts" "$BODY"
req GET "/api/v1/actions?limit=500" "$TOK"
rparts=$(jpy "[a['parts'] for a in d['actions'] if a['id'] == $RR][0]" 2>/dev/null)
[[ "$rparts" == *"'from': 'YunExpress (dedicated line)'"* && "$rparts" == *"'until': '2024-12-31'"* &&
   "$rparts" == *"'first': '2024-11-16'"* && "$rparts" == *"'shop_name': "* ]] &&
    ok "GET a reroute: in parts, by names" || not_ok "the reroute's parts" "$rparts"
api_stop

bl_done
