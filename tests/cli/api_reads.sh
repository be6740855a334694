#!/usr/bin/env bash
# End-to-end: what the HTTP API answers (issue 16): orders a page at a time (every order
# once, in order, a cursor per page), one order with its lines, ETag and If-None-Match
# (304), disruptions declared once under an Idempotency-Key however often the request is
# retried, the cycle run, listed and shown, the assessment per rule, the outbox, /metrics.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_reads
api_fixture
api_start

# --- orders, a page at a time
all=$(bl --format csv orders list | tail -n +2 | cut -d, -f1,2 | tr '\n' ' ')
seen=""
cursor=""
pages=0
while :; do
    req GET "/api/v1/orders?limit=7${cursor:+&cursor=$cursor}" "$TOK_viewer"
    [ "$STATUS" = 200 ] || { not_ok "orders page" "$STATUS $BODY"; break; }
    seen="$seen$(jpy '"".join(o["shop"] + "," + o["id"] + " " for o in d["orders"])')"
    pages=$((pages + 1))
    cursor=$(jpy 'd["next_cursor"] or ""')
    [ -z "$cursor" ] || [ $pages -gt 10 ] && break
done
expect_eq "pages of 7: 27 orders in 4 pages" 4 "$pages"
if [ "$(tr ' ' '\n' <<<"$seen" | sed '/^$/d' | sort)" = "$(tr ' ' '\n' <<<"$all" | sed '/^$/d' | sort)" ]; then
    ok "every order once, as 'orders list' has them"
else
    not_ok "every order once" "api: $seen" "cli: $all"
fi
req GET "/api/v1/orders?shop=s2&limit=1000" "$TOK_viewer"
expect_eq "?shop= filters" "o3 o4 o1" "$(jpy '" ".join(o["id"] for o in d["orders"])')"
req GET "/api/v1/orders?status=cancelled" "$TOK_viewer"
expect_eq "?status= filters" "o2" "$(jpy '" ".join(o["id"] for o in d["orders"])')"
req GET "/api/v1/orders?from=2024-03-02T00:00:00Z&to=2024-04-11" "$TOK_viewer"
expect_eq "?from=&to= filter by placed time" "o5 p10 p11" "$(jpy '" ".join(o["id"] for o in d["orders"])')"
req GET "/api/v1/orders?status=lost" "$TOK_viewer"
expect_status "an unknown status: 422, as the CLI says it" 422 invalid

# --- one order
req GET "/api/v1/orders/o1" "$TOK_viewer"
expect_status "o1 is in two shops: 409" 409 ambiguous
req GET "/api/v1/orders/o1?shop=s1" "$TOK_viewer"
expect_eq "one order: lines, amount, times" "2 k1,k2 27.48 USD 2024-03-02T09:00:00Z" \
    "$(jpy '"%d %s %s %s %s" % (d["line_count"], ",".join(l["sku"] for l in d["lines"]), d["amount"]["amount"], d["amount"]["currency"], d["shipped_at"])')"
req GET "/api/v1/orders/nope" "$TOK_viewer"
expect_status "an unknown order: 404" 404 not_found

# --- ETag
etag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOK_viewer" "$URL/api/v1/shops" |
    tr -d '\r' | sed -n 's/^ETag: //Ip')
[ -n "$etag" ] && ok "a read answers an ETag" || not_ok "ETag"
req GET /api/v1/shops "$TOK_viewer" "" -H "If-None-Match: $etag"
expect_eq "If-None-Match with it: 304, no body" "304:" "$STATUS:$BODY"
req GET /api/v1/shops "$TOK_viewer" "" -H 'If-None-Match: "stale"'
expect_eq "with another: 200" 200 "$STATUS"

