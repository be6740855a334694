#!/usr/bin/env bash
# End-to-end: retention (issue 16; docs/internals/retention.md). Rows of known ages in the
# webhook outbox (events, deliveries delivered, failed, cancelled, pending), the
# Idempotency-Keys (answered, within their lease, abandoned, from before leases) and the
# audit log; `retention prune` and the daily cycle's last step remove exactly those older
# than the settings (defaults, then the organisation's own), never a pending delivery, its
# event, or a key within its lease, and nothing of another organisation; `retention show`,
# the digest, GET/PATCH /api/v1/retention and /metrics say how many rows went.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" retention
api_fixture

sql() {
    if [ "$BACKEND" = sqlite ]; then sqlite3 -cmd '.timeout 5000' "$DB" "$1"; else psql -qtA "$DB" -c "$1"; fi
}
org_id() { sql "SELECT id FROM org WHERE name = '$1'"; }
D=86400
now=$(date +%s)

# rows of known ages for organisation $1 (ids from 900001, past what the allocator gives)
seed() {
    local o=$1 t=$now
    sql "INSERT INTO hook_event (org_id, id, type, data, dedup, created_at) VALUES
        ($o, 900001, 'alert.raised', '{}', NULL, $((t - 40 * D))),
        ($o, 900002, 'alert.raised', '{}', NULL, $((t - 40 * D))),
        ($o, 900003, 'alert.raised', '{}', NULL, $((t - 40 * D))),
        ($o, 900004, 'alert.raised', '{}', NULL, $((t - 10 * D))),
        ($o, 900005, 'alert.raised', '{}', NULL, $((t - 100 * D))),
        ($o, 900006, 'alert.raised', '{}', NULL, $((t - 10 * D)))" >/dev/null
    # (webhook, event, state, next_at, last_at, delivered_at)
    sql "INSERT INTO hook_delivery (org_id, webhook_id, event_id, state, attempts, next_at,
        claimed_until, claim, last_status, last_error, last_at, delivered_at) VALUES
        ($o, 1, 900001, 'delivered', 1, $((t - 40 * D)), 0, 0, 200, NULL, $((t - 40 * D)), $((t - 40 * D))),
        ($o, 1, 900002, 'failed', 8, $((t - 41 * D)), 0, 0, 500, 'HTTP 500', $((t - 40 * D)), NULL),
        ($o, 1, 900003, 'pending', 0, $((t - 40 * D)), 0, 0, NULL, NULL, NULL, NULL),
        ($o, 1, 900004, 'delivered', 1, $((t - 10 * D)), 0, 0, 200, NULL, $((t - 10 * D)), $((t - 10 * D))),
        ($o, 2, 900002, 'failed', 8, $((t - 101 * D)), 0, 0, 500, 'HTTP 500', $((t - 100 * D)), NULL),
        ($o, 2, 900001, 'cancelled', 0, $((t - 100 * D)), 0, 0, NULL, NULL, NULL, NULL)" >/dev/null
    # (key, status, lease_until, created_at)
    sql "INSERT INTO api_idem (org_id, idem_key, route, req_hash, status, body, created_at, lease_until)
        VALUES
        ($o, 'answered-3d', 'POST /api/v1/x', '\\x00', 201, '{}', $((t - 3 * D - 900)), $((t - 3 * D))),
        ($o, 'answered-2h', 'POST /api/v1/x', '\\x00', 201, '{}', $((t - 7200 - 900)), $((t - 7200))),
        ($o, 'running', 'POST /api/v1/x', '\\x00', 0, NULL, $((t - 60)), $((t + 900))),
        ($o, 'abandoned-2d', 'POST /api/v1/x', '\\x00', 0, NULL, $((t - 2 * D - 900)), $((t - 2 * D))),
        ($o, 'before-leases-5d', 'POST /api/v1/x', '\\x00', 201, '{}', $((t - 5 * D)), NULL)" >/dev/null
    sql "INSERT INTO audit (org_id, id, at, actor, via, action, object_kind) VALUES
        ($o, 900001, $((t - 500 * D)), 'old', 'cli', 'org.currency', 'org'),
        ($o, 900002, $((t - 401 * D)), 'old', 'cli', 'org.currency', 'org'),
        ($o, 900003, $((t - 100 * D)), 'old', 'cli', 'org.currency', 'org')" >/dev/null
}
left() { # what is left of the seeded rows of organisation $1
    local o=$1
    echo "events: $(sql "SELECT id - 900000 FROM hook_event WHERE org_id = $o AND id > 900000 ORDER BY id" | paste -sd' ')"
    echo "deliveries: $(sql "SELECT webhook_id || ':' || (event_id - 900000) || ':' || state FROM hook_delivery WHERE org_id = $o AND event_id > 900000 ORDER BY webhook_id, event_id" | paste -sd' ')"
    echo "keys: $(sql "SELECT idem_key FROM api_idem WHERE org_id = $o AND route = 'POST /api/v1/x' ORDER BY idem_key" | paste -sd' ')"
    echo "audit: $(sql "SELECT id - 900000 FROM audit WHERE org_id = $o AND id > 900000 ORDER BY id" | paste -sd' ')"
}

