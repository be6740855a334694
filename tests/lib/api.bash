# api.bash - helpers for the end-to-end tests of the HTTP API (`ballast serve`), on top of
# cli.bash: a store with two organisations, tokens of every role, a server on a free port.
#   source tests/lib/api.bash; bl_setup "$1" name; api_fixture; api_start; ...; bl_done
command -v curl >/dev/null || { echo "curl is needed"; exit 77; }
source "$(dirname "${BASH_SOURCE[0]}")/cli.bash"

API_PID=""

api_cleanup() {
    [ -n "$API_PID" ] && kill -TERM "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
    bl_cleanup
}

# Two organisations: "default" (shops s1, s2; orders o1..o5, o1 in both shops, and 20
# more) and "rival" (shop
# r1, order r-o1, three disruptions), and a token of each role of default in TOK_viewer,
# TOK_operator, TOK_admin, one of rival in TOK_rival; "mall", a marketplace governing
# rival, with a platform token in TOK_platform.
api_fixture() {
    trap api_cleanup EXIT
    cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
s1,Shenzhen Gadgets,amazon,USD,Asia/Shanghai,CN-GD
s2,快手小店,kuaishou,CNY,Asia/Shanghai,CN-ZJ:3100
CSV
    cat > "$TMP/skus.csv" <<'CSV'
id,name,weight_g,price,currency
k1,USB cable,50,3.99,USD
k2,Desk lamp,900,19.50,USD
CSV
    {
        echo "order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by"
        echo "o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,"
        echo "o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,"
        echo "o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,,GB,,2024-03-01T21:00:00Z,buyer"
        echo "o3,s2,k1,1,25,2024-03-02T01:00:00+08:00,,CN-BJ,,,"
        echo "o4,s2,k1,1,25,2024-03-02T01:00:00+08:00,,CN-BJ,,,"
        echo "o1,s2,k1,1,25,2024-03-02T02:00:00+08:00,,CN-BJ,,,"
        echo "o5,s1,k2,3,19.50,2024-03-05T08:00:00Z,2024-03-07T08:00:00Z,US-NY,,,"
        for i in $(seq 10 29); do
            echo "p$i,s1,k1,1,3.99,2024-04-$i""T12:00:00Z,,US-TX,,,"
        done
    } > "$TMP/orders.csv"
    cat > "$TMP/rshops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
r1,Rival Store,temu,USD,UTC,CN-GD
CSV
    cat > "$TMP/rorders.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,cancelled_by
r-o1,r1,k1,1,9.99,2024-03-01T10:00:00Z,,US-CA,,,
CSV
    bl init >/dev/null 2>&1 && bl --org rival init >/dev/null 2>&1 || { echo "init failed"; exit 1; }
    for kind in shops skus orders; do
        bl import "$kind" "$TMP/$kind.csv" >/dev/null 2>&1 || { echo "import $kind failed"; exit 1; }
    done
    bl --org rival import skus "$TMP/skus.csv" >/dev/null 2>&1
    bl --org rival import shops "$TMP/rshops.csv" >/dev/null 2>&1
    bl --org rival import orders "$TMP/rorders.csv" >/dev/null 2>&1 || { echo "rival orders failed"; exit 1; }
    for i in 1 2 3; do
        bl --org rival disruption add --region US --scope both --kind weather \
            --from 2024-03-0${i}T00:00:00Z --to 2024-03-0${i}T12:00:00Z >/dev/null 2>&1
    done
    TOK_viewer=$(bl token create --role viewer --label "dashboard" 2>/dev/null)
    TOK_operator=$(bl token create --role operator --label "ops desk" 2>/dev/null)
    TOK_admin=$(bl token create --role admin 2>/dev/null)
    TOK_rival=$(bl token create --org rival --role admin 2>/dev/null)
    [ -n "$TOK_viewer" ] && [ -n "$TOK_rival" ] || { echo "token create failed"; exit 1; }
    # a marketplace "mall" governing "rival": TOK_platform is its platform token
    bl --org mall init >/dev/null 2>&1 && bl org govern rival --by mall >/dev/null 2>&1 &&
        TOK_platform=$(bl --org mall token create --role platform --label "mall desk" 2>/dev/null)
    [ -n "$TOK_platform" ] || { echo "the marketplace's token failed"; exit 1; }
}

# api_start [SERVE OPTIONS]: serves the store on a free port; URL is its base.
api_start() {
    export BALLAST_SECRET_KEY_FILE=${BALLAST_SECRET_KEY_FILE:-$TMP/secret.key} # webhooks' key
    # A new file, never the last server's: the shell truncates it in the child, which may
    # run after the first read below, and that would read a stopped server's port.
    rm -f "$TMP/serve.err"
    "$BALLAST" --db "$DB" serve --listen 127.0.0.1:0 "$@" 2>"$TMP/serve.err" &
    API_PID=$!
    PORT=""
    for _ in $(seq 200); do
        PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.err" 2>/dev/null)
        [ -n "$PORT" ] && break
        kill -0 "$API_PID" 2>/dev/null || break
        sleep 0.05
    done
    [ -n "$PORT" ] || { echo "serve did not start: $(cat "$TMP/serve.err")"; exit 1; }
    URL="http://127.0.0.1:$PORT"
}

# api_stop: SIGTERM; API_RC is its exit status.
api_stop() {
    kill -TERM "$API_PID"
    wait "$API_PID"
    API_RC=$?
    API_PID=""
}

# req METHOD PATH [TOKEN] [BODY] [CURL ARGS...]: STATUS, the answer in BODY (and $TMP/body).
req() {
    local method=$1 path=$2 token=${3:-} body=${4:-}
    shift 4 2>/dev/null || shift $#
    rm -f "$TMP/body"
    local args=(-s -o "$TMP/body" -w '%{http_code}' -X "$method" "$URL$path")
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    STATUS=$(curl "${args[@]}" "$@")
    BODY=$(cat "$TMP/body" 2>/dev/null)
}

# jq-like: jpy EXPR reads BODY as `d` and prints the Python expression's value.
jpy() {
    python3 -c 'import json,sys; d=json.loads(sys.stdin.read() or "null"); print(eval(sys.argv[1]))' "$1" <<<"$BODY"
}

# expect_status NAME WANT [CODE]: STATUS is WANT (and the error's code is CODE).
expect_status() {
    local name=$1 want=$2 code=${3:-}
    if [ "$STATUS" != "$want" ]; then
        not_ok "$name" "status $STATUS, wanted $want" "$BODY"
    elif [ -n "$code" ] && [ "$(jpy 'd["error"]["code"]')" != "$code" ]; then
        not_ok "$name" "error code $(jpy 'd["error"]["code"]'), wanted $code" "$BODY"
    else
        ok "$name"
    fi
}
