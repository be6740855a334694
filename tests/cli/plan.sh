#!/usr/bin/env bash
# End-to-end: `ballast plan`, `alerts`, `playbook [--apply]` and `actions` on a small
# hand-written store with known answers, then on a `ballast gen` store.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" plan

# q SQL: one value from the store, through the backend's own client.
q() {
    if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" "$1"; else psql -qtAX "$DB" -c "$1"; fi
}

D="$TMP/in"
mkdir -p "$D"
cat >"$D/shops.csv" <<'EOF'
id,platform,currency,fulfilment
shop-m,amazon,USD,merchant
shop-f,amazon,USD,platform
EOF
# A: healthy. B: nothing sellable, a PO lands in 10 days. C: price review passed, no
# stock, no PO. D: stock only in Guangdong (locked down), its supplier shut down.
cat >"$D/skus.csv" <<'EOF'
id,handling_min,handling_max,listing,promoted,price_review
A,1,3,active,1,none
B,1,3,active,1,none
C,1,3,active,0,passed
D,1,3,active,0,none
EOF
cat >"$D/warehouses.csv" <<'EOF'
id,region
wh-us,US-CA
wh-gd,CN-GD
EOF
cat >"$D/suppliers.csv" <<'EOF'
id,region,lead_days,lead_days_max,moq,case_pack,state,backup_for
sup-a,CN-ZJ,10,10,100,50,active,
sup-d,CN-GD,10,10,1,1,shutdown,
sup-d2,VN,7,7,1,1,active,sup-d
EOF
cat >"$D/stock.csv" <<'EOF'
warehouse,sku,on_hand,reserved,counted_at
wh-us,A,1000,0,2025-01-01T00:00:00Z
wh-us,B,5,5,2025-01-01T00:00:00Z
wh-gd,D,100,0,2025-01-01T00:00:00Z
EOF
cat >"$D/inbound.csv" <<'EOF'
po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state
PO-0,A,100,wh-us,sup-a,2024-11-01T00:00:00Z,2024-11-11T00:00:00Z,2024-11-11T00:00:00Z,received
PO-2,B,300,wh-us,sup-a,2024-12-20T00:00:00Z,2025-01-11T00:00:00Z,,open
PO-3,D,50,wh-gd,sup-d,2024-12-01T00:00:00Z,2024-12-11T00:00:00Z,2024-12-11T00:00:00Z,received
EOF
cat >"$D/disruptions.csv" <<'EOF'
id,region,scope,kind,starts_at,ends_at,supplier,note
dis-1,CN-GD,origin,lockdown,2024-12-25T00:00:00Z,2025-01-11T00:00:00Z,,Guangdong lockdown
dis-2,CN-GD,origin,supplier_shutdown,2024-12-20T00:00:00Z,2025-01-21T00:00:00Z,sup-d,factory closed
EOF
# 90 days of 10 a day for A and D (shop-f) and B (shop-m); nothing for C
awk 'BEGIN {
    print "sku,date,units,shop"
    for (i = 0; i < 90; i++) {
        d = strftime("%Y-%m-%d", 1735689600 - (90 - i) * 86400, 1)
        print "A," d ",10,shop-f"; print "B," d ",10,shop-m"; print "D," d ",10,shop-f"
    }
}' >"$D/sales.csv"

expect_ok "init" bl init
for k in shops skus warehouses suppliers stock inbound disruptions sales; do
    expect_ok "import $k" bl import "$k" "$D/$k.csv"
done

plan=$(bl --format csv plan --as-of 2025-01-01T00:00:00Z)
line() { awk -F, -v s="$1" '$1 == s' <<<"$plan"; }
expect_eq "plan header" \
    "sku,warehouse,available,inbound,daily,cover_days,stockout,safety,reorder_point,order_qty,order_by,supplier,backup,lead_days,alerts" \
    "$(head -1 <<<"$plan")"
# seed policy: SS = 15 days, ROP = d (L + 15), order up to d (L + 30)
expect_eq "A: 100 days of cover, order by when the position meets the ROP" \
    "A,*,1000,0,10.00,100.0,2025-04-11,150,250,0,2025-03-17,sup-a,0,10," "$(line A)"
