#!/usr/bin/env bash
# Seeds the kept fuzz corpus (fuzz/corpus/<name>/) from real inputs: the repository's test
# data, demo data, templates and profiles, a small `ballast gen` data set and the heads of
# the shared datasets (../shared/datasets, or BALLAST_SHARED). Each target gets its input
# layout (the selector byte its fuzz/<name>_fuzz.c reads first), and only the seeds that
# add coverage to what the corpus already has are kept (libFuzzer -merge=1), so the
# repository grows by kilobytes, not by the size of the data.
#
# Usage: scripts/fuzz-seed.sh BUILD_DIR [TARGET...]   (a fuzz build: make fuzz)
# Run it when a target or its input format is new; scripts/fuzz-long.sh then grows the
# corpus by fuzzing.
set -euo pipefail

build=${1:?usage: scripts/fuzz-seed.sh BUILD_DIR [TARGET...]}
shift
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${BALLAST_SHARED:-$src/../shared}
olist="$shared/datasets/olist"
retail="$shared/datasets/online_retail/online_retail.csv.gz"
seeds=$(mktemp -d /tmp/fuzz-seed.XXXXXX)
trap 'rm -rf "$seeds"' EXIT

# put TARGET NAME PREFIX-BYTE-OCTAL FILE: the seed is the prefix byte (or none: "")
# followed by the first 40 lines of FILE.
put() {
    local dir="$seeds/$1"
    mkdir -p "$dir"
    { [ -z "$3" ] || printf "\\$3"; head -n 40 "$4"; } >"$dir/$2"
}
# text TARGET NAME CONTENT (printf format)
text() {
    mkdir -p "$seeds/$1"
    # shellcheck disable=SC2059
    printf "$3" >"$seeds/$1/$2"
}

gen="$seeds/gen"
if [ -x "$build/ballast" ]; then
    "$build/ballast" gen --out "$gen" --orders 60 --shops 2 --skus 6 --seed 3 >/dev/null
fi

# csv: any CSV as it is
for f in "$src"/data/*.csv "$src"/data/demo/*.csv "$src"/data/demo/*/*.csv "$gen"/*.csv \
    "$src"/tests/data/reports/*/*; do
    [ -f "$f" ] && put csv "$(basename "$(dirname "$f")")_$(basename "$f")" "" "$f"
done
if [ -d "$olist" ]; then
    for f in "$olist"/*.csv; do put csv "olist_$(basename "$f")" "" "$f"; done
fi
if [ -f "$retail" ]; then
    zcat "$retail" | head -n 40 >"$seeds/retail.csv" || true
    put csv retail.csv "" "$seeds/retail.csv"
fi

# import: the selector byte is the kind's index in fuzz/import_fuzz.c
kinds=(shops skus warehouses stock suppliers inbound orders sales channels disruptions
    protections calendars rates sku_suppliers areas)
for i in "${!kinds[@]}"; do
    k=${kinds[$i]}
    oct=$(printf '%03o' "$i")
    [ -f "$gen/$k.csv" ] && put import "gen_$k.csv" "$oct" "$gen/$k.csv"
    [ -f "$src/data/demo/$k.csv" ] && put import "demo_$k.csv" "$oct" "$src/data/demo/$k.csv"
done
put import demo_br_channels.csv 010 "$src/data/demo/br_channels.csv"
put import demo_br_calendars.csv 013 "$src/data/demo/br_calendars.csv"
put import calendars.csv 013 "$src/data/calendars.csv"
put import amazon_shops.csv 000 "$src/data/demo/amazon/shops.csv"
put import amazon_skus.csv 001 "$src/data/demo/amazon/skus.csv"

# report: 0 amazon, 1 shopify, 2 tiktok, 3 temu
for p in amazon:000 shopify:001 tiktok:002 temu:003; do
    for f in "$src/tests/data/reports/${p%:*}"/*; do
        put report "${p%:*}_$(basename "$f")" "${p#*:}" "$f"
    done
done

# forecast: 0 a sales history, 2 an event calendar
put forecast events_repo.csv 062 "$src/data/events.csv"
[ -f "$gen/sales.csv" ] && put forecast gen_sales.csv 060 "$gen/sales.csv"

# mustache: bit 0 strict, bit 1 no escaping; every template of every locale
for f in "$src"/templates/*/*.mustache "$src"/templates/*/partials/*.mustache; do
    loc=$(basename "$(dirname "$f")")
    put mustache "${loc}_$(basename "$f")" 000 "$f"
    put mustache "${loc}_strict_$(basename "$f")" 003 "$f"
done

# notify_hold: the selector byte, a recipient, NUL, a rendered message
n=0
for f in "$src"/tests/data/golden/messages/*/*.txt; do
    n=$((n + 1))
    mkdir -p "$seeds/notify_hold"
    { printf "\\$(printf '%03o' $((n % 8 | (n % 2) * 128)))"; printf 'ana@shop.example\0'
        head -n 40 "$f"; } >"$seeds/notify_hold/$(basename "$(dirname "$f")")_$(basename "$f")"
