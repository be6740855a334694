#!/usr/bin/env bash
# make run: demo data into the embedded SQLite store, then what is in it.
#   scripts/demo.sh BALLAST DB
# Two organisations: "default", a cross-border seller (synthetic data from
# `ballast gen`), and "olist", a marketplace (the real Olist dataset, if present).
# Running it again adds nothing: every import is recorded by content hash.
set -euo pipefail
ballast=${1:?ballast binary}
db=${2:-ballast.db}
here=$(cd "$(dirname "$0")/.." && pwd)
demo="$here/build/demo-data"
olist="${BALLAST_SHARED:-$here/../shared}/datasets/olist"

say() { printf '\n== %s\n' "$*"; }

say "store: $db"
"$ballast" --db "$db" init

if [ ! -f "$demo/orders.csv" ]; then
    say "generating the demo seller's data (ballast gen, seed 7)"
    "$ballast" gen --out "$demo" --orders 50000 --shops 12 --skus 400 --seed 7
fi
say "importing the demo seller (organisation 'default')"
for kind in shops skus warehouses suppliers stock inbound channels disruptions sales orders; do
    "$ballast" --db "$db" import "$kind" "$demo/$kind.csv"
done
"$ballast" --db "$db" import calendars "$here/data/calendars.csv"
"$ballast" --db "$db" import calendars "$here/data/demo/calendars.csv"

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
say "the first orders"
"$ballast" --db "$db" orders list --limit 8
# The day's decisions for the demo seller, as of the morning of 2024-11-15 (UTC).
asof=2024-11-15T00:00:00Z
b() { "$ballast" --db "$db" "$@"; }
first() { awk -v n="$1" 'NR <= n'; } # keeps the demo's output short; the commands print everything
say "demand forecast from the sales history (next 7 days, p50/p90/p95)"
b --format csv forecast --horizon 7 --model tsb | first 8
say "replenishment plan as of 2024-11-15: cover, stock-out, reorder point, order-by"
b plan --as-of 2024-11-15 2>&1 | first 10
say "alerts: low stock, stock-outs, stocking reminders"
b alerts --as-of 2024-11-15 2>&1 | first 10
say "the stock-out playbook (proposed actions, each reverted on restock)"
b playbook --as-of 2024-11-15 2>&1 | first 10
say "disruptions declared"
b disruption list | first 12
# Each shop is rated by its own platform's profile (profiles/*.json); a profile no
# shop uses is skipped.
profiles=$(cd "$here/profiles" && ls *.json | sed 's/\.json$//')
for p in $profiles; do
    out=$(b assess --as-of $asof --profile "$p" 2>/dev/null) || continue
    say "shop assessment as of $asof, profile $p (declared disruptions excluded)"
    echo "$out" | first 8
done
say "coupons for late shipments, paid from the merchants' deposits (once per order)"
for p in $profiles; do
    b compensate --as-of $asof --profile "$p" 2>/dev/null | first 6 || true
done
say "carrier SLA breaches: freight waived"
b sla --as-of $asof 2>&1 | first 8
say "routing the open orders over channels that still run"
b route --as-of $asof 2>&1 | first 12
say "messages to the affected customers, in their language (the outbox; 'messages send' delivers)"
b messages plan --as-of $asof 2>&1 | first 10

if [ -d "$olist" ]; then
    say "Olist: the May 2018 truck drivers' strike, declared as a disruption"
    if ! "$ballast" --db "$db" --org olist --format csv disruption list | grep -q strike; then
        "$ballast" --db "$db" --org olist disruption add --region BR --scope both --from 2018-05-21 \
            --to 2018-06-01 --tz America/Sao_Paulo --kind strike --note "truck drivers' strike" >/dev/null
    fi
    say "Olist sellers as of 2018-06-10 (30 days), the strike's orders excluded (busiest first, CSV)"
    "$ballast" --db "$db" --org olist --format csv assess --as-of 2018-06-10 \
        --tz America/Sao_Paulo --profile olist | cut -d, -f1,5-10,21-22 |
        awk -F, 'NR == 1 || $2 > 0' | { IFS= read -r head; echo "$head"; sort -t, -k2,2nr; } | first 10
    say "what is in the store: Olist"
    "$ballast" --db "$db" --org olist stats
    say "Olist orders the sellers could not fulfil"
    "$ballast" --db "$db" --org olist orders list --status cancelled --limit 8
    say "Olist deliveries from BR-SP against the Correios-like PAC windows (data/demo/br_channels.csv)"
    "$ballast" --db "$db" --org olist windows --from BR-SP
fi
