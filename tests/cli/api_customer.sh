#!/usr/bin/env bash
# End-to-end: the customer side of the HTTP API (issue 16). Each route answers what the
# command line says for the same question: a disruption corrected, lifted and its impact;
# the orders behind a shop's rules (against it, exempt and why); coupons, the ledger, a
# refund decision; compensating twice at once pays each order once; the outbox a page at
# a time, filtered by shop and time, one message and its text, approve (twice: 409),
# approve many, reject, send over a signed webhook with an Idempotency-Key; the banners.
# Another organisation's ids answer 404.
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/messages.bash"
bl_setup "$1" api_customer
trap api_cleanup EXIT

# --- the store: messages.bash's shops and orders in "default" and "rival" (rival has
# more disruptions and messages, so its ids exist where default's do not)
write_store_files
load_org default && load_org rival || { echo "fixture failed"; exit 1; }
set_shops default
for d in 01 03; do
    bl --org rival disruption add --region US --scope both --kind weather \
        --from 2022-05-${d}T00:00:00Z --to 2022-05-${d}T12:00:00Z >/dev/null 2>&1
done
plan() { bl --org "$1" messages plan --horizon 30 --to-domain $RELAY --as-of "$2" "${@:3}"; }
plan rival 2022-05-10 >/dev/null 2>&1
plan rival 2022-05-25 --promo SORRY15 --discount 15% \
    --promo-expires 2022-06-30 >/dev/null 2>&1
TOK_operator=$(bl token create --role operator --label "ops desk" 2>/dev/null)
TOK_viewer=$(bl token create --role viewer 2>/dev/null)
TOK_rival=$(bl token create --org rival --role admin 2>/dev/null)
[ -n "$TOK_operator" ] && [ -n "$TOK_rival" ] || { echo "token create failed"; exit 1; }
rival_dis=3
rival_msg=$(bl --org rival --format csv messages list | tail -n +2 | cut -d, -f1 | sort -n | tail -1)
[ "${rival_msg:-0}" -gt 6 ] || { echo "rival's messages: $rival_msg"; exit 1; }

mkdir -p "$TMP/hook"
hook_port=$(free_port)
python3 "$SRC/tests/lib/webhook_recv.py" "$hook_port" "$TMP/hook" s3cret-key &
hook_pid=$!
trap 'stop $hook_pid; api_cleanup' EXIT
wait_ready "$TMP/hook" || { echo "webhook receiver did not start"; exit 1; }
BALLAST_WEBHOOK_SECRET=s3cret-key api_start --threads 4
OP=$TOK_operator

# cli_json ARGS...: the command line's answer in JSON (stdout only)
cli_json() { bl --format json "$@" 2>/dev/null; }
# py EXPR JSON: EXPR over d (the JSON)
py() { python3 -c 'import json,sys; d=json.loads(sys.argv[2]); print(eval(sys.argv[1]))' "$1" "$2"; }

# --- disruptions: impact, edit, lift
req GET "/api/v1/disruptions/1/impact?as_of=2022-05-10" "$TOK_viewer"
expect_status "impact of the Shanghai lockdown" 200
cli=$(cli_json disruption impact 1 --as-of 2022-05-10)
want=$(py '" ".join(str(next(r["count"] for r in d if r["what"] == w)) for w in ("held_orders", "customers", "exempt_orders", "skus", "listings"))' "$cli")
expect_eq "impact: held orders, customers, exempt orders, SKUs, listings as the CLI counts" "$want" \
    "$(jpy '" ".join(str(x) for x in (d["held"]["orders"], d["customers_to_write_to"], d["exempt"]["orders"], len(d["skus"]), d["listings"]["affected"]))')"
expect_eq "impact: held per shop, with the shop's name" "s1 Lamps & Light 2" \
    "$(jpy '" ".join(str(x) for x in (d["held"]["by_shop"][0]["shop"], d["held"]["by_shop"][0]["shop_name"], d["held"]["by_shop"][0]["orders"]))')"
req GET "/api/v1/disruptions/$rival_dis/impact" "$TOK_viewer"
expect_status "impact of another organisation's disruption: 404" 404 not_found

