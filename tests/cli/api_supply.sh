#!/usr/bin/env bash
# End-to-end: the supply side of the HTTP API (issue 16): the catalogue, stock,
# forecasts, plans, alerts, the playbook's actions (approve, reject, their 409s), protection
# windows, channels, calendars, quotes, routes and listing promises. Each answer is
# compared with what the CLI's --format json says for the same question; lists are walked
# a page at a time; another organisation's ids answer 404; POSTs take an Idempotency-Key.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_supply
api_fixture

# The supply data of tests/cli/plan.sh beside the fixture's shops and orders: A healthy;
# B nothing sellable, a PO in 10 days; C price review passed, no stock; D stock only in
# locked-down Guangdong. shop-m is merchant-fulfilled: the playbook proposes its vacation.
D="$TMP/in"
mkdir -p "$D"
cat >"$D/shops.csv" <<'CSV'
id,platform,currency,fulfilment,tz,ship_from
shop-m,amazon,USD,merchant,Asia/Shanghai,CN-ZJ
shop-f,amazon,USD,platform,UTC,CN-GD
CSV
cat >"$D/skus.csv" <<'CSV'
id,name,weight_g,price,currency,handling_min,handling_max,listing,promoted,price_review
A,Phone stand,300,12.50,USD,1,3,active,1,none
B,USB hub,200,25,USD,1,3,active,1,none
C,Desk mat,800,,,1,3,active,0,passed
D,Cable tidy,100,3.99,USD,1,3,active,0,none
CSV
cat >"$D/warehouses.csv" <<'CSV'
id,region
wh-us,US-CA
wh-gd,CN-GD
CSV
cat >"$D/suppliers.csv" <<'CSV'
id,region,lead_days,lead_days_max,moq,case_pack,state,backup_for
sup-a,CN-ZJ,10,10,100,50,active,
sup-d,CN-GD,10,10,1,1,shutdown,
sup-d2,VN,7,7,1,1,active,sup-d
CSV
cat >"$D/stock.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
wh-us,A,1000,0,2025-01-01T00:00:00Z
wh-gd,A,40,2,2025-01-01T00:00:00Z
wh-us,B,5,5,2025-01-01T00:00:00Z
wh-gd,D,100,0,2025-01-01T00:00:00Z
CSV
cat >"$D/inbound.csv" <<'CSV'
po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state
PO-0,A,100,wh-us,sup-a,2024-11-01T00:00:00Z,2024-11-11T00:00:00Z,2024-11-11T00:00:00Z,received
PO-2,B,300,wh-us,sup-a,2024-12-20T00:00:00Z,2025-01-11T00:00:00Z,,open
PO-3,D,50,wh-gd,sup-d,2024-12-01T00:00:00Z,2024-12-11T00:00:00Z,2024-12-11T00:00:00Z,received
CSV
cat >"$D/disruptions.csv" <<'CSV'
id,region,scope,kind,starts_at,ends_at,supplier,note
dis-1,CN-GD,origin,lockdown,2024-12-25T00:00:00Z,2025-01-11T00:00:00Z,,Guangdong lockdown
dis-2,CN-GD,origin,supplier_shutdown,2024-12-20T00:00:00Z,2025-01-21T00:00:00Z,sup-d,factory closed
CSV
awk 'BEGIN {
    print "sku,date,units,shop"
    for (i = 0; i < 90; i++) {
        d = strftime("%Y-%m-%d", 1735689600 - (90 - i) * 86400, 1)
        print "A," d "," (8 + i % 5) ",shop-f"; print "B," d ",10,shop-m"; print "D," d ",10,shop-f"
    }
}' >"$D/sales.csv"
for k in shops skus warehouses suppliers stock inbound disruptions sales; do
    bl import "$k" "$D/$k.csv" >/dev/null 2>&1 || { not_ok "import $k" "$(bl import "$k" "$D/$k.csv" 2>&1)"; }