def=$(org_id default)
riv=$(org_id rival)
seed "$def"
seed "$riv"
before_rival=$(left "$riv")

# --- the defaults: delivered 30 days, failed 90, events 30, keys 1 day past the lease,
#     audit 400
show=$(bl --format csv retention show)
expect_eq "retention show: the defaults" \
    "webhook_delivered 30 default|webhook_failed 90 default|webhook_events 30 default|idempotency 1 default|audit 400 default" \
    "$(tail -n +2 <<<"$show" | awk -F, '{print $1, $2, $3}' | paste -sd'|')"
out=$(bl --format csv retention prune)
expect_eq "retention prune: the rows each kind lost" \
    "webhook_delivered 1|webhook_failed 2|webhook_events 2|idempotency 3|audit 2" \
    "$(tail -n +2 <<<"$out" | awk -F, '{print $1, $2}' | paste -sd'|')"
expect_eq "what is kept: the pending delivery and its event, a failed one of 40 days and its event, the recent; keys within a day of their lease; the audit of 100 days" \
    "events: 2 3 4 6
deliveries: 1:2:failed 1:3:pending 1:4:delivered
keys: answered-2h running
audit: 3" "$(left "$def")"
expect_eq "another organisation's rows are untouched" "$before_rival" "$(left "$riv")"
out=$(bl --format csv retention prune)
expect_eq "a second prune finds nothing more" "0 0 0 0 0" \
    "$(tail -n +2 <<<"$out" | awk -F, '{print $2}' | paste -sd' ')"
expect_eq "retention show: rows pruned in all, and at the last prune" \
    "webhook_delivered 1 0|webhook_failed 2 0|webhook_events 2 0|idempotency 3 0|audit 2 0" \
    "$(bl --format csv retention show | tail -n +2 | awk -F, '{print $1, $5, $7}' | paste -sd'|')"

# --- the organisation's own settings
expect_ok "retention set" bl retention set --webhook-failed 30 --audit 60 --idempotency keep
expect_fail "retention set: 0 days is refused" 2 "expected a whole number from 1 to 36500" \
    bl retention set --audit 0
expect_fail "retention set: nothing to set" 2 "give one or more" bl retention set
row=$(bl --format json audit --action retention.set --limit 1)
expect_eq "the change is in the audit log, before and after" \
    '{"audit": "default", "idempotency": "default", "webhook_delivered": "default", "webhook_events": "default", "webhook_failed": "default"} -> {"audit": 60, "idempotency": "keep", "webhook_delivered": "default", "webhook_events": "default", "webhook_failed": 30}' \
    "$(python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(json.dumps(json.loads(r["before"]), sort_keys=True), "->", json.dumps(json.loads(r["after"]), sort_keys=True))' <<<"$row")"
sql "UPDATE api_idem SET lease_until = $((now - 30 * D)) WHERE org_id = $def AND idem_key = 'answered-2h'" >/dev/null
out=$(bl --format csv retention prune)
expect_eq "with them: the failed delivery of 40 days and its event, the audit of 100 days; keys kept" \
    "webhook_delivered 0|webhook_failed 1|webhook_events 1|idempotency 0|audit 1" \
    "$(tail -n +2 <<<"$out" | awk -F, '{print $1, $2}' | paste -sd'|')"
