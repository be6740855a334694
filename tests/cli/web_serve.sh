#!/usr/bin/env bash
# The dashboard's server side (issue 17): `ballast serve` serves web/ at / with the right
# content types, an ETag (304), a Content-Security-Policy without inline script or style,
# nosniff; no directory listing and no path out of the directory (.., %2e%2e, hidden
# files, symbolic links, absolute paths). The browser's sign-in: POST /api/v1/sessions
# with cookie true sets an HttpOnly, SameSite=Strict cookie (for a user's password or an
# API token) and answers the CSRF token, never the session token; a change made with the
# cookie without that token (or with another) is 403 csrf_failed, with it goes through;
# bearer clients need none; GET /api/v1/me says who is signed in and the language the user
# chose (PATCH /api/v1/me keeps it; a bearer token has none); sign-out clears it.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" web_serve
api_fixture
echo "correct horse battery" | bl user add olga --role operator --password-stdin >/dev/null 2>&1
echo "correct horse battery" | bl user add vic --role viewer --password-stdin >/dev/null 2>&1

WEB="$TMP/web"
mkdir -p "$WEB/pages" "$WEB/sub"
printf '<!doctype html><title>t</title>\n' > "$WEB/index.html"
printf 'export default 1;\n' > "$WEB/app.js"
printf 'body{}\n' > "$WEB/style.css"
printf '{"a":"b"}\n' > "$WEB/en.json"
printf 'secret\n' > "$WEB/.hidden.txt"
printf 'outside\n' > "$TMP/outside.txt"
ln -s "$TMP/outside.txt" "$WEB/link.txt"
printf 'x\n' > "$WEB/sub/readme.txt"
api_start --threads 2 --web "$WEB"

# get PATH [CURL ARGS]: STATUS, HEADERS (lower-case names), BODY
get() {
    local path=$1
    shift
    STATUS=$(curl -s --path-as-is -D "$TMP/h" -o "$TMP/body" -w '%{http_code}' "$URL$path" "$@")
    HEADERS=$(tr -d '\r' < "$TMP/h" | tr 'A-Z' 'a-z')
    BODY=$(cat "$TMP/body" 2>/dev/null)
}
header() { sed -n "s/^$1: //p" <<<"$HEADERS" | head -1; }

get /
expect_status "/ is index.html" 200
expect_eq "its type" "text/html; charset=utf-8" "$(header content-type)"
grep -q "default-src 'self'" <<<"$(header content-security-policy)" &&
    ! grep -q "unsafe-inline" <<<"$(header content-security-policy)" &&
    ok "a Content-Security-Policy: self only, nothing inline" || not_ok "csp" "$HEADERS"
expect_eq "nosniff" "nosniff" "$(header x-content-type-options)"
etag=$(header etag)
get / -H "If-None-Match: $etag"
expect_eq "the same ETag: 304" "304" "$STATUS"
get /app.js
expect_eq "a module's type" "200 text/javascript; charset=utf-8" "$STATUS $(header content-type)"
get /style.css
expect_eq "a style sheet's type" "200 text/css; charset=utf-8" "$STATUS $(header content-type)"
get /en.json
expect_eq "strings: JSON" "200 application/json" "$STATUS $(header content-type)"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -I "$URL/app.js")
expect_eq "HEAD" "200" "$STATUS"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/app.js")
expect_eq "POST to a file: 405" "405" "$STATUS"
for p in /sub /sub/ /pages/ /nothing.js /sub/readme.txt/ /.hidden.txt /link.txt /../outside.txt \
    /sub/../../outside.txt /%2e%2e/outside.txt /sub/%2e%2e/%2e%2e/outside.txt \
    "/%2Fetc%2Fpasswd" //etc/passwd /sub//readme.txt "/sub\\..\\..\\outside.txt" \
    /.git/config /sub/.. /sub/.; do
    get "$p"
    if [ "$STATUS" = 404 ] && ! grep -q -e outside -e secret -e root: <<<"$BODY"; then
        ok "$p: 404, nothing read"
    else
        not_ok "$p" "status $STATUS" "$BODY"
    fi
done
get /sub/readme.txt
expect_eq "a file in a folder" "200" "$STATUS"
get /api/v1/nothing
expect_eq "an unknown API route stays JSON 404" "404 application/json" "$STATUS $(header content-type)"

