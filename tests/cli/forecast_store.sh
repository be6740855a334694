#!/usr/bin/env bash
# End-to-end: `ballast forecast` without --input forecasts the store's own sales
# history (table sales_daily), the same as from the equivalent CSV file.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" forecast_store

awk 'BEGIN {
    print "sku,date,units"
    for (i = 0; i < 70; i++) {
        d = strftime("%Y-%m-%d", 1704067200 + i * 86400, 1)
        print "k1," d ",4"
        split("3 8 1 0 12 5 7", w, " "); if (w[i % 7 + 1] > 0) print "k2," d "," w[i % 7 + 1]
    }
}' >"$TMP/h.csv"
printf 'id,name\nk1,One\nk2,Two\n' >"$TMP/skus.csv"

expect_fail "an uninitialised store says to run init" 1 "run 'ballast --db" bl forecast --horizon 3
expect_ok "init" bl init
expect_fail "no sales yet" 1 "no sales history in the store" bl forecast --horizon 3
expect_ok "import skus" bl import skus "$TMP/skus.csv"
expect_ok "import sales" bl import sales "$TMP/h.csv"
bl --format csv forecast --horizon 5 --model ets_seasonal --events none >"$TMP/store.csv"
bl --format csv forecast --input "$TMP/h.csv" --horizon 5 --model ets_seasonal --events none >"$TMP/file.csv"
expect_eq "ten forecast rows" 11 "$(wc -l <"$TMP/store.csv")"
expect_eq "the store's history forecasts as the file does" "$(cat "$TMP/file.csv")" "$(cat "$TMP/store.csv")"
expect_eq "k1 sells 4 a day" "4.0000" "$(awk -F, '$1=="k1" {print $3; exit}' "$TMP/store.csv")"