done
bl channels import "$SRC/data/demo/channels.csv" >/dev/null 2>&1 || not_ok "import channels"
bl calendars import "$SRC/data/calendars.csv" >/dev/null 2>&1 || not_ok "import calendars"
bl calendars import "$SRC/data/demo/calendars.csv" >/dev/null 2>&1 || not_ok "import demo calendars"
AS_OF=2025-01-01T00:00:00Z
# q SQL: one value from the store, through the backend's own client.
q() {
    if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" "$1"; else psql -qtAX "$DB" -c "$1"; fi
}
bl playbook --as-of "$AS_OF" --apply >/dev/null 2>&1 || not_ok "playbook --apply"
api_start

# pages PATH KEY TOKEN FILE: every item of KEY over every page of PATH (limit 2) into FILE.
pages() {
    local path=$1 key=$2 tok=$3 out=$4 cursor="" n=0 sep='?'
    [[ "$path" == *\?* ]] && sep='&'
    echo '[]' >"$out"
    while :; do
        req GET "$path${sep}limit=2${cursor:+&cursor=$cursor}" "$tok"
        [ "$STATUS" = 200 ] || { not_ok "$path: a page" "$STATUS $BODY"; return; }
        printf '%s' "$BODY" | python3 -c 'import json,sys
a=json.load(open(sys.argv[1])); a+=json.load(sys.stdin)[sys.argv[2]]; json.dump(a,open(sys.argv[1],"w"))' "$out" "$key"
        cursor=$(jpy 'd["next_cursor"] or ""')
        n=$((n + 1))
        [ -z "$cursor" ] || [ $n -gt 50 ] && break
    done
    PAGES=$n
}

# same NAME CLI_JSON_FILE API_JSON_FILE CLI_EXPR API_EXPR: the CLI's rows and the API's
# items, each mapped by a Python expression over one of them (r), are the same lists.
same() {
    local out
    out=$(python3 - "$2" "$3" "$4" "$5" <<'PY'
import json, sys
c, a = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
l = [eval(sys.argv[3], {"r": r}) for r in c]
m = [eval(sys.argv[4], {"r": r}) for r in a]
print("same" if l == m and l else "cli: %r\napi: %r" % (l, m))
PY
)
    [ "$out" = same ] && ok "$1" || not_ok "$1" "$out"
}
body_to() { printf '%s' "$BODY" | python3 -c 'import json,sys; json.dump(json.load(sys.stdin)[sys.argv[1]], open(sys.argv[2],"w"))' "$1" "$2"; }

# --- the catalogue and the stock
bl --format json skus >"$TMP/cli.json"
pages /api/v1/skus skus "$TOK_viewer" "$TMP/api.json"
same "skus: every SKU once over $PAGES pages, as 'skus' says" "$TMP/cli.json" "$TMP/api.json" \
    '(r["sku"], r["name"], r["price"], r["currency"], r["listing"], r["promoted"] == 1, r["handling_max"])' \
    '(r["sku"], r["name"], r["price"] and r["price"]["amount"], r["price"] and r["price"]["currency"], r["listing"], r["promoted"], r["handling_max"])'
req GET "/api/v1/skus?listing=gone" "$TOK_viewer"
expect_status "skus: an unknown listing state is 400" 400 invalid
bl --format json stock >"$TMP/cli.json"
pages /api/v1/stock stock "$TOK_viewer" "$TMP/api.json"
same "stock: every row once, as 'stock' says" "$TMP/cli.json" "$TMP/api.json" \
    '(r["sku"], r["warehouse"], r["on_hand"], r["reserved"], r["available"], r["counted_at"])' \
    '(r["sku"], r["warehouse"], r["on_hand"], r["reserved"], r["available"], r["counted_at"])'
req GET "/api/v1/stock?sku=A" "$TOK_viewer"
expect_eq "stock?sku=A: per warehouse" "wh-us:1000 wh-gd:38" \
    "$(jpy '" ".join("%s:%d" % (r["warehouse"], r["available"]) for r in d["stock"])')"