req PATCH /api/v1/disruptions/1 "$OP" '{}'
expect_status "edit with nothing to change: 422" 422 missing
req PATCH /api/v1/disruptions/1 "$OP" '{"region": "CN-ZZ"}'
expect_status "edit: a region that is not one: 422 naming region" 422 invalid
expect_eq "... with the CLI's did-you-mean" "region CN-ZZ is not an ISO 3166-2 subdivision of China; did you mean CN-ZJ (Zhejiang)?" \
    "$(jpy 'd["error"]["field"] + " " + d["error"]["message"]')"
req PATCH /api/v1/disruptions/1 "$OP" '{"to": "2022-03-01T00:00:00Z"}'
expect_status "edit: an end before the start: 422" 422 invalid
req PATCH /api/v1/disruptions/1 "$OP" '{"to": "2022-06-05T00:00:00+08:00", "note": "extended"}'
expect_status "edit the end and the note" 200
expect_eq "the new end, the history with raw values and who" \
    "2022-06-04T16:00:00Z|ends_at 2022-06-01T00:00:00Z -> 2022-06-04T16:00:00Z by API token 'ops desk'" \
    "$(jpy 'd["ends_at"] + "|" + [h["field"] + " " + h["from"] + " -> " + h["to"] + " by " + h["by"] for h in d["history"] if h["field"] == "ends_at"][0]')"
cli=$(cli_json disruption show 1)
expect_eq "the history equals the CLI's (disruption show)" \
    "$(py '"|".join(h["field"] + "=" + str(h["to"]) for h in d["history"])' "$cli")" \
    "$(jpy '"|".join(h["field"] + "=" + str(h["to"]) for h in d["history"])')"
req PATCH /api/v1/disruptions/1 "$OP" '{"to": null}'
expect_eq "to null: until further notice again" "None True" "$(jpy 'str(d["ends_at"]) + " " + str(d["until_further_notice"])')"
req PATCH "/api/v1/disruptions/$rival_dis" "$OP" '{"note": "x"}'
expect_status "edit another organisation's disruption: 404" 404 not_found
req POST /api/v1/disruptions/1/lift "$OP" '{}'
expect_status "lift without at: 422" 422 missing
req POST /api/v1/disruptions/1/lift "$OP" '{"at": "2022-03-01T00:00:00Z"}'
expect_status "lift before it starts: 422 naming at" 422 invalid
req POST /api/v1/disruptions/1/lift "$OP" '{"at": "2022-05-28T00:00:00Z"}'
expect_status "lift it" 200
expect_eq "lifted: the effective end" "2022-05-28T00:00:00Z 2022-05-28T00:00:00Z" "$(jpy 'd["lifted_at"] + " " + d["effective_end"]')"
expect_eq "the CLI sees the lift" "2022-05-28T00:00:00Z" "$(py 'd["lifted_at"]' "$(cli_json disruption show 1)")"
req POST /api/v1/disruptions/1/lift "$OP" '{"at": "now"}'
expect_status "lift twice: 409" 409 conflict
req POST "/api/v1/disruptions/$rival_dis/lift" "$OP" '{"at": "now"}'
expect_status "lift another organisation's disruption: 404" 404 not_found
req POST /api/v1/disruptions/1/lift "$TOK_viewer" '{"at": "now"}'
expect_status "a viewer may not lift: 403" 403 forbidden

# --- the orders behind a shop's rules
req GET "/api/v1/assessments/s1/orders?as_of=2022-05-10" "$TOK_viewer"
expect_status "s1's orders per rule" 200
expect_eq "A1 is exempt from on-time, by the lockdown at the origin" \
    "on_time_rate A1 disruption_at_origin disruption 1" \
    "$(jpy '" ".join(next([r["metric"], x["order"], x["why"], x["cause"]["kind"], str(x["cause"]["id"])] for r in d["rules"] for x in r["exempt"]))')"
cli=$(cli_json assess --as-of 2022-05-10 --shop s1)
expect_eq "exempt and counted against, as the CLI counts them" \
    "$(py '"%d %d" % (d[0]["exempt"], d[0]["late"])' "$cli")" \
    "$(jpy '"%d %d" % tuple(next((r["exempt_total"], r["against_total"]) for r in d["rules"] if r["metric"] == "on_time_rate"))')"
