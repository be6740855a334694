#!/usr/bin/env bash
# End-to-end: every list takes --limit/--offset and says how many more there are
# (src/cli/out.c); a table on a terminal shows 50 rows unless told, fits the terminal's
# width (an ellipsis, or a block per row), and multi-line text is printed as blocks;
# piped, csv and json output keep every row and every character. The terminal is a pty
# made by script(1).
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" lists
command -v script >/dev/null || { echo "no script(1): cannot make a terminal"; exit 77; }

cat >"$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
s1,Shenzhen Gadgets,amazon,USD,Asia/Shanghai,CN-GD
CSV
printf 'id,name,weight_g,price,currency\nk1,USB cable,50,3.99,USD\n' >"$TMP/skus.csv"
awk 'BEGIN {
    print "order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to"
    for (i = 1; i <= 120; i++)
        printf "o%03d,s1,k1,1,3.99,2024-03-01T%02d:%02d:00Z,2024-03-03T10:00:00Z,US-CA\n", i, 10 + int(i / 60), i % 60
}' >"$TMP/orders.csv"
cat >"$TMP/disruptions.csv" <<'CSV'
id,region,scope,kind,starts_at,ends_at,supplier,note
d1,CN-GD,origin,lockdown,2024-03-01T00:00:00Z,2024-03-20T00:00:00Z,,"Guangdong lockdown: warehouses closed, no pickups in the province, carriers suspended until further notice from the authorities"
CSV
expect_ok "init" bl init
for kind in shops skus orders disruptions; do
    expect_ok "import $kind" bl import "$kind" "$TMP/$kind.csv"
done

# tty CMD...: run on a terminal COLUMNS wide (stdout and stderr both the terminal)
tty() {
    local cols=$1; shift
    local cmd
    printf -v cmd '%q ' "$@"
    COLUMNS=$cols script -qec "$cmd" /dev/null | tr -d '\r'
}

# --- piped: every row, as before
expect_eq "piped table: every row" 121 "$(bl orders list 2>/dev/null | wc -l | tr -d ' ')"
expect_eq "piped: nothing said about more" "" "$(bl orders list 2>&1 >/dev/null)"

# --- --limit, --offset
out=$(bl orders list --limit 10 2>"$TMP/err")
expect_eq "--limit 10: ten rows" 11 "$(wc -l <<<"$out" | tr -d ' ')"
expect_eq "... and how many more" "... 110 more (use --offset 10, or --limit 0 for all)" "$(cat "$TMP/err")"
out=$(bl orders list --offset 115 --limit 10 2>"$TMP/err")
expect_eq "--offset 115: the last five" "o116 o117 o118 o119 o120" "$(tail -n +2 <<<"$out" | awk '{print $2}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "... nothing more" "" "$(cat "$TMP/err")"
expect_eq "--limit=N and --offset=N" "o003" "$(bl --format csv orders list --limit=1 --offset=2 2>/dev/null | tail -1 | cut -d, -f2)"
bl orders list --offset 500 >/dev/null 2>"$TMP/err"
expect_eq "an offset past the end says so" "... nothing from --offset 500: the list has 120 rows" "$(cat "$TMP/err")"
expect_fail "--limit needs a number" 2 "--limit 'x': expected a whole number" bl orders list --limit x
expect_fail "--limit on a command that is no list" 2 "'--limit'" bl init --limit 3

csv=$(bl --format csv orders list --limit 3 2>"$TMP/err")
expect_eq "csv --limit 3: header and three rows, nothing else on stdout" 4 "$(wc -l <<<"$csv" | tr -d ' ')"
expect_eq "csv: the rest is said on stderr" "... 117 more (use --offset 3, or --limit 0 for all)" "$(cat "$TMP/err")"
json=$(bl --format json orders list --limit 2 --offset 1 2>/dev/null)
expect_eq "json --limit 2 --offset 1: a valid array of two" "2 o002" \
    "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), d[0]["order"])' <<<"$json")"
