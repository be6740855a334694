#!/usr/bin/env bash
# End-to-end: `kill -9` in the middle of a large import leaves the store as it was
# before that batch, and the store stays usable. Then `kill -9` in the middle of a daily
# cycle leaves each step all or nothing, and the next `ballast cycle` at the same as-of
# completes the unfinished cycle with the results of a clean run.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" kill

"$BALLAST" gen --out "$TMP/data" --orders 600000 --shops 50 --skus 2000 --seed 3 2>/dev/null
expect_ok "init" bl init
for kind in shops skus; do expect_ok "import $kind" bl import "$kind" "$TMP/data/$kind.csv"; done
before=$(fingerprint)

"$BALLAST" --db "$DB" import orders "$TMP/data/orders.csv" 2>/dev/null &
pid=$!
# Let it get well into the batch, then kill it without warning.
for _ in $(seq 1 10); do sleep 0.1; kill -0 "$pid" 2>/dev/null || break; done
if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    ok "killed the import in the middle"
else
    wait "$pid"
    echo "# the import finished before it could be killed (machine too fast); test is void"
fi
expect_eq "store unchanged after kill -9" "$before" "$(fingerprint)"
expect_ok "the same import then succeeds" bl import orders "$TMP/data/orders.csv"
expect_eq "all order lines stored" 600000 "$(rows order_line)"

# ---- a daily cycle killed in the middle -------------------------------------------------
# Two stores with the same data: K, whose cycle is killed and then completed, and R, a
# clean run to compare with (SQLite: a copy of the file; PostgreSQL: a copy of the
# database).
asof=2024-11-15
if [ "$BACKEND" = sqlite ]; then
    K="$TMP/cycle.db"
    R="$TMP/clean.db"
else
    KDB="${PGDB}_k" RDB="${PGDB}_r"
    trap 'bl_cleanup_cycle; bl_cleanup' EXIT
    bl_cleanup_cycle() {
        psql -q "$PGBASE" -c "DROP DATABASE IF EXISTS $KDB WITH (FORCE)" >/dev/null 2>&1 || true
        psql -q "$PGBASE" -c "DROP DATABASE IF EXISTS $RDB WITH (FORCE)" >/dev/null 2>&1 || true
    }
    psql -q "$PGBASE" -c "CREATE DATABASE $KDB" >/dev/null
    K="${PGBASE%/*}/$KDB"
    R="${PGBASE%/*}/$RDB"
fi
on() { local db=$1; shift; "$BALLAST" --db "$db" "$@"; }
"$BALLAST" gen --out "$TMP/cyc" --orders 200000 --shops 20 --skus 500 --seed 3 2>/dev/null
imported=1
on "$K" init >/dev/null 2>&1 || imported=0
for kind in shops skus warehouses suppliers stock inbound channels disruptions sales orders; do
    on "$K" import "$kind" "$TMP/cyc/$kind.csv" >/dev/null 2>&1 || imported=0
done
on "$K" import calendars "$SRC/data/calendars.csv" >/dev/null 2>&1 || imported=0
on "$K" import calendars "$SRC/data/demo/calendars.csv" >/dev/null 2>&1 || imported=0
expect_eq "the cycle's store imported" 1 "$imported"
if [ "$BACKEND" = sqlite ]; then
    cp "$K" "$R"
else
    psql -q "$PGBASE" -c "CREATE DATABASE $RDB TEMPLATE $KDB" >/dev/null
fi

# The counts of the tables the cycle's steps write, as "table=n ...".
results() {
    on "$1" --format csv stats |
        awk -F, '$1 ~ /^(plan_line|stock_alert|action|assessment|coupon|ledger|message)$/ {
            printf "%s=%s ", $1, $2 }'
}
count_of() { tr ' ' '\n' <<<"$1" | awk -F= -v t="$2" '$1==t {print $2}'; }
before=$(results "$K")