req GET "/api/v1/stock?sku=nope" "$TOK_viewer"
expect_status "stock: an unknown SKU is 404" 404 not_found
req GET "/api/v1/stock?sku=A&cursor=AAAA" "$TOK_viewer"
expect_status "stock: a cursor it did not give is 400" 400 invalid

# --- forecasts, plans, alerts
bl --format json forecast --sku A --as-of 2024-12-31 --horizon 5 >"$TMP/cli.json"
req GET "/api/v1/forecasts?sku=A&as_of=2024-12-31&horizon_days=5" "$TOK_viewer"
printf '%s' "$BODY" | python3 -c 'import json,sys; f=json.load(sys.stdin)["forecast"]
json.dump([dict(day, sku=s["sku"], model=s["model"]) for s in f for day in s["days"]], open(sys.argv[1],"w"))' "$TMP/api.json"
same "forecasts: A's days as 'forecast --sku A' says" "$TMP/cli.json" "$TMP/api.json" \
    '(r["sku"], r["date"], r["p50"], r["p90"], r["model"])' '(r["sku"], r["date"], r["p50"], r["p90"], r["model"])'
bl --format json forecast --as-of 2024-12-31 --horizon 3 >"$TMP/cli.json"
pages "/api/v1/forecasts?as_of=2024-12-31&horizon_days=3" forecast "$TOK_viewer" "$TMP/api.json"
python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))
json.dump([dict(day, sku=s["sku"], model=s["model"]) for s in f for day in s["days"]], open(sys.argv[1],"w"))' "$TMP/api.json"
same "forecasts: every SKU over $PAGES pages (each page forecasts its own), as 'forecast' says" \
    "$TMP/cli.json" "$TMP/api.json" '(r["sku"], r["date"], r["p50"], r["p95"], r["model"])' \
    '(r["sku"], r["date"], r["p50"], r["p95"], r["model"])'
req GET "/api/v1/forecasts?sku=nope" "$TOK_viewer"
expect_status "forecasts: a SKU without sales is 404" 404 not_found
req GET "/api/v1/forecasts?model=magic" "$TOK_viewer"
expect_status "forecasts: an unknown model is 400" 400 invalid

bl --format json plan --as-of "$AS_OF" --no-save >"$TMP/cli.json"
pages "/api/v1/plans?as_of=$AS_OF" plan "$TOK_viewer" "$TMP/api.json"
same "plans: every SKU as 'plan' says (order-by, quantity, runway, supplier, alerts)" \
    "$TMP/cli.json" "$TMP/api.json" \
    '(r["sku"], r["available"], r["inbound"], float(r["daily"]), r["cover_days"] and float(r["cover_days"]), r["stockout"], r["reorder_point"], r["order_qty"], r["order_by"], r["supplier"], r["alerts"].split())' \
    '(r["sku"], r["available"], r["inbound"], r["daily"], r["cover_days"], r["stockout"], r["reorder_point"], r["order_qty"], r["order_by"], r["supplier"], r["alerts"])'
req GET "/api/v1/plans?as_of=$AS_OF&sku=D" "$TOK_viewer"
expect_eq "plans?sku=D: the backup supplier, before the stock-out" "sup-d2 270 2025-01-01 2025-01-11" \
    "$(jpy '" ".join(str(d["plan"][0][k]) for k in ("supplier", "order_qty", "order_by", "stockout"))')"
expect_eq "plans: the day planned for" 2025-01-01 "$(jpy 'd["as_of"]')"
req GET "/api/v1/plans?as_of=$AS_OF&sku=nope" "$TOK_viewer"
expect_status "plans: an unknown SKU is 404" 404 not_found
expect_eq "plans are computed, not stored" 0 "$(bl --format csv stats | awk -F, '$1 == "plan_line" { print $2 }')"

bl --format json alerts --as-of "$AS_OF" >"$TMP/cli.json" 2>/dev/null
pages "/api/v1/alerts?as_of=$AS_OF" alerts "$TOK_viewer" "$TMP/api.json"
same "alerts: as 'alerts' says, with their sentences" "$TMP/cli.json" "$TMP/api.json" \
    '(r["sku"], r["kind"], r["value"], r["message"])' '(r["sku"], r["kind"], r["value"], r["message"])'