expect_eq "csv without --limit: every row" 121 "$(bl --format csv orders list | wc -l | tr -d ' ')"

stats=$(bl stats --limit 2 2>&1 >/dev/null)
[[ "$stats" == "... "*" more (use --offset 2, or --limit 0 for all)" ]] && ok "stats is a list too" || not_ok "stats --limit" "$stats"
dl=$(bl --format csv disruption list --limit 0 | wc -l | tr -d ' ')
expect_eq "--limit 0: all" 2 "$dl"

# --- on a terminal: 50 rows by default, and the width fits
out=$(tty 400 "$BALLAST" --db "$DB" orders list)
expect_eq "terminal: 50 rows by default" 51 "$(grep -c '^s1 \|^shop ' <<<"$out")"
[[ "$out" == *"... 70 more (use --offset 50, or --limit 0 for all)"* ]] && ok "terminal: how many more" || not_ok "terminal: more" "$out"
out=$(tty 400 "$BALLAST" --db "$DB" --format csv orders list)
expect_eq "terminal, csv: every row" 121 "$(grep -c '^s1,\|^shop,' <<<"$out")"

out=$(tty 80 "$BALLAST" --db "$DB" orders list --limit 2)
[[ "$out" == "shop:"*"order:"*"o001"*$'\n\n'"shop:"* ]] && ok "too wide for 80 columns: a block per row" || not_ok "blocks" "$out"
long=$(awk '{ if (length($0) > 80) n++ } END { print n + 0 }' <<<"$out")
expect_eq "... no line wider than the terminal" 0 "$long"

out=$(tty 200 "$BALLAST" --db "$DB" disruption list)
wide=$(python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 200 for l in sys.stdin))' <<<"$out")
[[ "$out" == *"region"*"CN-GD"*"2024-03-01T00:00:00Z"*"Guangdong lockdown"*"…"* ]] && [ "$wide" = 0 ] &&
    ok "200 columns: a table, long text cut with an ellipsis, times whole" ||
    not_ok "ellipsis" "$out"
piped=$(bl disruption list)
[[ "$piped" == *"until further notice from the authorities"* ]] && ok "piped: the text whole" || not_ok "piped whole" "$piped"
full=$(bl --format csv disruption list)
[[ "$full" == *"until further notice from the authorities"* ]] && ok "csv: the text whole" || not_ok "csv whole" "$full"

# --- multi-line text: blocks, not a 400-character row
ban=$(bl banners --as-of 2024-03-05 2>/dev/null)
[[ "$ban" == *"text:"*$'\n'"  "* ]] && ok "banners: a block per banner, text lines aligned" || not_ok "banners blocks" "$ban"
first=$(head -1 <<<"$ban")
[[ "$first" == "shop:"* ]] && ok "... no table header" || not_ok "banners header" "$first"
bjson=$(bl --format json banners --as-of 2024-03-05 2>/dev/null)
python3 -c 'import json,sys; d=json.load(sys.stdin); assert "\n" in d[0]["text"]' <<<"$bjson" &&
    ok "banners json keeps the text's lines" || not_ok "banners json" "$bjson"

# --- one default: a table for people, forecast included (piped or not)
awk 'BEGIN { print "sku,date,units"; for (i = 0; i < 60; i++) printf "k1,%s,%d\n", strftime("%Y-%m-%d", 1704067200 + i * 86400, 1), 3 + i % 7 }' >"$TMP/h.csv"
fc=$(bl forecast --input "$TMP/h.csv" --horizon 2 --events none)
[[ "$(head -1 <<<"$fc")" == "sku  date        forecast"* ]] && ok "forecast: a table by default" || not_ok "forecast default" "$fc"
[[ "$(bl --format csv forecast --input "$TMP/h.csv" --horizon 2 --events none | head -1)" == "sku,date,forecast,p50,p90,p95,model" ]] &&
    ok "forecast --format csv: CSV" || not_ok "forecast csv"

bl_done
