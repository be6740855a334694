#!/usr/bin/env bash
# End-to-end: an organisation that imported no daily sales has its orders as its sales
# history (docs/formats.md, sales): each line's units on the day its order was placed in
# its shop's time zone, cancelled orders left out. `ballast forecast` says so; the cycle
# forecasts the SKUs sold; an organisation with daily sales reads those only.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" forecast_orders

# Shop sp in Sao Paulo (UTC-3), shop sh in Shanghai (UTC+8). SKU a sells 1 a day at sp,
# SKU b 2 a day at sh, at noon local, 2024-02-01 to 2024-03-10; and on 2024-03-09:
#   a: 5 more at 23:30 Sao Paulo time (02:30 UTC on the 10th): local day the 9th;
#   b: 7 more at 00:30 Shanghai time (16:30 UTC on the 8th): local day the 9th;
#   a: 50 more on 2024-03-08, cancelled: not a sale.
printf 'id,platform,currency,tz\nsp,olist,BRL,America/Sao_Paulo\nsh,taobao,CNY,Asia/Shanghai\n' >"$TMP/shops.csv"
printf 'id,name\na,Lamp\nb,Stand\nc,Never sold\n' >"$TMP/skus.csv"
awk 'BEGIN {
    print "order,shop,sku,qty,unit_price,placed_at,cancelled_at"
    for (i = 0; i < 39; i++) { # 2024-02-01 .. 2024-03-10
        d = strftime("%Y-%m-%d", 1706745600 + i * 86400, 1)
        print "a" i ",sp,a,1,10.00," d "T12:00:00-03:00,"
        print "b" i ",sh,b,2,10.00," d "T12:00:00+08:00,"
    }
    print "late,sp,a,5,10.00,2024-03-09T23:30:00-03:00,"
    print "early,sh,b,7,10.00,2024-03-09T00:30:00+08:00,"
    print "gone,sp,a,50,10.00,2024-03-08T10:00:00-03:00,2024-03-08T11:00:00-03:00"
}' >"$TMP/orders.csv"
expect_ok "init" bl init
expect_ok "import shops" bl import shops "$TMP/shops.csv"
expect_ok "import skus" bl import skus "$TMP/skus.csv"
expect_fail "no orders yet: no sales, and the orders would be" 1 "no sales history in the store: import daily sales with 'ballast import sales FILE' (sku,date,units; docs/formats.md) or orders with 'ballast import orders FILE' (without daily sales, their units are the sales)" bl forecast --horizon 3
expect_ok "import orders" bl import orders "$TMP/orders.csv"

# The seasonal naive forecast repeats the last week: the 16th is the 9th, the 15th the 8th.
bl --format csv forecast --horizon 7 --model snaive --events none >"$TMP/f.csv" 2>"$TMP/f.err"
expect_eq "the note says where the history came from" "ballast forecast: no daily sales imported: the history is the units of the orders by the day each was placed (docs/formats.md, sales)" "$(cat "$TMP/f.err")"
at() { awk -F, -v k="$1" -v d="$2" '$1==k && $2==d {print $3}' "$TMP/f.csv"; }
expect_eq "the forecast starts the day after the last local day sold" "2024-03-11" \
    "$(awk -F, 'NR==2 {print $2}' "$TMP/f.csv")"
expect_eq "two SKUs sold: two forecast" "a b" "$(awk -F, 'NR>1 {print $1}' "$TMP/f.csv" | uniq | tr '\n' ' ' | sed 's/ $//')"
expect_eq "a: 23:30 in Sao Paulo counts on its local day (1 + 5)" "6.0000" "$(at a 2024-03-16)"
expect_eq "a: the day after has only its own sale" "1.0000" "$(at a 2024-03-17)"
expect_eq "a: a cancelled order is no sale" "1.0000" "$(at a 2024-03-15)"
expect_eq "b: 00:30 in Shanghai counts on its local day (2 + 7)" "9.0000" "$(at b 2024-03-16)"
expect_eq "b: the day before has only its own sale" "2.0000" "$(at b 2024-03-15)"
bl --format csv forecast --horizon 7 --model snaive --events none --as-of 2024-03-09 >"$TMP/asof.csv" 2>/dev/null
expect_eq "--as-of 2024-03-09: the 23:30 order of the 9th is before it" "6.0000" \
    "$(awk -F, '$1=="a" && $2=="2024-03-16" {print $3}' "$TMP/asof.csv")"

# The day's cycle forecasts the SKUs sold in the window.
json=$(bl --format json cycle --as-of 2024-03-11 --dry-run 2>/dev/null)
echo "$json" | python3 -c '
import json, sys
j = json.load(sys.stdin)
s = {x["step"]: x for x in j["steps"]}["forecast"]
assert s["state"] == "done", s
assert s["counts"]["skus"] == 2 and s["counts"]["skus_unsold"] == 1, s
' && ok "cycle: the forecast step forecasts the 2 SKUs the orders sold" \
    || not_ok "cycle: the forecast step forecasts the 2 SKUs the orders sold" "$json"

# An organisation that imported daily sales reads them only, never its orders too.
awk 'BEGIN {
    print "sku,date,units,shop"
    for (i = 0; i < 39; i++) print "a," strftime("%Y-%m-%d", 1706745600 + i * 86400, 1) ",3,sp"
}' >"$TMP/sales.csv"
expect_ok "import sales" bl import sales "$TMP/sales.csv"
bl --format csv forecast --horizon 7 --model snaive --events none >"$TMP/s.csv" 2>"$TMP/s.err"
expect_eq "daily sales: no note" "" "$(cat "$TMP/s.err")"
expect_eq "daily sales: only the SKU they name" "a" "$(awk -F, 'NR>1 {print $1}' "$TMP/s.csv" | uniq)"
expect_eq "daily sales: their units, not the orders'" "3.0000" \
    "$(awk -F, '$1=="a" && $2=="2024-03-16" {print $3}' "$TMP/s.csv")"
bl_done
