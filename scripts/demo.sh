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
olist="$here/../shared/datasets/olist"

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
if [ -d "$olist" ]; then
    say "what is in the store: Olist"
    "$ballast" --db "$db" --org olist stats
    say "Olist orders the sellers could not fulfil"
    "$ballast" --db "$db" --org olist orders list --status cancelled --limit 8
    say "Olist deliveries from BR-SP against the Correios-like PAC windows (data/demo/br_channels.csv)"
    "$ballast" --db "$db" --org olist windows --from BR-SP
fi
