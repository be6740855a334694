#!/usr/bin/env bash
# bench/whatif.sh - how fast `ballast whatif` answers "what would this lockdown cost?" on a
# large organisation, against the way a user answers it today, in the same run: copy the
# store, declare the disruption, run the day's commands one by one, on the copy and on
# an undisrupted copy, and compare.
#
# Usage: bench/whatif.sh [N_ORDERS] [N_SKUS]   shop orders (about; gen counts order lines)
#                                             and SKUs; default 1000000 10000
# Env:   BALLAST=path/to/ballast  (default: build/ballast, built with `make build`)
#        RUNS=3                   timed runs per side; the median is reported
#        HORIZON=30               the what-if's days
#        SHOPS=100 DAYS=730       gen's shops and days of history (ending on 2024-12-30)
#        STORE=path/to/store.db   a store built by an earlier run (KEEP=1 keeps it); copied,
#                                 never changed
#        KEEP=1                   keep the temporary directory
#
# The assumption (written here): a lockdown of the Yiwu area (CN-ZJ:322, ship-from) from
# the day after the as-of for 14 days, and a +40% demand shock on Home & Kitchen SKUs.
#   whatif    `ballast whatif --as-of D --assume F --horizon HORIZON --json`: one process,
#             the horizon run twice (without, with), nothing written; wall time.
#   baseline  for each side (without, with): cp the store; on the "with" copy `disruption
#             add` the lockdown; then forecast, plan, alerts, playbook --apply, route,
#             assess and compensate per profile the shops use, sla, messages plan and
#             banners, each a process (what `cycle` runs, as a user runs it by hand). This
#             only gets the as-of's day; the what-if gets every day of the horizon.
#   Ratio = baseline total / whatif total (goal: at least 10, and the what-if under 10 s).
# Figures measured (2 shared cores, noisy, load average printed beside them): docs/bench.md.
set -euo pipefail

N=${1:-1000000}
SKUS=${2:-10000}
RUNS=${RUNS:-3}
HORIZON=${HORIZON:-30}
SHOPS=${SHOPS:-100}
DAYS=${DAYS:-730}
D=2024-12-30           # the as-of day: gen's last day
T=2024-12-31T00:00:00Z # the end of D
for v in "$N" "$SKUS" "$RUNS" "$HORIZON" "$SHOPS" "$DAYS"; do
    case $v in '' | *[!0-9]*)
        echo "usage: bench/whatif.sh [N_ORDERS] [N_SKUS]   (whole numbers)" >&2
        exit 2 ;;
    esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