# Events by region (#18): a UK shop (GBP) and a CN shop (CNY) both sold three times the
# usual on last 11.11; an 11.11 is in the horizon (then Christmas, never seen). Only the
# CN shop's SKU hears of 11.11: its forecast that day is three times the next day's.
awk 'BEGIN {
    print "sku,date,units,shop"
    for (i = 0; i < 162; i++) { # 2023-10-01 to 2024-03-10, the last day of k1 and k2
        d = strftime("%Y-%m-%d", 1696118400 + i * 86400, 1)
        u = d == "2023-11-11" ? 30 : 10
        print "uk1," d "," u ",uk"; print "cn1," d "," u ",cn"
    }
}' >"$TMP/r.csv"
printf 'id,platform,currency\nuk,amazon,GBP\ncn,taobao,CNY\n' >"$TMP/shops.csv"
printf 'id\nuk1\ncn1\n' >"$TMP/skus2.csv"
printf 'date,event,region\n2023-11-11,11.11,CN\n2024-03-11,11.11,CN\n2024-03-12,christmas,global\n' >"$TMP/rev.csv"
expect_ok "import shops" bl import shops "$TMP/shops.csv"
expect_ok "import skus" bl import skus "$TMP/skus2.csv"
expect_ok "import sales" bl import sales "$TMP/r.csv"
# ratio FILE SKU: the forecast on 2024-03-11 over the one on 2024-03-12
ratio() { awk -F, -v k="$2" '$1==k && $2=="2024-03-11" {a=$3} $1==k && $2=="2024-03-12" {b=$3}
    END {printf "%.2f", a / b}' "$1"; }
bl --format csv forecast --horizon 2 --model ses --events "$TMP/rev.csv" >"$TMP/reg.csv" 2>"$TMP/reg.err"
expect_eq "CN shop: 11.11's uplift" "3.00" "$(ratio "$TMP/reg.csv" cn1)"
expect_eq "UK shop: 11.11 is a plain day" "1.00" "$(ratio "$TMP/reg.csv" uk1)"
expect_eq "christmas (global, never seen) is said for every SKU" "ballast forecast: the forecasts of 4 SKUs span an event their history never showed (first: Christmas on 2024-03-12): no uplift is learnt for it, none is applied" "$(cat "$TMP/reg.err")"
bl --format csv forecast --horizon 2 --model ses --events "$TMP/rev.csv" --market "gb cn" >"$TMP/reg2.csv" 2>/dev/null
expect_eq "--market 'gb cn': the UK shop's SKU hears of it too" "3.00" "$(ratio "$TMP/reg2.csv" uk1)"
bl --format csv forecast --input "$TMP/r.csv" --horizon 2 --model ses --events "$TMP/rev.csv" --market GB >"$TMP/reg3.csv" 2>/dev/null
expect_eq "a file with --market GB: no 11.11" "1.00 1.00" "$(ratio "$TMP/reg3.csv" cn1) $(ratio "$TMP/reg3.csv" uk1)"
expect_fail "a bad --market" 2 "--market 'Britain': expected two-letter country codes" \
    bl forecast --input "$TMP/r.csv" --market Britain

# Chinese New Year in the shipped calendar (#18): a CN shop's SKU sold 3 a day instead of
# 10 through last year's holiday week (2024-02-09 to 02-15); the next one (2025-01-28 to
# 02-03) is in the horizon. Its forecast dips there all week; a UK shop's SKU with
# the same history does not hear of it (plain days, no dip); a CN SKU of a file whose
# history does not reach a new year is told that its forecast spans one unseen.
awk 'BEGIN {
    print "sku,date,units,shop"
    for (i = 0; i < 485; i++) { # 2023-09-30 to 2025-01-27
        d = strftime("%Y-%m-%d", 1696032000 + i * 86400, 1)
        u = d >= "2024-02-09" && d <= "2024-02-15" ? 3 : 10
        print "ny_uk," d "," u ",uk"; print "ny_cn," d "," u ",cn"
    }
}' >"$TMP/ny.csv"
printf 'id\nny_uk\nny_cn\n' >"$TMP/skus3.csv"
expect_ok "import skus" bl import skus "$TMP/skus3.csv"
expect_ok "import sales" bl import sales "$TMP/ny.csv"
bl --format csv forecast --horizon 14 --model ses --events "$SRC/data/events.csv" >"$TMP/ny.out" 2>"$TMP/ny.err"
# nyr SKU DAY: the forecast on DAY over the one on 2025-02-05, after the holiday
nyr() { awk -F, -v k="$1" -v d="$2" '$1==k && $2==d {a=$3} $1==k && $2=="2025-02-05" {b=$3}
    END {printf "%.2f", a / b}' "$TMP/ny.out"; }
# Its own 0.3 shrunk toward the store's pooled uplift, which also counts the SKUs above
# (cn1, k1, k2: no market, every event) that sold as usual through that week.
for d in 2025-01-28 2025-02-03; do
    expect_eq "CN shop: $d dips as last year's week did (0.3, shrunk toward the pool)" 1 \
        "$(awk -v r="$(nyr ny_cn $d)" 'BEGIN { print (r >= 0.3 && r < 0.4) ? 1 : 0 }')"
done
expect_eq "CN shop: the days after the week do not" "1.00" "$(nyr ny_cn 2025-02-04)"
expect_eq "UK shop: no Chinese New Year" "1.00 1.00" "$(nyr ny_uk 2025-01-28) $(nyr ny_uk 2025-02-03)"
expect_eq "nothing unseen: the CN SKU saw the last one" "" "$(grep -i 'chinese' "$TMP/ny.err")"
awk -F, 'NR == 1 || ($1 == "ny_cn" && $2 >= "2024-03-01")' "$TMP/ny.csv" >"$TMP/ny_new.csv"
bl --format csv forecast --input "$TMP/ny_new.csv" --horizon 14 --model ses --market CN \
    --events "$SRC/data/events.csv" >/dev/null 2>"$TMP/ny_new.err"
expect_eq "a CN SKU launched since: its forecast spans the new year unseen" "ballast forecast: the forecast of 1 SKU spans an event its history never showed (first: Chinese New Year on 2025-01-28): no uplift is learnt for it, none is applied" "$(cat "$TMP/ny_new.err")"
bl_done
