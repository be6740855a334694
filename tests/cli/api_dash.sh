#!/usr/bin/env bash
# End-to-end: the routes the dashboard's pages needed (issue 17). A person reverts an
# applied playbook action (POST /api/v1/actions/{id}/revert: the field goes back, the
# playbook does not make the change again while its condition holds, 409 twice, 404 for
# another organisation's, a viewer may not); a shop's rules day by day
# (GET /api/v1/assessments/{shop}/trend: the last day is the assessment of that instant,
# exempt orders counted apart); one SKU's daily sales (GET /api/v1/sales: the imported
# rows, summed over shops, days without sales 0, out-of-stock days flagged).
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_dash
api_fixture

D="$TMP/in"
mkdir -p "$D"
# B: nothing sellable (5 on hand, 5 reserved), promoted, a PO in 10 days: the playbook
# marks it out of stock and pauses its promotion and mail (applied at once).
cat >"$D/shops.csv" <<'CSV'
id,platform,currency,fulfilment,tz,ship_from
shop-f,amazon,USD,platform,UTC,CN-GD
shop-g,amazon,USD,platform,UTC,CN-GD
CSV
cat >"$D/skus.csv" <<'CSV'
id,name,weight_g,price,currency,handling_min,handling_max,listing,promoted,price_review
A,Phone stand,300,12.50,USD,1,3,active,1,none
B,USB hub,200,25,USD,1,3,active,1,none
CSV
cat >"$D/warehouses.csv" <<'CSV'
id,region
wh-us,US-CA
CSV
cat >"$D/suppliers.csv" <<'CSV'
id,region,lead_days,lead_days_max,moq,case_pack,state,backup_for
sup-a,CN-ZJ,10,10,100,50,active,
CSV
cat >"$D/stock.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
wh-us,A,1000,0,2025-01-01T00:00:00Z
wh-us,B,5,5,2025-01-01T00:00:00Z
CSV
cat >"$D/inbound.csv" <<'CSV'
po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state
PO-2,B,300,wh-us,sup-a,2024-12-20T00:00:00Z,2025-01-11T00:00:00Z,,open
CSV
# A sells in two shops (summed per day); B was out of stock on 2024-12-30 in shop-f.
awk 'BEGIN {
    print "sku,date,units,shop,in_stock"
    for (i = 0; i < 60; i++) {
        d = strftime("%Y-%m-%d", 1735689600 - (60 - i) * 86400, 1)
        print "A," d "," (8 + i % 5) ",shop-f,1"
        if (i % 2 == 0) print "A," d ",3,shop-g,1"
        print "B," d "," (d == "2024-12-30" ? 0 : 10) ",shop-f," (d == "2024-12-30" ? 0 : 1)
    }
}' >"$D/sales.csv"
for k in shops skus warehouses suppliers stock inbound sales; do
    bl import "$k" "$D/$k.csv" >/dev/null 2>&1 || not_ok "import $k" "$(bl import "$k" "$D/$k.csv" 2>&1)"
done
# s1 ships from CN-GD: a lockdown there from 2024-03-04 exempts o5 (ship-by 2024-03-07,
# never shipped) from the on-time rule of a profile that exempts by itself (kuaishou;
# Amazon's needs an appeal).
bl disruption add --region CN-GD --scope origin --kind lockdown --from 2024-03-04T00:00:00Z \
    --to 2024-03-20T00:00:00Z >/dev/null 2>&1 || not_ok "the lockdown" "$(bl disruption list 2>&1)"
AS_OF=2025-01-01T00:00:00Z
bl playbook --as-of "$AS_OF" --apply >/dev/null 2>&1 || not_ok "playbook --apply"
q() {
    if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" "$1"; else psql -qtAX "$DB" -c "$1"; fi
}
api_start

# --- revert an applied action
req GET "/api/v1/actions?sku=B&state=applied" "$TOK_viewer"
pause=$(jpy '[a["id"] for a in d["actions"] if a["kind"] == "pause_promotion"][0]')
[ -n "$pause" ] && ok "the playbook paused B's promotion" || not_ok "a pause_promotion" "$BODY"
expect_eq "B is not promoted while the action is applied" 0 "$(q "SELECT promoted FROM sku WHERE ext_id = 'B'")"
req POST "/api/v1/actions/$pause/revert" "$TOK_viewer" '{}'
expect_status "a viewer may not revert" 403 forbidden
req POST "/api/v1/actions/$pause/revert" "$TOK_rival" '{}'
expect_status "another organisation's action: 404" 404 not_found
req POST "/api/v1/actions/999999/revert" "$TOK_operator" '{}'
expect_status "no such action: 404" 404 not_found
req POST "/api/v1/actions/$pause/revert" "$TOK_operator" '{"note": 7}'
expect_status "a note that is not text: 422" 422 invalid
req POST "/api/v1/actions/$pause/revert" "$TOK_operator" '{"note": "promotion stays"}' \
    -H 'Idempotency-Key: revert-1'
