#!/usr/bin/env bash
# End-to-end: the plan, alerts, assessment and routes the server keeps per data generation
# (issue 17, docs/internals/api.md "The stock day"). GET /plans, /alerts, /today, /routes
# and /windows answer, byte for byte, what a server that never saw them answers, after each
# change to what they read: stock and inbound imported by the command line, a disruption
# declared over the API, a playbook action approved and reverted over the API, a shop's
# route policy set by the command line; the answers did change (so a
# kept day that was not replaced would fail). /today's stock-outs are /alerts' stock-outs,
# the soonest first, with the SKU's name, and /stock/summary's count (one definition,
# within the alert days each says), its runway shortest first and named, its filters and
# pages. The windows: after each change the first answer is the last generation's, said
# stale (the warm thread is made to sleep an hour, BALLAST_WARM_S, so only that request
# wakes it), then the new one, the uncached answer. Another organisation never gets a kept
# day.
source "$(dirname "$0")/../lib/api.bash"
bl_setup "$1" api_stock_cache
api_fixture

# The supply data of tests/cli/plan.sh beside the fixture's shops and orders: A healthy;
# B nothing sellable, a PO in 10 days; C price review passed, no stock; D stock only in
# locked-down Guangdong. shop-m is merchant-fulfilled: the playbook proposes its vacation.
D="$TMP/in"
mkdir -p "$D"
cat >"$D/shops.csv" <<'CSV'
id,platform,currency,fulfilment,tz,ship_from
shop-m,amazon,USD,merchant,Asia/Shanghai,CN-ZJ
shop-f,amazon,USD,platform,UTC,CN-GD
CSV
cat >"$D/skus.csv" <<'CSV'
id,name,weight_g,price,currency,handling_min,handling_max,listing,promoted,price_review
A,Phone stand,300,12.50,USD,1,3,active,1,none
B,USB hub,200,25,USD,1,3,active,1,none
C,Desk mat,800,,,1,3,active,0,passed
D,Cable tidy,100,3.99,USD,1,3,active,0,none
CSV
cat >"$D/warehouses.csv" <<'CSV'
id,region
wh-us,US-CA
wh-gd,CN-GD
CSV
cat >"$D/suppliers.csv" <<'CSV'
id,region,lead_days,lead_days_max,moq,case_pack,state,backup_for
sup-a,CN-ZJ,10,10,100,50,active,
sup-d,CN-GD,10,10,1,1,shutdown,
sup-d2,VN,7,7,1,1,active,sup-d
CSV
cat >"$D/stock.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
wh-us,A,1000,0,2025-01-01T00:00:00Z
wh-gd,A,40,2,2025-01-01T00:00:00Z
wh-us,B,5,5,2025-01-01T00:00:00Z
wh-gd,D,100,0,2025-01-01T00:00:00Z
CSV
cat >"$D/inbound.csv" <<'CSV'
po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state
PO-0,A,100,wh-us,sup-a,2024-11-01T00:00:00Z,2024-11-11T00:00:00Z,2024-11-11T00:00:00Z,received
PO-2,B,300,wh-us,sup-a,2024-12-20T00:00:00Z,2025-01-11T00:00:00Z,,open
PO-3,D,50,wh-gd,sup-d,2024-12-01T00:00:00Z,2024-12-11T00:00:00Z,2024-12-11T00:00:00Z,received
CSV
cat >"$D/disruptions.csv" <<'CSV'
id,region,scope,kind,starts_at,ends_at,supplier,note
dis-1,CN-GD,origin,lockdown,2024-12-25T00:00:00Z,2025-01-11T00:00:00Z,,Guangdong lockdown
dis-2,CN-GD,origin,supplier_shutdown,2024-12-20T00:00:00Z,2025-01-21T00:00:00Z,sup-d,factory closed
CSV
awk 'BEGIN {
    print "sku,date,units,shop"
    for (i = 0; i < 90; i++) {
        d = strftime("%Y-%m-%d", 1735689600 - (90 - i) * 86400, 1)
        print "A," d "," (8 + i % 5) ",shop-f"; print "B," d ",10,shop-m"; print "D," d ",10,shop-f"
    }
}' >"$D/sales.csv"
for k in shops skus warehouses suppliers stock inbound disruptions sales; do
    bl import "$k" "$D/$k.csv" >/dev/null 2>&1 || { not_ok "import $k" "$(bl import "$k" "$D/$k.csv" 2>&1)"; }
