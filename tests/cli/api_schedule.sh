#!/usr/bin/env bash
# End-to-end: the daily cycle on a schedule (issue 16). The setting (`org set --cycle-at
# --cycle-tz`, GET and PATCH /api/v1/org); `ballast serve` runs the cycle when its local
# time comes, once: not again after a restart, once when two servers share the store; a
# failing step is retried after its backoff and the digest says so; /metrics carries the
# cycle step durations, the cycles, the retries and the outbox. The scheduler's clock is
# BALLAST_SCHED_CLOCK's (a start and a speed), so no test waits for a real 06:30.
source "$(dirname "$0")/../lib/api.bash"
source "$(dirname "$0")/../lib/messages.bash"
bl_setup "$1" api_schedule
api_fixture

# --- the setting, from the command line
out=$(bl org show)
[[ "$out" == *"cycle schedule: none"* ]] && ok "no schedule by default" || not_ok "no schedule by default" "$out"
expect_fail "a first schedule needs its zone" 1 "needs its time zone" bl org set --cycle-at 06:30
expect_fail "a time that is not HH:MM" 1 "expected a time of day HH:MM" bl org set --cycle-at 6h30 --cycle-tz Asia/Shanghai
expect_fail "25:00 is no time" 1 "expected a time of day HH:MM" bl org set --cycle-at 25:00 --cycle-tz Asia/Shanghai
expect_fail "an unknown zone" 1 "not an IANA zone" bl org set --cycle-at 06:30 --cycle-tz Asia/Shangai
expect_fail "--no-cycle alone" 2 "give it alone" bl org set --no-cycle --cycle-at 06:30
expect_ok "org set --cycle-at 06:30 --cycle-tz Asia/Shanghai" bl org set --cycle-at 06:30 --cycle-tz Asia/Shanghai
out=$(bl org show)
[[ "$out" == *"every day at 06:30 Asia/Shanghai"*"next cycle: "*"T06:30:00+08:00"* ]] &&
    ok "org show: the schedule and the next run in its zone" || not_ok "org show: the schedule" "$out"
out=$(bl org set --cycle-at 02:30 --cycle-tz America/New_York 2>&1 && bl org show)
[[ "$out" == *"every day at 02:30 America/New_York"* ]] && ok "another time and zone" || not_ok "another time and zone" "$out"
expect_ok "org set --no-cycle" bl org set --no-cycle
[[ "$(bl org show)" == *"cycle schedule: none"* ]] && ok "the schedule is off" || not_ok "the schedule is off"
expect_ok "back to 06:30 Shanghai" bl org set --cycle-at 06:30 --cycle-tz Asia/Shanghai

# The days the tests run: tomorrow in Shanghai and the days after (the schedule was set
# today, so today's time, already past there or not, is no test).
D1=$(TZ=Asia/Shanghai date -d '+1 day' +%F)
D2=$(date -d "$D1 +1 day" +%F)
D3=$(date -d "$D1 +2 day" +%F)

