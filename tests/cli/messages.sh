#!/usr/bin/env bash
# End-to-end: the outbox. `messages plan` decides one message per order per event
# in the buyer's language, re-planning adds nothing, approval is the default and
# `policy set` opts shops in to auto-send, `approve` releases one, `send --via webhook` posts signed JSON to a local receiver that fails the
# first requests (retried with backoff) and checks the HMAC, a message left
# `sending` by a killed run is sent again with the same idempotency key, `--via
# csv` exports, organisations stay apart, and `banners` renders the shop notices.
# SMTP: tests/cli/messages_smtp.sh.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" messages
source "$SRC/tests/lib/messages.bash"
write_store_files

expect_ok "load the store" load_org default
expect_ok "the shops' settings" set_shops default
printf 'id,name,email\nc9,Bad,not-an-address\n' >"$TMP/bad_customers.csv"
expect_fail "customers: a bad e-mail address names the line and column" 1 \
    "bad_customers.csv:2: column 'email': 'not-an-address' is not an e-mail address" \
    bl import customers "$TMP/bad_customers.csv"
count() { sql "SELECT COUNT(*) FROM message WHERE org_id = (SELECT id FROM org WHERE name = '${2:-default}') $1"; }
state_of() { sql "SELECT state FROM message WHERE idem LIKE '$1:%' AND org_id = 1"; }

expect_fail "plan needs --as-of" 2 "--as-of is required" bl messages plan
expect_fail "policy: unknown kind" 2 "--kind' needs a message kind" \
    bl messages policy set --kind nope --all-shops --auto
expect_fail "policy: a shop or all of them" 2 "--shop or --all-shops" \
    bl messages policy set --kind late_shipment --auto
expect_fail "policy: an unknown shop" 1 "no shop 'nosuch'" \
    bl messages policy set --kind late_shipment --shop nosuch --auto
expect_eq "approval is the default for every kind" 7 \
    "$(bl --format csv messages policy | grep -c ',required,$')"
expect_ok "every shop sends every kind but coupon notices by itself" \
    auto_send default late_shipment late_delivery out_of_stock unshipped_order promo_code service_resumed
expect_eq "policy lists it" "compensation_coupon,required," \
    "$(bl --format csv messages policy | grep compensation_coupon)"
expect_eq "... and the opt-ins" "late_shipment,none (every shop sends it by itself),every shop" \
    "$(bl --format csv messages policy | grep late_shipment)"
bl compensate --as-of 2022-05-10 --profile own-site --all-shops >/dev/null 2>"$TMP/comp.err"
expect_eq "compensate (a coupon for B2): the coupons counted in words" 1 \
    "$(grep -c '^ballast: 2 coupons$' "$TMP/comp.err")"

plan() { bl messages plan --horizon 30 --to-domain $RELAY "$@"; }
plan --format csv --as-of 2022-05-10 >"$TMP/plan1.csv" 2>"$TMP/plan1.err"
expect_eq "plan as of 2022-05-10: 5 messages" 5 "$(count '')"
expect_eq "the kinds, by order" \
    "A1 late_shipment en approved|A2 unshipped_order zh-CN approved|B1 late_delivery zh-CN approved|B2 compensation_coupon zh-CN planned|B2 out_of_stock zh-CN approved" \
    "$(awk -F, 'NR>1 {print $3" "$2" "$6" "$7}' "$TMP/plan1.csv" | sort | paste -sd'|')"
expect_eq "keys are kind:order id" "late_shipment:$(sql "SELECT id FROM orders WHERE ext_id = 'A1'")" \
    "$(sql "SELECT idem FROM message WHERE kind = 'late_shipment'")"
expect_eq "an order without a customer id is not messaged (and said so)" 1 \
    "$(grep -c '1 affected order has no customer id' "$TMP/plan1.err")"
expect_eq "the plan counts its messages" 1 "$(grep -c '^ballast: 5 messages planned, 5 stored' "$TMP/plan1.err")"
fp=$(sql "SELECT idem, subject, body FROM message ORDER BY id" | sha256sum)
plan --as-of 2022-05-10 >/dev/null 2>&1
plan --as-of 2022-05-10 --format csv >/dev/null 2>&1
expect_eq "re-planning adds nothing and changes nothing" "$fp" \
    "$(sql "SELECT idem, subject, body FROM message ORDER BY id" | sha256sum)"

