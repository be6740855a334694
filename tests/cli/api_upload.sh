#!/usr/bin/env bash
# End-to-end: POST /api/v1/orders (issue 16, order uploads): JSON Lines and the CSV and
# report files the importers read, streamed, all or nothing as `ballast import`: a bad
# line at the end leaves nothing and names its line and field, a retry with the same
# Idempotency-Key imports nothing twice, a client that goes away mid-body leaves nothing,
# 100,000 lines in one request, and the limits.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_upload
api_fixture
api_start --threads 2
U=/api/v1/orders

# up TOKEN TYPE FILE [QUERY] [CURL ARGS...]: STATUS and BODY, as req does.
up() {
    local tok=$1 type=$2 file=$3 query=${4:-}
    shift 4 2>/dev/null || shift $#
    STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $tok" \
        -H "Content-Type: $type" --data-binary "@$file" "$@" "$URL$U$query")
    BODY=$(cat "$TMP/body" 2>/dev/null)
}
line() { # line ORDER SKU QTY [MORE JSON MEMBERS]
    printf '{"order":"%s","shop":"s1","sku":"%s","qty":%s,"unit_price":"3.99","placed_at":"2024-05-01T10:00:00Z","ship_to":"US-CA"%s}\n' "$1" "$2" "$3" "${4:-}"
}

# --- JSON Lines
{
    line u1 k1 2 ',"ship_by":"2024-05-03T10:00:00Z"'
    line u1 k2 1 ',"ship_by":"2024-05-03T10:00:00Z"'
    printf '\n' # a blank line is skipped
    printf '{"order": "u2", "shop": "s2", "sku": "k1", "qty": 1, "unit_price": 25, "placed_at": "2024-05-01T18:00:00+08:00", "ship_to": "CN-BJ", "customer": "\\u674e\\u96f7", "ship_by": null}\r\n'
} > "$TMP/a.jsonl"
before=$(rows orders)
up "$TOK_operator" application/x-ndjson "$TMP/a.jsonl"
expect_status "JSON Lines: 201" 201
expect_eq "JSON Lines: what was imported (a blank line skipped)" "jsonl 3 2 0 True" \
    "$(jpy 'd["as"], d["lines"], d["orders"]["new"], d["orders"]["updated"], d["stored"]' | tr -d "(),'")"
batch=$(jpy 'd["batch"]')
expect_eq "JSON Lines: two orders more in the store" "$((before + 2))" "$(rows orders)"
req GET /api/v1/orders/u1 "$TOK_viewer"
expect_eq "the order reads back: lines, amount, ship-by" "2 11.97 2024-05-03T10:00:00Z" \
    "$(jpy 'len(d["lines"]), d["amount"]["amount"], d["ship_by"]' | tr -d "(),'")"
req GET /api/v1/orders/u2 "$TOK_viewer"
expect_eq "an escaped name arrives as UTF-8" "李雷" "$(jpy 'd["customer"]')"
list=$(bl --format csv import list)
[[ "$list" == *"upload by API token 'ops desk'"* ]] && ok "import list names the upload and who sent it" ||
    not_ok "import list names the upload" "$list"

up "$TOK_operator" application/x-ndjson "$TMP/a.jsonl"
expect_status "the same lines again: 200" 200
expect_eq "... nothing stored, the earlier batch named" "False $batch" "$(jpy 'd["stored"], d["batch"]' | tr -d "(),'")"
expect_eq "... no order more" "$((before + 2))" "$(rows orders)"

# an update: shipped
line u1 k1 2 ',"shipped_at":"2024-05-02T09:00:00Z","ship_by":"2024-05-03T10:00:00Z"' > "$TMP/b.jsonl"
line u1 k2 1 ',"shipped_at":"2024-05-02T09:00:00Z","ship_by":"2024-05-03T10:00:00Z"' >> "$TMP/b.jsonl"
up "$TOK_operator" application/x-ndjson "$TMP/b.jsonl"
expect_eq "an update: 1 updated, 0 new" "201 0 1" "$STATUS $(jpy 'd["orders"]["new"], d["orders"]["updated"]' | tr -d "(),'")"