# until `org show` says $1 (90 s at most: a sanitizer build on a busy machine)
wait_show() {
    local i
    for i in $(seq 1 900); do [[ "$(bl org show 2>&1)" == *"$1"* ]] && return 0; sleep 0.1; done
    return 1
}
cycles_on() { bl --format csv cycle list | awk -F, -v d="$1" '$3==d' | wc -l; }
# until the server at URL has made N passes of the scheduler
wait_passes() {
    local i n
    for i in $(seq 1 900); do
        n=$(curl -s "$URL/metrics" | awk '$1=="ballast_scheduler_passes_total" {print $2}')
        [ "${n:-0}" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

# --- the API: GET and PATCH /api/v1/org
api_start --no-schedule
req GET /api/v1/org "$TOK_viewer"
expect_eq "GET /api/v1/org: the schedule" "06:30 Asia/Shanghai False" \
    "$(jpy 'd["cycle_at"] + " " + d["cycle_tz"] + " " + str(d["next_cycle"]["due"])')"
req PATCH /api/v1/org "$TOK_operator" '{"cycle_at": "07:00"}'
expect_status "PATCH /api/v1/org needs an admin" 403 forbidden
req PATCH /api/v1/org "$TOK_admin" '{"cycle_at": "25:00"}'
expect_status "PATCH: 25:00 is refused, naming cycle_at" 422 invalid
expect_eq "... the field" "cycle_at" "$(jpy 'd["error"]["field"]')"
req PATCH /api/v1/org "$TOK_admin" '{"cycle_tz": "Mars/Olympus_Mons"}'
expect_status "PATCH: an unknown zone is refused" 422 invalid
expect_eq "... the field" "cycle_tz" "$(jpy 'd["error"]["field"]')"
req PATCH /api/v1/org "$TOK_admin" '{"cycle_at": "07:00", "currency": "XXY"}'
expect_status "PATCH: a bad currency changes nothing" 422 invalid
req PATCH /api/v1/org "$TOK_admin" '{}'
expect_status "PATCH {}: nothing to change" 422 missing
req PATCH /api/v1/org "$TOK_admin" '{"colour": "red"}'
expect_status "PATCH: an unknown member" 422 invalid
req GET /api/v1/org "$TOK_viewer"
expect_eq "the refused PATCHes changed nothing" "06:30 Asia/Shanghai None" \
    "$(jpy 'd["cycle_at"] + " " + d["cycle_tz"] + " " + str(d["currency"])')"
req PATCH /api/v1/org "$TOK_rival" '{"cycle_at": "02:30", "cycle_tz": "America/New_York"}'
expect_status "PATCH: rival's admin sets rival's schedule" 200
expect_eq "... rival's, in its zone" "rival 02:30 America/New_York" \
    "$(jpy 'd["name"] + " " + d["cycle_at"] + " " + d["cycle_tz"]')"
req PATCH /api/v1/org "$TOK_rival" '{"cycle_at": null}'
expect_eq "PATCH cycle_at null: no schedule" "None None None" \
    "$(jpy 'str(d["cycle_at"]) + " " + str(d["cycle_tz"]) + " " + str(d["next_cycle"])')"
req GET /api/v1/org "$TOK_viewer"
expect_eq "... and default's schedule is untouched" "06:30" "$(jpy 'd["cycle_at"]')"
api_stop

# --- a third organisation, without a schedule, whose cycle a person runs: its messages fill
# the outbox /metrics counts
write_store_files
load_org lamps || not_ok "load lamps"
expect_ok "a cycle run by hand" bl --org lamps cycle --as-of 2022-05-10 --no-digest

# --- the cycle runs when its time comes, once
BALLAST_SCHED_CLOCK="${D1}T06:29:58+08:00,30" api_start
wait_show "last scheduled cycle: $D1, done" && ok "the scheduler ran the cycle at 06:30 Shanghai" ||
    not_ok "the scheduler ran the cycle" "$(bl org show 2>&1)" "$(cat "$TMP/serve.err")"
expect_eq "one cycle for $D1" 1 "$(cycles_on "$D1")"
expect_eq "the audit log: the scheduled cycle is the scheduler's" "the scheduler,system" \
    "$(bl --format csv audit --action cycle.run | tail -n +2 | cut -d, -f3,4 | sort -u)"
expect_eq "... the one run by hand the local user's" "$(id -un),cli" \
    "$(bl --org lamps --format csv audit --action cycle.run | tail -n +2 | cut -d, -f3,4 | sort -u)"
as_of=$(bl --format csv cycle list | awk -F, -v d="$D1" '$3==d {print $2}')
[[ "$as_of" == "$(date -u -d "$D1 -1 day" +%F)T22:3"* ]] && ok "as of the scheduled time (22:30Z the day before)" ||
    not_ok "the cycle's as-of" "$as_of"
req GET /api/v1/org "$TOK_viewer"
expect_eq "GET /api/v1/org: the last scheduled cycle" "$D1 done 1" \
    "$(jpy 'd["last_scheduled_cycle"]["day"] + " " + d["last_scheduled_cycle"]["state"] + " " + str(d["last_scheduled_cycle"]["attempts"])')"
expect_eq "... and the next, tomorrow at 06:30 there" "$D2" "$(jpy 'd["next_cycle"]["day"]')"
wait_passes 3 && ok "the scheduler looked again" || not_ok "the scheduler keeps looking" "$(curl -s "$URL/metrics" | grep scheduler)"
expect_eq "no second run the same day" 1 "$(cycles_on "$D1")"
curl -s "$URL/metrics" > "$TMP/metrics"
for m in 'ballast_cycle_step_duration_seconds_bucket{step="messages",le="+Inf"}' \
    'ballast_cycle_step_duration_seconds_count{step="messages"}' \
    'ballast_cycle_runs{org="default",state="done"}' \
    'ballast_cycle_last_success_timestamp_seconds{org="default"}' \
    'ballast_cycle_runs{org="lamps",state="done"} 1' \
    'ballast_outbox_messages{org="lamps",state="held"}' 'ballast_scheduler_enabled 1' \
    'ballast_scheduler_attempts_total{outcome="done"} 1'; do
    grep -qF "$m" "$TMP/metrics" && ok "/metrics: $m" || not_ok "/metrics: $m" "$(grep -v '^#' "$TMP/metrics" | grep -v http | head -40)"
done
api_stop
expect_eq "SIGTERM: the server stops cleanly" 0 "$API_RC"

# --- a restart later that day runs nothing again
BALLAST_SCHED_CLOCK="${D1}T07:00:00+08:00,30" api_start
wait_passes 1 && ok "restarted: the scheduler looked" ||
    not_ok "restarted: the scheduler looked" "$(cat "$TMP/serve.err")" "$(curl -s "$URL/metrics" | grep scheduler)"
expect_eq "a restart the same day runs nothing" 1 "$(cycles_on "$D1")"
api_stop

# --- two servers on one store: the next day's cycle runs once
clock="${D2}T06:29:59+08:00,30"
BALLAST_SCHED_CLOCK=$clock "$BALLAST" --db "$DB" serve --listen 127.0.0.1:0 2>"$TMP/serve2.err" &
pid2=$!
BALLAST_SCHED_CLOCK=$clock api_start
wait_show "last scheduled cycle: $D2, done" && ok "two servers: the cycle ran" ||
    not_ok "two servers: the cycle ran" "$(bl org show 2>&1)"
wait_passes 3 # this server's pass after its run, or after the claim it lost
expect_eq "two servers on one store: one cycle for $D2" 1 "$(cycles_on "$D2")"
[[ "$(bl org show)" == *"$D2, done (cycle "*", 1 attempt;"* ]] && ok "... in one attempt" || not_ok "one attempt" "$(bl org show)"
kill -TERM $pid2
wait $pid2
expect_eq "the second server stops cleanly too" 0 "$?"
api_stop

# --- a failing step is retried after its backoff, and the digest says so
cport=$(free_port)
mkdir -p "$TMP/chat"
python3 "$SRC/tests/lib/chat_recv.py" "$cport" "$TMP/chat" SECsecret &
cpid=$!
trap 'stop $cpid; api_cleanup' EXIT
wait_ready "$TMP/chat" || not_ok "chat receiver up"
expect_ok "a digest recipient" bl notify add --webhook "http://127.0.0.1:$cport/slack" --kind slack
# the templates are missing when the cycle starts (a deploy half done): the messages step
# fails; the clock runs 10 times as fast, so the first retry comes 6 s later
BALLAST_TEMPLATES="$TMP/tpl" BALLAST_SCHED_CLOCK="${D3}T06:29:59+08:00,10" api_start
wait_show "$D3, attempt 1 failed: tried again at" && ok "a step failed: the run waits for its retry" ||
    not_ok "a step failed: retried" "$(bl org show 2>&1)" "$(cat "$TMP/serve.err")"
ln -s "$SRC/templates" "$TMP/tpl"
wait_show "last scheduled cycle: $D3, done" && ok "the retry completed the cycle" ||
    not_ok "the retry completed the cycle" "$(bl org show 2>&1)"
[[ "$(bl org show)" == *"$D3, done (cycle "*", 2 attempts;"* ]] && ok "... at its second attempt" || not_ok "second attempt" "$(bl org show)"
expect_eq "one cycle for $D3" 1 "$(cycles_on "$D3")"
id=$(bl --format csv cycle list | awk -F, -v d="$D3" '$3==d {print $1}')
out=$(bl cycle show "$id")
[[ "$out" == *"customer messages"* ]] && ok "cycle show: the retried step" || not_ok "cycle show" "$out"
curl -s "$URL/metrics" > "$TMP/metrics"
grep -qF 'ballast_scheduler_retries_total{org="default"} 1' "$TMP/metrics" && ok "/metrics: one retry" ||
    not_ok "/metrics: one retry" "$(grep scheduler "$TMP/metrics")"
grep -qF 'ballast_scheduler_attempts_total{outcome="failed"} 1' "$TMP/metrics" && ok "/metrics: one failed attempt" ||
    not_ok "/metrics: one failed attempt" "$(grep scheduler "$TMP/metrics")"
for i in $(seq 1 100); do ls "$TMP/chat"/slack.* >/dev/null 2>&1 && break; sleep 0.1; done
digest=$(cat "$TMP/chat"/slack.* 2>/dev/null)
[[ "$digest" == *"On schedule: every day at 06:30 (Asia/Shanghai)"* ]] && ok "the digest: on schedule" ||
    not_ok "the digest: on schedule" "$digest"
[[ "$digest" == *"Attempt 1: customer messages failed ("*"templates"*"); tried again."* ]] &&
    ok "the digest: the step that failed, why, and that it was retried" || not_ok "the digest: the failed step" "$digest"
[[ "$digest" == *"Done at attempt 2"* ]] && ok "the digest: done at the retry" || not_ok "the digest: done at the retry" "$digest"
expect_eq "one digest for the day" 1 "$(ls "$TMP/chat"/slack.* | wc -l)"
api_stop

# --- back after two days down: today's cycle once, the missed days said, not run
D6=$(date -d "$D1 +5 day" +%F)
BALLAST_SCHED_CLOCK="${D6}T09:00:00+08:00,30" api_start
wait_show "last scheduled cycle: $D6, done" && ok "back after two days down: today's cycle ran" ||
    not_ok "back after two days down" "$(bl org show 2>&1)"
expect_eq "... and none for the two days missed" "0 0" \
    "$(cycles_on "$(date -d "$D1 +3 day" +%F)") $(cycles_on "$(date -d "$D1 +4 day" +%F)")"
for i in $(seq 1 100); do [ "$(ls "$TMP/chat"/slack.* | wc -l)" -ge 2 ] && break; sleep 0.1; done
digest=$(cat "$(ls "$TMP/chat"/slack.* | sort | tail -1)")
[[ "$digest" == *"The server was not running on the 2 days before this one: their cycles did not run"* ]] &&
    ok "the digest says two days were missed" || not_ok "the digest: days missed" "$digest"
api_stop
bl_done
