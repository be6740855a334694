#!/usr/bin/env bash
# End-to-end: the server's cached answers and tokens (issue 16, "Performance";
# docs/internals/api.md, "Cached answers"). GET an assessment and GET an order answer, byte
# for byte, what a server that never saw them answers, after each change to what they read:
# a disruption declared over the API, orders imported and updated by the command line, a
# protection granted over the API, a profile file edited; the ETag of a kept answer is the
# computed one's. GET /merchants likewise after a change in each governed merchant (an
# import, a protection, a cycle), a merchant governed and one released. Another organisation is never given a kept answer. A token revoked by the
# command line is refused within a second; a sign-out at once (api_platform.sh).
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_cache
api_fixture
# the profiles in a directory of the test's own, so that one can be edited
cp -r "$SRC/profiles" "$TMP/profiles"
export BALLAST_PROFILES="$TMP/profiles"
# a late shipment of shop s2 (kuaishou: a disruption at its origin exempts it)
cat > "$TMP/q1.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by
q1,s2,k1,1,25,2024-03-03T01:00:00Z,2024-03-04T01:00:00Z,CN-BJ,2024-03-06T01:00:00Z,,
CSV
expect_ok "import q1" bl import orders "$TMP/q1.csv"
api_start --threads 2 --no-schedule

