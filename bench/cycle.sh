#!/usr/bin/env bash
# bench/cycle.sh - how fast `ballast cycle` runs the whole day, against the same day done
# the way a user does it today: the commands one by one (the baseline, in the same run);
# and how many organisations per second the cycle gets through, on PostgreSQL with two
# workers (`--shard 0/2`, `--shard 1/2` at once) and on SQLite with one (`--all-orgs`).
#
# Usage: bench/cycle.sh [N_ORDERS] [N_ORGS]   shop orders of the big organisation (about;
#                                             gen counts order lines), organisations of
#                                             the multi-org part; default 1000000 1000
# Env:   BALLAST=path/to/ballast  (default: build/ballast, built with `make build`)
#        RUNS=3                   timed runs per side; the median is reported
#        KEEP=1                   keep the temporary directory
#        SKUS=10000 DAYS=730 SHOPS=100 CHANNELS=1000 DISRUPTIONS=50   the big organisation
#        ORG_ORDERS=1000          shop orders per organisation in the multi-org part
#        PARTS="one multi"        which parts to run (one: the big organisation; multi:
#                                 the organisations per second)
#        PG=1                     the multi-org part on PostgreSQL too (tests/pg.sh); 0: not
#
# Part one, one organisation. `ballast gen` writes SKUS SKUs x DAYS days of sales ending
# on AS_OF (2024-12-30), SHOPS shops and the orders; channels.csv is grown to CHANNELS
# distinct channel ids (copies of gen's rows with suffixed ids) and disruptions.csv cut or
# grown to DISRUPTIONS (copies with new ids, windows shifted by a week). Imported once
# (not timed) into an SQLite store; every timed run starts from a fresh copy of it, and
# both sides write their results:
#   cycle     `ballast --format json cycle --as-of D --no-digest`: one process; per step
#             seconds from its steps[].ms, total = the process's wall time; peak RSS.
#   baseline  forecast --horizon 28, plan/alerts --as-of D, playbook --as-of D --apply,
#             route --as-of T, assess and compensate --as-of T --profile P for each profile
#             a shop uses, sla, messages plan and banners --as-of T (T = the end of D, the
#             cycle's as-of), each a process, output to /dev/null; per command wall time.
#   Ratio = baseline total / cycle total (goal: at least 2, and the cycle under 10 s).
#
# Part two, N_ORGS organisations of ORG_ORDERS shop orders each. One small dataset
# (gen: 5 shops, 100 SKUs, 90 days) is imported with `ballast` into the organisation
# "default" of a fresh store, then cloned inside the database into organisations o0002 ...
# (one INSERT ... SELECT per org-scoped table, the same rows an import into each would
# write; `stats` of a clone is checked against the template's). Not timed. Then:
#   PostgreSQL  a throwaway server (tests/pg.sh), `cycle --as-of D --shard 0/2` and
#               `--shard 1/2` as two concurrent processes on the same database; each run
#               on a fresh copy (CREATE DATABASE ... TEMPLATE).
#   SQLite      one process, `cycle --as-of D --all-orgs`, on a fresh copy of the file.
#   Organisations per second = N_ORGS / wall time (both workers done).
# Figures measured (2 shared cores, noisy): see docs/bench.md.
set -euo pipefail

N=${1:-1000000}
NORGS=${2:-1000}
RUNS=${RUNS:-3}
SKUS=${SKUS:-10000}
DAYS=${DAYS:-730}
SHOPS=${SHOPS:-100}
CHANNELS=${CHANNELS:-1000}
DISRUPTIONS=${DISRUPTIONS:-50}
ORG_ORDERS=${ORG_ORDERS:-1000}
PARTS=${PARTS:-one multi}
PG=${PG:-1}
D=2024-12-30                 # the as-of day: gen's last day
T=2024-12-31T00:00:00Z       # the end of D: the cycle's as-of instant
for v in "$N" "$NORGS" "$RUNS" "$SKUS" "$DAYS" "$SHOPS" "$CHANNELS" "$DISRUPTIONS" "$ORG_ORDERS"; do
    case $v in '' | *[!0-9]*)
        echo "usage: bench/cycle.sh [N_ORDERS] [N_ORGS]   (whole numbers)" >&2
        exit 2 ;;
    esac
