#!/usr/bin/env bash
# End-to-end: outgoing webhooks (issue 16). Subscribers are added with a signing secret
# shown once and kept sealed; the events of the day (stock alerts, playbook actions, a
# shop moved to at-risk, messages waiting for approval, a disruption declared) reach a
# receiver (tests/lib/event_recv.py) that checks each signature and records event ids;
# a private address is refused unless allowed; a receiver that fails twice gets the
# event on the third attempt; a server stopped mid-retry delivers after its restart; a
# wrong secret is detected; a delivery that keeps failing is marked failed (webhook list,
# /metrics); an event cannot be stored without its change, nor a change without its event;
# a day run again after retention removed its events raises none of them again.
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/messages.bash"
bl_setup "$1" webhooks
export BALLAST_SECRET_KEY_FILE="$TMP/keys/secret.key"
RPIDS=""
trap 'stop $RPIDS; api_cleanup' EXIT

# recv NAME SECRET [--fail N]: a receiver in $TMP/NAME on a free port (its URL in RURL).
recv() {
    local name=$1 secret=$2 port
    shift 2
    mkdir -p "$TMP/$name"
    port=$(free_port)
    python3 "$SRC/tests/lib/event_recv.py" "$port" "$TMP/$name" "$secret" "$@" &
    RPIDS="$RPIDS $!"
    wait_ready "$TMP/$name" || { echo "receiver $name did not start"; exit 1; }
    RURL="http://127.0.0.1:$port/ballast/events"
}
# until_ok SECONDS 'SHELL TEST': the test (evaluated again each time) holds within SECONDS
# (four times that: a loaded machine or a sanitizer build is slow; a pass returns at once).
until_ok() {
    local n=$(($1 * 40)) i
    for i in $(seq 1 "$n"); do eval "$2" && return 0; sleep 0.1; done
    return 1
}
types() { awk '{print $2}' "$TMP/$1/events" 2>/dev/null | sort | uniq -c | awk '{print $2 "=" $1}' | paste -sd' '; }
lines() { if [ -f "$TMP/$1/$2" ]; then wc -l <"$TMP/$1/$2" | tr -d ' '; else echo 0; fi; }
has_event() { grep -q " $2\$" "$TMP/$1/events" 2>/dev/null; }
deliveries() { sql "SELECT COUNT(*) FROM hook_delivery WHERE state = '$1'"; }

# --- a store with a shop whose December goes bad, SKUs running out, a customer waiting
D="$TMP/in"
mkdir -p "$D"
cat >"$D/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from,fulfilment
shop-m,Lamps & Light,amazon,USD,UTC,CN-GD,merchant
shop-f,Gadget Depot,amazon,USD,UTC,CN-GD,platform
CSV
cat >"$D/skus.csv" <<'CSV'
id,name,handling_min,handling_max,listing,promoted,price_review
A,Desk lamp,1,3,active,1,none
B,LED bulb,1,3,active,1,none
C,Lamp shade,1,3,active,0,passed
CSV
printf 'id,region\nwh-us,US-CA\n' >"$D/warehouses.csv"
cat >"$D/stock.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
wh-us,A,1000,0,2025-01-01T00:00:00Z
wh-us,B,5,5,2025-01-01T00:00:00Z
CSV
awk 'BEGIN { print "sku,date,units,shop"
    for (i = 0; i < 90; i++) { d = strftime("%Y-%m-%d", 1735689600 - (90 - i) * 86400, 1)
        print "A," d ",10,shop-f"; print "B," d ",10,shop-m" } }' >"$D/sales.csv"