expect_eq "B: out now, PO in 10 days" \
    "B,*,0,300,10.00,0.0,2025-01-01,150,250,0,2025-01-01,sup-a,0,10,low_stock stockout" "$(line B)"
expect_eq "C: no demand, stocking reminder" \
    "C,*,0,0,0.00,,,0,0,0,,,0,0,stocking_reminder" "$(line C)"
# D: sup-d shut until 01-21 then 10 days = 01-31, after the stock-out on 01-11: the
# backup sup-d2 (7 days) is proposed; ROP 10*7+150 = 220, up to 370, order 270
expect_eq "D: backup supplier before the stock-out" \
    "D,*,100,0,10.00,10.0,2025-01-11,150,220,270,2025-01-01,sup-d2,1,7,stockout reorder" "$(line D)"
expect_eq "plan stored: 4 SKU lines + 3 warehouse lines" 7 "$(rows plan_line)"
wh=$(bl --format csv plan --as-of 2025-01-01T00:00:00Z --warehouses | awk -F, '$1 == "B" && $2 == "wh-us"')
expect_eq "per warehouse line" "B,wh-us,0,300,10.00,0.0,2025-01-01" "$(cut -d, -f1-7 <<<"$wh")"
expect_eq "plan again replaces the day's lines" 7 "$(rows plan_line)"

svc=$(bl --format csv plan --as-of 2025-01-01T00:00:00Z --service-level 0.95 --no-save | awk -F, '$1 == "A" { print $8 }')
expect_eq "service-level policy: constant demand needs no safety stock" 0 "$svc"
q95=$(bl --format csv plan --as-of 2025-01-01T00:00:00Z --quantile p95 --no-save | awk -F, '$1 == "A" { print $8 "," $9 }')
expect_eq "forecast-quantile policy: constant demand, fixed lead time" "0,100" "$q95"
expect_fail "bad quantile" 2 "expected p90 or p95" bl plan --as-of 2025-01-01T00:00:00Z --quantile p99

al=$(bl --format csv alerts --as-of 2025-01-01T00:00:00Z | cut -d, -f1,2 | tr '\n' ' ')
expect_eq "alerts" \
    "sku,kind B,low_stock B,stockout C,stocking_reminder D,stockout D,reorder " "$al"
expect_eq "alerts stored" 5 "$(rows stock_alert)"
msg=$(bl --format csv alerts --as-of 2025-01-01T00:00:00Z | awk -F, '$1 == "D" && $2 == "reorder"')
[[ "$msg" == *"order 270 from sup-d2 by 2025-01-01"*"backup supplier"* ]] &&
    ok "reorder alert names the backup supplier" || not_ok "reorder alert names the backup" "$msg"

dry=$(bl --format csv playbook --as-of 2025-01-01T00:00:00Z 2>/dev/null)
acts=$(tail -n +2 <<<"$dry" | cut -d, -f1-7 | sort | tr '\n' ' ')
expect_eq "playbook actions" \
    "new,delist,C,listing,active,delisted,to propose new,extend_handling,D,handling_max,3,13,to apply new,out_of_stock,B,listing,active,out_of_stock,to apply new,pause_mail,B,marketing_mail_paused,0,1,to apply new,pause_promotion,B,promoted,1,0,to apply new,vacation,shop-m,vacation,0,1,to propose " \
    "$acts"
expect_eq "a dry run records nothing" 0 "$(rows action)"

expect_ok "playbook --apply" bl playbook --as-of 2025-01-01T00:00:00Z --apply
expect_eq "six actions recorded" 6 "$(rows action)"
expect_eq "B marked out of stock, promotion paused" "out_of_stock|0" \
    "$(q "SELECT listing || '|' || promoted FROM sku WHERE ext_id = 'B'")"
expect_eq "D handling time extended" 13 "$(q "SELECT handling_max FROM sku WHERE ext_id = 'D'")"
expect_eq "C only proposed" active "$(q "SELECT listing FROM sku WHERE ext_id = 'C'")"
before=$(q "SELECT COUNT(*) || '/' || SUM(proposed_at) FROM action")
again=$(bl --format csv playbook --as-of 2025-01-01T00:00:00Z --apply | tail -n +2 | wc -l | tr -d ' ')
expect_eq "applying twice changes nothing" 0 "$again"
expect_eq "... and records nothing" "$before" "$(q "SELECT COUNT(*) || '/' || SUM(proposed_at) FROM action")"

