#!/usr/bin/env bash
# End-to-end: `ballast disruption add|list|lift` and `ballast protect [list]`.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" disruption

cat > "$TMP/shops.csv" <<'CSV'
id,name,platform,currency,tz,ship_from
s1,Loja SP,olist,BRL,America/Sao_Paulo,BR-SP:013
s2,Shenzhen Gadgets,amazon,USD,Asia/Shanghai,CN-GD
CSV
cat > "$TMP/disruptions.csv" <<'CSV'
id,region,scope,kind,starts_at,ends_at
imp1,CN-GD,origin,holiday,2018-02-15T00:00:00+08:00,2018-02-22T00:00:00+08:00
CSV

expect_ok "init" bl init
expect_ok "import shops" bl import shops "$TMP/shops.csv"
expect_ok "import disruptions" bl import disruptions "$TMP/disruptions.csv"

# dfield ID COLUMN: a column of one disruption from `disruption list --format csv`
# (columns before `note`, the only one that may hold commas in these tests).
dfield() {
    bl --format csv disruption list |
        awk -F, -v id="$1" -v col="$2" 'NR==1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
                                        $1==id {print $(c[col])}'
}

# add_id ARGS...: the id of a new disruption (`--format csv` prints it alone; a person
# gets a sentence and what it touches, tests/cli/disruption_life.sh).
add_id() { bl --format csv disruption add "$@" | tail -n 1; }

# --- add ----------------------------------------------------------------------
id=$(add_id --region br-sp --scope both --kind strike --from 2018-05-21 \
    --to 2018-05-30T12:00 --tz America/Sao_Paulo --id truckers --note "greve dos caminhoneiros")
expect_eq "add prints the next id after the imported one" 2 "$id"
expect_eq "region stored canonical" BR-SP "$(dfield 2 region)"
expect_eq "local date with --tz is local midnight" 2018-05-21T03:00:00Z "$(dfield 2 starts_at)"
expect_eq "local date-time with --tz" 2018-05-30T15:00:00Z "$(dfield 2 ends_at)"
expect_eq "effective end is ends_at while not lifted" 2018-05-30T15:00:00Z "$(dfield 2 effective_end)"
expect_eq "hand-entered records have batch 0" 0 "$(dfield 2 batch)"
expect_eq "ext id kept" truckers "$(dfield 2 ext_id)"
expect_eq "imported disruption keeps its batch" 2 "$(dfield 1 batch)"

id=$(add_id --region CN --scope origin --kind lockdown \
    --from 2022-04-01T00:00:00+08:00 --to 2022-06-01T00:00:00Z)
expect_eq "instants with offsets need no --tz" 3 "$id"
expect_eq "offset applied" 2022-03-31T16:00:00Z "$(dfield 3 starts_at)"

# America/Sao_Paulo, 2018: clocks went back at 2018-02-18 00:00 (-02 -> -03), so
# 2018-02-17T23:30 happened twice; bl_time_parse takes the earlier instant (-02:00).
# Clocks went forward at 2018-11-04 00:00 (-03 -> -02): local midnight did not exist and
# is read with the offset in force before the gap (-03:00).
id=$(add_id --region BR-RJ --scope destination --kind weather \
    --from 2018-02-17T23:30 --to 2018-02-18T01:00 --tz America/Sao_Paulo)
expect_eq "ambiguous local time: earlier instant" 2018-02-18T01:30:00Z "$(dfield "$id" starts_at)"
expect_eq "after the switch: -03:00" 2018-02-18T04:00:00Z "$(dfield "$id" ends_at)"
id=$(add_id --region BR --scope both --kind holiday --from 2018-11-04 \
    --to 2018-11-05 --tz America/Sao_Paulo)
expect_eq "local midnight in a DST gap: offset before the gap" 2018-11-04T03:00:00Z "$(dfield "$id" starts_at)"
expect_eq "next midnight in summer time" 2018-11-05T02:00:00Z "$(dfield "$id" ends_at)"

out=$(bl --format json disruption add --region US-CA --scope destination --kind other \
    --from 2024-01-01T00:00:00Z --to 2024-01-02T00:00:00Z --note "日本語 ok")
expect_eq "add --format json gives the id" 6 "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' <<<"$out")"

# --- list ---------------------------------------------------------------------
ids() { python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))'; }
expect_ok "list --format json is valid JSON" \
    bash -c '"$0" --db "$1" --format json disruption list | python3 -m json.tool' "$BALLAST" "$DB"
expect_eq "list: all" "1 2 3 4 5 6" "$(bl --format json disruption list | ids)"
expect_eq "list --active-at" "2" "$(bl disruption list --format json --active-at 2018-05-25T00:00:00Z | ids)"
expect_eq "list --active-at local with --tz" "1" \
    "$(bl disruption list --format json --active-at 2018-02-16T12:00 --tz Asia/Shanghai | ids)"
expect_eq "list --region: wider regions contain a postal area" "2 5" \
    "$(bl disruption list --format json --region BR-SP:01310 | ids)"