expect_eq "... and the pending delivery stays, however old" \
    "events: 3 4 6
deliveries: 1:3:pending 1:4:delivered
keys: answered-2h running
audit: " "$(left "$def")"
expect_ok "retention set back to the defaults" bl retention set --webhook-failed default \
    --audit default --idempotency default

# --- the daily cycle's last step, its digest, and its dry run (the rival's rows, seeded
#     above, as the default's were)
digest=$(bl --org rival cycle --as-of 2024-03-10T00:00:00Z 2>&1)
[[ "$digest" == *"old records removed (retention)"*"1 delivered webhook removed, 2 failed webhooks removed, 2 webhook events removed, 3 idempotency keys removed, 2 audit entries removed"* ]] &&
    ok "the cycle prunes, and its digest says what went" || not_ok "the cycle's digest" "$digest"
expect_eq "... the rival's rows as the default's were" "events: 2 3 4 6
deliveries: 1:2:failed 1:3:pending 1:4:delivered
keys: answered-2h running
audit: 3" "$(left "$riv")"
zh=$(bl --org rival --format json cycle show 1 | python3 -c 'import json,sys; print([s["state"] for s in json.load(sys.stdin) if s["step"] == "retention"][0])')
expect_eq "cycle show: the retention step done" "done" "$zh"
dry=$(bl --org rival cycle --as-of 2024-03-11T00:00:00Z --dry-run --locale zh-CN 2>&1)
[[ "$dry" == *"试运行不删除任何数据"* ]] && ok "a dry run removes nothing (in Chinese too)" ||
    not_ok "dry run" "$dry"

# --- the API: admins only, and /metrics
api_start --threads 2
req GET /api/v1/retention "$TOK_admin"
expect_status "GET /api/v1/retention" 200
expect_eq "... each kind's days and rows pruned" \
    "webhook_delivered 30 1|webhook_failed 90 3|webhook_events 30 3|idempotency 1 3|audit 400 3" \
    "$(jpy '"|".join("%s %s %s" % (k["kind"], k["days"], k["pruned"]) for k in d["retention"])')"
req GET /api/v1/retention "$TOK_operator"
expect_status "an operator may not read it" 403 forbidden
req PATCH /api/v1/retention "$TOK_admin" '{"audit": 730, "webhook_events": "keep"}'
expect_status "PATCH /api/v1/retention" 200
expect_eq "... sets what it names" "audit 730 False|webhook_events keep False|webhook_failed 90 True" \
    "$(jpy '"|".join("%s %s %s" % (k["kind"], k["days"], k["default"]) for k in sorted(d["retention"], key=lambda k: k["kind"]) if k["kind"] in ("audit", "webhook_events", "webhook_failed"))')"
req PATCH /api/v1/retention "$TOK_admin" '{"audit": 0}'
expect_status "0 days: 422 naming the member" 422 invalid
expect_eq "... the field" "audit" "$(jpy 'd["error"]["field"]')"
req PATCH /api/v1/retention "$TOK_admin" '{"orders": 3}'
expect_status "an unknown kind: 422" 422 invalid
req PATCH /api/v1/retention "$TOK_admin" '{}'
expect_status "nothing to change: 422" 422 missing
req GET /api/v1/retention "$TOK_admin"
expect_eq "a refused PATCH changed nothing" "730" \
    "$(jpy '[k["days"] for k in d["retention"] if k["kind"] == "audit"][0]')"
metrics=$(curl -s "$URL/metrics")
expect_eq "/metrics: the rows pruned, by organisation and kind" \
    'ballast_retention_pruned_rows_total{org="default",kind="audit"} 3
ballast_retention_pruned_rows_total{org="rival",kind="audit"} 2' \
    "$(grep '^ballast_retention_pruned_rows_total{.*kind="audit"' <<<"$metrics")"
expect_eq "/metrics: the last prune's" 'ballast_retention_last_pruned_rows{org="default",kind="webhook_failed"} 1' \
    "$(grep '^ballast_retention_last_pruned_rows{org="default",kind="webhook_failed"' <<<"$metrics")"
api_stop

bl_done
