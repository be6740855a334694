#!/usr/bin/env bash
# End-to-end: the HTTP API's limits and hostile input (issue 16). An oversized body
# (declared or chunked: 413), headers past the limit (431), JSON nested too deep, malformed
# JSON and invalid UTF-8 (400), unknown and control-character query parameters (400),
# SQL-looking ids (404, nothing happens), a client that trickles its body (cut off at
# --timeout), and SIGTERM during a request (the request finishes, the server exits 0).
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_limits
api_fixture
api_start --max-body 4096 --timeout 2 --threads 2
dis='{"region": "CN-ZJ", "scope": "origin", "kind": "lockdown", "from": "2024-03-01T00:00:00Z"}'

# --- sizes
big=$(python3 -c 'print("{\"note\": \"" + "x" * 10000 + "\"}")')
req POST /api/v1/disruptions "$TOK_operator" "$big"
expect_status "a body past --max-body: 413" 413 too_large
printf '%s' "$big" > "$TMP/big.json"
STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_operator" \
    -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big.json" \
    "$URL/api/v1/disruptions")
BODY=$(cat "$TMP/body")
expect_status "... sent chunked, without a length: 413" 413 too_large
long=$(python3 -c 'print("x" * 70000)')
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Junk: $long" "$URL/healthz")
expect_eq "headers past the limit: 431" 431 "$STATUS"

# --- bodies
deep=$(python3 -c 'print("{\"note\": " + "[" * 100 + "]" * 100 + "}")')
req POST /api/v1/disruptions "$TOK_operator" "$deep"
expect_status "JSON nested 100 deep: 400" 400 too_deep
req POST /api/v1/disruptions "$TOK_operator" '{"region": "CN-ZJ", "scope":'
expect_status "malformed JSON: 400" 400 malformed
[[ "$(jpy 'd["error"]["message"]')" == *"column"* ]] && ok "... saying where" || not_ok "malformed: where" "$BODY"
printf '{"region": "CN-ZJ", "note": "\xff\xfe"}' > "$TMP/bad.json"
STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_operator" \
    -H 'Content-Type: application/json' --data-binary @"$TMP/bad.json" "$URL/api/v1/disruptions")
BODY=$(cat "$TMP/body")
expect_status "invalid UTF-8: 400" 400 invalid_utf8
req POST /api/v1/disruptions "$TOK_operator" '[1, 2]'
expect_status "a body that is not an object: 400" 400 malformed
req POST /api/v1/disruptions "$TOK_operator" '{"region": "CN-ZJ", "region": "BR"}'
expect_status "a member given twice: 400" 400 malformed
STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_operator" \
    -H 'Content-Type: text/plain' --data-binary "$dis" "$URL/api/v1/disruptions")
BODY=$(cat "$TMP/body")
expect_status "a body that is not application/json: 415" 415 unsupported_media_type
req POST /api/v1/disruptions "$TOK_operator" '{"region": "CN-ZJ", "scope": "sideways", "kind": "lockdown", "from": "2024-03-01T00:00:00Z"}'
expect_status "an unknown scope: 422 naming the field" 422 invalid
expect_eq "... field" scope "$(jpy 'd["error"]["field"]')"
req POST /api/v1/disruptions "$TOK_operator" '{"region": "ZZ-99", "scope": "origin", "kind": "lockdown", "from": "2024-03-01T00:00:00Z"}'
expect_status "a region that is not ISO 3166: 422, as the CLI says it" 422
expect_eq "... field" region "$(jpy 'd["error"]["field"]')"

# --- queries and ids
req GET "/api/v1/orders?colour=red" "$TOK_viewer"
expect_status "an unknown query parameter: 400" 400 invalid
expect_eq "... naming it" colour "$(jpy 'd["error"]["field"]')"
req GET "/api/v1/orders?shop=s1%0d%0aX-Injected:%201" "$TOK_viewer"
expect_status "control characters in a query value: 400" 400 invalid
req GET "/api/v1/orders?limit=0" "$TOK_viewer"
expect_status "limit 0: 400" 400 invalid
req GET "/api/v1/orders?cursor=not-a-cursor" "$TOK_viewer"
expect_status "a cursor the API did not give: 400" 400 invalid
before=$(fingerprint)
req GET "/api/v1/orders/%27%20OR%201%3D1%20--" "$TOK_viewer"
expect_status "an SQL-looking order id: 404" 404 not_found
req GET "/api/v1/orders?shop=%27%3B%20DROP%20TABLE%20orders%3B%20--" "$TOK_viewer"
expect_status "an SQL-looking shop: 404" 404 not_found
req GET "/api/v1/disruptions/1%20OR%201=1" "$TOK_viewer"
expect_status "an id that is not a number: 404" 404 not_found
expect_eq "... and the store is as it was" "$before" "$(fingerprint)"

# --- a client that trickles its body is cut off after --timeout (2 s)
out=$(python3 - "$PORT" "$TOK_operator" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(("POST /api/v1/disruptions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
           "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n" % sys.argv[2]).encode())
t0 = time.time()
got = b""
try:
    for _ in range(40):  # 1 byte every 0.25 s: 10 s if never cut
        s.sendall(b" ")
        time.sleep(0.25)
        s.settimeout(0.01)
        try:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        except socket.timeout:
            pass
        s.settimeout(None)
except (BrokenPipeError, ConnectionResetError):
    pass
print("cut after %.1f s%s" % (time.time() - t0, ", answered " + got.split(b"\r\n")[0].decode() if got else ""))
PY
)
secs=$(sed 's/cut after \([0-9.]*\) s.*/\1/' <<<"$out")
python3 -c "import sys; sys.exit(0 if 1.5 <= float('$secs') <= 5 else 1)" && [[ "$out" != *" 20"* ]] &&
    ok "a trickling body is cut off at the timeout ($out)" || not_ok "trickling client" "$out"

# --- SIGTERM during a request: the request finishes, then the server stops
python3 - "$PORT" "$TOK_operator" "$dis" "$TMP/inflight" > "$TMP/inflight.out" <<'PY' &
import socket, sys, time
port, tok, body, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4]
s = socket.create_connection(("127.0.0.1", port))
s.sendall(("POST /api/v1/disruptions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
           "Content-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"
           % (tok, len(body))).encode() + body[:10])
open(flag, "w").close()
time.sleep(1.0)  # SIGTERM arrives now
s.sendall(body[10:])
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
print(data.split(b"\r\n")[0].decode())
PY
client=$!
for _ in $(seq 100); do [ -e "$TMP/inflight" ] && break; sleep 0.05; done
sleep 0.2
kill -TERM "$API_PID"
sleep 0.3
STATUS=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/healthz")
expect_eq "after SIGTERM, no new connection is taken" 000 "$STATUS"
wait "$client"
expect_eq "the request in flight is answered" "HTTP/1.1 201 Created" "$(cat "$TMP/inflight.out")"
wait "$API_PID"
expect_eq "... and the server exits 0" 0 "$?"
API_PID=""
expect_eq "... its disruption was stored" 1 "$(bl --format csv disruption list | tail -n +2 | wc -l)"
bl_done