expect_eq "list --region: a country finds its subdivisions" "2 4 5" \
    "$(bl disruption list --format json --region br | ids)"
expect_eq "list --region CN-SH: CN, not CN-GD" "3" "$(bl disruption list --format json --region CN-SH | ids)"
n=$(bl disruption list | wc -l)
expect_eq "table output: header and 6 rows" 7 "$n"
note=$(bl --format json disruption list | python3 -c 'import json,sys; print([r["note"] for r in json.load(sys.stdin) if r["id"]==6][0])')
expect_eq "UTF-8 note round-trips through JSON" "日本語 ok" "$note"

# --- lift ---------------------------------------------------------------------
expect_ok "lift" bl disruption lift 2 --at 2018-05-27 --tz America/Sao_Paulo
expect_eq "lifted_at set" 2018-05-27T03:00:00Z "$(dfield 2 lifted_at)"
expect_eq "ends_at kept (history)" 2018-05-30T15:00:00Z "$(dfield 2 ends_at)"
expect_eq "effective end = lifted_at" 2018-05-27T03:00:00Z "$(dfield 2 effective_end)"
expect_eq "not active after the lift" "" "$(bl disruption list --format json --active-at 2018-05-28T00:00:00Z | ids)"
expect_eq "still active before the lift" "2" "$(bl disruption list --format json --active-at 2018-05-26T00:00:00Z | ids)"
expect_fail "lift twice" 1 "disruption 2 was already lifted at 2018-05-27T03:00:00Z" \
    bl disruption lift 2 --at 2018-05-28T00:00:00Z
expect_fail "lift unknown id" 1 "unknown disruption 99" bl disruption lift 99 --at 2018-05-28T00:00:00Z
expect_fail "lift before start" 1 "--at 2022-03-01T00:00:00Z is before disruption 3 starts (2022-03-31T16:00:00Z)" \
    bl disruption lift 3 --at 2022-03-01T00:00:00Z
expect_fail "lift: ID not a number" 2 "ID truckers: expected a disruption id" \
    bl disruption lift truckers --at 2022-05-01T00:00:00Z
expect_fail "lift: --tz without --at" 2 "--tz UTC without --at" bl disruption lift 3 --tz UTC
expect_fail "lift: local --at without --tz" 2 "--at 2022-05-01: a local date or time needs --tz ZONE" \
    bl disruption lift 3 --at 2022-05-01
expect_eq "failed lifts changed nothing" "" "$(dfield 3 lifted_at)"
lift_out=$(bl disruption lift 3 --at 2023-01-01T00:00:00Z 2>&1)
expect_eq "lift after the end: recorded" 2023-01-01T00:00:00Z "$(dfield 3 lifted_at)"
expect_eq "lift after the end: effective end stays ends_at" 2022-06-01T00:00:00Z "$(dfield 3 effective_end)"
[[ "$lift_out" == *"already ended at 2022-06-01T00:00:00Z"* ]] && ok "lift after the end: says so" || not_ok "lift after the end: says so" "$lift_out"

# --- bad input for add: usage errors (exit 2), nothing stored -------------------
A=(--scope both --kind strike --from 2018-05-21T00:00:00Z --to 2018-05-22T00:00:00Z)
fp=$(fingerprint)
expect_fail "bad region" 2 "--region XX-: " bl disruption add --region XX- "${A[@]}"
expect_fail "unknown country" 2 "unknown country 'ZZ'" bl disruption add --region ZZ "${A[@]}"
expect_fail "bad scope" 2 "--scope sideways: expected origin, destination or both" \
    bl disruption add --region BR --scope sideways --kind strike --from 2018-05-21T00:00:00Z --to 2018-05-22T00:00:00Z
expect_fail "bad kind" 2 "--kind route_suspended: expected lockdown, strike, route_suspension" \
    bl disruption add --region BR --scope both --kind route_suspended --from 2018-05-21T00:00:00Z --to 2018-05-22T00:00:00Z
expect_fail "--to before --from" 2 "--to 2018-05-20T00:00:00Z is not after --from 2018-05-21T00:00:00Z" \
    bl disruption add --region BR --scope both --kind strike --from 2018-05-21T00:00:00Z --to 2018-05-20T00:00:00Z
expect_fail "--to equal to --from" 2 "is not after --from" \
    bl disruption add --region BR --scope both --kind strike --from 2018-05-21T00:00:00Z --to 2018-05-21T00:00:00Z
expect_fail "local time without --tz" 2 "--from 2018-05-21: a local date or time needs --tz ZONE" \
    bl disruption add --region BR --scope both --kind strike --from 2018-05-21 --to 2018-05-22T00:00:00Z
expect_fail "unknown --tz" 2 "--tz Mars/Olympus" \
    bl disruption add --region BR "${A[@]}" --tz Mars/Olympus
expect_fail "malformed time" 2 "--to 22/05/2018" \
    bl disruption add --region BR --scope both --kind strike --from 2018-05-21T00:00:00Z --to 22/05/2018
