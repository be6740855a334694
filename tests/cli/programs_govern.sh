#!/usr/bin/env bash
# End-to-end: a marketplace's programmes decide the shops of the merchant organisations it
# governs (issue 19): their facts, settings and sales as their own organisations keep them,
# their records in the marketplace's members (named by merchant), and the messages in each
# merchant's own outbox. The two organisations' shops have the same ids and names (s1,
# s2), so nothing may mix them up: a linked account is the merchant's own.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" programs_govern

expect_ok "init the marketplace" bl --org mall init
expect_ok "init the merchant" bl --org shop-co init
cat > "$TMP/mall.csv" <<'EOF'
id,name,platform,currency,ship_from,tz
s1,Mall Lamps,douyin,CNY,CN-SH,Asia/Shanghai
s2,Mall Tea,douyin,CNY,CN-ZJ,Asia/Shanghai
EOF
cat > "$TMP/shopco.csv" <<'EOF'
id,name,platform,currency,ship_from,tz
s1,Shop-co Silk,douyin,CNY,CN-SH,Asia/Shanghai
s2,Shop-co Toys,douyin,CNY,CN-BJ,Asia/Shanghai
EOF
expect_ok "the marketplace's shops" bl --org mall import shops "$TMP/mall.csv"
expect_ok "the merchant's shops" bl --org shop-co import shops "$TMP/shopco.csv"
expect_ok "the marketplace adds a programme" bl --org mall programs add "$SRC/data/programs/new-creator.json"
expect_ok "mall s1's facts" bl --org mall programs facts s1 --opened 2024-03-01 --first-opening \
    --deposit-paid 2024-03-02 --sharing-since 2024-03-03
# the marketplace's s2 has a violation: the merchant's s1 links to the merchant's s2, not to it
expect_ok "mall s2's facts" bl --org mall programs facts s2 --opened 2024-03-01 --first-opening \
    --deposit-paid 2024-03-02 --sharing-since 2024-03-03 --violation 2024-03-02
expect_ok "shop-co s1's facts" bl --org shop-co programs facts s1 --opened 2024-03-01 \
    --first-opening --deposit-paid 2024-03-02 --sharing-since 2024-03-05 --linked-to s2
expect_ok "shop-co s2's facts" bl --org shop-co programs facts s2 --opened 2024-03-01

csv() { bl --org mall --format csv programs eval "$@"; }
out=$(csv --as-of 2024-03-07 --dry-run)
expect_eq "not governed yet: only the marketplace's own shops" "s1,joins," \
    "$(echo "$out" | tail -n +2 | awk -F, '{printf "%s,%s,%s;", $2, $4, $8}' | sed 's/;$//; s/joins the programme/joins/')"
expect_ok "govern shop-co" bl org govern shop-co --by mall
out=$(csv --as-of 2024-03-07)
expect_eq "the merchant's s1 joins beside the marketplace's s1" "s1,joins,;s1,joins,shop-co" \
    "$(echo "$out" | tail -n +2 | awk -F, '{printf "%s,%s,%s;", $2, $4, $8}' | sed 's/;$//; s/joins the programme/joins/g')"
expect_eq "its day is its own: the day after sharing was enabled" "2024-03-06" \
    "$(echo "$out" | awk -F, '$8=="shop-co" {print $5}')"
msgs() { bl --org "$1" --format csv messages list --kind "$2" | tail -n +2 | wc -l | tr -d ' '; }
expect_eq "the merchant is told in its own outbox" 1 "$(msgs shop-co program_joined)"
expect_eq "the marketplace's outbox has its own shop's" 1 "$(msgs mall program_joined)"
out=$(bl --org shop-co messages list --kind program_joined)
[[ $out == *"Shop-co Silk"* || $out == *"s1"* ]] && ok "the merchant's message names its shop" ||
    not_ok "the merchant's message" "$out"
out=$(csv --as-of 2024-03-07)
expect_eq "evaluated again: nothing new" 1 "$(msgs shop-co program_joined)"

# a violation on the merchant's linked account: its s1 loses the benefits, the marketplace's stays
expect_ok "shop-co s2's violation" bl --org shop-co programs facts s2 --opened 2024-03-01 \
    --violation 2024-03-08
out=$(csv --as-of 2024-03-10)
expect_eq "the merchant's s1 loses, the marketplace's s1 stays" "shop-co" \
    "$(echo "$out" | awk -F, '$4 ~ /^lose/ {print $8}')"
out=$(bl --org mall --format csv programs members new-creator)
expect_eq "members: by merchant" "s1,member,;s1,lost its benefits,shop-co" \
    "$(echo "$out" | tail -n +2 | awk -F, '{printf "%s,%s,%s;", $1, $3, $8}' | sed 's/;$//')"
[[ $(echo "$out" | awk -F, '$8=="shop-co"') == *"a major violation or risk on a linked account"* ]] &&
    ok "the reason: its own linked account" || not_ok "the reason" "$out"
expect_eq "the loss is told in the merchant's outbox" 1 "$(msgs shop-co program_lost)"
expect_eq "... not the marketplace's" 0 "$(msgs mall program_lost)"
out=$(bl --org mall programs members new-creator --explain shop-co/s1 --as-of 2024-03-10)
[[ $out == *"Shop-co Silk"* && $out == *"linked"* ]] && ok "explain MERCHANT/SHOP" ||
    not_ok "explain MERCHANT/SHOP" "$out"
out=$(bl --org mall programs members new-creator --explain s1 --as-of 2024-03-10)
[[ $out == *"Mall Lamps"* ]] && ok "explain SHOP: the marketplace's own" || not_ok "explain SHOP" "$out"
# the merchant's own store: it runs no programme, and its records are the marketplace's
expect_eq "the merchant runs no programme" "" "$(bl --org shop-co --format csv programs list | tail -n +2)"
bl_done