# --- declare a disruption under an Idempotency-Key
dis='{"region": "US-CA", "scope": "destination", "kind": "weather", "from": "2024-03-01T00:00:00Z", "to": "2024-03-04T00:00:00Z", "note": "storm"}'
req POST /api/v1/disruptions "$TOK_operator" "$dis" -H 'Idempotency-Key: storm-1'
expect_status "declare: 201" 201
first=$BODY
expect_eq "... who declared it, as a person reads it" "API token 'ops desk'" "$(jpy 'd["history"][0]["by"]')"
for _ in 1 2 3; do req POST /api/v1/disruptions "$TOK_operator" "$dis" -H 'Idempotency-Key: storm-1'; done
expect_eq "retried three times: the same answer" "201 $first" "$STATUS $BODY"
req GET /api/v1/disruptions "$TOK_viewer"
expect_eq "... and one disruption" 1 "$(jpy 'len(d["disruptions"])')"
req POST /api/v1/disruptions "$TOK_operator" "${dis/storm/flood}" -H 'Idempotency-Key: storm-1'
expect_status "the key again with another body: 422" 422 idempotency_key_reused
req POST /api/v1/disruptions "$TOK_operator" "$dis" -H 'Idempotency-Key: storm-2'
expect_status "another key declares another" 201
req GET "/api/v1/disruptions?active_at=2024-03-02T00:00:00Z&region=US" "$TOK_viewer"
expect_eq "?active_at=&region= filter" 2 "$(jpy 'len(d["disruptions"])')"
req GET "/api/v1/disruptions?region=CN-ZZ" "$TOK_viewer"
expect_status "a region that is not one: 400" 400 invalid
expect_eq "... naming it, with what was meant" "region CN-ZJ (Zhejiang)" \
    "$(jpy 'd["error"]["field"] + " " + d["error"]["message"].split("did you mean ")[-1].rstrip("?")')"

# --- the cycle
req POST /api/v1/cycles "$TOK_operator" '{"as_of": "2024-03-10", "digest": false}' -H 'Idempotency-Key: day-1'
expect_status "POST /api/v1/cycles: 201" 201
cyc=$(jpy 'd["id"]')
expect_eq "... every step ran" "forecast plan alerts playbook route assess compensate sla messages banners watch retention" \
    "$(jpy '" ".join(s["step"] for s in d["steps"])')"
req POST /api/v1/cycles "$TOK_operator" '{"as_of": "2024-03-10", "digest": false}' -H 'Idempotency-Key: day-1'
expect_eq "retried: the same cycle" "$cyc" "$(jpy 'd["id"]')"
req GET /api/v1/cycles "$TOK_viewer"
expect_eq "one cycle listed" "1 done" "$(jpy '"%d %s" % (len(d["cycles"]), d["cycles"][0]["state"])')"
req GET "/api/v1/cycles/$cyc" "$TOK_viewer"
expect_eq "shown with its steps" 12 "$(jpy 'len(d["steps"])')"
req POST /api/v1/cycles "$TOK_operator" '{"as_of": "yesterday"}'
expect_status "an as_of that is not one: 422" 422 invalid
req POST /api/v1/cycles "$TOK_operator" '{"as_of": "2024-03-10", "colour": "red"}'
expect_status "an unknown member: 422" 422 invalid

# --- the assessment and the outbox
req GET "/api/v1/assessments?as_of=2024-03-10&shop=s1" "$TOK_viewer"
expect_eq "the assessment of s1, per rule" "s1 amazon" "$(jpy '"%s %s" % (d["shops"][0]["shop"], d["shops"][0]["profile"])')"
[ "$(jpy 'all(r["status"] in ("ok", "at_risk", "breach", "no_data") for r in d["shops"][0]["rules"]) and len(d["shops"][0]["rules"]) > 0')" = True ] &&
    ok "... each rule with its status" || not_ok "rules" "$BODY"
req GET "/api/v1/messages?state=held" "$TOK_viewer"
expect_status "the outbox: 200" 200
expect_eq "... as 'messages list' has it" "$(bl --format csv messages list --state held | tail -n +2 | wc -l)" "$(jpy 'len(d["messages"])')"

# --- /metrics
metrics=$(curl -s "$URL/metrics")
[[ "$metrics" == *'ballast_http_requests_total{method="POST",route="/api/v1/disruptions",status="201"} 5'* ]] &&
    ok "/metrics: requests by route and status (replays too)" ||
    not_ok "metrics by route" "$(grep disruptions <<<"$metrics" | tr '\n' ' ')"
[[ "$metrics" == *'ballast_http_request_duration_seconds_bucket{method="GET",route="/api/v1/orders",le="+Inf"}'* ]] &&
    ok "/metrics: a latency histogram per route" || not_ok "histogram" "$metrics"
[[ "$metrics" == *"ballast_store_errors_total 0"* ]] && ok "/metrics: store errors" || not_ok "store errors" "$metrics"
api_stop
bl_done
