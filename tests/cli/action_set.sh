#!/usr/bin/env bash
# End-to-end: proposed actions decided a set at once (docs/internals/playbook.md "Deciding
# a set"), a transfer refused when its source no longer has the units, and approved
# purchase orders kept through a re-import of the inbound file. On the demo seller with the
# demo's Yiwu lockdown applied (`whatif --mitigate --apply 1`: a handling hold per listing
# shipping from Yiwu) and a rush on top (purchase orders, transfers): `actions approve
# --plan P` approves every proposed action of the plan, one audit row each, all or none:
# a transfer whose source was counted empty since is named with why, and nothing is
# written; a single approval of it is refused too, writing nothing. The API does the same
# under an Idempotency-Key (409 naming the action). Importing the inbound file again, or
# a new one, neither drops nor duplicates the order an approved action placed.
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/whatif.bash"
bl_setup "$1" action_set
trap api_cleanup EXIT
wi_demo_store || { echo "demo store failed"; exit 1; }
F=$SRC/data/demo/whatif-yiwu.csv
W="whatif --as-of 2024-11-15 --assume $F --horizon 14 --mitigate"
audits() { bl --format csv audit 2>/dev/null | grep -c "$1"; }
nprop() { bl --format json actions --state proposed | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

bl $W --apply 1 --json > "$TMP/a.json" 2>/dev/null || not_ok "plan 1 applied"
P1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applied"]["plan_words"])' "$TMP/a.json")
N1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applied"]["added"])' "$TMP/a.json")
expect_eq "the plan named on its actions" "whatif-yiwu.csv as of 2024-11-15, plan 1" "$P1"
out=$(bl $W --apply 1 2>/dev/null)
[[ "$out" == *"Approve them all at once: ballast actions approve --plan 'whatif-yiwu.csv as of 2024-11-15, plan 1'"* ]] &&
    ok "--apply says how to approve them all" || not_ok "--apply says how to approve them all" "$out"

# --- the set, seen before it is decided: the listing takes the same options
seen=$(bl --format json actions --state proposed --plan "$P1" --kind handling_until |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "actions --plan P --kind K lists the set" "$N1" "$seen"
expect_eq "... and another kind of it is empty" 0 \
    "$(bl --format json actions --plan "$P1" --kind transfer | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# --- what a set is: refused clearly, nothing read
expect_fail "no set and no id: usage" 2 "--plan PLAN | --kind KIND" bl actions approve
expect_fail "a set and an id: usage" 2 "usage" bl actions approve 3 --all
expect_fail "a set is not reverted" 2 "usage" bl actions revert --all
expect_fail "an unknown kind" 1 "'nope' is not a kind of action" bl actions approve --kind nope
out=$(bl actions reject --shop shop-999 2>&1)
expect_eq "a shop with nothing proposed: none" "no proposed action is of that set: none rejected" "$out"
expect_eq "... in Chinese" "该范围内没有待批准的操作：未拒绝任何操作" \
    "$(bl actions reject --shop shop-999 --locale zh-CN 2>&1)"

# --- a rush on top: purchase orders and transfers, another plan
cat > "$TMP/rush.csv" <<'CSV'
event,region,scope,kind,starts_at,ends_at,category,change_pct,note
disruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-30,,,rumour
demand,,,,2024-11-16,2024-11-30,Home & Kitchen,+300,panic buying
demand,,,,2024-11-16,2024-11-30,Electronics,+300,panic buying
CSV
bl whatif --as-of 2024-11-15 --assume "$TMP/rush.csv" --horizon 14 --mitigate --apply 1 --json \
    > "$TMP/r.json" 2>"$TMP/r.err" || not_ok "the rush applied" "$(cat "$TMP/r.err")"
read -r PO PO_SKU TR TR_SKU TR_FROM NR < <(python3 - "$TMP/r.json" "$TMP/gen/warehouses.csv" <<'PY'
import csv, json, sys
ap = json.load(open(sys.argv[1]))["applied"]
wh = {r["name"]: r["id"] for r in csv.DictReader(open(sys.argv[2]))}
new = [a for a in ap["actions"] if a["outcome"] == "proposed"]
po = [a for a in new if a["kind"] == "purchase_order"]
tr = [a for a in new if a["kind"] == "transfer"]
frm = [w for n, w in wh.items() if tr and (" from %s to " % n) in tr[0]["reason"]]
print(po[0]["id"] if po else 0, po[0]["sku"] if po else "-", tr[0]["id"] if tr else 0,
      tr[0]["sku"] if tr else "-", frm[0] if frm else "-", len(new))
PY
)
P2="rush.csv as of 2024-11-15, plan 1"
[ "$PO" != 0 ] && [ "$TR" != 0 ] && [ "$TR_FROM" != - ] &&
    ok "the rush: a purchase order and a transfer from $TR_FROM" ||
    not_ok "the rush: a purchase order and a transfer" "$(head -c 600 "$TMP/r.json")"

# --- the transfer's source counted empty since: refused, alone or in the set, nothing written
printf 'warehouse,sku,on_hand,reserved,counted_at\n%s,%s,0,0,2024-12-01T00:00:00Z\n' \
    "$TR_FROM" "$TR_SKU" > "$TMP/count.csv"
bl import stock "$TMP/count.csv" >/dev/null 2>&1 || not_ok "the stock count imported"
before=$(fingerprint)
expect_fail "a transfer whose source no longer has the units is refused" 1 \
    "the warehouse the units leave has fewer than" bl actions approve "$TR"
expect_eq "refused: nothing written" "$before" "$(fingerprint)"
expect_fail "the plan's set: none approved, the transfer named with why" 1 \
    "none of the $NR actions approved: action $TR, a transfer of " bl actions approve --plan "$P2"
expect_fail "... and why" 1 "fewer than" bl actions approve --plan "$P2"
expect_eq "the set refused: nothing written" "$before" "$(fingerprint)"
expect_eq "the set refused: no approval audited" 0 "$(audits action.approve)"

# --- without the transfer, the set goes through: one audit row each
bl actions reject "$TR" --note "the source is empty" >/dev/null 2>&1 || not_ok "reject the transfer"
out=$(bl actions approve --plan "$P2" --note "rush agreed" 2>&1)
expect_eq "the rush's plan approved at once" \
    "$((NR - 1)) proposed actions approved (each applied now, as 'ballast actions approve ID' would)" "$out"
expect_eq "one audit row per action" "$((NR - 1))" "$(audits action.approve)"
expect_eq "the first plan's holds still wait" "$N1" "$(nprop)"

# --- re-importing the inbound file neither drops nor duplicates the approved order
n_in=$(rows inbound)
bl import inbound "$TMP/gen/inbound.csv" >/dev/null 2>&1
expect_eq "the same inbound file again: the approved order kept, once" "$n_in" "$(rows inbound)"
printf 'po,sku,qty,warehouse,supplier,eta\nPO-NEW-1,%s,10,%s,,2024-12-20T00:00:00Z\n' \
    "$PO_SKU" "$TR_FROM" > "$TMP/new.csv"
bl import inbound "$TMP/new.csv" >/dev/null 2>&1 || not_ok "a new inbound file imported"
expect_eq "a new inbound file: one more, the approved order kept" "$((n_in + 1))" "$(rows inbound)"
printf 'po,sku,qty,warehouse,eta\naction-%s,%s,10,%s,2024-12-20T00:00:00Z\n' \
    "$PO" "$PO_SKU" "$TR_FROM" > "$TMP/dup.csv"
expect_fail "a file naming the approved order's line again is refused" 1 "duplicate purchase order line" \
    bl import inbound "$TMP/dup.csv"
expect_eq "... and duplicates nothing" "$((n_in + 1))" "$(rows inbound)"

# --- the API: a second hold on a SKU refuses the set (409, named); by kind it goes through
printf 'event,region,scope,kind,starts_at,ends_at\ndisruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-23\n' \
    > "$TMP/short.csv"
bl whatif --as-of 2024-11-15 --assume "$TMP/short.csv" --horizon 14 --mitigate --apply 1 >/dev/null 2>&1 ||
    not_ok "the shorter lockdown applied"
TOK=$(bl token create --role operator 2>/dev/null)
VIEW=$(bl token create --role viewer 2>/dev/null)
api_start
req POST /api/v1/actions/approve "$VIEW" '{"all": true}'
expect_status "a viewer may not approve a set" 403
req POST /api/v1/actions/approve "$TOK" '{}'
expect_status "no set named: 422" 422 missing
req POST /api/v1/actions/approve "$TOK" '{"all": true, "colour": "red"}'
expect_status "an unknown member: 422" 422 invalid
bl actions approve --plan "$P1" >/dev/null 2>&1 # the first plan's holds
req POST /api/v1/actions/approve "$TOK" '{"all": true}' -H "Idempotency-Key: set-1"
expect_status "all, with a second hold on a held SKU: 409" 409 conflict
[[ "$(jpy 'd["error"]["message"]')" == *"none of the"*"handling time"*"held already by action"* &&
    "$(jpy 'd["error"]["action"]')" =~ ^[0-9]+$ ]] && ok "409 names the action and why" ||
    not_ok "409 names the action and why" "$BODY"
left=$(nprop)
req POST /api/v1/actions/reject "$TOK" '{"plan": "short.csv as of 2024-11-15, plan 1", "note": "shorter one"}' \
    -H "Idempotency-Key: set-2"
expect_status "the shorter plan rejected at once" 200
expect_eq "as many as it proposed" "$left" "$(jpy 'd["rejected"]')"
first=$BODY
req POST /api/v1/actions/reject "$TOK" '{"plan": "short.csv as of 2024-11-15, plan 1", "note": "shorter one"}' \
    -H "Idempotency-Key: set-2"
expect_eq "the same key: the first answer again" "200 same" "$STATUS $([ "$BODY" = "$first" ] && echo same)"
req POST /api/v1/actions/approve "$TOK" '{"all": true}'
expect_eq "nothing left proposed: 0 approved" "200 0" "$STATUS $(jpy 'd["approved"]')"
req GET "/api/v1/actions?state=applied&kind=handling_until&plan=whatif-yiwu.csv%20as%20of%202024-11-15,%20plan%201&limit=500" "$TOK"
expect_eq "GET actions?kind=&plan=: the plan's holds" "$N1" "$(jpy 'len(d["actions"])')"
req GET "/api/v1/actions?state=applied&limit=500" "$TOK"
plan=$(jpy "[a for a in d['actions'] if a['kind'] == 'handling_until'][0].get('plan')")
shop=$(jpy "[a for a in d['actions'] if a['kind'] == 'handling_until'][0].get('shop_name')")
[[ "$plan" == "whatif-yiwu.csv as of 2024-11-15, plan 1" && -n "$shop" && "$shop" != None ]] &&
    ok "an action names its plan and its shop" || not_ok "an action names its plan and its shop" "$BODY"
api_stop

bl_done
