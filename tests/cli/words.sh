#!/usr/bin/env bash
# End-to-end: what a buyer reads instead of codes (issue #13). `import areas` names postal
# areas (a bad region or a second name for the same region and language is refused with
# its line); a customer_service_closure is a disruption kind the command line takes, and
# the home-page banner speaks of customer service only while one is declared; banners
# and messages name places, never codes. Golden messages: messages_golden.sh.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" words
source "$SRC/tests/lib/messages.bash"
write_store_files
expect_ok "load the store" load_org default

printf 'region,name,locale\nCN-SH:2000,Pudong,\nYiwu,Yiwu,\n' >"$TMP/bad_areas.csv"
expect_fail "areas: a region that is not a code names the line" 1 "bad_areas.csv:3" \
    bl import areas "$TMP/bad_areas.csv"
printf 'region,name,locale\nCN-SH:2000,Pudong,\nCN-SH:2000,Pudong New Area,\n' >"$TMP/dup_areas.csv"
expect_fail "areas: one name per region and language" 1 "already has a name in this language" \
    bl import areas "$TMP/dup_areas.csv"
expect_eq "nothing of a refused file is kept" 0 "$(sql "SELECT COUNT(*) FROM area")"
printf 'region,name,locale\nCN-SH:2000,Pudong,\nCN-SH:2000,浦东,zh-CN\n' >"$TMP/areas.csv"
expect_ok "areas: imported" bl import areas "$TMP/areas.csv"

expect_ok "a customer-service closure is a disruption kind" \
    bl disruption add --region CN --scope origin --kind customer_service_closure \
    --from 2022-05-09 --to 2022-05-12 --tz America/New_York --note "staff on leave"
expect_eq "listed with its kind" "customer_service_closure" \
    "$(bl --format csv disruption list | awk -F, 'NR > 1 && $5 == "customer_service_closure" {print $5}')"

home() { # home LOCALE AS_OF: the home-page banner's title and text of s1
    bl --format json banners --as-of "$2" 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["shop"] == "s1" and r["place"] == "homepage" and r["locale"] == sys.argv[1]:
        print(r["title"]); print(r["text"])' "$1"
}
out=$(home en 2022-05-10)
[[ "$out" == *"in Shanghai are experiencing"* && "$out" == *"will resume from"*"May 12."* ]] &&
    ok "closed: the home page says when customer service resumes; Shanghai by its name" ||
    not_ok "home page with the closure" "$out"
out=$(home pt-BR 2022-05-10)
[[ "$out" == *"(região afetada: Xangai)"* || "$out" == *"(região afetada: Shanghai)"* ]] &&
    [[ "$out" == *"volta a funcionar em 12 de maio"* ]] &&
    ok "in Portuguese too" || not_ok "pt-BR home page" "$out"
out=$(home en 2022-05-13)
[[ "$out" != *"Customer Service"* && "$out" == *"may be delayed"* ]] &&
    ok "reopened: no word of customer service" || not_ok "home page after the closure" "$out"
out=$(bl --format json banners --as-of 2022-05-10)
[[ "$out" != *"CN-SH"* && "$out" != *"(CN"* ]] && ok "no region code in any banner" ||
    not_ok "a code in a banner" "$out"

bl messages plan --as-of 2022-05-10 >/dev/null 2>&1
body=$(sql "SELECT body FROM message WHERE kind = 'unshipped_order'")
[[ "$body" == *"上海"* && "$body" != *"CN-SH"* ]] && ok "the heads-up names Shanghai in Chinese" ||
    not_ok "zh heads-up" "$body"
expect_eq "no customer id in any message" 0 \
    "$(sql "SELECT COUNT(*) FROM message WHERE body LIKE '%' || customer || '%'")"

bl_done
