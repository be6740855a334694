#!/usr/bin/env bash
# End-to-end: a what-if's proposals nobody decided by their day expire in the daily cycle
# (docs/internals/playbook.md "Expired proposals"). On the demo seller with a rush of the
# Yiwu lockdown applied (purchase orders and transfers to order or ship by 2024-11-16,
# handling holds until 2024-11-30): the cycle of the 20th expires the orders and
# transfers, not the holds, and its digest names them; the cycle of 1 December expires the
# holds (the digest in Chinese names them). Expired actions stay listed, state "expired",
# with why; nothing is deleted. Why is worded at display from the kind and the day, in
# the reader's language: `actions --locale zh-CN` and the API's reason_text (?locale=).
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/whatif.bash"
bl_setup "$1" action_expire
wi_demo_store || { echo "demo store failed"; exit 1; }
cat > "$TMP/rush.csv" <<'CSV'
event,region,scope,kind,starts_at,ends_at,category,change_pct,note
disruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-30,,,rumour
demand,,,,2024-11-16,2024-11-30,Home & Kitchen,+300,panic buying
demand,,,,2024-11-16,2024-11-30,Electronics,+300,panic buying
CSV
bl whatif --as-of 2024-11-15 --assume "$TMP/rush.csv" --horizon 14 --mitigate --apply 1 --json \
    > "$TMP/r.json" 2>"$TMP/r.err" || not_ok "the rush applied" "$(cat "$TMP/r.err")"
count() { bl --format json actions ${1:+--state "$1"} | python3 -c "
import json, sys
print(sum(1 for a in json.load(sys.stdin) if a['kind'] in sys.argv[1].split(',')))" "$2"; }
n_supply=$(count proposed purchase_order,transfer)
n_holds=$(count proposed handling_until)
[ "$n_supply" -gt 0 ] && [ "$n_holds" -gt 0 ] && ok "the rush: $n_supply orders and transfers, $n_holds holds" ||
    not_ok "the rush proposes orders, transfers and holds" "$n_supply $n_holds"
n_actions=$((n_supply + n_holds))

out=$(bl cycle --as-of 2024-11-20T00:00:00Z 2>&1)
expect_eq "the 20th: the orders and transfers expired" "0 $n_supply" \
    "$(count proposed purchase_order,transfer) $(count expired purchase_order,transfer)"
expect_eq "... the holds still proposed" "$n_holds" "$(count proposed handling_until)"
expect_eq "nothing deleted" "$n_actions" "$(count "" purchase_order,transfer,handling_until)"
pl=s; [ "$n_supply" = 1 ] && pl=""
[[ "$out" == *"$n_supply proposed action$pl expired, not decided in time"* &&
    "$out" == *"purchase order (from a what-if), SKU-"*": its day to act, 2024-11-16, passed"* ]] &&
    ok "the digest names them" || not_ok "the digest names the expired proposals" "$out"
why=$(bl --format json actions --state expired | python3 -c '
import json, sys; a = [x for x in json.load(sys.stdin) if x["kind"] == "purchase_order"][0]
print(a["reason"].split(" / ")[-1])')
expect_eq "listed, with why" "expired: not approved by its order-by day, 2024-11-16" "$why"
zh=$(bl actions --state expired --kind purchase_order --locale zh-CN 2>/dev/null | grep "采购单（来自假设分析）" | head -1)
[[ "$zh" == *"来自假设分析“rush.csv”的方案 1 第 "*"已过期：未在下单截止日 2024年11月16日 前批准。"* &&
    "$zh" != *"expired: not"* ]] && ok "listed in Chinese, with why in Chinese" ||
    not_ok "the expired order in Chinese" "$zh"
# ... and the rest of its row: the kind, the field, its units, the state, the day and when
# it is undone, in Chinese; csv keeps the codes
[[ "$(tr -s ' ' <<<"$zh")" == *" 采购单（来自假设分析） SKU-"*" 在途库存 0 件 "*" 件 已过期（未按期决定） 2024年11月"*"日 "* &&
    "$zh" == *"不会撤销：一经批准即已下单"* && "$zh" != *purchase_order* && "$zh" != *never* ]] &&
    ok "its kind, field, units, state, day and when it is undone in Chinese" || not_ok "the row in Chinese" "$zh"
expect_eq "csv keeps the codes" "purchase_order,inbound,0,expired" \
    "$(bl --format csv actions --state expired --kind purchase_order --locale zh-CN | sed -n 2p | cut -d, -f2,4,5,7)"
expect_eq "one audit row" 1 "$(bl --format csv audit 2>/dev/null | grep -c 'action.expire')"
expect_fail "an expired action is not approved" 1 "it is expired" bl actions approve \
    "$(bl --format json actions --state expired | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"

out=$(bl cycle --as-of 2024-12-01T00:00:00Z --locale zh-CN 2>&1)
expect_eq "1 December: the holds expired" "0 $n_holds" \
    "$(count proposed handling_until) $(count expired handling_until)"
[[ "$out" == *"项提议的操作未及时决定，已过期"* && "$out" == *"限期延长备货时间（来自假设分析），SKU-"*"结束日 2024-11-30 已到"* ]] &&
    ok "the digest in Chinese names the holds" || not_ok "the zh digest names the holds" "$out"
expect_eq "still nothing deleted" "$n_actions" "$(count "" purchase_order,transfer,handling_until)"

# --- the API words the reason (and why it expired) in the request's language
TOK=$(bl token create --role viewer 2>/dev/null)
api_start
req GET "/api/v1/actions?state=expired&kind=handling_until&locale=zh-CN&limit=1" "$TOK"
text=$(jpy 'd["actions"][0]["reason_text"]')
[[ "$STATUS" == 200 && "$text" == *"备货时间 "*"已过期：未在结束日 2024年11月30日 前批准。"* &&
    "$text" != *"From the"* && "$text" != *xpired* ]] && ok "reason_text in Chinese: the hold and why it expired" ||
    not_ok "reason_text in Chinese" "$STATUS $text"
req GET "/api/v1/actions?state=expired&kind=purchase_order&limit=1" "$TOK"
text=$(jpy 'd["actions"][0]["reason_text"]')
[[ "$text" == "From the what-if of rush.csv, plan 1, step "*": order "*" units of "*"Expired: not approved by its order-by day, Nov 16, 2024." ]] &&
    ok "reason_text in English (the default)" || not_ok "reason_text in English" "$text"
[ "$(jpy 'd["actions"][0]["reason"]')" != "$text" ] && ok "reason, the stored sentence, stays as it was" ||
    not_ok "reason kept" "$BODY"
req GET "/api/v1/actions?locale=fr" "$TOK"
expect_status "another locale: 400" 400 invalid
req GET "/api/v1/today?locale=zh-CN" "$TOK"
expect_status "today in Chinese" 200
api_stop
bl_done
