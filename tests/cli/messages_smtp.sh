#!/usr/bin/env bash
# End-to-end: `messages send --via smtp` to a real SMTP server (aiosmtpd) that the
# test starts on a free loopback port. A server that is down leaves every message
# failed with the reason; one that refuses the first message (451) gets it on the
# next send; every message arrives once, with its headers, an RFC 2047 subject that
# decodes to the Chinese text, and a UTF-8 body; a message left `sending` by a
# killed run arrives again with the same Message-ID, so the receiver can drop it.
# Nothing addressed to, or linking, a reserved or test domain (RFC 2606/6761) ever
# reaches the server: planned ones are held, and an old one approved before the outbox
# held them is held by the sender. Without aiosmtpd (Debian python3-aiosmtpd) this test is skipped (77).
source "$(dirname "$0")/../lib/cli.bash"
source "$(dirname "$0")/../lib/messages.bash"
PY=$(smtp_python) || { echo "no aiosmtpd (apt-get install python3-aiosmtpd): skipping SMTP"; exit 77; }
bl_setup "$1" smtp
write_store_files

# One more late order, of a buyer whose address is on a reserved domain.
echo "C1,s1,P1,1,20.00,2022-05-05T00:00:00Z,2022-05-08T00:00:00Z,2022-05-15T00:00:00Z,US-CA,,,c9,en" \
    >>"$TMP/orders.csv"
expect_ok "load the store" load_org default
expect_ok "the shops' settings" set_shops default
expect_ok "every kind is sent without approval" auto_send default late_shipment late_delivery \
    out_of_stock compensation_coupon unshipped_order
# Three buyers with names and addresses; the others get <id>@relay.lamps-light.shop.
cat >"$TMP/customers.csv" <<'CSV'
id,name,email,locale
c1,Ana Souza,ana.souza@lamps-buyers.net,zh-CN
c3,王小明,wang@light-buyers.cn,
c9,Eve,eve@example.org,
CSV
expect_ok "import customers" bl import customers "$TMP/customers.csv"
bl compensate --as-of 2022-05-10 --profile own-site --all-shops >/dev/null 2>&1
bl messages plan --as-of 2022-05-10 --horizon 30 --to-domain $RELAY >/dev/null 2>&1
expect_eq "5 messages to send" 5 "$(sql "SELECT COUNT(*) FROM message WHERE state = 'approved'")"
expect_eq "the one to example.org is held" "late_shipment|reserved_recipient=example.org" \
    "$(sql "SELECT kind, hold FROM message WHERE state = 'held'")"

# A server that is down.
dead=$(free_port)
msend() { "$BALLAST" --db "$DB" messages send --via smtp --rate 0 "$@"; }
expect_fail "send to a server that is down" 1 "Couldn't connect" \
    msend --smtp "smtp://127.0.0.1:$dead" --backoff 3600
expect_eq "all failed with the reason, nothing lost" "5 5 5" \
    "$(sql "SELECT COUNT(*), SUM(attempts), SUM(CASE WHEN last_error LIKE 'smtp: %connect%' AND next_attempt_at IS NOT NULL THEN 1 ELSE 0 END) FROM message WHERE state = 'failed'" | tr '|' ' ')"
expect_ok "not retried before next_attempt_at" msend --smtp "smtp://127.0.0.1:$dead"
expect_eq "... still failed, no attempt (the held one never had one)" "failed 5|held 0" \
    "$(sql "SELECT state, SUM(attempts) FROM message GROUP BY state ORDER BY state" | tr '|' ' ' | paste -sd'|')"
sql "UPDATE message SET next_attempt_at = 0" >/dev/null # the backoff has passed
# Two messages as an older version stored them, approved: to the placeholder address,
# and linking the placeholder account page. The sender holds them.
for k in 1 2; do
    to=$([ $k = 1 ] && echo c8@customers.invalid || echo c7@$RELAY)
    sql "INSERT INTO message (org_id, id, idem, kind, order_id, shop_id, customer, locale, channel, recipient, subject, body, state, attempts, as_of, created_at, approved_at) VALUES (1, 100$k, 'old:$k', 'late_shipment', NULL, 1, 'c$k', 'en', 'email', '$to', 'Sorry', 'My Account: https://shop.example/account', 'approved', 0, 0, 0, 1)" >/dev/null
done

