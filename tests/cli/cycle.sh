#!/usr/bin/env bash
# End-to-end: `ballast cycle` runs the day's pass in order, records it, says what needs a
# decision, is idempotent (a second run at the same as-of issues nothing new and says so),
# resumes an unfinished cycle, stores nothing on a dry run, and delivers the operator's
# digest once per cycle per recipient by e-mail (a real SMTP server) and to Slack, Feishu
# and DingTalk (a local receiver that checks each platform's payload and signature).
source "$(dirname "$0")/../lib/cli.bash"
source "$(dirname "$0")/../lib/messages.bash"
bl_setup "$1" cycle

write_store_files
load_org default && ok "store loaded" || not_ok "store loaded"
count() { sql "SELECT COUNT(*) FROM $1 WHERE org_id = 1"; }
results() { echo "$(count coupon) $(count ledger) $(count message) $(count action) $(count alert)"; }

# --- usage and input errors
expect_fail "--as-of is required" 2 "--as-of is required" bl cycle
expect_fail "a bad as-of is named" 2 "--as-of 2022-13-40" bl cycle --as-of 2022-13-40
expect_fail "a shard outside 0..N-1" 2 "expected K/N" bl cycle --as-of 2022-05-10 --shard 2/2
expect_fail "a locale without a digest pack" 2 "expected en or zh-CN" bl cycle --as-of 2022-05-10 --locale fr
expect_fail "an unknown organisation" 1 "unknown organisation" "$BALLAST" --db "$DB" --org nobody cycle --as-of 2022-05-10
expect_fail "cycle show of a cycle that does not exist" 1 "no cycle 9" bl cycle show 9

# --- a dry run stores nothing
before=$(results)
out=$(bl cycle --as-of 2022-05-10 --dry-run 2>&1)
expect_eq "dry run: nothing stored" "$before" "$(results)"
expect_eq "dry run: no cycle recorded" 0 "$(count cycle)"
[[ $out == *"nothing was stored"* ]] && ok "dry run says so" || not_ok "dry run says so" "$out"

# --- the first cycle
out=$(bl cycle --as-of 2022-05-10 --no-digest 2>&1)
rc=$?
expect_eq "cycle exits 0" 0 "$rc"
[[ $out == *"Cycle 1 for default"* && $out == *"NEEDS A DECISION"* ]] && ok "summary: decisions first" \
    || not_ok "summary: decisions first" "$out"
[[ $out == *"1 stock-out playbook action waits for your approval: 1 delist."* ]] && ok "summary: the action waiting for approval" \
    || not_ok "summary: the action waiting for approval" "$out"
[[ $out == *"late-shipment coupons:"*"coupon"* ]] && ok "summary: coupons" || not_ok "summary: coupons" "$out"
[[ $out != *"late_shipment"* && $out != *"{{"* ]] && ok "summary: no raw codes or placeholders" \
    || not_ok "summary: no raw codes or placeholders" "$out"
expect_eq "cycle recorded done" "done" "$(sql "SELECT state FROM cycle WHERE org_id = 1 AND id = 1")"
expect_eq "every step recorded" 12 "$(sql "SELECT COUNT(*) FROM cycle_step WHERE org_id = 1 AND cycle_id = 1")"
first=$(results)
[ "$(count coupon)" -gt 0 ] && ok "coupons issued" || not_ok "coupons issued" "$first"
expect_eq "coupons carry the cycle" "$(count coupon)" "$(sql "SELECT COUNT(*) FROM coupon WHERE org_id = 1 AND cycle_id = 1")"
expect_eq "messages carry the cycle" "$(count message)" "$(sql "SELECT COUNT(*) FROM message WHERE org_id = 1 AND cycle_id = 1")"

# --- idempotent: a second run at the same as-of issues nothing new, and says so
out=$(bl cycle --as-of 2022-05-10 --no-digest 2>&1)
expect_eq "second run: nothing new" "$first" "$(results)"
[[ $out == *"0 coupons issued"*"issued before"* ]] && ok "second run says the coupons were issued before" \
    || not_ok "second run says the coupons were issued before" "$out"
[[ $out == *"Since the previous cycle"* || $out == *"CHANGED SINCE THE PREVIOUS CYCLE"* ]] \
    && ok "second run compares with the first" || not_ok "second run compares with the first" "$out"
