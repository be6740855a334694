#!/usr/bin/env bash
# End-to-end: the route table (src/api/routes.c) is the API (issue 16). Every route in it
# answers (never 404, 405 or 501), /api/v1/openapi.json lists exactly its routes, each
# with its description, and a maintained validator from npm (@apidevtools/swagger-parser,
# installed in this test's own directory) accepts the document as OpenAPI 3.1.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_routes
api_fixture
# an order late to ship whose buyer is known: the outbox has a message for the routes of one
printf '%s\n' "order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,customer" \
    "o6,s1,k1,1,3.99,2024-03-05T08:00:00Z,2024-03-06T08:00:00Z,US-NY,c6" > "$TMP/o6.csv"
bl import orders "$TMP/o6.csv" >/dev/null 2>&1 &&
    bl messages plan --as-of 2024-03-08 --horizon 30 --to-domain relay.example >/dev/null 2>&1 ||
    { echo "the message fixture failed"; exit 1; }
api_start

# the table, as the source declares it: METHOD PATH per entry
grep -o '{"\(GET\|POST\|PUT\|PATCH\|DELETE\)", "[^"]*"' "$SRC/src/api/routes.c" |
    sed 's/{"\([A-Z]*\)", "\([^"]*\)"/\1 \2/' | sort > "$TMP/table"
[ "$(wc -l < "$TMP/table")" -ge 15 ] && ok "the route table has $(wc -l < "$TMP/table") routes" ||
    not_ok "the route table" "$(cat "$TMP/table")"

req GET /api/v1/openapi.json
expect_status "GET /api/v1/openapi.json" 200
printf '%s' "$BODY" > "$TMP/openapi.json"
python3 - "$TMP/openapi.json" > "$TMP/doc" 2> "$TMP/doc.err" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["openapi"].startswith("3.1"), doc["openapi"]
for path, item in doc["paths"].items():
    for method, op in item.items():
        if not op.get("summary", "").strip():
            print(f"{method} {path} has no summary", file=sys.stderr)
        print(method.upper(), path)
PY
sort -o "$TMP/doc" "$TMP/doc"
expect_eq "the document lists exactly the table's routes" "" "$(diff "$TMP/table" "$TMP/doc")"
expect_eq "every route of the document has its description" "" "$(cat "$TMP/doc.err")"

# every route answers: real ids where the route takes one, a real body where it takes one
req POST /api/v1/disruptions "$TOK_operator" \
    '{"region": "CN-ZJ", "scope": "origin", "kind": "lockdown", "from": "2024-03-01T00:00:00Z"}'
expect_status "POST /api/v1/disruptions declares" 201
dis=$(jpy 'd["id"]')
bl programs add "$SRC/data/programs/new-creator.json" >/dev/null  # for /api/v1/programs/{id}/members
req POST /api/v1/cycles "$TOK_operator" '{"as_of": "2024-03-10"}'
expect_status "POST /api/v1/cycles runs the day" 201
cyc=$(jpy 'd["id"]')
req GET "/api/v1/messages?limit=1" "$TOK_admin"
msg=$(jpy 'd["messages"][0]["id"] if d["messages"] else 0')
[ "$msg" != 0 ] && ok "the outbox has a message" || not_ok "the outbox has a message" "$BODY"
declare -A sample=(["/api/v1/orders/{id}"]="/api/v1/orders/o1?shop=s1"
    ["/api/v1/disruptions/{id}"]="/api/v1/disruptions/$dis" ["/api/v1/cycles/{id}"]="/api/v1/cycles/$cyc"
    ["/api/v1/quotes"]="/api/v1/quotes?from=CN-GD&to=US-CA&weight_g=500"
    ["/api/v1/disruptions/{id}/impact"]="/api/v1/disruptions/$dis/impact"
    ["/api/v1/assessments/{shop}/orders"]="/api/v1/assessments/s1/orders"
    ["/api/v1/ledger"]="/api/v1/ledger?shop=s1" ["/api/v1/messages/{id}"]="/api/v1/messages/$msg"
    ["/api/v1/messages/{id}/preview"]="/api/v1/messages/$msg/preview"
    ["/api/v1/assessments/{shop}/trend"]="/api/v1/assessments/s1/trend"
    ["/api/v1/sales"]="/api/v1/sales?sku=k1"
    ["/api/v1/programs/{id}/members"]="/api/v1/programs/new-creator/members")
bad=""
while read -r method path; do
    [ "$method" = GET ] || continue
    p=${sample[$path]:-$path}
    req GET "$p" "$TOK_admin"
    [ "$STATUS" = 403 ] && [[ "$BODY" == *"needs the platform role"* ]] && req GET "$p" "$TOK_platform"
    [ "$STATUS" = 200 ] || bad="$bad [GET $p: $STATUS $BODY]"
done < "$TMP/table"
expect_eq "every GET route of the table answers 200 (with real ids)" "" "$bad"
req DELETE /api/v1/orders "$TOK_admin"
expect_status "a method a path does not take: 405" 405 method_not_allowed
allow=$(curl -s -D - -o /dev/null -X DELETE "$URL/api/v1/orders" | tr -d '\r' | grep -i '^Allow:')
expect_eq "... saying which it takes" "Allow: GET, POST" "$allow"
req GET /api/v1/nothing "$TOK_admin"
expect_status "a path the table lacks: 404" 404 unknown_route

# the document validated by a maintained validator, when npm answers
if [ "$BACKEND" = sqlite ]; then
    dir="$PWD/openapi-validator" # the test's own directory, kept between runs
    mkdir -p "$dir"
    # a package.json of its own: else npm installs into the nearest one above (the repo's)
    [ -f "$dir/package.json" ] || echo '{"private": true}' > "$dir/package.json"
    if [ ! -d "$dir/node_modules/@apidevtools/swagger-parser" ] &&
        ! (cd "$dir" && timeout 300 npm install --silent --no-audit --no-fund \
            @apidevtools/swagger-parser@^10.1 >/dev/null 2>&1); then
        echo "# npm is unreachable: the OpenAPI document was not validated by swagger-parser"
    else
        out=$(cd "$dir" && node -e '
            const p = require("@apidevtools/swagger-parser");
            p.validate(process.argv[1]).then(a => console.log("valid " + a.openapi),
                e => { console.log(e.message); process.exit(1); });' "$TMP/openapi.json" 2>&1)
        expect_eq "swagger-parser: the document is valid OpenAPI" "valid 3.1.0" "$out"
    fi
fi

api_stop
bl_done