# The real server, refusing the first message once.
mkdir -p "$TMP/mail"
port=$(free_port)
"$PY" "$SRC/tests/lib/smtp_sink.py" "$port" "$TMP/mail" --fail 1 &
smtp_pid=$!
trap 'stop $smtp_pid; bl_cleanup' EXIT
wait_ready "$TMP/mail" && ok "SMTP server up" || not_ok "SMTP server up"
expect_fail "first message refused (451)" 1 "server reply 451" msend --smtp "smtp://127.0.0.1:$port" --backoff 0
expect_eq "4 sent, 1 failed with the server's reason, 3 held" "failed 1|held 3|sent 4" \
    "$(sql "SELECT state, COUNT(*) FROM message GROUP BY state ORDER BY state" | tr '|' ' ' | paste -sd'|')"
expect_eq "the old ones held by the sender, with the reason" \
    "old:1|reserved_recipient=customers.invalid;reserved_link=shop.example old:2|reserved_link=shop.example" \
    "$(sql "SELECT idem, hold FROM message WHERE idem LIKE 'old:%' ORDER BY idem" | paste -sd' ')"
expect_ok "the next send retries it" msend --smtp "smtp://127.0.0.1:$port" --backoff 0
expect_eq "all 5 sent, 3 held" "held 3|sent 5" \
    "$(sql "SELECT state, COUNT(*) FROM message GROUP BY state ORDER BY state" | tr '|' ' ' | paste -sd'|')"
expect_ok "nothing left to send" msend --smtp "smtp://127.0.0.1:$port"

check=$("$PY" - "$TMP/mail" <<'PY'
import email, email.policy, glob, sys
bad, ids, keys = [], set(), set()
files = sorted(glob.glob(sys.argv[1] + "/*.eml"))
for f in files:
    raw = open(f, "rb").read()
    head = raw.split(b"\r\n\r\n", 1)[0]
    if any(b > 127 for b in head):
        bad.append(f"{f}: raw 8-bit bytes in the header")
    m = email.message_from_bytes(raw, policy=email.policy.default)
    ids.add(m["Message-ID"])
    keys.add(m["X-Ballast-Idempotency-Key"])
    env = open(f[:-4] + ".env").read().split()
    if env[0] not in ("care@lamps-light.shop", "kefu@lamps-light.shop") or env[1] != m["To"].addresses[0].addr_spec:
        bad.append(f"{f}: envelope {env} vs To {m['To']}")
    if m.get_content_type() != "text/plain" or m.get_content_charset() != "utf-8":
        bad.append(f"{f}: {m['Content-Type']}")
    body = m.get_content().replace("\r\n", "\n")  # text is sent in canonical CRLF form
    key = m["X-Ballast-Idempotency-Key"]
    if key.startswith("out_of_stock:") and m["To"].addresses[0].addr_spec != "c4@relay.lamps-light.shop":
        bad.append("default address " + str(m["To"]))
    if key.startswith("late_delivery:"):
        if str(m["Subject"]) != "非常抱歉：您的订单B1延迟送达":
            bad.append("zh subject " + repr(str(m["Subject"])))
        if b"=?UTF-8?B?" not in head:
            bad.append("subject not RFC 2047 encoded")
        if m["From"].addresses[0].display_name != "灯与光":
            bad.append("from name " + str(m["From"]))
        if not body.startswith("尊敬的王小明：\n") or "灯与光客服团队" not in body:
            bad.append("zh body " + repr(body[:80]))
    if key.startswith("late_shipment:"):
        if str(m["Subject"]) != "We are sorry: your order A1 is shipping late" or "Dear Ana Souza," not in body:
            bad.append("en message (the order's locale wins over the customer's)")
        if m["To"].addresses[0].addr_spec != "ana.souza@lamps-buyers.net":
            bad.append("to " + str(m["To"]))
        if m["From"].addresses[0].display_name != "Lamps & Light":
            bad.append("en from name " + str(m["From"]))
    if not m["Date"] or not m["Message-ID"].endswith(".1@lamps-light.shop>"):
        bad.append(f"{f}: Date {m['Date']} Message-ID {m['Message-ID']}")
print(len(files), len(ids), len(keys), "; ".join(bad) or "good")
PY
)
expect_eq "5 messages arrived once each: headers, RFC 2047 subject, UTF-8 bodies" "5 5 5 good" "$check"

# Killed after the server took the message but before it was marked sent.
lid=$(sql "SELECT id FROM message WHERE kind = 'late_delivery'")
sql "UPDATE message SET state = 'sending', claimed_at = 1 WHERE id = $lid" >/dev/null
expect_ok "send after the crash" msend --smtp "smtp://127.0.0.1:$port"
check=$("$PY" - "$TMP/mail" <<'PY'
import collections, email, email.policy, glob, sys
c = collections.Counter()
for f in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    c[m["Message-ID"]] += 1
print(sum(c.values()), [k.split(".")[0][1:] for k, n in c.items() if n > 1])
PY
)
expect_eq "sent again with the same Message-ID (at least once; the receiver can dedupe)" \
    "6 ['late_delivery']" "$check"
