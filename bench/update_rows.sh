#!/usr/bin/env bash
# bench/update_rows.sh - writes an update file for bench/update.sh and bench/assess.sh:
# the rows of N orders of a `ballast gen` orders.csv (every line of each, identity
# columns as they are) with the state a day after the data ends.
#
# Usage: bench/update_rows.sh ORDERS.CSV N OUT.CSV
# Env:   SEED=1   the choice among the chosen orders' changes (awk srand)
#
# Which orders: the most recent open ones, as a store sees them change the day after
# an export: gen leaves every event after the last day empty, so its recent orders are
# open (not shipped, not picked up, not cancelled) or in transit (shipped, not
# delivered). The N chosen are the open orders, latest placed first, then, when N is
# more than there are open orders, the orders in transit, latest placed first.
# Cancelled and delivered orders are never chosen.
#
# What changes (E = the day after the last placed_at, 00:00Z; r uniform in [0, 24 h)):
#   open        4 in 5: shipped_at = E + r (shipped the next day)
#               1 in 5: ship_by two days later (the platform extends it)
#   in transit  delivered_at = E + r
# Nothing else of the row changes. The file keeps orders.csv's header and line order.
# Prints a summary on stderr.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: bench/update_rows.sh ORDERS.CSV N OUT.CSV" >&2; exit 2; }
in=$1 n=$2 out=$3
case $n in '' | *[!0-9]*) echo "bench/update_rows.sh: N must be a whole number" >&2; exit 2 ;; esac
SEED=${SEED:-1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-upd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC

# Candidates: one line per order (line 1), class 0 open, 1 in transit; and the last day.
awk -F, -v last="$tmp/last" '
    NR > 1 && NF == 20 {
        d = substr($8, 1, 10)
        if (d > max) max = d
        if ($2 != 1 || $16 != "" || $15 != "") next
        open = ($14 == "" && $13 == "")
        print (open ? 0 : 1) "," $8 "," $3 "," $1
    }
    END { print max > last }' "$in" | sort -t, -k1,1n -k2,2r | awk -v n="$n" 'NR <= n' >"$tmp/chosen"

got=$(wc -l <"$tmp/chosen")
[ "$got" -eq "$n" ] || {
    echo "bench/update_rows.sh: only $got open or in-transit orders in $in, $n asked" >&2
    exit 1
}

awk -F, -v OFS=, -v chosen="$tmp/chosen" -v lastf="$tmp/last" -v seed="$SEED" '
    function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
    function epoch(s) { # YYYY-MM-DDTHH:MM:SSZ, TZ=UTC
        return mktime(substr(s, 1, 4) " " substr(s, 6, 2) " " substr(s, 9, 2) " " \
                      substr(s, 12, 2) " " substr(s, 15, 2) " " substr(s, 18, 2))
    }
    BEGIN {
        getline last < lastf
        E = epoch(last "T00:00:00Z") + 86400
        srand(seed)
        while ((getline l < chosen) > 0) {
            split(l, f, ",")
            k = f[3] SUBSEP f[4]
            if (f[1] == 1) { act[k] = "D"; at[k] = iso(E + int(rand() * 86400)); nd++ }
            else if (rand() < 0.8) { act[k] = "S"; at[k] = iso(E + int(rand() * 86400)); ns++ }
            else { act[k] = "X"; nx++ }
            if (lo == "" || f[2] < lo) lo = f[2]
            if (f[2] > hi) hi = f[2]
        }
    }
    NR == 1 { print; next }
    NF == 20 && (($3 SUBSEP $1) in act) {
        k = $3 SUBSEP $1
        a = act[k]
        if (a == "S") $14 = at[k]
        else if (a == "D") $15 = at[k]
        else if ($9 != "") $9 = iso(epoch($9) + 2 * 86400)
        else { print "no ship_by on order " $1 " of " $3 > "/dev/stderr"; exit 1 }
        print
        lines++
    }
    END {
        printf "update:  %d orders (%d lines), placed %s to %s: %d open -> shipped, " \
               "%d open -> ship_by +2 days, %d in transit -> delivered; changes during %s\n",
               ns + nx + nd, lines, lo, hi, ns, nx, nd, substr(iso(E), 1, 10) > "/dev/stderr"
    }' "$in" >"$out"