done
bl channels import "$SRC/data/demo/channels.csv" >/dev/null 2>&1 || not_ok "import channels"
bl calendars import "$SRC/data/calendars.csv" >/dev/null 2>&1 || not_ok "import calendars"
bl calendars import "$SRC/data/demo/calendars.csv" >/dev/null 2>&1 || not_ok "import demo calendars"
AS_OF=2025-01-01T00:00:00Z
bl playbook --as-of "$AS_OF" --apply >/dev/null 2>&1 || not_ok "playbook --apply"
export BALLAST_WARM_S=3600 # the warm thread: at start, and when a stale answer wakes it
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
# same PATH WHAT: the answer now (asked twice: the second is the kept one) is the uncached one
same() {
    req GET "$1" "$TOK_viewer"
    req GET "$1" "$TOK_viewer"
    local kept=$BODY status=$STATUS
    uncached "$1" "$TOK_viewer"
    [ "$status" = 200 ] && [ "$kept" = "$BODY" ] && ok "$2: $1 is the uncached answer" ||
        not_ok "$2: $1 is the uncached answer" "kept: $status $kept" "uncached: $STATUS $BODY $(cat "$TMP/serve.err")"
    BODY=$kept
}
# same_windows WHAT [changed]: after a change, the first /windows is the last generation's,
# stale; then (once the warm thread computed it) the uncached answer
same_windows() {
    req GET /api/v1/windows "$TOK_viewer"
    if [ -n "${2:-}" ]; then
        expect_eq "$1: the first /windows is the last generation's, said stale" "True 200" \
            "$(jpy 'd["stale"] is True and isinstance(d["as_of_generation"], int)') $STATUS"
    fi
    for _ in $(seq 200); do
        [ "$(jpy 'd["stale"]')" = False ] && break
        sleep 0.1
        req GET /api/v1/windows "$TOK_viewer"
    done
    expect_eq "$1: then the new generation's" "False" "$(jpy 'd["stale"]')"
    same /api/v1/windows "$1"
}
P="/api/v1/plans?as_of=$AS_OF&limit=1000"
A="/api/v1/alerts?as_of=$AS_OF&limit=1000"
T="/api/v1/today?as_of=$AS_OF"
R="/api/v1/routes?as_of=2024-04-30T00:00:00Z&limit=1000"
all_same() {
    same "$P" "$1"
    same "$A" "$1"
    same "$T" "$1"
    same "$R" "$1"
    same "$S" "$1"
    same_windows "$@"
}
S="/api/v1/stock/summary?as_of=$AS_OF&limit=1000"
plan_of() { req GET "$P&sku=$1" "$TOK_viewer"; jpy "$2"; }

same_windows "before any change"
all_same "before any change"
req GET "$A" "$TOK_viewer"
want=$(jpy 'sorted((a["value"], a["sku"]) for a in d["alerts"] if a["kind"] == "stockout")')
req GET "$T" "$TOK_viewer"
expect_eq "today: the stock-outs are the alerts' (count, soonest first)" "$want" \
    "$(jpy 'sorted((s["days"], s["sku"]) for s in d["stockouts"]["soonest"])')"
expect_eq "today: the stock-outs' count" "$(python3 -c "print(len($want))")" "$(jpy 'd["stockouts"]["count"]')"
expect_eq "today: each stock-out with its SKU's name and date" "True" \
    "$(jpy 'all(s["name"] and s["date"] >= "2025-01-01" for s in d["stockouts"]["soonest"])')"
expect_eq "today: the stock-outs are those within the alert days (30)" 30 "$(jpy 'd["stockouts"]["within_days"]')"
req GET "$S" "$TOK_viewer"
expect_eq "stock summary: the same stock-outs, within the same days" "$(python3 -c "print(len($want))") 30" \
    "$(jpy 'd["counts"]["stockouts"]') $(jpy 'd["counts"]["stockout_days"]')"
expect_eq "stock summary: the stock-out alerts are its rows so marked" "$(python3 -c "print(sorted(s for _, s in $want))")" \
    "$(jpy 'sorted(r["sku"] for r in d["runway"] if r["stockout_alert"])')"
expect_eq "stock summary: every SKU, named, the shortest cover first (none sold: last)" "True True True" \
    "$(jpy 'len(d["runway"]) == d["counts"]["skus"] >= 4') $(jpy 'all(r["name"] for r in d["runway"])') $(jpy '[r["cover_days"] if r["cover_days"] is not None else 1e18 for r in d["runway"]] == sorted(r["cover_days"] if r["cover_days"] is not None else 1e18 for r in d["runway"])')"
expect_eq "stock summary: each SKU's warehouses named" "True" \
    "$(jpy 'all(w["name"] for r in d["runway"] for w in r["warehouses"]) and any(r["warehouses"] for r in d["runway"])')"
whole=$(jpy '[r["sku"] for r in d["runway"]]')
req GET "/api/v1/stock/summary?as_of=$AS_OF&limit=3" "$TOK_viewer"
first=$(jpy '[r["sku"] for r in d["runway"]]')
req GET "/api/v1/stock/summary?as_of=$AS_OF&limit=3&cursor=$(jpy 'd["next_cursor"]')" "$TOK_viewer"
expect_eq "stock summary: two pages are the whole runway" "$whole" \
    "$(python3 -c "print($first + $(jpy '[r["sku"] for r in d["runway"]]'))")"
for f in reorder late stockout; do
    req GET "$S&filter=$f" "$TOK_viewer"
    n=$(jpy 'd["counts"]["matching"]')
    expect_eq "stock summary: filter=$f gives its rows only ($n)" "True" \
        "$(jpy 'len(d["runway"]) == d["counts"]["matching"] and d["counts"]["matching"] == {"reorder": d["counts"]["reorder"], "late": d["counts"]["late"], "stockout": d["counts"]["stockouts"]}[d["filter"]]')"