expect_status "revert: 200" 200
expect_eq "... the action is undone, by whom and why" "undone|API token 'ops desk'|promotion stays|1" \
    "$(jpy '"|".join([d["state"], d["decided_by"], d["decision_note"], d["before"]])')"
expect_eq "... with the SKU's name and the numbers behind the reason" "USB hub 0 2025-01-11" \
    "$(jpy '" ".join([d["target_name"], str(d["data"]["available"]), d["data"]["restock"]])')"
expect_eq "... B is promoted again" 1 "$(q "SELECT promoted FROM sku WHERE ext_id = 'B'")"
req POST "/api/v1/actions/$pause/revert" "$TOK_operator" '{"note": "promotion stays"}' \
    -H 'Idempotency-Key: revert-1'
expect_status "the same key again replays the answer" 200
req POST "/api/v1/actions/$pause/revert" "$TOK_operator" '{}'
expect_status "reverting twice: 409" 409 conflict
expect_eq "... saying what it is" 1 "$(jpy 'int("it is undone" in d["error"]["message"])')"
req GET "/api/v1/actions?state=proposed" "$TOK_viewer"
prop=$(jpy '(d["actions"] or [{"id": 0}])[0]["id"]')
if [ "$prop" != 0 ]; then
    req POST "/api/v1/actions/$prop/revert" "$TOK_operator" '{}'
    expect_status "a proposed action cannot be reverted: 409" 409 conflict
fi
bl playbook --as-of 2025-01-02T00:00:00Z --apply >/dev/null 2>&1 || not_ok "the next day's playbook"
expect_eq "the next day's playbook leaves B promoted" 1 "$(q "SELECT promoted FROM sku WHERE ext_id = 'B'")"
req GET "/api/v1/actions?sku=B" "$TOK_viewer"
expect_eq "... and proposes no new pause" 1 \
    "$(jpy 'sum(1 for a in d["actions"] if a["kind"] == "pause_promotion")')"
expect_eq "the audit log has the revert" 1 \
    "$(bl audit --action action.revert 2>/dev/null | grep -c "action $pause ")"
out=$(bl actions revert "$pause" 2>&1)
expect_eq "the CLI says the same as the API" 1 "$(grep -c 'it is undone' <<<"$out")"
req GET "/api/v1/actions?sku=B&state=applied" "$TOK_viewer"
mail=$(jpy '[a["id"] for a in d["actions"] if a["kind"] == "pause_mail"][0]')
out=$(bl actions revert "$mail" --note "mail goes on" 2>&1)
expect_eq "ballast actions revert" "action $mail reverted: its field is back to the value before it, and the playbook leaves it so while its condition holds" "$out"

req GET "/api/v1/plans?as_of=$AS_OF&sku=B" "$TOK_viewer"
expect_eq "a plan names its supplier" "sup-a" "$(jpy 'd["plan"][0]["supplier"]')"
expect_eq "... and gives the supplier's name" 1 "$(jpy 'int(bool(d["plan"][0].get("supplier_name")))')"

# --- a shop's rules day by day
req GET "/api/v1/assessments/s1/trend?as_of=2024-03-10&days=10" "$TOK_viewer"
expect_status "trend: 200" 200
printf '%s' "$BODY" >"$TMP/trend.json"
expect_eq "ten days, oldest first, each ending at midnight UTC" \
    "10 2024-03-01 2024-03-10 2024-03-11T00:00:00Z" \
    "$(jpy '" ".join([str(len(d["days"])), d["days"][0]["date"], d["days"][-1]["date"], d["days"][-1]["as_of"]])')"
expect_eq "the profile's rules with their targets" "amazon late_shipment_rate 0.04" \
    "$(jpy '" ".join([d["profile"], d["rules"][0]["metric"], str(d["rules"][0]["target"])])')"
req GET "/api/v1/assessments?shop=s1&as_of=2024-03-10" "$TOK_viewer"
printf '%s' "$BODY" >"$TMP/assess.json"
same=$(python3 - "$TMP/trend.json" "$TMP/assess.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); a = json.load(open(sys.argv[2]))["shops"][0]
last = t["days"][-1]
bad = [r["metric"] for r, x in zip(a["rules"], last["rules"])
       if (r["value"], r["counted"], r["exempt"], r["status"]) != (x["value"], x["counted"], x["exempt"], x["status"])]
print("same" if not bad and len(a["rules"]) == len(last["rules"]) else bad)
PY
)
expect_eq "the last day is the assessment of that instant" same "$same"
req GET "/api/v1/assessments/s1/trend?as_of=2024-03-10&days=10&profile=kuaishou" "$TOK_viewer"
printf '%s' "$BODY" >"$TMP/trend.json"
expect_eq "o5 is exempt from on-time shipment once its ship-by has passed, not before" "0 1" \
    "$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