req GET "/api/v1/assessments/s2/orders?as_of=2022-05-12&rule=on_time_rate" "$TOK_viewer"
expect_eq "s2: the orders shipped late or not at all, the latest promise first" "B2 not_shipped 2022-05-11T00:00:00Z|B3 not_shipped 2022-05-09T00:00:00Z" \
    "$(jpy '"|".join(o["order"] + " " + o["why"] + " " + o["promised"] for o in d["rules"][0]["against"])')"
req GET "/api/v1/assessments/r1/orders" "$TOK_viewer"
expect_status "a shop that is not ours: 404" 404 not_found
req GET "/api/v1/assessments/s1/orders?rule=speed" "$TOK_viewer"
expect_status "a rule that is not one: 400" 400 invalid

# --- compensate: four at once, different keys: each order paid once, every request fine
body='{"as_of": "2022-05-10", "profile": "own-site", "all_shops": true}'
pids=""
for k in a b c d; do
    curl -s -o "$TMP/comp_$k" -w '%{http_code}' -X POST "$URL/api/v1/compensate" \
        -H "Authorization: Bearer $OP" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: comp-$k" --data-binary "$body" >"$TMP/comp_$k.status" &
    pids="$pids $!"
done
wait $pids
expect_eq "four compensations at once: each answers 201" "201 201 201 201" \
    "$(for k in a b c d; do cat "$TMP/comp_$k.status"; echo; done | paste -sd' ')"
expect_eq "... and they issue 2 coupons between them, never one order twice" "B2 B3" \
    "$(python3 -c 'import json,sys; print(" ".join(sorted(c["order"] for f in sys.argv[1:] for c in json.load(open(f)).get("coupons", []))))' "$TMP"/comp_[abcd])"
req GET /api/v1/coupons "$TOK_viewer"
expect_eq "the coupons: one per order" "B2 B3" "$(jpy '" ".join(sorted(c["order"] for c in d["coupons"]))')"
cli=$(cli_json coupons)
expect_eq "coupons as the CLI lists them (order, amount, state, reason)" \
    "$(py '"|".join(c["order"] + " " + c["amount"] + " " + c["currency"] + " " + c["state"] + " " + c["reason"] for c in d)' "$cli")" \
    "$(jpy '"|".join(c["order"] + " " + c["amount"]["amount"] + " " + c["amount"]["currency"] + " " + c["state"] + " " + c["reason"] for c in d["coupons"])')"
req GET "/api/v1/ledger?shop=s2" "$TOK_viewer"
cli=$(cli_json ledger --shop s2)
expect_eq "the ledger: 2 entries, the balance the CLI's" "2 $(py 'd[-1]["balance"]' "$cli") CNY" \
    "$(jpy '"%d %s %s" % (len(d["entries"]), d["balance"]["amount"], d["balance"]["currency"])')"
req GET "/api/v1/ledger?shop=s2&limit=1" "$TOK_viewer"
cur=$(jpy 'd["next_cursor"]')
req GET "/api/v1/ledger?shop=s2&limit=1&cursor=$cur" "$TOK_viewer"
expect_eq "the ledger a page at a time" "B3 None" "$(jpy 'd["entries"][0]["ref"] + " " + str(d["next_cursor"])')"
# pages cut in the store's query: their entries (balances carried from the entries before
# the page) and the shop's balance are the whole list's, whatever the page
req GET "/api/v1/ledger?shop=s2&limit=1000" "$TOK_viewer"
whole=$BODY
pages="" cur="" n=0
while :; do
    req GET "/api/v1/ledger?shop=s2&limit=1${cur:+&cursor=$cur}" "$TOK_viewer"
    [ "$STATUS" = 200 ] || break
    pages="$pages$(jpy 'json.dumps(d["entries"][0]) + " " + json.dumps([d["opening_deposit"], d["balance"]])')|"
    cur=$(jpy 'd["next_cursor"] or ""')
    n=$((n + 1))
    [ -n "$cur" ] && [ $n -lt 10 ] || break
done
expect_eq "the ledger one entry a page: the whole list's entries and balance" \
    "$(BODY=$whole jpy '"".join(json.dumps(e) + " " + json.dumps([d["opening_deposit"], d["balance"]]) + "|" for e in d["entries"])')" \
    "$pages"