# shop-m: 20 orders shipped on time in early December, 20 shipped two days late from the
# 23rd, and 3 not shipped past their ship-by (their buyers are written to)
awk 'function t(s) { return strftime("%Y-%m-%dT%H:%M:%SZ", s, 1) }
BEGIN { print "order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,picked_up_at,tracking,customer,locale"
    for (i = 0; i < 20; i++) {
        p = 1733011200 + i * 21600; q = 1734912000 + i * 21600
        printf "m%02d,shop-m,A,1,9.99,%s,%s,US-CA,%s,%s,TRK-m%02d,c%02d,en-US\n", i, t(p), t(p + 172800), t(p + 86400), t(p + 90000), i, i
        printf "n%02d,shop-m,A,1,9.99,%s,%s,US-CA,%s,%s,TRK-n%02d,d%02d,en-US\n", i, t(q), t(q + 86400), t(q + 259200), t(q + 262800), i, i
    }
    for (i = 0; i < 3; i++)
        printf "u%02d,shop-m,A,1,9.99,2024-12-29T0%d:00:00Z,2024-12-30T0%d:00:00Z,US-NY,,,,e%02d,en-US\n", i, i, i, i
}' >"$D/orders.csv"
bl init >/dev/null 2>&1 && bl --org rival init >/dev/null 2>&1 || { echo "init failed"; exit 1; }
for k in shops skus warehouses stock sales orders; do
    bl import "$k" "$D/$k.csv" >/dev/null 2>&1 || { echo "import $k failed"; exit 1; }
done
bl shops set shop-m --account-url https://lamps-light.shop/account --support care@lamps-light.shop \
    --support-hours "9:00-18:00" --signature "Lamps & Light" --sender care@lamps-light.shop \
    >/dev/null 2>&1 || { echo "shops set failed"; exit 1; }

# --- subscribers
expect_fail "--events is required" 2 "--events is required" bl webhook add https://erp.example.com/hook
expect_fail "a URL with credentials is refused" 1 "user name or password" \
    bl webhook add https://erp:pw@erp.example.com/hook --events all
expect_fail "only http and https" 1 "only http and https" bl webhook add ftp://erp.example.com/x --events all
expect_fail "not a URL" 1 "is not a URL" bl webhook add 'https://' --events all
expect_fail "an unknown event type is named" 1 "unknown event type 'order.created'" \
    bl webhook add https://erp.example.com/hook --events alert.raised,order.created
