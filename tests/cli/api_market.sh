#!/usr/bin/env bash
# End-to-end: GET /api/v1/merchants/coupons (issue 17, the Marketplace page): a
# marketplace's merchants' coupons, paid and owed, per currency, in one answer, equal to
# the sums of each merchant's own coupon list (GET /coupons with Ballast-Org, what the page
# read merchant after merchant); a merchant without coupons is listed with none; a
# merchant's token is refused (the route is the platform's).
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/messages.bash"
bl_setup "$1" api_market
trap api_cleanup EXIT

write_store_files
load_org default && load_org rival || { echo "fixture failed"; exit 1; }
bl --org quiet init >/dev/null 2>&1 || { echo "init quiet failed"; exit 1; }
for o in default rival; do
    expect_ok "$o: coupons for its late shipments" \
        bl --org "$o" compensate --as-of 2022-05-10 --profile own-site --all-shops
done
bl --org mall init >/dev/null 2>&1 || { echo "init mall failed"; exit 1; }
for o in default rival quiet; do
    bl org govern "$o" --by mall >/dev/null 2>&1 || { echo "govern $o failed"; exit 1; }
done
TOK_platform=$(bl --org mall token create --role platform --label "mall desk" 2>/dev/null)
TOK_viewer=$(bl token create --role viewer 2>/dev/null)
[ -n "$TOK_platform" ] && [ -n "$TOK_viewer" ] || { echo "token create failed"; exit 1; }
api_start --no-schedule

# sums ORG: "state currency count amount" lines from ORG's own coupon list
sums() {
    req GET "/api/v1/coupons?limit=1000" "$TOK_platform" "" -H "Ballast-Org: $1"
    [ "$STATUS" = 200 ] || { echo "status $STATUS"; return; }
    printf '%s' "$BODY" | python3 -c '
import json, sys
sums = {}
for c in json.load(sys.stdin)["coupons"]:
    k = ("paid" if c["state"] == "paid" else "owed", c["amount"]["currency"])
    n, v = sums.get(k, (0, 0.0))
    sums[k] = (n + 1, v + float(c["amount"]["amount"]))
print("\n".join(sorted("%s %s %d %.2f" % (k[0], k[1], n, v) for k, (n, v) in sums.items())))'
}
req GET /api/v1/merchants/coupons "$TOK_platform"
expect_eq "the merchants, by name" "default quiet rival" "$(jpy '" ".join(m["name"] for m in d["merchants"])')"
all=$BODY
n=0
for o in default rival; do
    want=$(sums "$o")
    BODY=$all
    got=$(jpy '"\n".join(sorted("%s %s %d %.2f" % (s, x["amount"]["currency"], x["count"], float(x["amount"]["amount"])) for m in d["merchants"] if m["name"] == "'"$o"'" for s in ("paid", "owed") for x in m[s]))')
    [ -n "$want" ] && n=$((n + 1))
    expect_eq "$o: the sums are its own coupons' (per state and currency)" "$want" "$got"
done
expect_eq "both merchants have coupons to compare" 2 "$n"
BODY=$all
expect_eq "quiet: listed, with none" "[] []" "$(jpy '" ".join(str(m[s]) for m in d["merchants"] if m["name"] == "quiet" for s in ("paid", "owed"))')"
# a merchant's coupons a page at a time (the page cut in the store's query): every coupon
# once, in id order, for each state and for both
for state in "" paid owed; do
    req GET "/api/v1/coupons?limit=1000${state:+&state=$state}" "$TOK_platform" "" -H "Ballast-Org: rival"
    whole=$(jpy '" ".join(str(c["id"]) for c in d["coupons"])')
    paged="" cursor="" pages=0
    while :; do
        req GET "/api/v1/coupons?limit=1${state:+&state=$state}${cursor:+&cursor=$cursor}" "$TOK_platform" "" -H "Ballast-Org: rival"
        [ "$STATUS" = 200 ] || break
        paged="$paged $(jpy '" ".join(str(c["id"]) for c in d["coupons"])')"
        cursor=$(jpy 'd["next_cursor"] or ""')
        pages=$((pages + 1))
        [ -n "$cursor" ] && [ $pages -lt 50 ] || break
    done
    expect_eq "coupons${state:+ $state}, one a page over $pages pages: the whole list" "$whole" "$(echo $paged)"
done
req GET /api/v1/merchants/coupons "$TOK_viewer"
expect_eq "a merchant's token: refused" 403 "$STATUS"

api_stop
expect_eq "the server stops cleanly" 0 "$API_RC"
bl_done
