#!/usr/bin/env bash
# End-to-end: users, sessions, the platform operator and the audit log over the HTTP API
# (issue 16). A user signs in for a 12-hour token and out again; five wrong passwords lock
# the name (429), even for the right one. A marketplace's platform token lists the two
# merchants it governs, not a third, and acts on one with Ballast-Org (404 for one it does
# not govern); a merchant's token naming another organisation is refused. GET /api/v1/audit
# (admin) names who did what: the API token, the user, the platform on a merchant's behalf,
# the client's address; filters and pages.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_platform
api_fixture # mall governs rival
bl --org third init >/dev/null 2>&1
expect_ok "org govern: mall governs default too" bl org govern default --by mall
expect_fail "a merchant has one marketplace" 1 "governed by another marketplace" \
    bl org govern rival --by third
expect_fail "an organisation does not govern itself" 1 "does not govern itself" \
    bl org govern mall --by mall
expect_eq "org merchants: the marketplace's, by name" "merchant default rival" \
    "$(bl --org mall --format csv org merchants | tr '\n' ' ' | sed 's/ $//')"
expect_fail "the platform role needs a marketplace" 1 "governs no merchant" \
    bl --org third token create --role platform
echo "correct horse battery" | bl user add alice --role operator --password-stdin >/dev/null 2>&1
gen=$(bl user add bob --role viewer 2>/dev/null)
[ ${#gen} -ge 20 ] && ok "user add: a generated password, printed once" || not_ok "generated" "$gen"
expect_fail "a user name twice" 1 "has a user 'alice' already" bl user add alice --role viewer
expect_fail "a short password" 1 "10 to 256 bytes" \
    sh -c "echo short | \"$BALLAST\" --db \"$DB\" user add carol --role viewer --password-stdin"
expect_eq "user list: names and roles, never a hash" "alice,operator bob,viewer" \
    "$(bl --format csv user list | awk -F, 'NR>1 {printf "%s,%s ", $1, $2}' | sed 's/ $//')"

api_start --threads 2

# --- sessions
req POST /api/v1/sessions "" '{"name": "alice", "password": "correct horse battery"}'
expect_status "sign in: 201" 201
SESSION=$(jpy 'd["token"]')
expect_eq "the session: operator, 12 hours" "operator Bearer" "$(jpy 'd["role"] + " " + d["token_type"]')"
req POST /api/v1/disruptions "$SESSION" \
    '{"region": "CN-ZJ", "scope": "origin", "kind": "lockdown", "from": "2024-03-01T00:00:00Z"}'
expect_status "the session declares a disruption" 201
expect_eq "its history names the user" "alice" "$(jpy 'd["history"][0]["by"]')"
req DELETE /api/v1/sessions "$SESSION"
expect_status "sign out: 200" 200
req GET /api/v1/org "$SESSION"
expect_status "after sign-out the token is refused" 401 token_revoked
req DELETE /api/v1/sessions "$TOK_viewer"
expect_status "an API token is not a session: 422, not revoked" 422 not_a_session
req GET /api/v1/org "$TOK_viewer"
expect_status "... and still works" 200
req POST /api/v1/sessions "" '{"name": "nobody", "password": "correct horse battery"}'
expect_status "an unknown name: 401" 401 sign_in_failed
req POST /api/v1/sessions "" '{"org": "rival", "name": "alice", "password": "correct horse battery"}'
expect_status "a user of another organisation: 401" 401 sign_in_failed
for i in 1 2 3 4; do req POST /api/v1/sessions "" '{"name": "alice", "password": "wrong password"}'; done
expect_status "four wrong passwords: 401" 401 sign_in_failed
req POST /api/v1/sessions "" '{"name": "alice", "password": "wrong password"}'
expect_status "the fifth locks the name: 429" 429 locked
req POST /api/v1/sessions "" '{"name": "alice", "password": "correct horse battery"}'
expect_status "locked: the right password is refused too" 429 locked
bl user list | grep -q '^alice .*T' && ok "user list says until when alice is locked" ||
    not_ok "locked_until" "$(bl user list)"
echo "another horse battery" | bl user passwd alice --password-stdin >/dev/null 2>&1
req POST /api/v1/sessions "" '{"name": "alice", "password": "another horse battery"}'
expect_status "a new password lifts the lock" 201


# --- the platform operator
req GET /api/v1/merchants "$TOK_platform"
expect_status "the platform lists its merchants" 200
expect_eq "two merchants, not a third" "default rival" "$(jpy '" ".join(m["name"] for m in d["merchants"])')"
expect_eq "with their shops' ratings" "r1" "$(jpy '" ".join(s["shop"] for s in d["merchants"][1]["shops"])')"
req GET /api/v1/orders/r-o1 "$TOK_platform" "" -H "Ballast-Org: rival"
expect_status "the platform reads a merchant's order (Ballast-Org)" 200
req GET "/api/v1/orders?limit=1000" "$TOK_platform" "" -H "Ballast-Org: default"
expect_eq "... and another merchant's orders" "26" "$(jpy 'len(d["orders"])')"
req GET /api/v1/org "$TOK_platform" "" -H "Ballast-Org: third"
expect_status "an organisation it does not govern: 404" 404 not_found
req GET /api/v1/org "$TOK_platform" "" -H "Ballast-Org: nowhere"
expect_status "an unknown one alike: 404" 404 not_found
req POST /api/v1/disruptions "$TOK_platform" \
    '{"region": "US", "scope": "both", "kind": "weather", "from": "2024-03-05T00:00:00Z"}' \
    -H "Ballast-Org: rival"
expect_status "the platform declares for a merchant" 201
req GET /api/v1/tokens "$TOK_platform" "" -H "Ballast-Org: rival"
expect_status "... as an operator: not the merchant's tokens" 403 forbidden
req GET /api/v1/org "$TOK_rival" "" -H "Ballast-Org: default"
expect_status "a merchant's token naming another organisation: 403" 403 forbidden
req GET /api/v1/org "$TOK_rival" "" -H "Ballast-Org: rival"
expect_eq "... naming its own is fine" "200 rival" "$STATUS $(jpy 'd["name"]')"
req GET /api/v1/merchants "$TOK_admin"
expect_status "a merchant's admin lists no merchants" 403 forbidden

# --- the audit log
req GET /api/v1/audit "$TOK_operator"
expect_status "the audit log is for admins" 403 forbidden
req GET "/api/v1/audit?action=disruption" "$TOK_rival"
expect_eq "the merchant's log names the platform and where it called from" \
    "disruption.declare|API token 'mall desk' of marketplace 'mall'|api|127.0.0.1|None" \
    "$(jpy '"|".join(str(x) for x in [d["entries"][0]["action"], d["entries"][0]["actor"]["name"], d["entries"][0]["actor"]["via"], d["entries"][0]["actor"]["source"], d["entries"][0]["before"]])')"
req GET "/api/v1/audit?actor=alice" "$TOK_admin"
expect_eq "alice's changes, newest first" \
    "session.open session.close disruption.declare session.open" \
    "$(jpy '" ".join(e["action"] for e in d["entries"])')"
expect_eq "a session's rows carry the user" "true" "$(jpy 'str(all(e["actor"]["user_id"] for e in d["entries"])).lower()')"
req GET "/api/v1/audit?action=user" "$TOK_admin"
expect_eq "users: added, locked, new password (the CLI's as the local user)" \
    "user.passwd user.lock user.add user.add" "$(jpy '" ".join(e["action"] for e in d["entries"])')"
expect_eq "the lock was by whoever tried, from their address" "anonymous 127.0.0.1" \
    "$(jpy 'd["entries"][1]["actor"]["name"] + " " + d["entries"][1]["actor"]["source"]')"
req GET "/api/v1/audit?limit=2" "$TOK_admin"
cur=$(jpy 'd["next_cursor"]')
first=$(jpy 'd["entries"][1]["id"]')
req GET "/api/v1/audit?limit=2&cursor=$cur" "$TOK_admin"
expect_eq "the next page starts below the last" "$((first - 1))" "$(jpy 'd["entries"][0]["id"]')"
req GET "/api/v1/audit?since=2999-01-01T00:00:00Z" "$TOK_admin"
expect_eq "since: nothing in the future" "0" "$(jpy 'len(d["entries"])')"
req GET "/api/v1/audit?cursor=garbage" "$TOK_admin"
expect_status "a bad cursor: 400" 400 invalid
me=$(id -un)
expect_eq "ballast audit: the CLI's changes as the local user" "$me,cli" \
    "$(bl --org mall --format csv audit --action org.govern | awk -F, 'NR==2 {print $3 "," $4}')"

# --- users over HTTP (admin)
req GET /api/v1/users "$TOK_admin"
expect_eq "GET /users: names and roles" "alice:operator bob:viewer" \
    "$(jpy '" ".join(u["name"] + ":" + u["role"] for u in d["users"])')"
[[ "$BODY" != *'$argon2'* && "$BODY" != *hash* ]] && ok "... never a password's hash" ||
    not_ok "a hash in GET /users" "$BODY"
req GET /api/v1/users "$TOK_operator"
expect_status "an operator may not list users" 403
req POST /api/v1/users "$TOK_admin" '{"name": "carol", "role": "viewer"}'
expect_status "POST /users without a password: 201" 201
CAROL_PW=$(jpy 'd["password"]')
[ ${#CAROL_PW} -ge 20 ] && ok "... with a generated password, answered once" ||
    not_ok "generated password" "$BODY"
req POST /api/v1/sessions "" "{\"name\": \"carol\", \"password\": \"$CAROL_PW\"}"
expect_status "carol signs in with it" 201
CAROL=$(jpy 'd["token"]')
req POST /api/v1/users "$TOK_admin" '{"name": "carol", "role": "viewer"}'
expect_status "the same name twice: 409" 409 exists
req POST /api/v1/users "$TOK_admin" '{"name": "dave", "role": "boss", "password": "long enough pw"}'
expect_status "an unknown role: 422 on role" 422
expect_eq "... naming the field" "role" "$(jpy 'd["error"]["field"]')"
req POST /api/v1/users "$TOK_admin" '{"name": "dave", "role": "viewer", "password": "short"}'
expect_status "a short password: 422" 422
req POST /api/v1/users/carol/password "$TOK_admin" '{"password": "a brand new password"}'
expect_status "a new password for carol" 200
expect_eq "... ends her session" "1" "$(jpy 'd["sessions_ended"]')"
req GET /api/v1/org "$CAROL"
expect_status "... which is refused now" 401
req DELETE /api/v1/users/carol "$TOK_rival"
expect_status "another organisation's admin: 404 for carol" 404
req DELETE /api/v1/users/carol "$TOK_admin"
expect_status "DELETE /users/carol" 200
req POST /api/v1/sessions "" '{"name": "carol", "password": "a brand new password"}'
expect_status "a removed user cannot sign in" 401 sign_in_failed
expect_eq "the audit log has the admin's changes of users, via the API" \
    "user.remove user.passwd user.add" \
    "$(bl --format csv audit --action user | awk -F, 'NR>1 && $4=="api" && $6!="user.lock" {printf "%s ", $6}' | sed 's/ $//')"

api_stop
bl_done