# --- the browser's sign-in
jar="$TMP/jar"
creq() { # creq METHOD PATH [BODY] [CURL ARGS]: with the cookie jar
    local method=$1 path=$2 body=${3:-}
    shift 3 2>/dev/null || shift $#
    local args=(-s -D "$TMP/h" -o "$TMP/body" -w '%{http_code}' -b "$jar" -c "$jar" -X "$method" "$URL$path")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    STATUS=$(curl "${args[@]}" "$@")
    HEADERS=$(tr -d '\r' < "$TMP/h")
    BODY=$(cat "$TMP/body" 2>/dev/null)
}
creq POST /api/v1/sessions '{"name": "olga", "password": "correct horse battery", "cookie": true}'
expect_status "sign in for a cookie: 201" 201
cookie=$(grep -i '^set-cookie:' <<<"$HEADERS")
grep -q 'ballast_session=blt_' <<<"$cookie" && grep -q HttpOnly <<<"$cookie" &&
    grep -q 'SameSite=Strict' <<<"$cookie" && grep -q 'Max-Age=43' <<<"$cookie" &&
    ok "the cookie: HttpOnly, SameSite=Strict, 12 hours" || not_ok "cookie" "$cookie"
expect_eq "the answer has no token, a CSRF token" "False cookie 43" \
    "$(jpy '"token" in d, d["token_type"], len(d["csrf_token"])' | tr -d '(),' | tr -d "'")"
CSRF=$(jpy 'd["csrf_token"]')
creq GET /api/v1/me
expect_status "GET /me with the cookie" 200
expect_eq "who: the user, operator, a merchant, the same CSRF token" \
    "olga True operator default merchant cookie True" \
    "$(jpy '" ".join(str(x) for x in [d["name"], d["user"], d["role"], d["org"]["name"], d["org"]["kind"], d["via"], d["csrf_token"] == "'"$CSRF"'"])')"
decl='{"region": "CN-ZJ", "scope": "origin", "kind": "lockdown", "from": "2024-03-01T00:00:00Z"}'
creq POST /api/v1/disruptions "$decl"
expect_status "a change with the cookie and no CSRF token: 403" 403 csrf_failed
creq POST /api/v1/disruptions "$decl" -H "X-CSRF-Token: ${CSRF%?}x"
expect_status "... with a wrong one: 403" 403 csrf_failed
creq POST /api/v1/disruptions "$decl" -H "X-CSRF-Token: $CSRF"
expect_status "... with the sign-in's: 201" 201
expect_eq "the history names the user" "olga" "$(jpy 'd["history"][0]["by"]')"
req POST /api/v1/disruptions "$TOK_operator" "$decl"
expect_status "a bearer token needs no CSRF token" 201
req GET /api/v1/me "$TOK_viewer"
expect_eq "GET /me with a bearer token: its label, no CSRF token" "API token 'dashboard' viewer bearer None" \
    "$(jpy '" ".join(str(x) for x in [d["name"], d["role"], d["via"], d["csrf_token"]])')"
req GET /api/v1/me "$TOK_platform"
expect_eq "a marketplace's platform token: platform" "platform platform" "$(jpy 'd["role"] + " " + d["org"]["kind"]')"
# the user's language, kept by the server (the dashboard's switch); a bearer token has none
expect_eq "no language chosen yet: null" "None" "$(creq GET /api/v1/me; jpy 'd["language"]')"
creq PATCH /api/v1/me '{"language": "zh-CN"}'
expect_status "PATCH /me without the CSRF token: 403" 403 csrf_failed
creq PATCH /api/v1/me '{"language": "zh-CN"}' -H "X-CSRF-Token: $CSRF"
expect_status "PATCH /me keeps the user's language" 200
expect_eq "... and answers as GET /me" "olga zh-CN" "$(jpy 'd["name"] + " " + d["language"]')"
creq GET /api/v1/me
expect_eq "GET /me then says it" "zh-CN" "$(jpy 'd["language"]')"
creq PATCH /api/v1/me '{"language": "fr"}' -H "X-CSRF-Token: $CSRF"
expect_status "a language the dashboard has no words for: 422" 422 invalid
creq PATCH /api/v1/me '{}' -H "X-CSRF-Token: $CSRF"
expect_status "no language given: 422" 422 missing
req PATCH /api/v1/me "$TOK_viewer" '{"language": "zh-CN"}'
expect_status "a bearer token keeps no language: 422" 422 not_a_session
req GET /api/v1/me "$TOK_viewer"
expect_eq "... and its /me says none" "None" "$(jpy 'd["language"]')"
expect_eq "the change is audited, by the user" "user.language olga" \
    "$(bl --format csv audit --action user.language | awk -F, 'NR==2 {print $6, $3}')"
