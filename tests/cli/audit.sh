#!/usr/bin/env bash
# End-to-end: the audit log of the command line (issue 16). Every change leaves one row
# naming the local user, via cli, from this host: imports (one per batch, not per line),
# shop settings, the cycle and what its steps changed, message approval and sending, a
# playbook action approved, an action policy, a routing policy, coupons, a protection,
# disruptions, notify recipients, tokens, users, the currency, a marketplace governing a
# merchant. A refused change leaves none. `ballast audit` filters by action (or a kind of
# them), actor and time.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" audit
"$BALLAST" gen --out "$TMP/gen" --orders 3000 --shops 3 --skus 40 --seed 7 >/dev/null 2>&1 ||
    { echo "gen failed"; exit 1; }
bl init >/dev/null 2>&1
me=$(id -un)
host=$(hostname)
kinds="shops skus warehouses suppliers sku_suppliers stock inbound channels disruptions sales orders customers rates"
for k in $kinds; do bl import "$k" "$TMP/gen/$k.csv" >/dev/null 2>&1 || not_ok "import $k"; done
n() { bl --format csv audit "$@" | tail -n +2 | wc -l; }
expect_eq "one row per import batch, not per line" "13" "$(n --action import)"
bl import orders "$TMP/gen/orders.csv" >/dev/null 2>&1
expect_eq "the same file again stores nothing and records nothing" "13" "$(n --action import)"
printf 'id,name,platform,currency,tz,ship_from\nsX,Bad,amazon,USD,Mars/Olympus,CN\n' > "$TMP/bad.csv"
bl import shops "$TMP/bad.csv" >/dev/null 2>&1
expect_eq "a refused import records nothing" "13" "$(n --action import)"
row=$(bl --format csv audit --action import.batch --limit 1 | tail -1)
[[ "$row" == *",$me,cli,$host,import.batch,import_batch,13,,"*'"kind"":""rates""'* ]] &&
    ok "an import's row: the local user, cli, this host, the batch and what it held" ||
    not_ok "import row" "$row"

bl shops import "$TMP/gen/shop_settings.csv" >/dev/null 2>&1
bl shops set shop-001 --support-hours "Mon-Fri 9-17" >/dev/null 2>&1
after=$(bl --format json audit --action shop.settings --limit 1 | python3 -c \
    'import json,sys; r=json.load(sys.stdin)[0]; print(json.loads(r["before"])["support_hours"], "->", json.loads(r["after"])["support_hours"])')
[[ "$after" == *"-> Mon-Fri 9-17" ]] && ok "shops set: the settings before and after" ||
    not_ok "shops set" "$after"
expect_fail "an unknown shop's settings" 1 "no shop" bl shops set nope --support-hours x
expect_eq "... records nothing" "2" "$(n --action shop)"

bl cycle --as-of 2024-11-15T00:00:00Z >/dev/null 2>&1
expect_eq "the cycle: one row" "1" "$(n --action cycle.run)"
row=$(bl audit --action cycle.run | tail -1)
[[ "$row" == *"took "*" s; "* && "$row" == *"summary: "* && "$row" != *"{"* ]] &&
    ok "the cycle's row in words: its duration and summary, no JSON" ||
    not_ok "the cycle's row in words: its duration and summary, no JSON" "$row"
expect_eq "... and one for the playbook's actions it applied" "1" "$(n --action action.apply)"
bl actions --policy delist=propose >/dev/null 2>&1
expect_eq "an action policy" "1" "$(n --action action.policy)"
mid=$(bl --format csv messages list --state planned --limit 1 | tail -n +2 | cut -d, -f1)
bl messages reject "$mid" --reason "the buyer called us" >/dev/null 2>&1
bl messages reject "$mid" --reason "again" >/dev/null 2>&1
expect_eq "a message rejected (a second reject records nothing)" "message.reject message $mid" \
    "$(bl --format csv audit --action message.reject | tail -n +2 | cut -d, -f6-8 | tr ',' ' ')"
bl messages approve --all >/dev/null 2>&1
expect_eq "messages approved: one row" "1" "$(n --action message.approve)"
bl messages send --via csv --out "$TMP/outbox.csv" >/dev/null 2>&1
sent=$(bl --format json audit --action messages.send | python3 -c \
    'import json,sys; r=json.load(sys.stdin)[0]; print(len(json.loads(r["after"])["sent"]))')
left=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' "$TMP/outbox.csv")
[ "$left" -gt 0 ] && expect_eq "messages sent: the ids of what left" "$left" "$sent" ||
    not_ok "nothing was sent" "$left"
bl route policy --shop shop-001 fastest >/dev/null 2>&1
expect_eq "a routing policy" "1" "$(n --action policy.route)"
bl protect --shop shop-001 --from 2024-11-01T00:00:00Z --to 2024-11-08T00:00:00Z \
    --reason "approved appeal" >/dev/null 2>&1