req GET /api/v1/ledger "$TOK_viewer"
expect_status "the ledger needs a shop" 400 missing
req GET "/api/v1/ledger?shop=r1" "$TOK_viewer"
expect_status "another organisation's shop: 404" 404 not_found
req POST /api/v1/compensate "$OP" "$body" -H "Idempotency-Key: comp-a"
expect_eq "a retry with the same key answers the same, issuing nothing" \
    "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["coupons"]))' "$TMP/comp_a")" \
    "$(jpy 'json.dumps(d["coupons"])')"
req POST /api/v1/compensate "$OP" '{"as_of": "2022-05-11", "profile": "own-site", "all_shops": true}' -H "Idempotency-Key: comp-a"
expect_status "the same key with another body: 422" 422 idempotency_key_reused
req POST /api/v1/compensate "$OP" '{"as_of": "2022-05-10", "profile": "own-site", "all_shops": true}'
expect_eq "again without a key: nothing new, 2 already compensated" "0 2" "$(jpy '"%d %d" % (len(d["coupons"]), d["already_compensated"])')"
req POST /api/v1/compensate "$OP" '{}'
expect_status "compensate without as_of: 422" 422 missing

# --- refunds: the API decides, the CLI finds the same decision recorded
req POST /api/v1/refunds "$OP" '{"order": "A2", "reason": "too slow"}'
expect_status "refund A2: recorded" 201
expect_eq "not shipped: refund in full" "full_refund not_shipped 40.00 USD" \
    "$(jpy '" ".join([d["decision"], d["reason"], d["refund"]["amount"], d["refund"]["currency"]])')"
cli=$(cli_json refund A2)
expect_eq "the CLI: the same decision, decided before" "full_refund 40.00 decided before" \
    "$(py '" ".join([d[0]["decision"], d[0]["refund"], d[0]["state"]])' "$cli")"
req POST /api/v1/refunds "$OP" '{"order": "A2"}'
expect_status "asked again: 200, the first decision" 200
req POST /api/v1/refunds "$OP" '{"order": "r-none"}'
expect_status "an order we do not have: 404" 404 not_found
bl refund B4 --reason "changed my mind" >/dev/null 2>&1
req GET /api/v1/refunds "$TOK_viewer"
cli=$(cli_json refund list)
expect_eq "the decisions recorded, by the API and the CLI, as 'refund list' says" \
    "$(py '"|".join(r["order"] + " " + r["decision"] + " " + r["refund"] + " " + str(r["request"]) for r in d)' "$cli")" \
    "$(jpy '"|".join(r["order"] + " " + r["decision"] + " " + r["refund"]["amount"] + " " + str(r["request"]) for r in d["refunds"])')"
expect_eq "... A2 by the API with the buyer's words, B4 by the CLI" "A2 too slow|B4 changed my mind" \
    "$(jpy '"|".join(r["order"] + " " + r["request"] for r in d["refunds"])')"
req GET "/api/v1/refunds?shop=s2&limit=1" "$TOK_viewer"
expect_eq "one shop's, a page at a time" "B4 None" "$(jpy '" ".join(r["order"] for r in d["refunds"]) + " " + str(d["next_cursor"])')"
req GET "/api/v1/refunds" "$TOK_rival"
expect_eq "another organisation sees none of them" 0 "$(jpy 'len(d["refunds"])')"
expect_fail "refund list: an unknown shop" 1 "nosuch" bl refund list --shop nosuch

# --- messages
plan default 2022-05-10 >/dev/null 2>&1
n_cli=$(bl --format csv messages list | tail -n +2 | wc -l)
ids=""
cur=""
for _ in $(seq 10); do
    req GET "/api/v1/messages?limit=2${cur:+&cursor=$cur}" "$TOK_viewer"
    ids="$ids $(jpy '" ".join(str(m["id"]) for m in d["messages"])')"
    cur=$(jpy 'd["next_cursor"] or ""')
    [ -z "$cur" ] && break
done
expect_eq "the outbox two at a time: every message once, as the CLI lists them" \
    "$(bl --format csv messages list | tail -n +2 | cut -d, -f1 | paste -sd' ')" "$(echo $ids)"