by = {d["date"]: d["rules"][0] for d in t["days"]}
print(by["2024-03-06"]["exempt"], by["2024-03-08"]["exempt"])' "$TMP/trend.json")"
req GET "/api/v1/assessments/s1/trend" "$TOK_viewer"
expect_eq "90 days by default" 90 "$(jpy 'len(d["days"])')"
req GET "/api/v1/assessments/s1/trend?days=0" "$TOK_viewer"
expect_status "days=0: 400" 400 invalid
req GET "/api/v1/assessments/s1/trend?days=366" "$TOK_viewer"
expect_status "days=366: 400" 400 invalid
req GET "/api/v1/assessments/nope/trend" "$TOK_viewer"
expect_status "an unknown shop: 404" 404 not_found
req GET "/api/v1/assessments/r1/trend" "$TOK_viewer"
expect_status "another organisation's shop: 404" 404 not_found

# --- one SKU's daily sales
req GET "/api/v1/sales?sku=A&as_of=2024-12-31&days=7" "$TOK_viewer"
expect_status "sales: 200" 200
want=$(awk -F, '$1 == "A" && $2 >= "2024-12-25" && $2 <= "2024-12-31" { u[$2] += $3 }
    END { for (k in u) print k ":" u[k] }' "$D/sales.csv" | sort | tr '\n' ' ')
expect_eq "the imported rows summed over the shops, day by day" "$want" \
    "$(jpy '"".join("%s:%d " % (x["date"], x["units"]) for x in d["days"])')"
expect_eq "from, to, total" "2024-12-25 2024-12-31 $(awk -F, '$1 == "A" && $2 >= "2024-12-25" && $2 <= "2024-12-31" { s += $3 } END { print s }' "$D/sales.csv")" \
    "$(jpy '" ".join([d["from"], d["to"], str(d["total"])])')"
req GET "/api/v1/sales?sku=B&as_of=2024-12-31&days=3" "$TOK_viewer"
expect_eq "an out-of-stock day is flagged" "False True False 1" \
    "$(jpy '" ".join([str(x["out_of_stock"]) for x in d["days"]] + [str(d["days_out_of_stock"])])')"
req GET "/api/v1/sales?sku=A&as_of=2025-01-05&days=6" "$TOK_viewer"
expect_eq "days after the history are 0" "12 0 0 0 0 0" "$(jpy '" ".join(str(x["units"]) for x in d["days"])')"
req GET "/api/v1/sales?sku=A" "$TOK_viewer"
expect_eq "90 days up to today by default" 90 "$(jpy 'len(d["days"])')"
req GET "/api/v1/sales" "$TOK_viewer"
expect_status "no sku: 400" 400 missing
req GET "/api/v1/sales?sku=nope" "$TOK_viewer"
expect_status "an unknown SKU: 404" 404 not_found
req GET "/api/v1/sales?sku=A&days=731" "$TOK_viewer"
expect_status "days=731: 400" 400 invalid
req GET "/api/v1/sales?sku=A&as_of=2024-12-31&days=7" "$TOK_rival"
expect_status "another organisation has no SKU A: 404" 404 not_found

# --- logistics: the countries a channel serves; windows against real deliveries
bl channels import "$SRC/data/demo/channels.csv" >/dev/null 2>&1 || not_ok "import channels"
req GET /api/v1/channels "$TOK_viewer"
expect_eq "a channel names the countries it serves, once each, in its rates' order" "US,GB,DE,FR" \
    "$(jpy '",".join(next(c["to"] for c in d["channels"] if c["channel"] == "4px-line"))')"
req GET /api/v1/windows "$TOK_viewer"
expect_status "windows: 200" 200
expect_eq "... every destination, and the total" "True all" \
    "$(jpy 'str(isinstance(d["windows"], list)) + " " + (d["total"] or {"to": "all"})["to"]')"
req GET "/api/v1/windows?from=not-a-place" "$TOK_viewer"
expect_status "windows: a bad region is 400" 400 invalid
req GET "/api/v1/windows?channel=NOPE" "$TOK_viewer"
expect_status "windows: an unknown channel is 404" 404 not_found

bl_done