# uncached PATH TOKEN: BODY as a server started for this one request answers it
uncached() {
    local url=$URL pid=$API_PID
    API_PID=""
    api_start --threads 1 --no-schedule
    req GET "$1" "$2"
    api_stop
    URL=$url
    API_PID=$pid
}
etag_of() { curl -s -D - -o /dev/null -H "Authorization: Bearer $2" "$URL$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }

# same PATH TOKEN WHAT: the answer now is the uncached one; WHAT names the moment
same() {
    req GET "$1" "$2"
    local kept=$BODY status=$STATUS
    uncached "$1" "$2"
    [ "$status" = 200 ] && [ "$kept" = "$BODY" ] && ok "$3: the answer is the uncached one" ||
        not_ok "$3: the answer is the uncached one" "kept: $status $kept" "uncached: $STATUS $BODY $(cat "$TMP/serve.err")"
    BODY=$kept
}

A="/api/v1/assessments?shop=s2&as_of=2024-03-10"
counted() { jpy 'str(d["shops"][0]["rules"][0]["counted"]) + "/" + str(d["shops"][0]["rules"][0]["exempt"])'; }

# --- the assessment: asked twice, then after each change
req GET "$A" "$TOK_viewer"
first=$BODY
expect_eq "the first assessment: q1 late, counted" "1/0" "$(counted)"
req GET "$A" "$TOK_viewer"
expect_eq "asked again: the same bytes" "$first" "$BODY"
same "$A" "$TOK_viewer" "before any change"
tag=$(etag_of "$A" "$TOK_viewer")
[ -n "$tag" ] && [ "$tag" = "$(etag_of "$A" "$TOK_viewer")" ] && ok "the ETag of the kept answer is the same" ||
    not_ok "ETag" "$tag"
req GET "$A" "$TOK_viewer" "" -H "If-None-Match: $tag"
expect_eq "If-None-Match with it: 304" 304 "$STATUS"

req POST /api/v1/disruptions "$TOK_operator" \
    '{"region": "CN-ZJ", "scope": "origin", "kind": "weather", "from": "2024-03-01T00:00:00Z", "to": "2024-03-09T00:00:00Z"}'
expect_eq "a disruption declared over the API" 201 "$STATUS"
same "$A" "$TOK_viewer" "after the disruption"
expect_eq "... which exempts q1" "0/1" "$(counted)"
[ "$(etag_of "$A" "$TOK_viewer")" != "$tag" ] && ok "... and the ETag changed" || not_ok "the ETag changed"
req GET "$A" "$TOK_viewer" "" -H "If-None-Match: $tag"
expect_eq "If-None-Match with the old ETag: 200" 200 "$STATUS"

cat > "$TMP/q2.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by
q2,s2,k1,1,25,2024-03-09T01:00:00Z,2024-03-09T12:00:00Z,CN-BJ,2024-03-09T20:00:00Z,,
CSV
expect_ok "the command line imports q2, late after the disruption" bl import orders "$TMP/q2.csv"
same "$A" "$TOK_viewer" "after the import"
expect_eq "... which counts q2" "1/1" "$(counted)"

req POST /api/v1/protections "$TOK_operator" \
    '{"shop": "s2", "from": "2024-03-09T00:00:00Z", "to": "2024-03-10T00:00:00Z", "reason": "the carrier'"'"'s strike"}'
expect_eq "a protection granted over the API" 201 "$STATUS"
same "$A" "$TOK_viewer" "after the protection"
expect_eq "... which exempts q2" "0/2" "$(counted)"

sed -i 's/"target": 0.90}/"target": 0.85}/' "$TMP/profiles/kuaishou.json"
sleep 1.1 # the server reads the profile files at most once a second
same "$A" "$TOK_viewer" "after the profile file was edited"
expect_eq "... its new target" "0.85" "$(jpy 'd["shops"][0]["rules"][0]["target"]')"

req GET "$A" "$TOK_rival"
expect_eq "another organisation: its own answer (no shop s2), never the kept one" 404 "$STATUS"

# --- one order: asked, then updated by an import
O="/api/v1/orders/o5?shop=s1"
req GET "$O" "$TOK_viewer"
expect_eq "o5: not shipped" "None" "$(jpy 'd["shipped_at"]')"
cat > "$TMP/o5.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by
o5,s1,k2,3,19.50,2024-03-05T08:00:00Z,2024-03-07T08:00:00Z,US-NY,2024-03-09T08:00:00Z,,
CSV
expect_ok "the command line updates o5" bl import orders "$TMP/o5.csv"
same "$O" "$TOK_viewer" "o5 after its update"
expect_eq "... shipped, with its history" "2024-03-09T08:00:00Z shipped_at" \
    "$(jpy 'd["shipped_at"] + " " + d["history"][-1]["field"]')"
req GET "$O" "$TOK_rival"
expect_eq "o5 for another organisation: 404" 404 "$STATUS"

# --- a marketplace's merchants (GET /merchants): kept while no governed merchant changed;
#     after a change in any of them, the answer a fresh server gives
M=/api/v1/merchants
expect_ok "rival's cycle: its shops are rated as of it" \
    bl --org rival cycle --as-of 2024-03-10T00:00:00Z --no-digest
req GET "$M" "$TOK_platform"
first=$BODY
expect_eq "the merchants: rival, rated as of its last cycle" "rival 2024-03-10T00:00:00Z r1" \
    "$(jpy '" ".join(m["name"] + " " + m["as_of"] + " " + " ".join(s["shop"] for s in m["shops"]) for m in d["merchants"])')"
req GET "$M" "$TOK_platform"
expect_eq "asked again: the same bytes" "$first" "$BODY"
same "$M" "$TOK_platform" "the merchants before any change"
cat > "$TMP/r2.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by
r-o2,r1,k1,1,9.99,2024-03-02T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-06T10:00:00Z,,
CSV
expect_ok "the command line imports a late order into rival" bl --org rival import orders "$TMP/r2.csv"
same "$M" "$TOK_platform" "the merchants after rival's import"
[ "$BODY" != "$first" ] && ok "... which changed the answer" || not_ok "the import changed nothing" "$BODY"
after_import=$BODY
req POST /api/v1/protections "$TOK_platform" \
    '{"shop": "r1", "from": "2024-03-01T00:00:00Z", "to": "2024-03-20T00:00:00Z", "reason": "flood"}' \
    -H "Ballast-Org: rival"
expect_eq "the platform grants rival a protection" 201 "$STATUS"
same "$M" "$TOK_platform" "the merchants after the protection"
expect_eq "... which they show" "flood" "$(jpy '" ".join(p["reason"] for m in d["merchants"] for p in m["protections"])')"
expect_ok "rival's next cycle" bl --org rival cycle --as-of 2024-03-11T00:00:00Z --no-digest
same "$M" "$TOK_platform" "the merchants after rival's next cycle"
expect_eq "... rated as of it" "2024-03-11T00:00:00Z" "$(jpy 'd["merchants"][0]["as_of"]')"
expect_ok "default's cycle" bl cycle --as-of 2024-03-10T00:00:00Z --no-digest
expect_ok "mall governs default too" bl org govern default --by mall
same "$M" "$TOK_platform" "the merchants once another is governed"
expect_eq "... both listed" "default rival" "$(jpy '" ".join(m["name"] for m in d["merchants"])')"
printf 'order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by\nq3,s1,k1,1,3.99,2024-03-08T01:00:00Z,2024-03-08T12:00:00Z,US-TX,2024-03-09T20:00:00Z,,\n' > "$TMP/q3.csv"
expect_ok "the command line imports into default" bl import orders "$TMP/q3.csv"
same "$M" "$TOK_platform" "the merchants after the second merchant's import"
expect_ok "mall releases default" bl org release default --by mall
same "$M" "$TOK_platform" "the merchants once one is released"
expect_eq "... rival alone again" "rival" "$(jpy '" ".join(m["name"] for m in d["merchants"])')"

# --- a token revoked by the command line: refused within a second
TOK_temp=$(bl token create --role viewer --label "temp" 2>/dev/null)
req GET "$O" "$TOK_temp"
expect_eq "a new token works (and is kept)" 200 "$STATUS"
tid=$(bl --format csv token list | awk -F, '$3=="temp" {print $1}')
expect_ok "the command line revokes it" bl token revoke "$tid"
sleep 1.2
req GET "$O" "$TOK_temp"
expect_status "a second later it is refused" 401 token_revoked

api_stop
expect_eq "the server stops cleanly" 0 "$API_RC"
bl_done