expect_eq "a protection" "1" "$(n --action protection.add)"
bl disruption add --region CN-ZJ --scope origin --kind lockdown --from 2024-11-14T00:00:00Z >/dev/null 2>&1
id=$(bl --format csv audit --action disruption.declare --limit 1 | tail -1 | cut -d, -f8)
bl disruption edit "$id" --to 2024-11-20T00:00:00Z >/dev/null 2>&1
bl disruption lift "$id" --at 2024-11-16T00:00:00Z >/dev/null 2>&1
bl disruption lift "$id" >/dev/null 2>&1
expect_eq "declare, edit, lift; a second lift records nothing" \
    "disruption.lift disruption.edit disruption.declare" \
    "$(bl --format csv audit --action disruption | tail -n +2 | cut -d, -f6 | tr '\n' ' ' | sed 's/ $//')"
bl notify add --webhook https://hooks.example.com/x --kind slack >/dev/null 2>&1
bl notify remove 1 >/dev/null 2>&1
bl notify remove 1 >/dev/null 2>&1
expect_eq "notify add and remove (a second remove records nothing)" "2" "$(n --action notify)"
bl token create --role viewer --label ci >/dev/null 2>&1
bl token revoke 1 >/dev/null 2>&1
expect_eq "token create and revoke" "2" "$(n --action token)"
bl --format csv audit --action token | grep -q blt_ && not_ok "a token's secret in the log" ||
    ok "never a token's secret"
echo "correct horse battery" | bl user add dana --role admin --password-stdin >/dev/null 2>&1
bl user passwd dana >/dev/null 2>&1
bl user remove dana >/dev/null 2>&1
bl user remove dana >/dev/null 2>&1
expect_eq "user add, passwd, remove" "3" "$(n --action user)"
bl --format csv audit --action user | grep -q argon2 && not_ok "a password hash in the log" ||
    ok "never a password or its hash"
bl org set --currency EUR >/dev/null 2>&1
expect_eq "the currency" "1" "$(n --action org.currency)"
bl org set --cycle-at 06:30 --cycle-tz Asia/Shanghai >/dev/null 2>&1
bl org set --cycle-at 06:30 --cycle-tz Asia/Shanghai >/dev/null 2>&1
bl org set --no-cycle >/dev/null 2>&1
expect_eq "the cycle's schedule set and removed (the same one again records nothing)" "2" \
    "$(n --action org.schedule)"
sched=$(bl --format json audit --action org.schedule | python3 -c \
    'import json,sys; r=json.load(sys.stdin)[1]; print(json.loads(r["before"]), json.loads(r["after"]))')
expect_eq "... with the time and zone before and after" \
    "{'cycle_at': None, 'cycle_tz': None} {'cycle_at': '06:30', 'cycle_tz': 'Asia/Shanghai'}" "$sched"
export BALLAST_SECRET_KEY_FILE="$TMP/secret.key"
bl webhook add https://hooks.example.com/erp --events alert.raised >/dev/null 2>&1
wid=$(bl --format csv webhook list | tail -n +2 | cut -d, -f1)
bl webhook remove "$wid" >/dev/null 2>&1
bl webhook remove "$wid" >/dev/null 2>&1
expect_eq "a webhook added and removed (a second remove records nothing)" "2" "$(n --action webhook)"
bl --format csv audit --action webhook | grep -q whsec_ && not_ok "a webhook's secret in the log" ||
    ok "never a webhook's secret"
bl --org mall init >/dev/null 2>&1
bl org govern default --by mall >/dev/null 2>&1
expect_eq "governing: in the marketplace's log" "0 1" "$(n --action org.govern) $(bl --org mall --format csv audit | tail -n +2 | wc -l)"
bl compensate --as-of 2024-11-15T00:00:00Z --profile amazon --all-shops >/dev/null 2>&1
c=$(bl --format csv coupons | tail -n +2 | wc -l)
if [ "$c" -gt 0 ]; then expect_eq "coupons issued: one row" "1" "$(n --action coupons.issue)"
else expect_eq "no coupon, no row" "0" "$(n --action coupons.issue)"; fi

expect_eq "every row is the local user's, via the CLI" "$me cli" \
    "$(bl --format csv audit | tail -n +2 | cut -d, -f3,4 | sort -u | tr ',' ' ')"
expect_eq "--actor: nobody else" "0" "$(n --actor somebody)"
expect_eq "--since: nothing in the future" "0" "$(n --since 2999-01-01)"
expect_eq "--limit and --offset page the log" "$(bl --format csv audit --limit 1 --offset 1 | tail -1)" \
    "$(bl --format csv audit | sed -n 3p)"
bl_done