# /metrics: the three uploads' turns, counted, and the time they held them
metrics=$(curl -s "$URL/metrics")
expect_eq "/metrics: three uploads had their turn" "ballast_upload_turns_total 3" \
    "$(grep '^ballast_upload_turns_total ' <<<"$metrics")"
awk '$1 == "ballast_upload_turn_seconds_total" && $2 > 0 { f = 1 } END { exit !f }' \
    <<<"$metrics" && ok "/metrics: the time uploads held their turn" ||
    not_ok "/metrics: the time uploads held their turn" "$metrics"

# --- a bad line at the end: nothing, and the line and field named
before=$(fingerprint)
{ for i in $(seq 1 500); do line "v$i" k1 1; done; line v999 k1 '"two"'; } > "$TMP/bad.jsonl"
up "$TOK_operator" application/x-ndjson "$TMP/bad.jsonl"
expect_status "a bad qty on line 501: 422" 422 invalid
expect_eq "... the line and field" "501 qty" "$(jpy 'd["error"]["line"], d["error"]["field"]' | tr -d "(),'")"
[[ "$(jpy 'd["error"]["message"]')" == "line 501: field qty: "*"expected a whole number"* ]] &&
    ok "... the message says line, field and what was expected" || not_ok "message" "$BODY"
expect_eq "... and nothing of the 500 good lines is stored" "$before" "$(fingerprint)"

bad_json() { # bad_json NAME LINE WANT_FIELD
    printf '%s\n' "$2" > "$TMP/one.jsonl"
    up "$TOK_operator" application/x-ndjson "$TMP/one.jsonl"
    if [ "$STATUS" = 422 ] && [ "$(jpy 'd["error"]["field"]')" = "$3" ] &&
        [ "$(jpy 'd["error"]["line"]')" = 1 ]; then ok "$1"; else not_ok "$1" "$STATUS $BODY"; fi
}
bad_json "a nested object: refused, naming the member" '{"order":"x","qty":{"n":1}}' qty
bad_json "a member that is no column: refused, naming it" '{"order":"x","colour":"red"}' colour
bad_json "a member twice: refused" '{"order":"x","order":"y"}' order
bad_json "not JSON" 'order,shop' None
bad_json "an unclosed string" '{"order":"x' order
bad_json "a NUL escape" '{"order":"a\u0000b"}' order
bad_json "a control character in an id (through an escape)" \
    "$(line 'w\u001b1' k1 1 | tr -d '\n')" order
{ line x1 k1 1; printf '\xff\n'; } > "$TMP/utf.jsonl"
up "$TOK_operator" application/x-ndjson "$TMP/utf.jsonl"
expect_status "invalid UTF-8 on line 2: refused" 422
expect_eq "... line 2" 2 "$(jpy 'd["error"]["line"]')"
: > "$TMP/empty"
up "$TOK_operator" application/x-ndjson "$TMP/empty"
expect_status "an empty body: refused" 422 empty
expect_eq "after the refusals, nothing changed" "$before" "$(fingerprint)"

# --- CSV: the native orders file, gzip too, and a platform's report
cat > "$TMP/c.csv" <<'CSV'
order,shop,sku,qty,unit_price,placed_at,ship_to
c1,s1,k1,1,3.99,2024-05-04T10:00:00Z,US-NY
c1,s1,k2,2,19.50,2024-05-04T10:00:00Z,US-NY
CSV
up "$TOK_operator" text/csv "$TMP/c.csv"
expect_eq "CSV: 201, 2 lines, 1 order" "201 csv 2 1" "$STATUS $(jpy 'd["as"], d["lines"], d["orders"]["new"]' | tr -d "(),'")"
sed 's/c1/c2/' "$TMP/c.csv" | gzip > "$TMP/c.csv.gz"
up "$TOK_operator" text/csv "$TMP/c.csv.gz" "?format=orders"
expect_eq "CSV, gzip: 201, 1 order" "201 1" "$STATUS $(jpy 'd["orders"]["new"]')"
printf 'order,shop,sku,qty,unit_price,placed_at,ship_to\nc3,s1,k1,1,3.99,2024-05-04T10:00:00Z,US-NY\nc4,s1,k1,1,3.99,2024-05-04T10:00:00Z,ZZ\n' > "$TMP/bad.csv"
up "$TOK_operator" text/csv "$TMP/bad.csv"
expect_eq "CSV: a bad region on line 3: 422 naming it" "422 3 ship_to" \
    "$STATUS $(jpy 'd["error"]["line"], d["error"]["field"]' | tr -d "(),'")"