expect_eq "... and marked sent with a note" "sent|an earlier send was interrupted" \
    "$(sql "SELECT state, substr(last_error, 1, 31) FROM message WHERE id = $lid")"
# Really killed: a server that keeps the message, then waits before answering; the
# sender is killed (SIGKILL) in between. Two new messages as of 2022-05-25.
bl messages plan --as-of 2022-05-25 --horizon 30 --to-domain $RELAY >/dev/null 2>&1
expect_eq "two more to send" 2 "$(sql "SELECT COUNT(*) FROM message WHERE state = 'approved'")"
mkdir -p "$TMP/slow"
slow=$(free_port)
"$PY" "$SRC/tests/lib/smtp_sink.py" "$slow" "$TMP/slow" --delay 5 &
slow_pid=$!
trap 'stop $smtp_pid $slow_pid; bl_cleanup' EXIT
wait_ready "$TMP/slow" && ok "slow SMTP server up" || not_ok "slow SMTP server up"
"$BALLAST" --db "$DB" messages send --via smtp --rate 0 \
    --smtp "smtp://127.0.0.1:$slow" >/dev/null 2>&1 &
send_pid=$! # the ballast process itself
for i in $(seq 1 100); do ls "$TMP/slow"/*.eml >/dev/null 2>&1 && break; sleep 0.1; done
{ kill -9 $send_pid; wait $send_pid; } 2>/dev/null
stop $slow_pid
expect_eq "killed mid-send: one message sending, one still approved" "approved 1|sending 1" \
    "$(sql "SELECT state, COUNT(*) FROM message WHERE state IN ('approved', 'sending') GROUP BY state ORDER BY state" | tr '|' ' ' | paste -sd'|')"
expect_ok "a send right after leaves the claimed one to its (dead) sender" \
    msend --smtp "smtp://127.0.0.1:$port"
expect_eq "... until --stale has passed" "sending 1" \
    "$(sql "SELECT state, COUNT(*) FROM message WHERE state NOT IN ('sent', 'held') GROUP BY state" | tr '|' ' ')"
expect_ok "send with --stale 0" msend --smtp "smtp://127.0.0.1:$port" --stale 0
expect_eq "everything sent but the held" "held 3" \
    "$(sql "SELECT state, COUNT(*) FROM message WHERE state <> 'sent' GROUP BY state" | tr '|' ' ')"
check=$("$PY" - "$TMP/slow" "$TMP/mail" <<'PY'
import email, email.policy, glob, sys
def ids(d):
    return [email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)["Message-ID"]
            for f in sorted(glob.glob(d + "/*.eml"))]
slow, fast = ids(sys.argv[1]), ids(sys.argv[2])
print(len(slow), slow[0] in fast, len(fast))
PY
)
expect_eq "the message the dead sender delivered arrives again with its Message-ID" "1 True 8" "$check"
# Nothing that reached the server is addressed to, sent from, or links a reserved domain.
check=$("$PY" - "$TMP/mail" "$TMP/slow" <<'PY'
import email, email.policy, glob, re, sys
reserved = re.compile(r"(^|\.)(test|example|invalid|localhost|example\.(com|net|org))$", re.I)
bad, n = [], 0
for d in sys.argv[1:]:
    for f in sorted(glob.glob(d + "/*.eml")):
        n += 1
        m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
        env = open(f[:-4] + ".env").read().split()
        hosts = [a.split("@")[-1] for a in env] + [m["To"].addresses[0].domain, m["From"].addresses[0].domain]
        body = m.get_content()
        hosts += re.findall(r"https?://([A-Za-z0-9.-]+)", body) + re.findall(r"@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", body)
        bad += [f"{f}: {h}" for h in hosts if reserved.search(h.rstrip("."))]
print(n, "; ".join(bad) or "none reserved")
PY
)
expect_eq "the server got 9 messages, none to, from or linking a reserved domain" "9 none reserved" "$check"
expect_eq "the held ones never had a send attempt" "0 3" \
    "$(sql "SELECT COALESCE(SUM(attempts), 0), COUNT(*) FROM message WHERE state = 'held' AND sent_at IS NULL" | tr '|' ' ')"
expect_fail "smtp needs --smtp" 2 "needs --smtp URL" bl messages send --via smtp --from x@y.z
stop $smtp_pid
bl_done