t0=$(date +%s%N)
expect_ok "a clean cycle on the copy" on "$R" cycle --as-of $asof --no-digest
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
clean=$(results "$R")
# the ledger rows of compensate alone (the coupons paid), for a kill between it and sla
paid=$(on "$R" --format csv cycle show 1 | grep ',compensate,' |
    grep -o 'coupons_new"": [0-9]*' | grep -o '[0-9]*$')

"$BALLAST" --db "$K" cycle --as-of $asof --no-digest >/dev/null 2>&1 &
pid=$! # the ballast process itself (not a subshell, whose kill would leave it running)
# Half way through the clean run's time (at least a second in), then kill it.
wait_ms=$(( ms / 2 > 1000 ? ms / 2 : 1000 ))
end=$(( $(date +%s%N) / 1000000 + wait_ms ))
while [ $(( $(date +%s%N) / 1000000 )) -lt $end ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
killed=0
if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    killed=1
    ok "killed the cycle in the middle (after $wait_ms ms of a ${ms} ms run)"
else
    wait "$pid"
    echo "# the cycle finished before it could be killed (machine too fast); the kill case is void"
fi

# PostgreSQL: wait until the killed client's server session has ended (it rolls back
# what was not committed), at most 60 s.
if [ "$BACKEND" = postgres ] && [ "$killed" = 1 ]; then
    early=$(results "$K")
    for i in $(seq 1 600); do
        n=$(psql -qtA "$PGBASE" -c "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '$KDB'")
        [ "$n" = 0 ] && break
        sleep 0.1
    done
    echo "# the killed client's session ended after ~$((i / 10)) s; $n left"
    [ "$early" = "$(results "$K")" ] ||
        echo "# results changed after the kill: $early -> $(results "$K")"
fi

# The kill can land after the cycle recorded itself done, while the process was still
# ending: then nothing was interrupted, and the kill case is void as above.
if [ "$killed" = 1 ] &&
    [ "$(on "$K" --format csv cycle list | awk -F, 'NR > 1 {print $1 "," $4}')" = "1,done" ]; then
    echo "# the cycle was done before the kill landed; the kill case is void"
    killed=0
fi

# Each step all or nothing: each table as before the cycle or as after a complete run
# (the ledger also as after compensate alone, before sla's waivers).
partial=$(results "$K")
for t in plan_line stock_alert action assessment coupon message ledger; do
    b=$(count_of "$before" $t) c=$(count_of "$clean" $t) k=$(count_of "$partial" $t)
    if [ "$k" = "$b" ] || [ "$k" = "$c" ] || { [ $t = ledger ] && [ "$k" = $((b + paid)) ]; }; then
        ok "after the kill, $t all or nothing ($k rows: before $b, complete $c)"
    else
        not_ok "after the kill, $t all or nothing" "$k rows: before $b, complete $c"
    fi
done
if [ "$killed" = 1 ]; then
    expect_eq "the killed cycle is left running" "1,running" \
        "$(on "$K" --format csv cycle list | awk -F, 'NR > 1 {print $1 "," $4}')"
fi

out=$(on "$K" cycle --as-of $asof --no-digest 2>&1); rc=$?
if [ "$rc" = 0 ]; then ok "the next cycle at the same as-of succeeds"
else
    not_ok "the next cycle at the same as-of succeeds" "exit $rc" \
        "$(grep -i 'fail\|error' <<<"$out")"
fi
if [ "$killed" = 1 ]; then
    if [[ "$out" == *"completed an unfinished cycle at the same as-of"* ]]; then
        ok "it says it completed the unfinished cycle"
    else
        not_ok "it says it completed the unfinished cycle" "$out"
    fi
    expect_eq "one cycle, done" "1,done" \
        "$(on "$K" --format csv cycle list | awk -F, 'NR > 1 {print $1 "," $4}')"
fi
expect_eq "every step of it recorded done or skipped" "" \
    "$(on "$K" --format csv cycle show 1 | awk -F, 'NR > 1 && $3 != "done" && $3 != "skipped"')"
expect_eq "the results equal a clean run's" "$clean" "$(results "$K")"

bl_done