body=$(sql "SELECT body FROM message WHERE kind = 'late_shipment'")
[[ "$body" == "Hello,"* && "$body" != *"c1"* && "$body" == *"by May 2, and we did not keep"* &&
    "$body" == *"should arrive between June "* ]] &&
    ok "English body: a neutral greeting (no name known, never the id), the ship-by in New York time, a delivery window" ||
    not_ok "English body" "$body"
expect_eq "Chinese coupon subject with yuan" "订单B2延迟的补偿：¥10.00优惠券" \
    "$(sql "SELECT subject FROM message WHERE kind = 'compensation_coupon'")"
body=$(sql "SELECT body FROM message WHERE kind = 'unshipped_order'")
[[ "$body" == *"我们在上海市的供应链"* && "$body" != *"CN-SH"* && "$body" == *"5月31日起"* ]] &&
    ok "Chinese heads-up names the region (Shanghai, never its code) and the end of the lockdown" || not_ok "zh heads-up" "$body"
body=$(sql "SELECT body FROM message WHERE kind = 'late_delivery'")
[[ "$body" != *"运单号"* ]] && ok "no tracking number known: no tracking sentence" ||
    not_ok "no tracking sentence" "$body"

out=$(bl messages show "$(sql "SELECT id FROM message WHERE kind = 'out_of_stock'")")
[[ "$out" == *"Bulb暂时缺货"* && "$out" == *"recipient        c4@$RELAY"* ]] &&
    ok "show: fields and body" || not_ok "show" "$out"
expect_fail "show: no such message" 1 "no message 999" bl messages show 999

# Later: A2 and B4 now miss their ship-by; a promo code for the customers hit.
plan --format csv --as-of 2022-05-25 --promo SORRY15 --discount 15% \
    --promo-expires 2022-06-30 >"$TMP/plan2.csv" 2>/dev/null
expect_eq "plan as of 2022-05-25: 4 new" \
    "late_shipment:A2|late_shipment:B4|promo_code:SORRY15:c1|promo_code:SORRY15:c2" \
    "$(awk -F, 'NR>1 {print ($3 == "" ? $1 : $2":"$3)}' "$TMP/plan2.csv" | sort | paste -sd'|')"
expect_eq "a pt-BR buyer reads Portuguese" "pt-BR" \
    "$(sql "SELECT m.locale FROM message m JOIN orders o ON o.id = m.order_id WHERE o.ext_id = 'B4'")"
plan --as-of 2022-05-25 --promo SORRY15 --discount 15% --promo-expires 2022-06-30 >/dev/null 2>&1
expect_eq "re-planning the campaign adds nothing" 9 "$(count '')"

cid=$(sql "SELECT id FROM message WHERE kind = 'compensation_coupon'")
expect_fail "approve: no such message" 1 "no message 999" bl messages approve 999
bl messages approve "$cid" 2>"$TMP/approve.err"
expect_eq "approve the coupon notice: one, said in the singular" "ballast: 1 message approved" \
    "$(cat "$TMP/approve.err")"
expect_eq "it is approved" approved "$(state_of compensation_coupon)"
expect_fail "approve twice" 1 "not waiting for approval" bl messages approve "$cid"

# ---- webhook, in another organisation ----------------------------------------------------
expect_ok "second organisation" load_org web
set_shops web && auto_send web late_shipment late_delivery out_of_stock unshipped_order
bl --org web messages plan --as-of 2022-05-10 --horizon 30 --to-domain $RELAY >/dev/null 2>&1
expect_eq "web: 4 messages (no coupon there)" 4 "$(count '' web)"
expect_eq "default organisation untouched" 9 "$(count '')"
mkdir -p "$TMP/hook"
echo -n 's3cret-key' >"$TMP/secret"
port=$(free_port)
python3 "$SRC/tests/lib/webhook_recv.py" "$port" "$TMP/hook" s3cret-key --fail 2 &
hook_pid=$!
trap 'stop $hook_pid; bl_cleanup' EXIT
wait_ready "$TMP/hook" && ok "webhook receiver up" || not_ok "webhook receiver up"
url="http://127.0.0.1:$port/ballast"
wsend() { "$BALLAST" --db "$DB" --org web messages send --via webhook --webhook "$url" "$@"; }
expect_fail "send: receiver fails the first 2 requests" 1 "webhook: HTTP 503" \
    wsend --secret-file "$TMP/secret" --backoff 0