req GET /api/v1/orders/c3 "$TOK_viewer"
expect_status "... and its good line 2 is not stored" 404

printf 'id,name,platform,currency,tz,ship_from\nkb-shop,Keybright,shopify,USD,America/New_York,US-NJ:07302\n' > "$TMP/kb.csv"
printf 'id,name\nKB-USB2,USB-C cable\nKB-LAMP,Desk lamp\nKB-STAND,Phone stand\n' > "$TMP/kbskus.csv"
bl import shops "$TMP/kb.csv" >/dev/null 2>&1 && bl import skus "$TMP/kbskus.csv" >/dev/null 2>&1
up "$TOK_operator" text/csv "$SRC/tests/data/reports/shopify/day1.csv" "?format=shopify&shop=kb-shop"
expect_eq "a Shopify export as it comes: 3 new orders, the gift card said" "201 3 True" \
    "$STATUS $(jpy 'd["orders"]["new"], "gift card" in (d["note"] or "")' | tr -d "(),'")"
up "$TOK_operator" text/csv "$SRC/tests/data/reports/shopify/day2.csv" "?format=shopify&shop=kb-shop"
expect_eq "the next day's export: 1 new, 2 updated" "201 1 2" \
    "$STATUS $(jpy 'd["orders"]["new"], d["orders"]["updated"]' | tr -d "(),'")"
up "$TOK_operator" text/csv "$SRC/tests/data/reports/shopify/day2.csv" "?format=shopify"
expect_status "a report without ?shop=: 400" 400 missing
up "$TOK_operator" text/csv "$TMP/c.csv" "?format=olist"
expect_status "format=olist (a directory): 400" 400 invalid
up "$TOK_operator" application/x-ndjson "$TMP/a.jsonl" "?format=amazon&shop=s1"
expect_status "JSON Lines are the native columns, not a report: 400" 400 invalid
up "$TOK_operator" text/csv "$TMP/c.csv" "?format=orders&colour=red"
expect_status "an unknown query parameter: 400" 400 invalid

# --- who may, and what is sent
up "$TOK_viewer" application/x-ndjson "$TMP/a.jsonl"
expect_status "a viewer may not upload: 403" 403 forbidden
up "" application/x-ndjson "$TMP/a.jsonl"
expect_status "no token: 401" 401
up "$TOK_operator" application/json "$TMP/a.jsonl"
expect_status "application/json: 415" 415 unsupported_media_type
up "$TOK_rival" text/csv "$TMP/c.csv"
expect_status "another organisation's shop in the file: refused" 422
expect_eq "... and rival has no order c1" "" "$(bl --org rival --format csv orders list | grep '^r1,c1' || true)"

# --- Idempotency-Key
{ for i in $(seq 1 50); do line "i$i" k1 1; done; } > "$TMP/idem.jsonl"
up "$TOK_operator" application/x-ndjson "$TMP/idem.jsonl" "" -H 'Idempotency-Key: upload-42'
first=$BODY
expect_eq "with a key: 201, 50 new" "201 50" "$STATUS $(jpy 'd["orders"]["new"]')"
n_batches=$(bl --format csv import list | wc -l)
up "$TOK_operator" application/x-ndjson "$TMP/idem.jsonl" "" -H 'Idempotency-Key: upload-42'
expect_eq "the retry: the first answer again" "201 $first" "$STATUS $BODY"
expect_eq "... and no batch more" "$n_batches" "$(bl --format csv import list | wc -l)"
up "$TOK_operator" application/x-ndjson "$TMP/a.jsonl" "" -H 'Idempotency-Key: upload-42'
expect_status "the key with another body: 422" 422 idempotency_key_reused