creq DELETE /api/v1/sessions "" -H "X-CSRF-Token: $CSRF"
expect_status "sign out with the cookie" 200
grep -qi '^set-cookie: ballast_session=;.*Max-Age=0' <<<"$HEADERS" && ok "... clears the cookie" ||
    not_ok "clear" "$HEADERS"
creq GET /api/v1/me
expect_status "then the cookie is gone: 401" 401 unauthenticated

# a viewer's cookie: reads, and a forged change is refused (CSRF, then the role)
rm -f "$jar"
creq POST /api/v1/sessions '{"name": "vic", "password": "correct horse battery", "cookie": true}'
VCSRF=$(jpy 'd["csrf_token"]')
creq GET "/api/v1/disruptions"
expect_status "a viewer's cookie reads" 200
creq POST /api/v1/disruptions "$decl"
expect_status "a viewer's forged change: 403" 403 csrf_failed
creq POST /api/v1/disruptions "$decl" -H "X-CSRF-Token: $VCSRF"
expect_status "... even with its CSRF token: 403 (the role)" 403 forbidden

# an API token into the cookie
rm -f "$jar"
creq POST /api/v1/sessions "{\"token\": \"$TOK_operator\", \"cookie\": true}"
expect_status "sign in with an API token for a cookie" 201
expect_eq "its role and label" "operator API token 'ops desk'" "$(jpy 'd["role"] + " " + d["user"]')"
grep -qi '^set-cookie: ballast_session=blt_.*HttpOnly' <<<"$HEADERS" && ! grep -qi 'Max-Age' <<<"$HEADERS" &&
    ok "... a cookie for the browser's session" || not_ok "token cookie" "$HEADERS"
creq POST /api/v1/sessions '{"token": "blt_1_2_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cookie": true}'
expect_status "a wrong token: 401" 401 token_unknown
creq POST /api/v1/sessions "{\"token\": \"$TOK_operator\"}"
expect_status "a token without cookie: 422" 422 invalid
creq POST /api/v1/sessions '{"name": "olga", "password": "correct horse battery", "cookie": "yes"}'
expect_status "cookie must be a boolean" 422 invalid
req POST /api/v1/sessions "" '{"name": "olga", "password": "correct horse battery"}'
expect_eq "without cookie: the bearer token, as before" "Bearer True" "$(jpy 'd["token_type"] + " " + str(d["token"].startswith("blt_"))')"

# --- places named in a language, for the region picker
req GET "/api/v1/regions?locale=zh-CN&country=CN" "$TOK_viewer"
expect_status "regions: a country's subdivisions" 200
expect_eq "named in Chinese, sorted as Chinese sorts (pinyin: Anhui, Aomen, Beijing)" \
    "中国 CN-AH:安徽省 CN-MO:澳门特别行政区 CN-BJ:北京市" \
    "$(jpy 'd["country_name"] + " " + " ".join(r["code"] + ":" + r["name"] for r in d["regions"][:3])')"
req GET "/api/v1/regions?locale=en" "$TOK_viewer"
expect_eq "the countries, in English" "True True" \
    "$(jpy 'str(len(d["regions"]) > 240) + " " + str({"code": "DE", "name": "Germany", "known": True} in d["regions"])')"
req GET "/api/v1/regions?locale=zh-CN&codes=CN-ZJ,de,BR-SP:013" "$TOK_viewer"
expect_eq "given codes, canonical, in order (English where no translation)" "CN-ZJ:浙江省 DE:德国 BR-SP:013:São Paulo" \
    "$(jpy '" ".join(r["code"] + ":" + r["name"] for r in d["regions"])')"
req GET "/api/v1/regions?codes=CN-ZJ,XX" "$TOK_viewer"
expect_status "an unknown country in codes: 400, named" 400 invalid
req GET "/api/v1/regions?country=ZZ" "$TOK_viewer"
expect_status "an unknown country: 400" 400 invalid
req GET "/api/v1/regions" ""
expect_status "regions need a token" 401

api_stop
bl_done
