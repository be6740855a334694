#!/usr/bin/env bash
# End-to-end: who may call the HTTP API (issue 16). Tokens: missing, malformed, unknown,
# expired, revoked -> 401; each role against each route of the route table (read from
# /api/v1/openapi.json, which the table generates) -> 403 exactly when the role is below
# the route's; another organisation's ids in the path and the query -> 404.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_auth
api_fixture
TOK_revoked=$(bl token create --role admin --label "old laptop" 2>/dev/null)
rid=$(bl --format csv token list | awk -F, '$3=="old laptop" {print $1}')
expect_ok "token revoke" bl token revoke "$rid"
expect_fail "revoke twice" 1 "was revoked already" bl token revoke "$rid"
expect_fail "a token id of another organisation: not found" 1 "has no token" bl token revoke "$rid" --org rival
list=$(bl --format csv token list)
[[ "$list" != *blt_* ]] && ok "token list shows no secret" || not_ok "token list shows no secret" "$list"
[[ "$(bl token create --role root 2>&1)" == *"expected viewer, operator or admin"* ]] &&
    ok "token create: an unknown role is refused" || not_ok "unknown role"

api_start --threads 2
exp_at=$(($(date +%s) + 15)) # time enough for a slow (sanitizer, loaded) build to use it first
TOK_expiring=$(bl token create --role admin --expires "$(date -u -d "@$exp_at" +%Y-%m-%dT%H:%M:%SZ)" 2>/dev/null)
req GET /api/v1/org "$TOK_expiring"
expect_status "a token before it expires works" 200

# --- 401
req GET /api/v1/org
expect_status "no token: 401" 401 unauthenticated
req GET "/api/v1/orders?colour=red"
expect_status "no token, an unknown parameter: 401 first (nothing said of the route)" 401 unauthenticated
req GET /api/v1/org "not-a-token"
expect_status "malformed token: 401" 401 token_malformed
req GET /api/v1/org "blt_1_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "a token that does not exist: 401" 401 token_unknown
# the next to last character: the last one's low bits are padding, which makes it malformed
c=${TOK_admin: -2:1}
forged="${TOK_admin:0:${#TOK_admin}-2}$([ "$c" = A ] && echo B || echo A)${TOK_admin: -1}"
req GET /api/v1/org "$forged"
expect_status "the right id with a wrong secret: 401" 401 token_unknown
req GET /api/v1/org "$TOK_revoked"
expect_status "revoked token: 401" 401 token_revoked
while [ "$(date +%s)" -le "$exp_at" ]; do sleep 0.2; done
req GET /api/v1/org "$TOK_expiring"
expect_status "expired token: 401" 401 token_expired
www=$(curl -s -D - -o /dev/null "$URL/api/v1/org" | tr -d '\r' | grep -i '^WWW-Authenticate')
[[ "$www" == *Bearer* ]] && ok "401 says WWW-Authenticate: Bearer" || not_ok "WWW-Authenticate" "$www"
req GET /api/v1/org "$TOK_viewer"
expect_eq "the token's organisation and role" "default viewer" "$(jpy 'd["name"] + " " + d["role"]')"

# --- each role against each route, from the document the route table generates
req GET /api/v1/openapi.json
printf '%s' "$BODY" > "$TMP/openapi.json"
python3 - "$TMP/openapi.json" > "$TMP/routes" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for path, item in doc["paths"].items():
    for method, op in item.items():
        print(method.upper(), path.replace("{id}", "1").replace("{shop}", "1").replace("{name}", "1"),
              op["x-required-role"])
PY
rank() { case $1 in none) echo 0 ;; viewer) echo 1 ;; operator) echo 2 ;; admin) echo 3 ;; platform) echo 4 ;; esac; }
n=0
bad=""
while read -r method path need; do
    for role in viewer operator admin platform; do
        tok_var="TOK_$role"
        body=""
        [ "$method" = POST ] && body='{}' # refused by the handler (422), never run
        req "$method" "$path" "${!tok_var}" "$body"
        n=$((n + 1))
        if [ "$(rank "$role")" -ge "$(rank "$need")" ]; then
            [ "$STATUS" = 403 ] || [ "$STATUS" = 401 ] && bad="$bad [$role $method $path: $STATUS]"
        else
            [ "$STATUS" = 403 ] || bad="$bad [$role $method $path: $STATUS, wanted 403]"
            [[ "$BODY" == *"needs the $need role; this token is $role"* ]] ||
                bad="$bad [$role $method $path: 403 without saying why]"
        fi
    done
done < "$TMP/routes"
[ "$(wc -l < "$TMP/routes")" -ge 15 ] && expect_eq "role x route: $n requests, 403 exactly below the route's role" "" "$bad" ||
    not_ok "role x route" "$(cat "$TMP/routes")"

# --- tenant scoping: rival's ids answer 404 to default's token, never 403
req GET /api/v1/orders/r-o1 "$TOK_admin"
expect_status "another organisation's order: 404" 404 not_found
req GET /api/v1/orders/r-o1 "$TOK_rival"
expect_status "... which its own organisation reads" 200
req GET "/api/v1/orders?shop=r1" "$TOK_admin"
expect_status "another organisation's shop in the query: 404" 404 not_found
req GET "/api/v1/orders/o1?shop=r1" "$TOK_admin"
expect_status "another organisation's shop with an order id of ours: 404" 404 not_found
req GET /api/v1/disruptions/3 "$TOK_admin"
expect_status "another organisation's disruption id: 404" 404 not_found
req GET /api/v1/disruptions/3 "$TOK_rival"
expect_status "... which its own organisation reads" 200
req GET "/api/v1/assessments?shop=r1" "$TOK_admin"
expect_status "another organisation's shop in the assessment: 404" 404 not_found
req GET /api/v1/disruptions "$TOK_admin"
expect_eq "the list holds only the caller's disruptions" 0 "$(jpy 'len(d["disruptions"])')"
req GET /api/v1/tokens "$TOK_rival"
expect_eq "a token lists only its organisation's tokens" 1 "$(jpy 'len(d["tokens"])')"
req GET "/api/v1/orders?limit=1000" "$TOK_rival"
expect_eq "orders: only the caller's" "r-o1" "$(jpy '",".join(o["id"] for o in d["orders"])')"

api_stop
expect_eq "SIGTERM: the server stops cleanly" 0 "$API_RC"
bl_done