[ "$n_cli" -ge 4 ] && ok "the plan wrote $n_cli messages" || not_ok "the plan wrote messages" "$n_cli"
req GET "/api/v1/messages?shop=s1" "$TOK_viewer"
expect_eq "filtered by shop" "$(bl --format csv messages list | awk -F, '$5 == "s1"' | wc -l)" "$(jpy 'len(d["messages"])')"
req GET "/api/v1/messages?to=2000-01-01" "$TOK_viewer"
expect_eq "filtered by time: none created before 2000" 0 "$(jpy 'len(d["messages"])')"
req GET "/api/v1/messages?from=2000-01-01&state=planned" "$TOK_viewer"
expect_eq "... all of them since, by state" "$(bl --format csv messages list --state planned | tail -n +2 | wc -l)" "$(jpy 'len(d["messages"])')"
req GET "/api/v1/messages?shop=r1" "$TOK_viewer"
expect_status "another organisation's shop: 404" 404 not_found
req GET "/api/v1/messages?cursor=zzz" "$TOK_viewer"
expect_status "a cursor we did not give: 400" 400 invalid

mid=$(bl --format csv messages list --kind late_delivery | tail -1 | cut -d, -f1)
req GET "/api/v1/messages/$mid" "$TOK_viewer"
cli=$(cli_json messages show "$mid")
expect_eq "one message: as 'messages show' says (state, recipient, subject, body)" \
    "$(py '"|".join([d[0]["state"], d[0]["recipient"], d[0]["subject"], d[0]["body"]])' "$cli")" \
    "$(jpy '"|".join([d["state"], d["recipient"], d["subject"], d["body"]])')"
req GET "/api/v1/messages/$mid/preview" "$TOK_viewer"
expect_eq "its preview: the subject and text the buyer reads, in their language" \
    "非常抱歉：您的订单B1延迟送达 zh-CN $(py 'd[0]["body"]' "$cli" | md5sum)" \
    "$(jpy 'd["subject"] + " " + d["locale"]') $(jpy 'd["body"]' | md5sum)"
req GET "/api/v1/messages/$rival_msg" "$TOK_viewer"
expect_status "another organisation's message: 404" 404 not_found

req POST "/api/v1/messages/$mid/approve" "$OP"
expect_status "approve" 200
expect_eq "approved, as the CLI sees it" "approved approved" "$(jpy 'd["state"]') $(py 'd[0]["state"]' "$(cli_json messages show "$mid")")"
req POST "/api/v1/messages/$mid/approve" "$OP"
expect_status "approve twice: 409" 409 conflict
req POST "/api/v1/messages/$rival_msg/approve" "$OP"
expect_status "approve another organisation's message: 404" 404 not_found
req POST "/api/v1/messages/$mid/approve" "$TOK_viewer"
expect_status "a viewer may not approve: 403" 403 forbidden

waiting=$(bl --format csv messages list --state planned | tail -n +2 | cut -d, -f1)
first=$(echo "$waiting" | head -1)
second=$(echo "$waiting" | sed -n 2p)
req POST "/api/v1/messages/$first/reject" "$OP" '{}'
expect_status "reject without a reason: 422" 422 missing
req POST "/api/v1/messages/$first/reject" "$OP" '{"reason": "the buyer already called us"}'
expect_status "reject" 200
expect_eq "rejected: who and why kept" "rejected API token 'ops desk' the buyer already called us" \
    "$(jpy '" ".join([d["state"], d["rejected_by"], d["reject_reason"]])')"
req POST "/api/v1/messages/$first/reject" "$OP" '{"reason": "again"}'
expect_status "reject twice: 409" 409 conflict
req POST "/api/v1/messages/$first/approve" "$OP"
expect_status "approve a rejected message: 409" 409 conflict
expect_fail "the CLI: reject needs a reason" 2 "--reason" bl messages reject "$second"
expect_fail "the CLI: reject a message that is not waiting" 1 "only a message waiting" \
    bl messages reject "$mid" --reason "no"