[ ! -e "$BALLAST_SECRET_KEY_FILE" ] && ok "nothing refused made a key" || not_ok "no key yet"
recv r1 "@$TMP/r1.secret"
URL1=$RURL
S1=$(bl webhook add "$URL1" --events all 2>"$TMP/add.err")
printf '%s\n' "$S1" >"$TMP/r1.secret"
[[ "$S1" == whsec_* && ${#S1} -ge 40 ]] && ok "add prints the signing secret" || not_ok "add prints the secret" "$S1"
[[ "$(cat "$TMP/add.err")" == *"webhook 1 added"*"shown this once"* ]] && ok "... and says it is shown once" ||
    not_ok "add says so" "$(cat "$TMP/add.err")"
expect_eq "the secrets' key is made, for its owner only" "600" "$(stat -c %a "$BALLAST_SECRET_KEY_FILE")"
expect_eq "the store keeps the secret sealed, never in the clear" 0 \
    "$(sql "SELECT COUNT(*) FROM webhook WHERE secret LIKE '%${S1#whsec_}%'")"
expect_fail "the same URL twice is refused" 1 "webhook 1 has this URL already" \
    bl webhook add "$URL1" --events alert.raised
expect_ok "--secret-out writes the secret to a file" \
    bl webhook add https://erp.example.com/ballast --events alert.raised,action.applied --secret-out "$TMP/erp.secret"
expect_eq "... readable by its owner only" "600" "$(stat -c %a "$TMP/erp.secret")"
[[ "$(cat "$TMP/erp.secret")" == whsec_* ]] && ok "... holding the secret" || not_ok "secret file" "$(cat "$TMP/erp.secret")"
list=$(bl --format csv webhook list)
[[ "$list" != *whsec_* && "$list" == *"$URL1,all,"* && "$list" == *"alert.raised,action.applied"* ]] &&
    ok "webhook list: URLs and events, never a secret" || not_ok "webhook list" "$list"
expect_ok "remove the second" bl webhook remove 2
expect_fail "remove it twice" 1 "has no webhook 2" bl webhook remove 2
expect_fail "another organisation's webhook is not found" 1 "has no webhook 1" bl --org rival webhook remove 1

# --- the day's events, each raised in the change's own transaction
bl assess --as-of 2024-12-15 >/dev/null 2>&1 # healthy
bl alerts --as-of 2025-01-01T00:00:00Z >/dev/null 2>&1
bl playbook --as-of 2025-01-01T00:00:00Z --apply >/dev/null 2>&1
cid=$(bl --format csv actions --state proposed | awk -F, '$2 == "delist" && $3 == "C" { print $1 }')
bl actions --approve "$cid" >/dev/null 2>&1
bl messages plan --as-of 2025-01-01 --horizon 30 --to-domain "$RELAY" >/dev/null 2>&1
bl disruption add --region CN-GD --scope origin --kind lockdown --from 2024-12-28T00:00:00Z \
    --note "Guangdong lockdown" >/dev/null 2>&1
bl assess --as-of 2025-01-01 >/dev/null 2>&1 # at risk
expect_eq "the outbox: one delivery per event" \
    "alert.raised=4 action.applied=3 message.needs_approval=1 disruption.declared=1 shop.rating_at_risk=1" \
    "$(sql "SELECT e.type || '=' || COUNT(*) FROM hook_event e JOIN hook_delivery x ON x.org_id = e.org_id AND x.event_id = e.id GROUP BY e.type ORDER BY MIN(e.id)" | paste -sd' ')"
bl alerts --as-of 2025-01-01T00:00:00Z >/dev/null 2>&1
bl assess --as-of 2025-01-01 >/dev/null 2>&1
expect_eq "the same day's alerts and rating again raise nothing" 10 "$(sql "SELECT COUNT(*) FROM hook_event")"

# --- delivery from the command line; private addresses are refused unless allowed
export BALLAST_WEBHOOK_BACKOFF=1 # seconds before the first retry (30 by default)
out=$(bl webhook deliver 2>&1)
[[ "$out" == *"0 delivered"* ]] && ok "deliver: a loopback receiver is refused by default" || not_ok "private refused" "$out"
list=$(bl --format csv webhook list)
[[ "$list" == *"127.0.0.1 is a private address"* ]] && ok "webhook list says why" || not_ok "list says why" "$list"
expect_eq "nothing reached the receiver" 0 "$(lines r1 requests)"
deliver_all() { bl webhook deliver --allow-private >/dev/null 2>&1; [ "$(deliveries pending)" = 0 ]; }
until_ok 20 deliver_all && ok "deliver --allow-private: every event sent" || not_ok "delivered" "$(bl webhook list)"
expect_eq "each type arrived, signed and verified" \
    "action.applied=3 alert.raised=4 disruption.declared=1 message.needs_approval=1 shop.rating_at_risk=1" "$(types r1)"
expect_eq "no duplicate, no bad signature" "0 0" "$(lines r1 duplicates) $(lines r1 bad_signatures)"
ev=$(awk '$2 == "shop.rating_at_risk" {print $1}' "$TMP/r1/events")
python3 - "$TMP/r1/$ev.json" <<'PY' && ok "the at-risk event: who, from what to what, why" || not_ok "rating event" "$(cat "$TMP/r1/$ev.json")"
import json, sys
e = json.load(open(sys.argv[1]))
assert e["type"] == "shop.rating_at_risk" and e["org"] == "default" and e["id"].startswith("evt_1_"), e
d = e["data"]
assert d["shop"] == {"id": "shop-m", "name": "Lamps & Light"} and d["rating"] == "at_risk", d
assert d["previous"]["rating"] == "healthy" and d["previous"]["as_of"] == "2024-12-16T00:00:00Z", d
assert {"metric": "late_shipment_rate", "window_days": 30} in d["failing"], d
PY
ev=$(awk '$2 == "disruption.declared" {print $1}' "$TMP/r1/events")
expect_eq "the disruption event" "CN-GD lockdown origin Guangdong lockdown None" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["data"]["disruption"]; print(d["region"], d["kind"], d["scope"], d["note"], d["ends_at"])' "$TMP/r1/$ev.json")"
list=$(bl --format csv webhook list)
[[ "$list" == *",0,10,0,"*"delivered (HTTP 204)"* ]] && ok "webhook list: 10 delivered, the last one fine" || not_ok "list after" "$list"

# --- a change without its event cannot be stored: an event row in the way fails the declare
next=$(($(sql "SELECT MAX(id) FROM hook_event") + 1))
sql "INSERT INTO hook_event (org_id, id, type, data, created_at) VALUES (1, $next, 'x', '{}', 0)" >/dev/null
before=$(sql "SELECT COUNT(*) FROM disruption")
expect_fail "the declare fails when its event cannot be written" 1 "" \
    bl disruption add --region CN-ZJ --scope origin --kind strike --from 2024-12-29T00:00:00Z
expect_eq "... and the disruption is not stored" "$before" "$(sql "SELECT COUNT(*) FROM disruption")"
sql "DELETE FROM hook_event WHERE org_id = 1 AND id = $next" >/dev/null

# --- webhook test; a wrong secret is detected by the receiver
expect_eq "test: a ping, delivered" "ping evt_1_11 delivered to webhook 1 (HTTP 204)" \
    "$(bl webhook test 1 --allow-private 2>&1)"
recv r4 "whsec_not-the-secret-it-was-given"
bl webhook add "$RURL" --events disruption.declared >/dev/null 2>&1
expect_fail "test: a receiver with another secret refuses the signature" 1 "HTTP 401" \
    bl webhook test 3 --allow-private
expect_eq "... and says so" 1 "$(lines r4 bad_signatures)"
URL4=$RURL
expect_ok "remove it" bl webhook remove 3

# --- the server: its worker delivers, retries with backoff, survives a restart
TOK_admin=$(bl token create --role admin 2>/dev/null)
TOK_op=$(bl token create --role operator 2>/dev/null)
TOK_rival=$(bl --org rival token create --role admin 2>/dev/null)
recv r2 "@$TMP/r2.secret" --fail 2
url2=$RURL
port2=${url2#http://127.0.0.1:}
port2=${port2%%/*}
api_start --allow-private-webhooks
req POST /api/v1/webhooks "$TOK_admin" "{\"url\": \"$url2\", \"events\": [\"disruption.declared\"]}"
expect_status "POST /api/v1/webhooks: 201" 201
jpy 'd["secret"]' >"$TMP/r2.secret"
expect_eq "... with its secret, once" "whsec_ ['disruption.declared'] 4" "$(jpy 'd["secret"][:6] + " " + str(d["events"]) + " " + str(d["id"])')"
req POST /api/v1/webhooks "$TOK_admin" "{\"url\": \"$url2\", \"events\": \"all\"}"
expect_status "the same URL again: 409" 409 exists
req POST /api/v1/webhooks "$TOK_admin" '{"url": "https://u:p@erp.example.com/", "events": "all"}'
expect_status "credentials in the URL: 422 naming url" 422 invalid
expect_eq "... the field" url "$(jpy 'd["error"]["field"]')"
req POST /api/v1/webhooks "$TOK_admin" '{"url": "https://erp.example.com/", "events": ["nope"]}'
expect_eq "an unknown event: 422 naming events" "422 events" "$STATUS $(jpy 'd["error"]["field"]')"
req POST /api/v1/webhooks "$TOK_op" '{"url": "https://erp.example.com/", "events": "all"}'
expect_status "an operator may not add one: 403" 403 forbidden
req DELETE /api/v1/webhooks/1 "$TOK_rival"
expect_status "another organisation's webhook: 404" 404 not_found
req POST /api/v1/disruptions "$TOK_op" \
    '{"region": "CN-ZJ", "scope": "origin", "kind": "strike", "from": "2024-12-30T00:00:00Z"}'
expect_status "declare over the API" 201
dis_evt() { grep -c "disruption.declared" "$TMP/$1/events" 2>/dev/null; }
until_ok 20 '[ "$(dis_evt r2)" = 1 ]' && ok "a receiver failing twice gets the event on the third attempt" ||
    not_ok "third attempt" "$(cat "$TMP/r2/requests" 2>/dev/null)" "$(bl webhook list)"
last=$(tail -1 "$TMP/r2/events" | cut -d' ' -f1)
expect_eq "... three requests, one event id" "3 $last $last $last" \
    "$(lines r2 requests) $(paste -sd' ' "$TMP/r2/requests")"
until_ok 10 '[ "$(dis_evt r1)" = 2 ]' && ok "... and the other subscriber got it once" || not_ok "r1 got it" "$(types r1)"
req GET /api/v1/webhooks "$TOK_admin"
expect_eq "GET /api/v1/webhooks: deliveries and the last attempt" "1 204" \
    "$(jpy '[w for w in d["webhooks"] if w["id"] == 4][0]["deliveries"]["delivered"]') $(jpy '[w for w in d["webhooks"] if w["id"] == 4][0]["last_attempt"]["status"]')"
[[ "$BODY" != *whsec_* ]] && ok "... never a secret" || not_ok "GET shows a secret" "$BODY"

# a restart mid-retry: the receiver fails once; the server stops before the retry is due
stop ${RPIDS##* }
RPIDS=${RPIDS% *}
rm -rf "$TMP/r2" && mkdir -p "$TMP/r2"
python3 "$SRC/tests/lib/event_recv.py" "$port2" "$TMP/r2" "@$TMP/r2.secret" --fail 1 &
RPIDS="$RPIDS $!"
wait_ready "$TMP/r2" || { echo "receiver r2 did not restart"; exit 1; }
api_stop
export BALLAST_WEBHOOK_BACKOFF=6
api_start --allow-private-webhooks
req POST /api/v1/disruptions "$TOK_op" \
    '{"region": "CN-FJ", "scope": "origin", "kind": "weather", "from": "2024-12-31T00:00:00Z"}'
until_ok 10 '[ "$(lines r2 requests)" = 1 ]' && ok "the first attempt failed" || not_ok "first attempt" "$(lines r2 requests)"
api_stop
expect_eq "stopped mid-retry: the delivery waits in the store" 1 \
    "$(sql "SELECT COUNT(*) FROM hook_delivery WHERE webhook_id = 4 AND state = 'pending' AND attempts = 1")"
api_start --allow-private-webhooks
until_ok 20 '[ "$(dis_evt r2)" = 1 ]' && ok "after the restart it is delivered" || not_ok "after restart" "$(bl webhook list)"

# a delivery that keeps failing is given up after the attempts allowed, and shown
api_stop
export BALLAST_WEBHOOK_BACKOFF=1 BALLAST_WEBHOOK_ATTEMPTS=2
api_start --allow-private-webhooks
bl webhook add "$URL4" --events disruption.declared >/dev/null 2>&1 # wrong secret again: 5
bl disruption add --region CN-HN --scope origin --kind holiday --from 2025-01-01T00:00:00Z >/dev/null 2>&1
until_ok 20 '[ "$(sql "SELECT attempts FROM hook_delivery WHERE webhook_id = 5 AND state = '\''failed'\''")" = 2 ]' &&
    ok "a delivery refused at each attempt is marked failed after the attempts allowed" ||
    not_ok "failed" "$(bl webhook list)"
list=$(bl --format csv webhook list | awk -F, '$1 == 5')
[[ "$list" == *",0,0,1,"*"HTTP 401"* ]] && ok "webhook list: 1 failed, HTTP 401" || not_ok "list failed" "$list"
req GET /metrics
[[ "$BODY" == *'ballast_webhook_outbox{state="failed"} 1'* && "$BODY" == *'ballast_webhook_attempts_total{outcome="delivered"}'* ]] &&
    ok "/metrics: the outbox and the attempts" || not_ok "/metrics" "$(grep webhook <<<"$BODY")"
req DELETE /api/v1/webhooks/5 "$TOK_admin"
expect_status "DELETE /api/v1/webhooks/5" 200
req DELETE /api/v1/webhooks/5 "$TOK_admin"
expect_status "... twice: 404" 404 not_found
api_stop
expect_eq "SIGTERM: the server and its worker stop cleanly" 0 "$API_RC"
expect_eq "no receiver saw a duplicate" "0 0" "$(lines r1 duplicates) $(lines r2 duplicates)"

# --- retention removes the day's events; the same day run again raises none of them anew
# (their keys are kept in hook_dedup), so a receiver never gets a fact twice, under a new id
keys=$(sql "SELECT COUNT(*) FROM hook_event WHERE dedup IS NOT NULL")
sql "UPDATE hook_event SET created_at = 0" >/dev/null
sql "UPDATE hook_delivery SET state = 'delivered', delivered_at = 1, next_at = 1" >/dev/null
bl retention prune >/dev/null 2>&1 || not_ok "retention prune"
expect_eq "retention removed every event, kept every key" "0 $keys" \
    "$(sql "SELECT COUNT(*) FROM hook_event") $(sql "SELECT COUNT(*) FROM hook_dedup")"
bl alerts --as-of 2025-01-01T00:00:00Z >/dev/null 2>&1
bl assess --as-of 2025-01-01 >/dev/null 2>&1
expect_eq "the same day's alerts and rating after retention: nothing raised again" 0 \
    "$(sql "SELECT COUNT(*) FROM hook_event")"
bl_done