expect_eq "2 failed with the reason, 2 sent" "failed 2 webhook: HTTP 503|sent 2 " \
    "$(sql "SELECT state, COUNT(*), COALESCE(last_error, '') FROM message WHERE org_id = 2 GROUP BY state, last_error ORDER BY state" | tr '|' ' ' | paste -sd'|')"
expect_ok "a later send retries them" wsend --secret-file "$TMP/secret" --backoff 0
expect_eq "all 4 sent" "sent 4" "$(sql "SELECT state, COUNT(*) FROM message WHERE org_id = 2 GROUP BY state" | tr '|' ' ')"
expect_eq "the receiver got 4, none twice, all signatures good" "4 0 0" \
    "$(ls "$TMP/hook"/*.json | wc -l) $(cat "$TMP/hook/duplicates" 2>/dev/null | wc -l) $(cat "$TMP/hook/bad_signatures" 2>/dev/null | wc -l)"
check=$(python3 - "$TMP/hook" <<'PY'
import glob, json, sys
bad = []
for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
    m = json.load(open(f, encoding="utf-8"))
    key = open(f[:-5] + ".key").read().strip()
    if m["idem"] != key:
        bad.append(f"{f}: idem {m['idem']} != header {key}")
    if m["kind"] == "late_delivery" and m["subject"] != "非常抱歉：您的订单B1延迟送达":
        bad.append("zh subject: " + m["subject"])
    if m["org"] != 2 or "@relay.lamps-light.shop" not in m["recipient"]:
        bad.append("fields: " + json.dumps(m)[:200])
print("; ".join(bad) or "good")
PY
)
expect_eq "JSON: key header, UTF-8 subject, fields" good "$check"
lid=$(sql "SELECT id FROM message WHERE org_id = 2 AND kind = 'late_delivery'")
sql "UPDATE message SET state = 'approved' WHERE org_id = 2 AND id = $lid" >/dev/null
echo -n wrong >"$TMP/wrong"
expect_fail "a wrong secret is refused by the receiver" 1 "HTTP 401" wsend --secret-file "$TMP/wrong"
expect_eq "... and left failed with the reason" "failed|webhook: HTTP 401" \
    "$(sql "SELECT state, last_error FROM message WHERE org_id = 2 AND id = $lid")"
# Killed mid-send: claimed long ago, never marked. Another one claimed just now belongs
# to a live sender and is left alone.
sql "UPDATE message SET state = 'sending', claimed_at = 1 WHERE org_id = 2 AND id = $lid" >/dev/null
aid=$(sql "SELECT id FROM message WHERE org_id = 2 AND kind = 'late_shipment'")
sql "UPDATE message SET state = 'sending', claimed_at = $(date +%s) WHERE org_id = 2 AND id = $aid" >/dev/null
expect_ok "send after a crash" wsend --secret-file "$TMP/secret"
expect_eq "the stale one is sent again, with a note" "sent|an earlier send was interrupted" \
    "$(sql "SELECT state, substr(last_error, 1, 31) FROM message WHERE org_id = 2 AND id = $lid")"
expect_eq "the live one is left to its sender" sending \
    "$(sql "SELECT state FROM message WHERE org_id = 2 AND id = $aid")"
expect_eq "the receiver sees the same key again and can drop it" 1 \
    "$(cat "$TMP/hook/duplicates" 2>/dev/null | wc -l)"
stop $hook_pid