done
req GET "$S&filter=soon" "$TOK_viewer"
expect_status "stock summary: an unknown filter is refused" 400 invalid
expect_eq "... naming the field" filter "$(jpy 'd["error"]["field"]')"

before=$(plan_of B 'd["plan"][0]["available"]')
cat >"$TMP/stock2.csv" <<'CSV'
warehouse,sku,on_hand,reserved,counted_at
wh-us,B,500,0,2025-01-01T00:00:00Z
CSV
expect_ok "the command line imports B's stock" bl import stock "$TMP/stock2.csv"
all_same "after the stock import" changed
expect_eq "... which the plan shows (B: $before available before)" 500 "$(plan_of B 'd["plan"][0]["available"]')"

cat >"$TMP/inbound2.csv" <<'CSV'
po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state
PO-9,A,700,wh-us,sup-a,2024-12-28T00:00:00Z,2025-01-05T00:00:00Z,,open
CSV
inb=$(plan_of A 'd["plan"][0]["inbound"]')
expect_ok "the command line imports a PO for A" bl import inbound "$TMP/inbound2.csv"
all_same "after the inbound import" changed
expect_eq "... which the plan shows" $((inb + 700)) "$(plan_of A 'd["plan"][0]["inbound"]')"

sup=$(plan_of A 'd["plan"][0]["order_by"]')
req POST /api/v1/disruptions "$TOK_operator" \
    '{"region": "CN-ZJ", "scope": "origin", "kind": "lockdown", "from": "2024-12-30T00:00:00Z"}'
expect_eq "a lockdown at sup-a's region declared over the API" 201 "$STATUS"
all_same "after the disruption" changed

req GET "/api/v1/actions?state=proposed" "$TOK_viewer"
id=$(jpy '([a["id"] for a in d["actions"] if a["target_type"] == "sku"] or [""])[0]')
if [ -n "$id" ]; then
    req POST "/api/v1/actions/$id/approve" "$TOK_operator" '{"note": "agreed"}' -H "Idempotency-Key: sc-$id"
    expect_eq "a proposed action approved over the API" 200 "$STATUS"
    all_same "after the approval" changed
else
    req GET "/api/v1/actions?state=applied" "$TOK_viewer"
    id=$(jpy '([a["id"] for a in d["actions"] if a["target_type"] == "sku"] or [""])[0]')
    [ -n "$id" ] && ok "an applied SKU action to revert" || not_ok "an applied SKU action to revert" "$BODY"
fi
req POST "/api/v1/actions/$id/revert" "$TOK_operator" '{"note": "changed our mind"}' -H "Idempotency-Key: sr-$id"
expect_eq "the action reverted over the API" 200 "$STATUS"
all_same "after the revert" changed

req GET "$R" "$TOK_viewer"
expect_eq "routes: the open orders of every shop, routed" "True" "$(jpy 'len(d["route"]) >= 20')"
whole=$(jpy '[r["order"] for r in d["route"]][:14]')
R0="/api/v1/routes?as_of=2024-04-30T00:00:00Z"
req GET "$R0&limit=7" "$TOK_viewer"
first=$(jpy '[r["order"] for r in d["route"]]')
req GET "$R0&limit=7&cursor=$(jpy 'd["next_cursor"]')" "$TOK_viewer"
expect_eq "routes: two pages cut from the kept routing are the list's first 14" "$whole" \
    "$(python3 -c "print($first + $(jpy '[r["order"] for r in d["route"]]'))")"
expect_ok "the command line sets s1's route policy" bl route policy --shop s1 fastest
all_same "after the route policy" changed

req GET "$P" "$TOK_rival"
expect_eq "another organisation: its own plan, never the kept one" "False" "$(jpy '"A" in [r["sku"] for r in d["plan"]]')"
req GET "$T" "$TOK_rival"
expect_eq "another organisation's today: no stock-outs" 0 "$(jpy 'd["stockouts"]["count"]')"
req GET "/api/v1/today?top=0" "$TOK_viewer"
expect_status "today?top=0 is refused" 400 invalid

# the two stock-out counts say their horizons: the cycle's (14 days) within Today's (30)
req POST /api/v1/cycles "$TOK_operator" "{\"as_of\": \"$AS_OF\"}" -H "Idempotency-Key: sc-cycle"
expect_eq "a cycle run over the API" 201 "$STATUS"
req GET /api/v1/today "$TOK_viewer"
expect_eq "today: the cycle's stock-outs say their days (14), Today's theirs (30)" "14 30" \
    "$(jpy 'd["cycle"]["summary"]["stockout_days"]') $(jpy 'd["stockouts"]["within_days"]')"
expect_eq "today: the cycle's 14-day count is within Today's 30-day one" "True" \
    "$(jpy 'd["cycle"]["summary"]["stockouts"] <= d["stockouts"]["count"]')"

api_stop
expect_eq "the server stops cleanly" 0 "$API_RC"
bl_done
