#!/usr/bin/env bash
# bench/olist_windows.sh [BALLAST [DATASETS]] - the catalogue's delivery windows
# against real deliveries: imports the Olist orders (shared/datasets/olist) with the
# Correios-like catalogue data/demo/br_channels.csv and the BR holidays, then
# `ballast windows` compares, for each delivered order shipped from BR-SP, the
# local day it was delivered with the window its lane gets at the hand-over to the
# carrier (PAC under the cheapest policy, SEDEX under the fastest): early / inside /
# late per destination state and overall. Not a test: figures for
# docs/internals/logistics.md.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BALLAST=${1:-$SRC/build/ballast}
DATASETS=${2:-$SRC/../shared/datasets}
TMP=$(mktemp -d /tmp/ballast-olist-windows.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
bl() { "$BALLAST" --db "$TMP/olist.db" "$@"; }
bl init >/dev/null 2>&1
bl calendars import "$SRC/data/calendars.csv" 2>/dev/null
bl calendars import "$SRC/data/demo/br_calendars.csv" 2>/dev/null
bl channels import "$SRC/data/demo/br_channels.csv" 2>/dev/null
bl import olist "$DATASETS/olist" 2>/dev/null
echo "delivered orders from BR-SP; window of the channel each policy picks at the hand-over"
for p in cheapest fastest; do
    echo
    echo "policy: $p ($( [ $p = cheapest ] && echo 'Correios PAC' || echo 'Correios SEDEX'))"
    bl windows --from BR-SP --policy "$p"
done