command -v sqlite3 >/dev/null || { echo "bench/whatif.sh: needs the sqlite3 CLI" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
[ -z "${KEEP:-}" ] || echo "keeping $tmp" >&2
die() { echo "bench/whatif.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "-" }'; }
load() { awk '{ print $1, $2, $3 }' /proc/loadavg; }

db=${STORE:-$tmp/store.db}
if [ -z "${STORE:-}" ]; then
    data=$tmp/data
    lines=$(awk -v n="$N" 'BEGIN { printf "%.0f", n * 1.515 }')
    start=$(date -u -d "$D - $((DAYS - 1)) days" +%F)
    t0=$(now)
    "$BALLAST" gen --out "$data" --seed 1 --orders "$lines" --shops "$SHOPS" --skus "$SKUS" \
        --start "$start" --days "$DAYS" 2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; exit 1; }
    "$BALLAST" --db "$db" init >/dev/null 2>&1 || die "init failed"
    for kind in shops skus warehouses suppliers sku_suppliers stock inbound channels disruptions \
        sales orders customers rates; do
        [ -f "$data/$kind.csv" ] || continue
        "$BALLAST" --db "$db" import "$kind" "$data/$kind.csv" >/dev/null 2>"$tmp/import.err" ||
            { cat "$tmp/import.err" >&2; exit 1; }
    done
    for f in "$root/data/calendars.csv" "$root/data/demo/calendars.csv" "$root/data/demo/areas.csv"; do
        kind=calendars
        [[ $f == *areas.csv ]] && kind=areas
        "$BALLAST" --db "$db" import "$kind" "$f" >/dev/null 2>&1 || die "import $f"
    done
    echo "store:   built in $(elapsed "$t0" "$(now)") s (not timed)"
fi
echo "store:   $(sqlite3 "$db" "SELECT count(*) FROM orders") shop orders," \
    "$(sqlite3 "$db" "SELECT count(*) FROM sku") SKUs, $(sqlite3 "$db" "SELECT count(*) FROM shop") shops;" \
    "$(($(wc -c <"$db") / 1000000)) MB"
PROFILES=""
for p in $(sqlite3 "$db" "SELECT DISTINCT profile FROM shop ORDER BY 1"); do
    [ -f "$root/profiles/$p.json" ] && PROFILES="$PROFILES $p"
done

F=$tmp/assume.csv
from=$(date -u -d "$D + 1 day" +%F)
to=$(date -u -d "$D + 15 days" +%F)
cat >"$F" <<CSV
event,region,scope,kind,starts_at,ends_at,category,change_pct,note
disruption,CN-ZJ:322,origin,lockdown,$from,$to,,,rumoured Yiwu lockdown
demand,,,,$from,$to,Home & Kitchen,+40,panic buying
CSV

run_whatif() {
    local t0 t1
    t0=$(now)
    "$BALLAST" --db "$db" whatif --as-of "$D" --assume "$F" --horizon "$HORIZON" --json \
        >"$tmp/whatif.json" 2>"$tmp/whatif.err" || { cat "$tmp/whatif.err" >&2; die "whatif failed"; }
    t1=$(now)
    echo "$(elapsed "$t0" "$t1")" >>"$tmp/wi"
}

# One side of the baseline on a fresh copy ($1: without | with); prints its seconds.
side() {
    local c=$tmp/copy.db t0 p
    rm -f "$c" "$c-wal" "$c-shm"
    t0=$(now)
    cp "$db" "$c"
    one() { "$BALLAST" --db "$c" "$@" >/dev/null 2>"$tmp/base.err" || { cat "$tmp/base.err" >&2; die "$* failed"; }; }
    if [ "$1" = with ]; then
        one disruption add --region CN-ZJ:322 --scope origin --kind lockdown --from "$from" \
            --to "$to" --tz UTC
    fi
    one forecast --horizon 28
    one plan --as-of "$D"
    one alerts --as-of "$D"
    one playbook --as-of "$D" --apply
    one route --as-of "$T"
    for p in $PROFILES; do one assess --as-of "$T" --profile "$p"; done
    for p in $PROFILES; do one compensate --as-of "$T" --profile "$p"; done
    one sla --as-of "$T"
    one messages plan --as-of "$T"
    one banners --as-of "$T"
    elapsed "$t0" "$(now)"
}

run_baseline() {
    local a b
    a=$(side without)
    b=$(side with)
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f\n", a + b }' >>"$tmp/base"
    echo "$a" >>"$tmp/base1"
}

: >"$tmp/wi"; : >"$tmp/base"; : >"$tmp/base1"
for k in $(seq "$RUNS"); do # interleaved, so that a noisy neighbour hits both
    l=$(load)
    run_whatif
    run_baseline
    echo "run $k: whatif $(tail -1 "$tmp/wi") s, baseline $(tail -1 "$tmp/base") s (load $l)" >&2
done
w=$(median <"$tmp/wi")
b=$(median <"$tmp/base")
b1=$(median <"$tmp/base1")
echo
echo "a $HORIZON-day what-if as of $D (a 14-day Yiwu lockdown and a +40% demand shock)," \
    "median of $RUNS, seconds (load average now: $(load)):"
printf '  %-44s %8s\n' "whatif (the horizon, without and with)" "$w"
printf '  %-44s %8s %8s\n' "baseline: cp + commands, one side (as-of only)" "$b1" "x$(ratio "$b1" "$w")"
printf '  %-44s %8s %8s\n' "baseline: both sides, to compare" "$b" "x$(ratio "$b" "$w")"
python3 - "$tmp/whatif.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
t = j["totals"]
print(f"  the what-if: {t['held']} orders held, late to ship {t['late_to_ship']['without']} -> "
      f"{t['late_to_ship']['with']}, {len(j['stockouts'])} stock-outs, "
      f"{j['orders_projected']} orders projected")
PY

# --- --mitigate (docs/internals/mitigate.md): the same what-if, then the search for the
# cheapest way through, each plan measured by running the horizon again with its steps.
# Goal: under 60 s. MITIGATE=0 leaves it out.
if [ "${MITIGATE:-1}" != 0 ]; then
    : >"$tmp/mg"
    for k in $(seq "$RUNS"); do
        l=$(load)
        t0=$(now)
        "$BALLAST" --db "$db" whatif --as-of "$D" --assume "$F" --horizon "$HORIZON" --json \
            --mitigate >"$tmp/mg.json" 2>"$tmp/mg.err" || { cat "$tmp/mg.err" >&2; die "whatif --mitigate failed"; }
        echo "$(elapsed "$t0" "$(now)")" >>"$tmp/mg"
        echo "run $k: whatif --mitigate $(tail -1 "$tmp/mg") s (load $l)" >&2
    done
    m=$(median <"$tmp/mg")
    echo
    echo "--mitigate, median of $RUNS, seconds (load average now: $(load)):"
    printf '  %-44s %8s %8s\n' "whatif --mitigate (what-if and the search)" "$m" "x$(ratio "$m" "$w")"
    python3 - "$tmp/mg.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["mitigation"]
best = m["plans"][0]
print(f"  {m['problems']} problems, {m['levers']} levers, {m['runs']} measuring runs; doing nothing "
      f"{m['doing_nothing']} {m['currency']}, the best plan ({best['plan']}, {len(best['steps'])} "
      f"steps) {best['total']}")
PY
fi