# --- actions: the list, approve, reject
bl --format json actions >"$TMP/cli.json"
pages /api/v1/actions actions "$TOK_viewer" "$TMP/api.json"
same "actions: as 'actions' says (reason, what undoes it)" "$TMP/cli.json" "$TMP/api.json" \
    '(r["id"], r["kind"], r["target"], r["before"], r["after"], r["state"], r["reason"], r["reverted_when"])' \
    '(r["id"], r["kind"], r["target"], r["before"], r["after"], r["state"], r["reason"], r["reverted_when"])'
delist=$(bl --format csv actions --state proposed | awk -F, '$2 == "delist" && $3 == "C" { print $1 }')
vac=$(bl --format csv actions --state proposed | awk -F, '$2 == "vacation" && $3 == "shop-m" { print $1 }')
[ -n "$delist" ] && [ -n "$vac" ] && ok "the playbook proposed a delist ($delist) and a vacation ($vac)" ||
    not_ok "proposed actions" "$(bl actions)"
req GET "/api/v1/actions?state=proposed" "$TOK_viewer"
expect_eq "actions?state=proposed" "$(bl --format csv actions --state proposed | tail -n +2 | cut -d, -f1 | tr '\n' ' ')" \
    "$(jpy '"".join(str(r["id"]) + " " for r in d["actions"])')"

req POST "/api/v1/actions/$delist/approve" "$TOK_rival" '{}'
expect_status "approve another organisation's action: 404" 404 not_found
req POST "/api/v1/actions/$delist/approve" "$TOK_operator" '{"note": 5}'
expect_status "approve: a note that is not text is 422" 422 invalid
req POST "/api/v1/actions/$delist/approve" "$TOK_operator" '{"colour": "red"}'
expect_status "approve: an unknown member is 422" 422 invalid
expect_eq "... and nothing changed" proposed "$(bl --format csv actions --state proposed | awk -F, -v i="$delist" '$1 == i { print $7 }')"
req POST "/api/v1/actions/$delist/approve" "$TOK_operator" '{"note": "agreed with sales"}'
expect_status "approve: 200" 200
expect_eq "approve: applied, by the token, with the note" "applied|API token 'ops desk'|agreed with sales" \
    "$(jpy '"|".join((d["state"], d["decided_by"], d["decision_note"]))')"
expect_eq "approve: the change is made (C delisted)" delisted "$(bl --format csv skus | awk -F, '$1 == "C" { print $12 }')"
req POST "/api/v1/actions/$delist/approve" "$TOK_operator" '{}'
expect_status "approve twice: 409" 409 conflict
[[ "$BODY" == *"it is applied (since "* ]] && ok "... saying it is applied, since when" || not_ok "409 says why" "$BODY"
req POST "/api/v1/actions/999/approve" "$TOK_operator" '{}'
expect_status "approve an id that does not exist: 404" 404 not_found
req POST "/api/v1/actions/x/approve" "$TOK_operator" '{}'
expect_status "approve a malformed id: 404" 404 not_found

req POST "/api/v1/actions/$vac/reject" "$TOK_operator" '{}' -H 'Idempotency-Key: no-vacation'
expect_status "reject (with an Idempotency-Key): 200" 200
first=$BODY
expect_eq "reject: rejected" rejected "$(jpy 'd["state"]')"
expect_eq "... and the shop stays open" 0 "$(q "SELECT vacation FROM shop WHERE ext_id = 'shop-m'")"
req POST "/api/v1/actions/$vac/reject" "$TOK_operator" '{}' -H 'Idempotency-Key: no-vacation'
expect_status "reject retried with its key: the first answer again" 200
expect_eq "... the same answer" "$first" "$BODY"
req POST "/api/v1/actions/$delist/reject" "$TOK_operator" '{}' -H 'Idempotency-Key: no-vacation'
expect_status "the same key for another action: 422, not that answer" 422 idempotency_key_reused
req POST "/api/v1/actions/$vac/reject" "$TOK_operator" '{}'
expect_status "reject twice without a key: 409" 409 conflict
req POST "/api/v1/actions/$vac/approve" "$TOK_operator" '{}'
expect_status "approve a rejected action: 409" 409 conflict
expect_eq "the CLI shows the decisions" "applied,API token 'ops desk',agreed with sales rejected,API token 'ops desk', " \
    "$(bl --format csv actions | awk -F, -v a="$delist" -v b="$vac" '$1 == a || $1 == b { printf "%s,%s,%s ", $7, $(NF-2), $NF }')"