done
for f in "$src"/profiles/*.json; do put notify_hold "profile_$(basename "$f")" 001 "$f"; done

# comply_rules: the tax threshold rules as shipped
put comply_rules rules.csv "" "$src/data/comply/rules.csv"

# profile: the profiles as they are
for f in "$src"/profiles/*.json; do put profile "$(basename "$f")" "" "$f"; done
# program: the support programmes as they are
for f in "$src"/data/programs/*.json; do put program "$(basename "$f")" "" "$f"; done

# shop_settings: settings files as tests/cli/messages_*.sh write them (shops s1 and s2)
text shop_settings holds_bad 'shop,account_url,signature\ns2,https://lamps-light.shop/s2,Light Two\ns1,ftp://lamps,x\n'
text shop_settings nosuch 'shop,account_url\nnosuch,https://x.shop/a\n'
text shop_settings full 'shop,account_url,support,support_hours,signature,sender,sender_name\ns1,https://lamps.shop/account,care@lamps.shop,"Mon-Fri, 9-18 (GMT+8)",Lamps \xe7\x81\xaf,care@lamps.shop,"Lamps, Inc."\ns2,,,,,,\n'

# money: the exponent byte (0..4), then an amount as people write them
i=0
for a in 0 1 4.00 0.1385 -12.50 99.33 1000000.00 0.005 -0 +3 1,50 '1 000' 1e3 .5 5. \
    9223372036854775807 -9223372036854775808 92233720368547758.07 00012 ' 7' 7.000; do
    text money "amount_$i" "\\$(printf '%03o' $((i % 5)))$a"
    i=$((i + 1))
done
if [ -d "$olist" ]; then
    cut -d, -f5 "$olist/olist_order_payments_dataset.csv" | sed -n '2,12p' |
        while read -r v; do text money "olist_$v" "\\002$v"; done
fi

# fx: 8 bytes of amount (little endian), two exponents and the direction, the rate
text fx usd_cny '\020\047\0\0\0\0\0\0\002\002\067\056\062\061\065'
text fx brl_usd '\377\377\377\377\377\377\377\177\002\202\060\056\061\070\067\065'
text fx krw_jpy '\100\102\017\0\0\0\0\0\000\000\060\056\061\060\070\060\060\060\060\060'

# region: up to 16 codes, one a line, as the data writes them
region_lines() {
    cut -d, -f"$2" "$1" | sed 1d | sort -u | head -n 16
}
mkdir -p "$seeds/region"
region_lines "$src/data/demo/areas.csv" 1 >"$seeds/region/areas"
region_lines "$src/data/demo/channels.csv" 5 >"$seeds/region/channels_origin"
region_lines "$src/data/demo/channels.csv" 6 >"$seeds/region/channels_destination"
region_lines "$src/data/demo/br_channels.csv" 6 >"$seeds/region/br_channels"
[ -f "$gen/disruptions.csv" ] && region_lines "$gen/disruptions.csv" 2 >"$seeds/region/gen"
text region odd 'cn-zj\nCN-ZJ:\nCN-ZJ:3220\nUS-CA-X\n\nBR-SP:01310-100\nXX\nGB-ENG:SW1A\n'

# time: instants and dates as files and people write them
mkdir -p "$seeds/time"
i=0
for t in 2024-11-15T08:00:00Z 2024-11-14 2024-11-15T00:00:00+08:00 '2017-10-02 10:56:33' \
    2018-02-18T00:00:00-02:00 2016-02-29 2024-03-10T02:30:00 1970-01-01T00:00:00Z \
    9999-12-31T23:59:59Z 2024-11-15T08:00:00.123Z 2024-11-15T08:00Z 20241115 \
    2024-11-15T24:00:00Z 2023-02-29 2024-11-15t08:00:00z; do
    printf '%s' "$t" >"$seeds/time/t_$i"
    i=$((i + 1))
done
if [ -d "$olist" ]; then
    cut -d, -f4 "$olist/olist_orders_dataset.csv" | sed -n '2,6p' | tr -d '"' |
        while read -r v; do printf '%s' "$v" >"$seeds/time/olist_${v// /_}"; done
fi

# places: the catalogues of the system's iso-codes (the smallest few)
mkdir -p "$seeds/places"
find /usr/share/locale -name 'iso_3166-1.mo' -size -20k 2>/dev/null | head -n 3 |
    while read -r f; do cp "$f" "$seeds/places/$(echo "$f" | cut -d/ -f5).mo"; done

# olist: the six files NUL-separated (sellers, translation, products, customers, orders,
# items), consistent slices of the real dataset: N item lines and the rows they need
if [ -d "$olist" ] && command -v python3 >/dev/null; then
    mkdir -p "$seeds/olist"
    python3 - "$olist" "$seeds/olist" <<'EOF'
import csv, io, os, sys
src, dst = sys.argv[1], sys.argv[2]
def rows(name):
    with open(os.path.join(src, name), newline="", encoding="utf-8-sig") as f:
        r = csv.reader(f)
        return next(r), list(r)
def text(head, body):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(head)
    w.writerows(body)
    return out.getvalue()
ih, items = rows("olist_order_items_dataset.csv")
oh, allords = rows("olist_orders_dataset.csv")
sh, sellers = rows("olist_sellers_dataset.csv")
ph, products = rows("olist_products_dataset.csv")
ch, custs = rows("olist_customers_dataset.csv")
th, trans = rows("product_category_name_translation.csv")
for n, skip in [(3, 0), (12, 40), (25, 2000)]:
    it = items[skip:skip + n]
    orders = {r[0] for r in it}
    ords = [r for r in allords if r[0] in orders]
    prods = [r for r in products if r[0] in {i[2] for i in it}]
    cats = {r[1] for r in prods}
    seq = [text(sh, [r for r in sellers if r[0] in {i[3] for i in it}]),
           text(th, [r for r in trans if r[0] in cats]), text(ph, prods),
           text(ch, [r for r in custs if r[0] in {o[1] for o in ords}]), text(oh, ords),
           text(ih, it)]
    with open(os.path.join(dst, "slice_%d_%d" % (n, skip)), "wb") as f:
        f.write(b"\0".join(s.encode() for s in seq))
EOF
fi

# Merge: only the seeds that add coverage to the kept corpus.
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for b in "$build"/*_fuzz; do
        t=$(basename "$b")
        targets+=("${t%_fuzz}")
    done
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
for t in "${targets[@]}"; do
    bin="$build/${t}_fuzz"
    repo="$src/fuzz/corpus/$t"
    [ -x "$bin" ] || { echo "fuzz-seed: no target $bin" >&2; exit 2; }
    mkdir -p "$repo"
    [ -d "$seeds/$t" ] || { echo "fuzz-seed: $t: no seeds"; continue; }
    before=$(find "$repo" -type f | wc -l)
    "$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 "$repo" "$seeds/$t" \
        >"$seeds/$t.merge.log" 2>&1 || {
        echo "fuzz-seed: $t: merge failed:" >&2
        tail -20 "$seeds/$t.merge.log" >&2
        exit 1
    }
    after=$(find "$repo" -type f | wc -l)
    echo "fuzz-seed: $t: $(find "$seeds/$t" -type f | wc -l) seed(s), $((after - before))" \
        "kept ($after in fuzz/corpus/$t, $(du -sk "$repo" | cut -f1) KiB)"
done