list=$(bl --format csv actions --sku B | tail -n +2 | cut -d, -f2,7 | tr '\n' ' ')
expect_eq "actions --sku" "out_of_stock,applied pause_promotion,applied pause_mail,applied " "$list"
# the table in words: a field's value in English too ("mail paused", not 1); with
# --locale zh-CN the titles, kinds, fields, values, states, days and when it is undone in
# Chinese; csv keeps the codes, for programs
en=$(bl actions --sku B 2>/dev/null)
[[ "$en" == *"pause_mail "*" mail on "*" mail paused "*" applied "* &&
    "$en" == *"pause_promotion "*" promoted "*" not promoted "* && "$en" == *" active "*" out of stock "* &&
    "$en" == *"when no unavoidable stock-out is ahead any more"* ]] &&
    ok "actions: the values in words in English" || not_ok "actions: the values in words in English" "$en"
zh=$(bl actions --sku B --locale zh-CN 2>/dev/null)
head1=$(head -1 <<<"$zh" | tr -s ' ')
expect_eq "actions --locale zh-CN: the titles in Chinese" \
    "编号 操作 商品或店铺 改动项 原值 新值 状态 截至日期 原因 何时撤销 决定人 决定时间 决定备注" "$head1"
mail=$(grep "暂停营销邮件" <<<"$zh" | tr -s ' ')
oos=$(grep "可售库存设为 0" <<<"$zh" | tr -s ' ')
[[ "$mail" == *" B 营销邮件 营销邮件开启 营销邮件已暂停 生效中 2025年1月1日 "*" 不再有无法避免的缺货时"* &&
    "$oos" == *" B 上架状态 在售 缺货 生效中 2025年1月1日 "*" 商品重新有可售库存时"* ]] &&
    ok "... a kind, a field, its values, a state, a day and when it is undone in Chinese" ||
    not_ok "the rows in Chinese" "$zh"
left=$(tail -n +2 <<<"$zh" | grep -oE '[a-z]+(_[a-z]+)+|applied|when no' | sort -u | tr '\n' ' ')
expect_eq "... no code or English left in it" "" "$left"
expect_eq "csv keeps the codes, in Chinese too" \
    "out_of_stock,listing,active,out_of_stock,applied pause_promotion,promoted,1,0,applied pause_mail,marketing_mail_paused,0,1,applied " \
    "$(bl --format csv actions --sku B --locale zh-CN | tail -n +2 | cut -d, -f2,4-7 | tr '\n' ' ')"
cid=$(bl --format csv actions --state proposed | awk -F, '$2 == "delist" { print $1 }')
expect_ok "approve the proposed delist" bl actions --approve "$cid"
expect_eq "C delisted" delisted "$(q "SELECT listing FROM sku WHERE ext_id = 'C'")"
expect_fail "approve twice" 1 "no proposed action" bl actions --approve "$cid"
expect_ok "policy: vacation applied at once" bl actions --policy vacation=apply
expect_eq "policy stored" apply "$(q "SELECT mode FROM action_policy WHERE kind = 'vacation'")"
expect_eq "policy: said in Chinese" "店铺休假模式：策略手册直接执行" \
    "$(bl actions --policy vacation=apply --locale zh-CN 2>&1)"
expect_fail "bad policy" 2 "expected KIND=propose|apply" bl actions --policy vacation=maybe