bl playbook --as-of 2025-01-02T00:00:00Z --apply >/dev/null 2>&1
expect_eq "the next day's playbook does not propose the rejected vacation again" 1 \
    "$(bl --format csv actions | awk -F, '$2 == "vacation"' | wc -l)"
expect_fail "CLI: reject twice" 1 "no proposed action $vac to reject: it is rejected" bl actions reject "$vac"

# --- protections
req POST /api/v1/protections "$TOK_operator" '{}'
expect_status "protections: {} is refused" 422 missing
req POST /api/v1/protections "$TOK_operator" '{"shop": "r1", "from": "2024-10-01", "to": "2024-10-08", "reason": "appeal"}'
expect_status "protections: another organisation's shop is 404" 404 not_found
req POST /api/v1/protections "$TOK_operator" '{"shop": "s1", "from": "2024-10-08", "to": "2024-10-01", "reason": "appeal"}'
expect_status "protections: an end before the start is 422" 422 invalid
grant='{"shop": "s1", "from": "2024-10-01", "to": "2024-10-08", "reason": "approved appeal"}'
req POST /api/v1/protections "$TOK_operator" "$grant" -H 'Idempotency-Key: appeal-7'
expect_status "protections: granted, 201" 201
expect_eq "local dates in the shop's zone (Asia/Shanghai)" "2024-09-30T16:00:00Z 2024-10-07T16:00:00Z" \
    "$(jpy 'd["starts_at"] + " " + d["ends_at"]')"
pid=$(jpy 'd["id"]')
req POST /api/v1/protections "$TOK_operator" "$grant" -H 'Idempotency-Key: appeal-7'
expect_eq "protections: retried with its key, granted once" "201 $pid" "$STATUS $(jpy 'd["id"]')"
bl --format json protect list >"$TMP/cli.json"
pages /api/v1/protections protections "$TOK_viewer" "$TMP/api.json"
same "protections: as 'protect list' says" "$TMP/cli.json" "$TMP/api.json" \
    '(r["id"], r["shop"], r["starts_at"], r["ends_at"], r["reason"])' '(r["id"], r["shop"], r["starts_at"], r["ends_at"], r["reason"])'
req GET "/api/v1/protections?shop=r1" "$TOK_viewer"
expect_status "protections?shop= of another organisation: 404" 404 not_found
req GET /api/v1/protections "$TOK_rival"
expect_eq "protections: only the caller's" 0 "$(jpy 'len(d["protections"])')"

# --- channels, calendars, quotes
bl --format json channels list >"$TMP/cli.json"
req GET /api/v1/channels "$TOK_viewer"
body_to channels "$TMP/api.json"
same "channels: as 'channels list' says" "$TMP/cli.json" "$TMP/api.json" \
    '(r["channel"], r["carrier"], r["tier"], r["lanes"], r["bands"], r["transit"], r["cutoff"], r["calendar"], r["sla_days"])' \
    '(r["channel"], r["carrier"], r["tier"], r["lanes"], r["bands"], r["transit"], r["cutoff"], r["calendar"], r["sla_days"])'
bl --format json calendars list >"$TMP/cli.json"
req GET /api/v1/calendars "$TOK_viewer"
body_to calendars "$TMP/api.json"
same "calendars: as 'calendars list' says" "$TMP/cli.json" "$TMP/api.json" \
    '(r["calendar"], r["weekend"], r["closures"], r["first"], r["last"])' '(r["calendar"], r["weekend"], r["closures"], r["first"], r["last"])'