expect_fail "impossible date" 2 "--from 2018-02-30T00:00:00Z" \
    bl disruption add --region BR --scope both --kind strike --from 2018-02-30T00:00:00Z --to 2018-05-22T00:00:00Z
expect_fail "missing --region" 2 "missing --region" bl disruption add "${A[@]}"
expect_fail "missing --kind" 2 "missing --kind" \
    bl disruption add --region BR --scope both --from 2018-05-21T00:00:00Z --to 2018-05-22T00:00:00Z
expect_fail "unknown option" 2 "unknown option '--frm'" bl disruption add --region BR "${A[@]}" --frm x
expect_fail "option without value" 2 "--to needs a value" bl disruption add --region BR --scope both --kind strike --from 2018-05-21T00:00:00Z --to
expect_fail "--to before --from, local" 2 "--to 2018-05-20 (2018-05-20T03:00:00Z) is not after --from 2018-05-21 (2018-05-21T03:00:00Z)" \
    bl disruption add --region BR --scope both --kind strike --from 2018-05-21 --to 2018-05-20 --tz America/Sao_Paulo
expect_fail "stray argument" 2 "unexpected argument 'extra'" bl disruption add --region BR "${A[@]}" extra
expect_fail "unknown subcommand" 2 "unknown subcommand 'remove'" bl disruption remove 1
expect_fail "list: --tz alone" 2 "--tz UTC without --active-at" bl disruption list --tz UTC
expect_fail "list: bad region" 2 "--region 1X" bl disruption list --region 1X
# data errors (exit 1)
expect_fail "duplicate --id" 1 "--id truckers: disruption 2 already has this id" \
    bl disruption add --region BR "${A[@]}" --id truckers
expect_fail "duplicate --id of an imported one" 1 "--id imp1: disruption 1 already has this id" \
    bl disruption add --region BR "${A[@]}" --id imp1
expect_fail "unknown channel" 1 "--channel ch9: unknown channel" \
    bl disruption add --region BR "${A[@]}" --channel ch9
expect_fail "unknown supplier" 1 "--supplier sup9: unknown supplier" \
    bl disruption add --region BR "${A[@]}" --supplier sup9
expect_eq "failed adds stored nothing" "$fp" "$(fingerprint)"

# --- protect ------------------------------------------------------------------
id=$(bl protect --shop s1 --from 2018-05-21 --to 2018-06-01 --reason "truckers' strike")
expect_eq "protect prints its id" 1 "$id"
id=$(bl protect --shop s2 --from 2018-02-15 --to 2018-02-22 --reason "Spring Festival" --tz UTC)
expect_eq "protect: second id" 2 "$id"
pj=$(bl --format json protect list)
expect_ok "protect list --format json is valid JSON" python3 -m json.tool <<<"$pj"
pf() { python3 -c 'import json,sys; r=[r for r in json.load(sys.stdin) if r["id"]==int(sys.argv[1])][0]; print(r[sys.argv[2]])' "$1" "$2" <<<"$pj"; }
expect_eq "protect: local date read in the shop's zone" 2018-05-21T03:00:00Z "$(pf 1 starts_at)"
expect_eq "protect: --tz wins over the shop's zone" 2018-02-15T00:00:00Z "$(pf 2 starts_at)"
expect_eq "protect: shop ext id shown" s1 "$(pf 1 shop)"
expect_eq "protect: reason kept" "truckers' strike" "$(pf 1 reason)"
expect_eq "protect: batch 0" 0 "$(pf 1 batch)"
expect_eq "protect list --shop" "2" \
    "$(bl protect list --shop s2 --format json | ids)"
fp=$(fingerprint)
expect_fail "protect: unknown shop" 1 "--shop nope: unknown shop" \
    bl protect --shop nope --from 2018-05-21T00:00:00Z --to 2018-06-01T00:00:00Z --reason x
expect_fail "protect list: unknown shop" 1 "--shop nope: unknown shop" bl protect list --shop nope
expect_fail "protect: --to before --from" 2 "is not after --from" \
    bl protect --shop s1 --from 2018-06-01T00:00:00Z --to 2018-05-21T00:00:00Z --reason x
expect_fail "protect: missing --reason" 2 "missing --reason" \
    bl protect --shop s1 --from 2018-05-21T00:00:00Z --to 2018-06-01T00:00:00Z
expect_fail "protect: empty --reason" 2 "--reason is empty" \
    bl protect --shop s1 --from 2018-05-21T00:00:00Z --to 2018-06-01T00:00:00Z --reason ""
expect_fail "protect: bad --from" 2 "--from yesterday" \
    bl protect --shop s1 --from yesterday --to 2018-06-01T00:00:00Z --reason x
expect_eq "failed protects stored nothing" "$fp" "$(fingerprint)"

# --- other organisations do not see these records ---------------------------------
expect_ok "init org b" bl --org b init
expect_eq "org b: no disruptions" "" "$(bl --org b --format json disruption list | ids)"
expect_fail "org b: lift someone else's disruption" 1 "unknown disruption 2" \
    bl --org b disruption lift 2 --at 2018-05-28T00:00:00Z

bl_done
