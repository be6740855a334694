#!/usr/bin/env bash
# make run: demo data into the embedded SQLite store, what is in it, then the dashboard:
# `ballast serve` with a viewer and an operator to sign in as, until Ctrl-C.
#   scripts/demo.sh BALLAST DB [--no-serve]     --no-serve: print and exit (scripts, CI)
#   BALLAST_LISTEN=127.0.0.1:8080 (the default) is where the dashboard is served
# Two organisations: "default", a cross-border seller (synthetic data from
# `ballast gen`), and "olist", a marketplace (the real Olist dataset, if present).
# Running it again adds nothing: every import is recorded by content hash.
set -euo pipefail
ballast=${1:?ballast binary}
db=${2:-ballast.db}
serve=1
for a in "${@:3}"; do
    case "$a" in
    --no-serve) serve=0 ;;
    *) echo "demo.sh: unknown option '$a' (--no-serve prints and exits)" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "$0")/.." && pwd)
demo="$here/build/demo-data"
olist="${BALLAST_SHARED:-$here/../shared}/datasets/olist"

say() { printf '\n== %s\n' "$*"; }

say "store: $db"
"$ballast" --db "$db" init

# (again when an older gen left it: skus.csv without promo_spend, the promotions' spend)
if [ ! -f "$demo/customers.csv" ] || ! head -1 "$demo/skus.csv" | grep -q promo_spend; then
    say "generating the demo seller's data (ballast gen, seed 7)"
    "$ballast" gen --out "$demo" --orders 50000 --shops 12 --skus 400 --seed 7
fi
say "importing the demo seller (organisation 'default')"
for kind in shops skus warehouses suppliers sku_suppliers stock inbound channels disruptions sales \
    orders customers rates; do
    "$ballast" --db "$db" import "$kind" "$demo/$kind.csv"
done
"$ballast" --db "$db" import calendars "$here/data/calendars.csv"
"$ballast" --db "$db" import calendars "$here/data/demo/calendars.csv"
# what each shop's messages say about it: account page, support, signature, sender
# (without them every message to a buyer is held, its setting named)
"$ballast" --db "$db" shops import "$demo/shop_settings.csv"
# reports add a total in US dollars, converted with the day's rates (rates.csv)
"$ballast" --db "$db" org set --currency USD
# what buyers call the postal areas the demo's shops ship from ("CN-ZJ:322" is Yiwu)
"$ballast" --db "$db" import areas "$here/data/demo/areas.csv"

if [ -d "$olist" ]; then
    say "importing the Olist marketplace dataset (organisation 'olist')"
    "$ballast" --db "$db" --org olist init
    "$ballast" --db "$db" --org olist import olist "$olist"
    "$ballast" --db "$db" --org olist calendars import "$here/data/calendars.csv"
    "$ballast" --db "$db" --org olist calendars import "$here/data/demo/br_calendars.csv"
    "$ballast" --db "$db" --org olist channels import "$here/data/demo/br_channels.csv"
fi

say "what is in the store: the demo seller"
"$ballast" --db "$db" stats

# The day, as of the morning of 2024-11-15 (UTC): one command runs the whole pass
# (forecast, plan, alerts, playbook, route, assess, compensate, SLA waivers, customer
# messages, banners) and prints what needs a decision first: the operator's digest,
# which `ballast notify add` sends by e-mail, Slack, Feishu or DingTalk.
say "the day's cycle for the demo seller, as of 2024-11-15T00:00:00Z"
"$ballast" --db "$db" cycle --as-of 2024-11-15T00:00:00Z
say "the same digest in Chinese, as a Feishu or DingTalk recipient gets it (a second run adds nothing)"
"$ballast" --db "$db" cycle --as-of 2024-11-15T00:00:00Z --locale zh-CN | sed -n '1,12p'
say "past cycles"
"$ballast" --db "$db" cycle list --limit 5
# What a rumoured lockdown of the Yiwu area would cost over the next two weeks, before it
# happens: the same day run without and with it, nothing stored (docs/whatif.md).
say "what if the rumoured Yiwu lockdown happens? (data/demo/whatif-yiwu.csv)"
"$ballast" --db "$db" whatif --as-of 2024-11-15T00:00:00Z --assume "$here/data/demo/whatif-yiwu.csv" \
    --horizon 14 --brief

# A seller's own Amazon reports, yesterday's and today's, as Seller Central exports
# them: today's updates the orders yesterday's brought (shipped, delivered, cancelled).
say "an Amazon seller (organisation 'amazon'): yesterday's All Orders report, then today's"
reports="$here/tests/data/reports/amazon"
"$ballast" --db "$db" --org amazon init
"$ballast" --db "$db" --org amazon import shops "$here/data/demo/amazon/shops.csv"
"$ballast" --db "$db" --org amazon import skus "$here/data/demo/amazon/skus.csv"
"$ballast" --db "$db" --org amazon import amazon "$reports/day1.tsv" --shop amz-us
"$ballast" --db "$db" --org amazon import amazon "$reports/day2.tsv" --shop amz-us
say "one order as it is now, and what changed"
"$ballast" --db "$db" --org amazon orders show 113-4410001-2210007

if [ -d "$olist" ]; then
    say "Olist: the May 2018 truck drivers' strike, declared as a disruption"
    if ! "$ballast" --db "$db" --org olist --format csv disruption list | grep -q strike; then
        "$ballast" --db "$db" --org olist disruption add --region BR --scope both --from 2018-05-21 \
            --to 2018-06-01 --tz America/Sao_Paulo --kind strike --note "truck drivers' strike" >/dev/null
    fi
    # a support programme for the sellers the strike covers (docs/internals/programs.md):
    # a traffic subsidy shared by their sales in the 30 days before it, capped per seller
    say "Olist: the strike relief plan, decided as of 2018-05-25 (during the strike)"
    "$ballast" --db "$db" --org olist programs add "$here/data/programs/olist-strike.json"
    "$ballast" --db "$db" --org olist programs eval --as-of 2018-05-25 --tz America/Sao_Paulo --limit 5
    say "the Olist marketplace's cycle as of 2018-06-10 (Sao Paulo), the strike's orders excluded"
    say "(the cycle's watch step: the strike is over, so the sellers lose the plan's benefits)"
    "$ballast" --db "$db" --org olist cycle --as-of 2018-06-10 --tz America/Sao_Paulo
fi

[ "$serve" = 1 ] || exit 0
# The dashboard: the demo seller's viewer and operator, new passwords each run (a password
# is shown once; the store keeps its hash), then the server until Ctrl-C.
signin() { # signin NAME ROLE: prints a new password for user NAME of role ROLE
    if "$ballast" --db "$db" --format csv user list | grep -q "^$1,"; then
        "$ballast" --db "$db" user passwd "$1" 2>/dev/null
    else
        "$ballast" --db "$db" user add "$1" --role "$2" 2>/dev/null
    fi
}
viewer_pw=$(signin demo-viewer viewer)
operator_pw=$(signin demo-operator operator)
listen=${BALLAST_LISTEN:-127.0.0.1:8080}
say "the dashboard: http://$listen/ (Ctrl-C stops it)"
printf '   sign in as %-14s password %s   (reads everything, changes nothing)\n' demo-viewer "$viewer_pw"
printf '   sign in as %-14s password %s   (approves messages, declares disruptions)\n' \
    demo-operator "$operator_pw"
printf '   organisation: leave empty (the demo seller, "default")\n\n'
exec "$ballast" --db "$db" serve --listen "$listen"
