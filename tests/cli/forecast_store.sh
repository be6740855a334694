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
bl_done