json=$(bl --format json cycle --as-of 2022-05-10 --no-digest)
echo "$json" | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["state"] == "done" and len(j["steps"]) == 12, j
assert [s["step"] for s in j["steps"]] == ["forecast", "plan", "alerts", "playbook", "route",
    "assess", "compensate", "sla", "messages", "banners", "watch", "retention"], j
c = {s["step"]: s["counts"] for s in j["steps"]}
assert c["compensate"]["coupons_new"] == 0 and c["compensate"]["coupons_already"] > 0, c
assert c["messages"]["messages_new"] == 0, c
' && ok "json: every step in order, nothing new" || not_ok "json: every step in order, nothing new" "$json"
expect_eq "cycle list" "3" "$(bl --format csv cycle list | tail -n +2 | wc -l | tr -d ' ')"
out=$(bl cycle show 1)
[[ $out == *"Cycle 1"*"customer messages"* ]] && ok "cycle show" || not_ok "cycle show" "$out"
# the steps' seconds in one column, however long a step's name ("tax thresholds and
# support programmes" is longer than the others)
expect_eq "cycle show: the steps aligned" 1 \
    "$(printf '%s\n' "$out" | awk 'NR > 1 && / s  / { print index($0, " s  ") }' | sort -u | wc -l)"

# --- resume: an unfinished cycle is completed by the next run at its as-of
sql "UPDATE cycle SET state = 'running' WHERE org_id = 1 AND id = 3" >/dev/null
sql "DELETE FROM cycle_step WHERE org_id = 1 AND cycle_id = 3 AND step IN ('messages', 'banners')" >/dev/null
out=$(bl cycle --as-of 2022-05-10 --no-digest 2>&1)
[[ $out == *"Cycle 3 for default"*"completed an unfinished cycle"* ]] && ok "resumed cycle 3" \
    || not_ok "resumed cycle 3" "$out"
expect_eq "resumed cycle done" "done" "$(sql "SELECT state FROM cycle WHERE org_id = 1 AND id = 3")"
expect_eq "no fourth cycle" 3 "$(count cycle)"

# --- one cycle at a time: a cycle still running in a live process keeps a second out
sleep 30 &
live=$!
sql "UPDATE cycle SET state = 'running', runner = '$(hostname):$live' WHERE org_id = 1 AND id = 3" >/dev/null
expect_fail "a second cycle while one runs" 1 "cycle 3 of this organisation is running" bl cycle --as-of 2022-05-12 --no-digest
kill $live 2>/dev/null; wait $live 2>/dev/null
out=$(bl cycle --as-of 2022-05-10 --no-digest 2>&1)
[[ $out == *"Cycle 3 for default"*"completed an unfinished cycle"* ]] && ok "its process gone, the cycle is taken over" \
    || not_ok "its process gone, the cycle is taken over" "$out"

# --- the operator's digest: e-mail and three chat platforms
PY=$(smtp_python) || { echo "# no aiosmtpd: digest part skipped"; bl_done; exit $?; }
mport=$(free_port); cport=$(free_port)
mkdir -p "$TMP/mail" "$TMP/chat"
"$PY" "$SRC/tests/lib/smtp_sink.py" "$mport" "$TMP/mail" &
mpid=$!
python3 "$SRC/tests/lib/chat_recv.py" "$cport" "$TMP/chat" SECsecret &
cpid=$!
trap 'stop $mpid $cpid; bl_cleanup' EXIT
wait_ready "$TMP/mail" && wait_ready "$TMP/chat" && ok "receivers up" || not_ok "receivers up"
printf 'SECsecret\n' >"$TMP/secret"
printf 'SECwrong\n' >"$TMP/wrong"
hook="http://127.0.0.1:$cport"
expect_ok "notify add email" bl notify add --email ops@seller.test --smtp "smtp://127.0.0.1:$mport" --from ballast@seller.test
expect_ok "notify add slack" bl notify add --webhook "$hook/slack" --kind slack
expect_ok "notify add feishu (zh-CN)" bl notify add --webhook "$hook/feishu" --kind feishu --secret-file "$TMP/secret" --locale zh-CN
expect_ok "notify add dingtalk" bl notify add --webhook "$hook/dingtalk?access_token=tok123" --kind dingtalk --secret-file "$TMP/secret"
expect_fail "notify add: not an address" 1 "not an e-mail address" bl notify add --email ops --smtp smtp://h:25 --from a@b.test
expect_fail "notify add: e-mail needs an SMTP server" 1 "needs --smtp" bl notify add --email a@b.test --from c@d.test
expect_fail "notify add: unknown chat" 1 "expected email, slack" bl notify add --webhook "$hook/x" --kind wechat
expect_fail "notify add: not a URL" 1 "http(s)://" bl notify add --webhook ftp://h/x --kind slack
expect_fail "notify add: the same twice" 1 "already a recipient" bl notify add --webhook "$hook/slack" --kind slack
expect_fail "notify add: a locale without a pack" 1 "en or zh-CN" bl notify add --webhook "$hook/x" --kind slack --locale fr
list=$(bl notify list)
[[ $list != *SECsecret* && $list != *tok123* ]] && ok "notify list shows no secret or token" || not_ok "notify list shows no secret or token" "$list"