# B restocked: its actions are reverted; the proposed vacation of shop-m withdrawn
cat >"$D/stock2.csv" <<'EOF'
warehouse,sku,on_hand,reserved,counted_at
wh-us,B,400,0,2025-01-02T00:00:00Z
EOF
expect_ok "import the new count" bl import stock "$D/stock2.csv"
pre=$(bl playbook --as-of 2025-01-02T00:00:00Z --locale zh-CN 2>"$D/pre.err")
out_zh=$(grep "可售库存设为 0" <<<"$pre" | tr -s ' ')
vac_zh=$(grep "店铺休假模式" <<<"$pre" | tr -s ' ')
[[ "$(head -1 <<<"$pre" | tr -s ' ')" == "变动 操作 商品或店铺 改动项 原值 新值 状态 原因" &&
    "$out_zh" == "撤销 可售库存设为 0 B 上架状态 缺货 在售 待处理 已补货：可用 400 件" &&
    "$vac_zh" == "撤回提议 店铺休假模式 shop-m 休假模式 休假中 营业中 待处理 库存恢复：400 件可售" &&
    "$(cat "$D/pre.err")" == *"共 4 项操作；加 --apply 运行即可记录"* ]] &&
    ok "playbook --locale zh-CN: its preview in Chinese" || not_ok "the preview in Chinese" "$pre $(cat "$D/pre.err")"
rev=$(bl --format csv playbook --as-of 2025-01-02T00:00:00Z --apply | tail -n +2 | cut -d, -f1,2,7 | sort | tr '\n' ' ')
expect_eq "reverts on restock" \
    "revert,out_of_stock,reverted revert,pause_mail,reverted revert,pause_promotion,reverted withdraw,vacation,withdrawn " \
    "$rev"
expect_eq "B active and promoted again" "active|1" \
    "$(q "SELECT listing || '|' || promoted FROM sku WHERE ext_id = 'B'")"
expect_eq "nothing more after the reverts" 0 \
    "$(bl --format csv playbook --as-of 2025-01-02T00:00:00Z --apply | tail -n +2 | wc -l | tr -d ' ')"
hist=$(bl --format csv actions --sku B | tail -n +2 | cut -d, -f7 | sort -u | tr '\n' ' ')
expect_eq "history kept" "reverted " "$hist"
# why they were reverted, in Chinese too: the numbers of the close are kept with the action
zh=$(bl actions --sku B --locale zh-CN 2>/dev/null)
[[ "$zh" == *"可售库存设为 0"*" / 已补货：可用 400 件 "* && "$zh" == *" / 库存恢复：可用 400，下次缺货 2025年"* &&
    "$zh" != *restocked* && "$zh" != *"stock back"* && "$(tail -n +2 <<<"$zh" | grep -c "已由策略手册撤销")" == 3 ]] &&
    ok "actions --locale zh-CN: why each was reverted in Chinese" || not_ok "why reverted, in Chinese" "$zh"
[[ "$(bl --format csv actions --sku B)" == *" / restocked: 400 units available"* ]] &&
    ok "... the close reason stored in English as before" || not_ok "the English close reason" "$(bl --format csv actions --sku B)"

expect_fail "plan needs --as-of" 2 "--as-of DAY is required" bl plan
expect_fail "bad number" 2 "--window 5: not a number in the allowed range" bl plan --as-of 2025-01-01T00:00:00Z --window 5
expect_fail "bad day" 2 "expected a date" bl plan --as-of 2025-13-01
expect_fail "unknown default supplier" 1 "no such supplier" bl plan --as-of 2025-01-01T00:00:00Z --default-supplier nope

# a generated store: every SKU gets a plan line, the playbook is idempotent
G="$TMP/gen"
expect_ok "gen" "$BALLAST" gen --out "$G" --orders 5000 --shops 3 --skus 120 --seed 5
ORG=(--org gen)
expect_ok "gen init (a second organisation)" bl "${ORG[@]}" init
for k in shops skus warehouses suppliers channels stock inbound disruptions sales; do
    bl "${ORG[@]}" import "$k" "$G/$k.csv" >/dev/null 2>&1 || not_ok "gen import $k"
done
n=$(bl "${ORG[@]}" --format csv plan --as-of 2024-11-30 --default-supplier sup-001 | tail -n +2 | wc -l | tr -d ' ')
expect_eq "gen: one plan line per SKU" 120 "$n"
expect_ok "gen: playbook --apply" bl "${ORG[@]}" playbook --as-of 2024-11-30 --default-supplier sup-001 --apply
expect_eq "gen: second --apply changes nothing" 0 \
    "$(bl "${ORG[@]}" --format csv playbook --as-of 2024-11-30 --default-supplier sup-001 --apply | tail -n +2 | wc -l | tr -d ' ')"
expect_eq "the first organisation's actions untouched" 6 "$(rows action)"

bl_done