Q="from=CN-GD&to=US-CA&weight_g=1200&ship_at=2024-11-15T00:00:00Z&by=2024-12-01"
bl --format json quote --from CN-GD --to US-CA --weight 1.2 --ship-at 2024-11-15T00:00:00Z --by 2024-12-01 >"$TMP/cli.json"
req GET "/api/v1/quotes?$Q" "$TOK_viewer"
body_to quote "$TMP/api.json"
same "quotes: as 'quote' says (price, window, whether it meets the date, status)" "$TMP/cli.json" "$TMP/api.json" \
    '(r["channel"], r["price"], r["currency"], r["earliest"], r["latest"], r["meets_by"] == "yes", r["status"])' \
    '(r["channel"], r["price"]["amount"], r["price"]["currency"], r["earliest"], r["latest"], r["meets_by"], r["status_text"])'
req GET "/api/v1/quotes?from=CN-GD&to=US-CA" "$TOK_viewer"
expect_status "quotes: without a weight, 400" 400 missing
req GET "/api/v1/quotes?from=Atlantis&to=US-CA&weight_g=5" "$TOK_viewer"
expect_status "quotes: a region that is not one, 400" 400 invalid

# --- routes and promises
R=2024-03-06T00:00:00Z
bl --format json route --as-of "$R" >"$TMP/cli.json"
pages "/api/v1/routes?as_of=$R" route "$TOK_viewer" "$TMP/api.json"
same "routes: every open order once, as 'route' says" "$TMP/cli.json" "$TMP/api.json" \
    '(r["order"], r["shop"], r["channel"], r["price"], r["earliest"], r["latest"], r["promised"], r["meets_promise"] == "yes", r["note"])' \
    '(r["order"], r["shop"], r["channel"], r["price"] and r["price"]["amount"], r["earliest"], r["latest"], r["promised"], r["meets_promise"], r["note"])'
bl --format json route --as-of "$R" --shop s2 >"$TMP/cli.json"
req GET "/api/v1/routes?as_of=$R&shop=s2" "$TOK_viewer"
body_to route "$TMP/api.json"
same "routes?shop=s2: as 'route --shop s2' says" "$TMP/cli.json" "$TMP/api.json" '(r["order"], r["channel"])' '(r["order"], r["channel"])'
req GET "/api/v1/routes?shop=r1" "$TOK_viewer"
expect_status "routes?shop= of another organisation: 404" 404 not_found
req GET "/api/v1/plans?as_of=$AS_OF&limit=1" "$TOK_viewer"
req GET "/api/v1/routes?as_of=$R&cursor=$(jpy 'd["next_cursor"]')" "$TOK_viewer"
expect_status "routes: the plans' cursor is refused" 400 invalid

bl --format json promise --sku k1 --to US --shop s1 --as-of 2024-03-06T00:00:00Z >"$TMP/cli.json"
req GET "/api/v1/promises?sku=k1&dest=US&shop=s1&as_of=2024-03-06T00:00:00Z" "$TOK_viewer"
body_to promise "$TMP/api.json"
same "promises: as 'promise' says (window, channel, note)" "$TMP/cli.json" "$TMP/api.json" \
    '(r["sku"], r["from"], r["to"], r["window"], r["min_days"], r["max_days"], r["channel"], r["note"])' \
    '(r["sku"], r["from"], r["to"], r["window"], r["min_days"], r["max_days"], r["channel"], r["note"])'
req GET "/api/v1/promises?sku=nope&shop=s1" "$TOK_viewer"
expect_status "promises: an unknown SKU is 404" 404 not_found
req GET "/api/v1/promises?shop=r1" "$TOK_viewer"
expect_status "promises: another organisation's shop is 404" 404 not_found

api_stop
expect_eq "SIGTERM: the server stops cleanly" 0 "$API_RC"
bl_done