done
[ "$NORGS" -ge 1 ] && [ "$NORGS" -le 9999 ] ||
    { echo "bench/cycle.sh: 1 to 9999 organisations" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi
command -v sqlite3 >/dev/null || { echo "bench/cycle.sh: needs the sqlite3 CLI" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")
pgdir=$tmp/pg
cleanup() {
    [ -f "$pgdir/url" ] && "$root/tests/pg.sh" stop "$pgdir" >/dev/null 2>&1 || true
    if [ -z "${KEEP:-}" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
[ -z "${KEEP:-}" ] || echo "keeping $tmp" >&2

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
die() { echo "bench/cycle.sh: $*" >&2; exit 1; }

# Peak RSS (KiB) of a command into file $1: GNU time when present, else polling VmHWM.
peak_rss() {
    local out=$1
    shift
    if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
        local rc=0
        /usr/bin/time -v -o "$out.time" "$@" || rc=$?
        sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$out.time" >"$out"
        return "$rc"
    else
        "$@" &
        local pid=$! hwm=0 v
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$v" ] && hwm=$v
            sleep 0.02
        done
        echo "$hwm" >"$out"
        wait "$pid"
    fi
}

# gen into $1 with the rest of the arguments, quietly.
gen() {
    local out=$1
    shift
    "$BALLAST" gen --out "$out" --seed 1 "$@" 2>"$tmp/gen.err" ||
        { cat "$tmp/gen.err" >&2; exit 1; }
    sed 's/^ballast gen: [^:]*: /gen:     /' "$tmp/gen.err"
}

# Imports the dataset in $2 into the store $1 (organisation "default"), as scripts/demo.sh.
import_all() {
    local db=$1 data=$2 kind
    "$BALLAST" --db "$db" init >/dev/null 2>&1 || die "init $db failed"
    for kind in shops skus warehouses suppliers stock inbound channels disruptions sales orders; do
        "$BALLAST" --db "$db" import "$kind" "$data/$kind.csv" >/dev/null 2>"$tmp/import.err" ||
            { cat "$tmp/import.err" >&2; exit 1; }
    done
    for f in "$root/data/calendars.csv" "$root/data/demo/calendars.csv"; do
        "$BALLAST" --db "$db" import calendars "$f" >/dev/null 2>"$tmp/import.err" ||
            { cat "$tmp/import.err" >&2; exit 1; }
    done
}

# channels.csv grown to $2 distinct channel ids: gen's rows, then copies of each channel's
# rows (all its rate bands) with the id suffixed -c1, -c2, ... until there are $2.
grow_channels() {
    local f=$1/channels.csv
    awk -F, -v OFS=, -v want="$2" '
        NR == 1 { print; next }
        { print; row[NR] = $0; id[NR] = $1; if (!($1 in seen)) { seen[$1] = 1; ids[n++] = $1 } }
        END {
            need = want - n
            for (k = 1; need > 0; k++)
                for (j = 0; j < n && need > 0; j++) {
                    for (r = 2; r <= NR; r++)
                        if (id[r] == ids[j]) {
                            $0 = row[r]; $1 = ids[j] "-c" k; print
                        }
                    need--
                }
        }' "$f" >"$f.new"
    mv "$f.new" "$f"
}

# disruptions.csv cut or grown to $2 rows: gen's first ones, then copies with new ids and
# the windows shifted by k weeks (an open end stays open).
grow_disruptions() {
    local f=$1/disruptions.csv
    TZ=UTC awk -F, -v OFS=, -v want="$2" '
        function t(s) { gsub(/[-T:Z]/, " ", s); return mktime(s) }
        function iso(x) { return strftime("%Y-%m-%dT%H:%M:%SZ", x, 1) }
        NR == 1 { print; next }
        { if (n < want) { print; row[n++] = $0 } }
        END {
            i = n
            for (k = 1; i < want; k++)
                for (j = 0; j < n && i < want; j++) {
                    i++
                    $0 = row[j]; $1 = $1 "-w" k
                    if ($5 != "") $5 = iso(t($5) + k * 7 * 86400)
                    if ($6 != "") $6 = iso(t($6) + k * 7 * 86400)
                    print
                }
        }' "$f" >"$f.new"
    mv "$f.new" "$f"
}

# ---- part one: one organisation ---------------------------------------------------------
# The profiles the shops of store $1 use that profiles/ has, one a line.
profiles_used() {
    local p
    for p in $(sqlite3 "$1" "SELECT DISTINCT profile FROM shop ORDER BY 1"); do
        [ -f "$root/profiles/$p.json" ] && echo "$p"
    done
    return 0
}

# One cycle on a fresh copy: appends "step seconds" lines to $tmp/cyc.$1, the process's
# wall time as "total", and leaves the peak RSS (KiB) in $tmp/rss.$1.
run_cycle() {
    local k=$1 db=$tmp/run.db t0 t1
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$tmp/one.db" "$db"
    t0=$(now)
    peak_rss "$tmp/rss.$k" "$BALLAST" --db "$db" --format json cycle --as-of "$D" --no-digest \
        >"$tmp/cycle.json" 2>"$tmp/cycle.err" || { cat "$tmp/cycle.err" >&2; die "cycle failed"; }
    t1=$(now)
    grep -q '"state": "failed"' "$tmp/cycle.json" && die "a step failed: $(cat "$tmp/cycle.json")"
    awk '/"step":/ { s = $2; gsub(/[",]/, "", s) }
         /"ms":/ && s != "" { v = $2; gsub(/,/, "", v); printf "%s %.3f\n", s, v / 1000; s = "" }' \
        "$tmp/cycle.json" >"$tmp/cyc.$k"
    echo "total $(elapsed "$t0" "$t1")" >>"$tmp/cyc.$k"
}

# The baseline on a fresh copy: "name seconds" per command into $tmp/base.$1 (assess and
# compensate summed over the profiles), "total"; the largest peak RSS in $tmp/brss.$1.
run_baseline() {
    local k=$1 db=$tmp/run.db p
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$tmp/one.db" "$db"
    : >"$tmp/base.$k"
    echo 0 >"$tmp/brss.$k"
    one() {
        local name=$1 t0 t1
        shift
        t0=$(now)
        peak_rss "$tmp/r1" "$BALLAST" --db "$db" "$@" >/dev/null 2>"$tmp/base.err" ||
            { cat "$tmp/base.err" >&2; die "$* failed"; }
        t1=$(now)
        echo "$name $(elapsed "$t0" "$t1")" >>"$tmp/base.$k"
        awk -v a="$(cat "$tmp/r1")" '{ print (a > $1 ? a : $1) }' "$tmp/brss.$k" >"$tmp/r2"
        mv "$tmp/r2" "$tmp/brss.$k"
    }
    one forecast forecast --horizon 28
    one plan plan --as-of "$D"
    one alerts alerts --as-of "$D"
    one playbook playbook --as-of "$D" --apply
    one route route --as-of "$T"
    for p in $PROFILES; do one assess assess --as-of "$T" --profile "$p"; done
    for p in $PROFILES; do one compensate compensate --as-of "$T" --profile "$p"; done
    one sla sla --as-of "$T"
    one messages messages plan --as-of "$T"
    one banners banners --as-of "$T"
    awk '{ s[$1] += $2; if (!($1 in o)) o[$1] = n++; t += $2 }
         END { for (i = 0; i < n; i++) for (k in o) if (o[k] == i) printf "%s %.3f\n", k, s[k]
               printf "total %.3f\n", t }' "$tmp/base.$k" >"$tmp/base.$k.sum"
    mv "$tmp/base.$k.sum" "$tmp/base.$k"
}

# The median of the numbers in the files $1.1 ... $1.RUNS.
runs_median() {
    local k
    for k in $(seq "$RUNS"); do cat "$1.$k"; done | median
}

# The median of step $2 over the files $1.1 ... $1.RUNS ("-" when absent).
step_median() {
    local v k
    v=$(for k in $(seq "$RUNS"); do cat "$1.$k"; done |
        awk -v s="$2" '$1 == s { print $2 }' | median)
    echo "${v:--}"
}

part_one() {
    local data=$tmp/one k s c b
    echo "== one organisation: $N shop orders, $SKUS SKUs x $DAYS days, $CHANNELS channels," \
        "$DISRUPTIONS disruptions"
    local lines start
    lines=$(awk -v n="$N" 'BEGIN { printf "%.0f", n * 1.515 }')
    start=$(date -u -d "$D - $((DAYS - 1)) days" +%F)
    gen "$data" --orders "$lines" --shops "$SHOPS" --skus "$SKUS" --start "$start" --days "$DAYS"
    grow_channels "$data" "$CHANNELS"
    grow_disruptions "$data" "$DISRUPTIONS"
    local t0 t1
    t0=$(now)
    import_all "$tmp/one.db" "$data"
    t1=$(now)
    PROFILES=$(profiles_used "$tmp/one.db" | paste -sd " " -)
    local fmt='store:   %s shop orders, %s SKUs, %s sales rows, %s channels, %s disruptions,'
    printf "$fmt %s shops;\n" \
        "$(sqlite3 "$tmp/one.db" "SELECT count(*) FROM orders")" \
        "$(sqlite3 "$tmp/one.db" "SELECT count(*) FROM sku")" \
        "$(sqlite3 "$tmp/one.db" "SELECT count(*) FROM sales_daily")" \
        "$(sqlite3 "$tmp/one.db" "SELECT count(*) FROM channel")" \
        "$(sqlite3 "$tmp/one.db" "SELECT count(*) FROM disruption")" \
        "$(sqlite3 "$tmp/one.db" "SELECT count(*) FROM shop")"
    printf '         imported in %s s (not timed); %s MB; profiles used: %s\n' \
        "$(elapsed "$t0" "$t1")" "$(($(wc -c <"$tmp/one.db") / 1000000))" "$PROFILES"

    for k in $(seq "$RUNS"); do # interleaved, so that a noisy neighbour hits both
        run_cycle "$k"
        run_baseline "$k"
        echo "run $k: cycle $(awk '$1 == "total" { print $2 }' "$tmp/cyc.$k") s," \
            "baseline $(awk '$1 == "total" { print $2 }' "$tmp/base.$k") s" >&2
    done

    echo
    echo "as of $D (cycle --as-of $D, commands --as-of $D or $T), median of $RUNS, seconds:"
    printf '  %-12s %10s %10s %8s\n' step cycle baseline ratio
    for s in forecast plan alerts playbook route assess compensate sla messages banners total; do
        c=$(step_median "$tmp/cyc" "$s")
        b=$(step_median "$tmp/base" "$s")
        [ "$s" = total ] && echo "  ---------------------------------------------"
        printf '  %-12s %10s %10s %8s\n' "$s" "$c" "$b" "$(ratio "$b" "$c")"
    done
    echo "  (cycle steps: its steps[].ms; cycle total: the process's wall time, loads and"
    echo "   bookkeeping included; baseline: each command's process wall time; assess and"
    echo "   compensate: summed over the profiles $PROFILES)"
    c=$(step_median "$tmp/cyc" total)
    b=$(step_median "$tmp/base" total)
    printf '  ratio baseline/cycle %s (goal: at least 2); cycle %s s (goal: under 10 s)\n' \
        "$(ratio "$b" "$c")" "$c"
    # `forecast` (model auto, 1000 bootstrap paths) is more work than the cycle's forecast
    # step (the stock day's TSB forecasts that plan, alerts and playbook use): the ratio
    # without it too.
    local cf bf
    cf=$(step_median "$tmp/cyc" forecast)
    bf=$(step_median "$tmp/base" forecast)
    printf '  ratio without the forecast step: %s (%s s against %s s)\n' \
        "$(ratio "$(awk -v a="$b" -v f="$bf" 'BEGIN { print a - f }')" \
                 "$(awk -v a="$c" -v f="$cf" 'BEGIN { print a - f }')")" \
        "$(awk -v a="$b" -v f="$bf" 'BEGIN { printf "%.3f", a - f }')" \
        "$(awk -v a="$c" -v f="$cf" 'BEGIN { printf "%.3f", a - f }')"
    printf '  peak RSS: cycle %s MB, largest baseline command %s MB\n' \
        "$(mb "$(runs_median "$tmp/rss")")" "$(mb "$(runs_median "$tmp/brss")")"
}

# ---- part two: organisations per second -------------------------------------------------
# SQL that clones organisation 1 into organisations 2..NORGS named o0002...: the store $1
# (SQLite, same schema) gives the org-scoped tables and their columns.
clone_sql() {
    local db=$1 t cols sel
    echo "BEGIN;"
    echo "INSERT INTO org (id, name, created_at)"
    echo "  SELECT i, 'o' || substr('0000' || i, -4), created_at FROM org,"
    echo "    (WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $NORGS)"
    echo "             SELECT i FROM n) AS s WHERE org.id = 1;"
    for t in $(sqlite3 "$db" "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND
                 EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'org_id')
               ORDER BY 1"); do
        cols=$(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")
        sel=$(sqlite3 "$db" "SELECT group_concat(CASE name WHEN 'org_id' THEN 'o.id'
                               ELSE 't.' || name END, ', ') FROM pragma_table_info('$t')")
        echo "INSERT INTO $t ($cols) SELECT $sel FROM $t t, org o WHERE t.org_id = 1 AND o.id > 1;"
    done
    echo "COMMIT;"
}

# Checks that the clone o0002 of store $1 has what the template has.
check_clone() {
    local url=$1
    "$BALLAST" --db "$url" --format csv stats >"$tmp/stats.1" 2>/dev/null
    "$BALLAST" --db "$url" --org o0002 --format csv stats >"$tmp/stats.2" 2>/dev/null
    cmp -s "$tmp/stats.1" "$tmp/stats.2" || {
        diff "$tmp/stats.1" "$tmp/stats.2" >&2 || true
        die "the clone o0002 differs from the template"
    }
}

# The cycles that did not end done in the store $1 (for SQLite; PG: psql).
not_done_sqlite() { sqlite3 "$1" "SELECT count(*) FROM cycle WHERE state <> 'done'"; }

part_multi() {
    local data=$tmp/multi lines start k t0 t1 n
    echo
    echo "== $NORGS organisations of $ORG_ORDERS shop orders each"
    lines=$(awk -v n="$ORG_ORDERS" 'BEGIN { printf "%.0f", n * 1.515 }')
    start=$(date -u -d "$D - 89 days" +%F)
    gen "$data" --orders "$lines" --shops 5 --skus 100 --start "$start" --days 90
    t0=$(now)
    import_all "$tmp/multi.db" "$data"
    clone_sql "$tmp/multi.db" >"$tmp/clone.sql"
    sqlite3 "$tmp/multi.db" <"$tmp/clone.sql"
    check_clone "$tmp/multi.db"
    t1=$(now)
    printf 'sqlite:  %s organisations, %s shop orders in all; built in %s s (not timed)\n' \
        "$(sqlite3 "$tmp/multi.db" "SELECT count(*) FROM org")" \
        "$(sqlite3 "$tmp/multi.db" "SELECT count(*) FROM orders")" "$(elapsed "$t0" "$t1")"

    local pgurl="" base
    if [ "$PG" = 1 ]; then
        "$root/tests/pg.sh" start "$pgdir" >/dev/null
        pgurl=$(cat "$pgdir/url")
        export PGOPTIONS="-c client_min_messages=warning"
        base=${pgurl%/*}
        t0=$(now)
        import_all "$pgurl" "$data"
        sed 's/substr(\(.*\), -4)/right(\1, 4)/' "$tmp/clone.sql" |
            psql -q -v ON_ERROR_STOP=1 "$pgurl" >/dev/null
        psql -q "$pgurl" -c "ANALYZE" >/dev/null
        check_clone "$pgurl"
        t1=$(now)
        printf 'pg:      %s organisations, %s shop orders in all; built in %s s (not timed)\n' \
            "$(psql -Atq "$pgurl" -c "SELECT count(*) FROM org")" \
            "$(psql -Atq "$pgurl" -c "SELECT count(*) FROM orders")" "$(elapsed "$t0" "$t1")"
    fi

    : >"$tmp/pg.times"
    : >"$tmp/sq.times"
    for k in $(seq "$RUNS"); do
        if [ -n "$pgurl" ]; then
            psql -q "$base/postgres" -c "DROP DATABASE IF EXISTS run" \
                -c "CREATE DATABASE run TEMPLATE ballast_test" >/dev/null
            t0=$(now)
            "$BALLAST" --db "$base/run" cycle --as-of "$D" --shard 0/2 --no-digest \
                >/dev/null 2>"$tmp/w0.err" &
            local w0=$!
            "$BALLAST" --db "$base/run" cycle --as-of "$D" --shard 1/2 --no-digest \
                >/dev/null 2>"$tmp/w1.err" &
            local w1=$!
            wait "$w0" || { cat "$tmp/w0.err" >&2; die "shard 0/2 failed"; }
            wait "$w1" || { cat "$tmp/w1.err" >&2; die "shard 1/2 failed"; }
            t1=$(now)
            elapsed "$t0" "$t1" >>"$tmp/pg.times"; echo >>"$tmp/pg.times"
            n=$(psql -Atq "$base/run" -c "SELECT count(*) FROM cycle WHERE state = 'done'")
            [ "$n" = "$NORGS" ] || die "pg: $n of $NORGS organisations' cycles done"
        fi
        rm -f "$tmp/run.db" "$tmp/run.db-wal" "$tmp/run.db-shm"
        cp "$tmp/multi.db" "$tmp/run.db"
        t0=$(now)
        "$BALLAST" --db "$tmp/run.db" cycle --as-of "$D" --all-orgs --no-digest \
            >/dev/null 2>"$tmp/sq.err" || { cat "$tmp/sq.err" >&2; die "sqlite --all-orgs failed"; }
        t1=$(now)
        elapsed "$t0" "$t1" >>"$tmp/sq.times"; echo >>"$tmp/sq.times"
        n=$(sqlite3 "$tmp/run.db" "SELECT count(*) FROM cycle WHERE state = 'done'")
        [ "$n" = "$NORGS" ] || die "sqlite: $n of $NORGS organisations' cycles done"
    done

    echo
    echo "cycle --as-of $D over $NORGS organisations, median of $RUNS (wall clock):"
    local s
    if [ -n "$pgurl" ]; then
        s=$(median <"$tmp/pg.times")
        printf '  PostgreSQL, 2 workers (--shard 0/2, 1/2)  %8.3f s  %8s organisations/s\n' \
            "$s" "$(ratio "$NORGS" "$s")"
    fi
    s=$(median <"$tmp/sq.times")
    printf '  SQLite, 1 worker (--all-orgs)             %8.3f s  %8s organisations/s\n' \
        "$s" "$(ratio "$NORGS" "$s")"
}

for part in $PARTS; do
    case $part in
    one) part_one ;;
    multi) part_multi ;;
    *) die "PARTS: one, multi" ;;
    esac
done