out=$(bl cycle --as-of 2022-05-11 2>&1)
[[ $out == *"4 sent, 0 already sent, 0 failed"* ]] && ok "digest sent to 4 recipients" || not_ok "digest sent to 4 recipients" "$out"
expect_eq "one e-mail" 1 "$(ls "$TMP/mail"/*.eml 2>/dev/null | wc -l | tr -d ' ')"
expect_eq "one Slack, one Feishu, one DingTalk message" "1 1 1" \
    "$(ls "$TMP/chat"/slack.*.txt | wc -l) $(ls "$TMP/chat"/feishu.*.txt | wc -l) $(ls "$TMP/chat"/dingtalk.*.txt | wc -l)"
grep -q "NEEDS A DECISION" "$TMP/chat"/slack.*.txt && ok "Slack gets the English digest" || not_ok "Slack gets the English digest"
grep -q "待您决定" "$TMP/chat"/feishu.*.txt && ok "Feishu gets the Chinese digest (signed)" || not_ok "Feishu gets the Chinese digest (signed)"
grep -q "NEEDS A DECISION" "$TMP/chat"/dingtalk.*.txt && ok "DingTalk gets the digest (signed)" || not_ok "DingTalk gets the digest (signed)"
mail=$(python3 -c '
import email, email.policy, sys, glob
m = email.message_from_binary_file(open(sorted(glob.glob(sys.argv[1] + "/*.eml"))[0], "rb"),
                                   policy=email.policy.default)
print(m["Subject"]); print(m.get_content())' "$TMP/mail")
[[ $mail == *"Ballast default 2022-05-11"*"NEEDS A DECISION"* ]] && ok "the e-mail digest" || not_ok "the e-mail digest" "$mail"
[ ! -f "$TMP/chat/refused" ] && ok "every payload and signature accepted" || not_ok "every payload and signature accepted" "$(cat "$TMP/chat/refused")"

# once per cycle per recipient: completing the same cycle again sends nothing new; a
# recipient that failed is tried again
cyc=$(sql "SELECT MAX(id) FROM cycle WHERE org_id = 1")
expect_ok "a recipient whose secret is wrong" bl notify add --webhook "$hook/feishu?bot=2" --kind feishu --secret-file "$TMP/wrong"
sql "UPDATE cycle SET state = 'running' WHERE org_id = 1 AND id = $cyc" >/dev/null
out=$(bl cycle --as-of 2022-05-11 2>&1)
expect_eq "a failed delivery exits 1" 1 "$?"
[[ $out == *"0 sent, 4 already sent, 1 failed"* && $out == *"sign"* ]] && ok "the same cycle: 4 already sent, the bad secret fails with the platform's reason" \
    || not_ok "the same cycle: 4 already sent, the bad secret fails with the platform's reason" "$out"
expect_eq "still one e-mail" 1 "$(ls "$TMP/mail"/*.eml | wc -l | tr -d ' ')"
expect_eq "attempts recorded" "failed 1" "$(sql "SELECT state, attempts FROM digest_delivery WHERE org_id = 1 AND target_id = 5" | tr '|' ' ')"

bl_done