req POST /api/v1/messages/approve "$OP" "{\"ids\": [$second, $mid, 999]}"
expect_eq "approve many: the waiting one approved, the others refused with why" \
    "1 $mid:not_waiting 999:not_found" \
    "$(jpy 'str(d["approved"]) + " " + " ".join("%d:%s" % (r["id"], r["reason"]) for r in d["refused"])')"
req POST /api/v1/messages/approve "$OP" '{"all": true}'
expect_eq "approve every waiting one" "$(echo "$waiting" | wc -l)" "$(($(jpy 'd["approved"]') + 2))"
req POST /api/v1/messages/approve "$OP" '{}'
expect_status "approve many without ids or all: 422" 422 missing
plan default 2022-05-10 >/dev/null 2>&1
expect_eq "the rejected one stayed rejected, a new plan wrote it not again" "rejected $n_cli" \
    "$(py 'd[0]["state"]' "$(cli_json messages show "$first")") $(bl --format csv messages list | tail -n +2 | wc -l)"

n_approved=$(bl --format csv messages list --state approved | tail -n +2 | wc -l)
req POST /api/v1/messages/send "$OP" '{"via": "csv"}'
expect_status "send to a file on the server: refused" 422 invalid
req POST /api/v1/messages/send "$OP" "{\"via\": \"webhook\", \"webhook\": \"http://127.0.0.1:$hook_port/ballast\"}" \
    -H "Idempotency-Key: send-1"
expect_status "send the approved ones over the webhook" 200
expect_eq "sent every approved message, none failed" "$n_approved 0" "$(jpy '"%d %d" % (d["sent"], d["failed"])')"
first_send=$BODY
req POST /api/v1/messages/send "$OP" "{\"via\": \"webhook\", \"webhook\": \"http://127.0.0.1:$hook_port/ballast\"}" \
    -H "Idempotency-Key: send-1"
expect_eq "a retry with the same key: the same answer" "$first_send" "$BODY"
req POST /api/v1/messages/send "$OP" "{\"via\": \"webhook\", \"webhook\": \"http://127.0.0.1:$hook_port/ballast\"}" \
    -H "Idempotency-Key: send-2"
expect_eq "another send: nothing left to send" 0 "$(jpy 'd["sent"]')"
expect_eq "the receiver got each message once, signed" "$n_approved 0 0" \
    "$(ls "$TMP/hook"/*.json | wc -l) $(cat "$TMP/hook/duplicates" 2>/dev/null | wc -l) $(cat "$TMP/hook/bad_signatures" 2>/dev/null | wc -l)"
expect_eq "the CLI: they are sent" "$n_approved" "$(bl --format csv messages list --state sent | tail -n +2 | wc -l)"

# --- banners
req GET "/api/v1/banners?as_of=2022-05-10" "$TOK_viewer"
cli=$(cli_json banners --as-of 2022-05-10)
expect_eq "banners: the CLI's, shop, place and title" \
    "$(py '"|".join(b["shop"] + " " + b["locale"] + " " + b["place"] + " " + b["title"] for b in d)' "$cli")" \
    "$(jpy '"|".join(b["shop"] + " " + b["locale"] + " " + b["place"] + " " + b["title"] for b in d["banners"])')"
titles=""
cur=""
for _ in $(seq 50); do
    req GET "/api/v1/banners?as_of=2022-05-10&limit=2${cur:+&cursor=$cur}" "$TOK_viewer"
    titles="$titles|$(jpy '"|".join(b["shop"] + " " + b["locale"] + " " + b["place"] + " " + b["title"] for b in d["banners"])')"
    cur=$(jpy 'd["next_cursor"] or ""')
    [ -z "$cur" ] && break
done
expect_eq "banners two at a time: the same list" \
    "|$(py '"|".join(b["shop"] + " " + b["locale"] + " " + b["place"] + " " + b["title"] for b in d)' "$cli")" \
    "$(echo "$titles" | sed 's/||*/|/g; s/|$//')"
req GET "/api/v1/banners?as_of=2022-05-10&shop=s2" "$TOK_viewer"
expect_eq "banners of one shop" "$(py 'sum(1 for b in d if b["shop"] == "s2")' "$cli")" "$(jpy 'len(d["banners"])')"

api_stop
expect_eq "SIGTERM: the server stops cleanly" 0 "$API_RC"
bl_done