# ---- CSV export ---------------------------------------------------------------------------
expect_ok "third organisation" load_org csv
set_shops csv && auto_send csv late_shipment late_delivery out_of_stock unshipped_order promo_code
bl --org csv messages plan --as-of 2022-05-10 --horizon 30 --to-domain $RELAY >/dev/null 2>&1
expect_fail "csv needs --out" 2 "--via csv needs --out" bl --org csv messages send --via csv
expect_ok "export" bl --org csv messages send --via csv --out "$TMP/out.csv"
check=$(python3 - "$TMP/out.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
kinds = sorted(r["kind"] for r in rows)
zh = [r for r in rows if r["kind"] == "unshipped_order"][0]
print(len(rows), ",".join(kinds), "multiline" if "\n" in zh["body"] and zh["body"].startswith("您好，") else "bad body")
PY
)
expect_eq "CSV: 4 rows, bodies intact" "4 late_delivery,late_shipment,out_of_stock,unshipped_order multiline" "$check"
expect_eq "exported messages are sent" "sent 4" "$(sql "SELECT state, COUNT(*) FROM message WHERE org_id = 3 GROUP BY state" | tr '|' ' ')"
cp "$TMP/out.csv" "$TMP/out1.csv"
expect_ok "export again" bl --org csv messages send --via csv --out "$TMP/out.csv"
expect_eq "nothing is exported twice" same "$(cmp -s "$TMP/out.csv" "$TMP/out1.csv" && echo same)"

# ---- marketing waits for the playbook ----------------------------------------------------
# A promo code for the customers hit; the playbook has paused marketing mail for P1,
# which both ordered: their promo codes wait; on restock (the action reverted) they go.
bl --org csv messages plan --as-of 2022-05-25 --promo SORRY15 --discount 15% \
    --promo-expires 2022-06-30 --horizon 30 --to-domain $RELAY >/dev/null 2>&1
sku=$(sql "SELECT id FROM sku WHERE org_id = 3 AND ext_id = 'P1'")
sql "INSERT INTO action (org_id, id, kind, target, target_id, field, before_val, after_val, state, reason, data, as_of, proposed_at, applied_at) VALUES (3, 1, 'pause_mail', 'sku', $sku, 'marketing_mail_paused', 0, 1, 'applied', 'stock-out', '', 0, 0, 0)" >/dev/null
bl --org csv messages send --via csv --out "$TMP/promo1.csv" >/dev/null 2>&1
expect_eq "marketing mail paused for P1: the promo codes wait" "" \
    "$([ -f "$TMP/promo1.csv" ] && awk -F, 'NR > 1 && $3 == "promo_code"' "$TMP/promo1.csv")"
expect_eq "they stay approved" 2 \
    "$(sql "SELECT COUNT(*) FROM message WHERE org_id = 3 AND kind = 'promo_code' AND state = 'approved'")"
sql "UPDATE action SET state = 'reverted', closed_at = 1 WHERE org_id = 3 AND id = 1" >/dev/null
bl --org csv messages send --via csv --out "$TMP/promo2.csv" >/dev/null 2>&1
expect_eq "restocked: the promo codes go out" "promo_code:c1,promo_code:c2" \
    "$(awk -F, 'NR > 1 && $3 == "promo_code" {print $3 ":" $6}' "$TMP/promo2.csv" | sort | paste -sd,)"

# ---- banners -------------------------------------------------------------------------------
out=$(bl --format json banners --as-of 2022-05-10)
check=$(python3 -c '
import json, sys
rows = json.loads(sys.stdin.read())
shops = sorted({r["shop"] for r in rows})
places = sorted((r["locale"], r["place"]) for r in rows)
zh = [r for r in rows if r["locale"] == "zh-CN" and r["place"] == "homepage"][0]
en = [r for r in rows if r["locale"] == "en" and r["place"] == "product"][0]
print(shops, len(places), "上海市" in zh["text"] and "5月31日" in zh["text"], en["title"])
' <<<"$out")
expect_eq "banners: the shop shipping from Shanghai, four locales, home and product pages (no lane: no shipping page)" \
    "['s1'] 8 True Ships within 22-24 business days" "$check"
expect_eq "no banner once the lockdown is over" "[]" "$(bl --format json banners --as-of 2022-06-02 | tr -d ' \n')"

bl_done