# --- a key claimed while another upload holds the store: it waits for its turn. The first
# upload's body arrives in two halves 6 s apart, and its import holds the store's write
# lock meanwhile (SQLite; on PostgreSQL the organisation's turn): the keyed one sent in
# between was claimed beside it and gave up after SQLite's 5 s busy timeout with 503
# before 2026-12-07; now it is claimed in its own turn, after the first
{ for i in $(seq 1 40); do line "w$i" k1 1; done; } > "$TMP/slow.jsonl"
{ for i in $(seq 1 10); do line "x$i" k2 1; done; } > "$TMP/keyed.jsonl"
python3 - "$PORT" "$TOK_operator" "$TMP/slow.jsonl" > "$TMP/slow.out" <<'PY' &
import socket, sys, time
port, tok, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = open(path, "rb").read()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /api/v1/orders HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + tok.encode() +
          b"\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body))
s.sendall(body[: len(body) // 2])
time.sleep(6)
s.sendall(body[len(body) // 2 :])
print(s.recv(100).split(b" ")[1].decode())
PY
slow=$!
sleep 1
up "$TOK_operator" application/x-ndjson "$TMP/keyed.jsonl" "" -H 'Idempotency-Key: behind-1'
wait "$slow"
expect_eq "a keyed upload behind a slow one: both 201 (the key waited for its turn, no 503)" \
    "201 201 10" "$(cat "$TMP/slow.out") $STATUS $(jpy 'd["orders"]["new"]')"

# --- a client that goes away mid-body: nothing
python3 - > "$TMP/big.jsonl" <<'PY'
import json
for i in range(100000):
    print(json.dumps({"order": "g%d" % (i // 2), "shop": "s1", "sku": "k1" if i % 2 == 0 else "k2",
                      "qty": 1 + i % 3, "unit_price": "3.99", "placed_at": "2024-06-01T10:00:00Z",
                      "ship_to": "US-TX", "customer": "c%d" % (i // 2 % 977)}))
PY
before=$(fingerprint)
python3 - "$PORT" "$TOK_operator" "$TMP/big.jsonl" <<'PY'
import socket, sys, time
port, tok, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = open(path, "rb").read()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /api/v1/orders HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + tok.encode() +
          b"\r\nContent-Type: application/x-ndjson\r\nIdempotency-Key: gone-1\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body))
s.sendall(body[: len(body) * 2 // 3])
time.sleep(1)
s.close()
PY
sleep 1
expect_eq "a client gone after two thirds of the body: nothing stored" "$before" "$(fingerprint)"
req GET /api/v1/org "$TOK_viewer"
expect_status "... and the server goes on" 200

# --- 100,000 lines in one request (the key the client gave up on is free again, once
# its import has rolled back: until then 409, retry later)
for _ in $(seq 40); do
    up "$TOK_operator" application/x-ndjson "$TMP/big.jsonl" "" -H 'Idempotency-Key: gone-1'
    [ "$STATUS" = 409 ] || break
    sleep 0.5
done
expect_eq "100,000 lines: 201, 50,000 orders" "201 100000 50000" \
    "$STATUS $(jpy 'd["lines"], d["orders"]["new"]' | tr -d "(),'")"
req GET /api/v1/orders/g49999 "$TOK_viewer"
expect_eq "... the last one reads back" "2 US-TX" "$(jpy 'len(d["lines"]), d["ship_to"]' | tr -d "(),'")"
api_stop
expect_eq "SIGTERM: the server stops cleanly" 0 "$API_RC"

# --- --max-upload: past it, 413 (declared or not), nothing stored
api_start --threads 1 --max-upload 4096
before=$(fingerprint)
up "$TOK_operator" application/x-ndjson "$TMP/bad.jsonl"
expect_status "a declared body past --max-upload: 413" 413 too_large
head -c 20000 "$TMP/big.jsonl" | sed 's/"g/"h/' > "$TMP/mid.jsonl"
STATUS=$(head -c 20000 "$TMP/mid.jsonl" | curl -s -o "$TMP/body" -w '%{http_code}' \
    -H "Authorization: Bearer $TOK_operator" -H 'Content-Type: application/x-ndjson' \
    -H 'Transfer-Encoding: chunked' --data-binary @- "$URL$U")
expect_eq "a chunked body past --max-upload: 413" 413 "$STATUS"
expect_eq "... nothing stored" "$before" "$(fingerprint)"
api_stop
bl_done
