#!/usr/bin/env bash
# End-to-end: `ballast disruption edit ID`: move a disruption's window, widen or narrow
# its region, change its scope, kind or note; what it refuses, and that a refusal stores
# nothing.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" disruption_edit

expect_ok "init" bl init
id=$(bl --format csv disruption add --region BR-SP --scope both --kind strike --from 2018-05-21T03:00:00Z \
    --to 2018-05-30T15:00:00Z --id truckers --note "greve" | tail -n 1)
expect_eq "add" 1 "$id"

# dfield ID COLUMN: a column of one disruption from `disruption list --format csv`.
dfield() {
    bl --format csv disruption list |
        awk -F, -v id="$1" -v col="$2" 'NR==1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
                                        $1==id {print $(c[col])}'
}

# --- changes --------------------------------------------------------------------
expect_ok "extend the end" bl disruption edit 1 --to 2018-06-02T00:00:00Z
expect_eq "ends_at moved" 2018-06-02T00:00:00Z "$(dfield 1 ends_at)"
expect_eq "starts_at kept" 2018-05-21T03:00:00Z "$(dfield 1 starts_at)"
expect_ok "move the start, local with --tz" bl disruption edit 1 --from 2018-05-22 --tz America/Sao_Paulo
expect_eq "starts_at local midnight" 2018-05-22T03:00:00Z "$(dfield 1 starts_at)"
expect_ok "widen the region" bl disruption edit 1 --region br
expect_eq "region canonical" BR "$(dfield 1 region)"
expect_ok "scope, kind and note" bl disruption edit 1 --scope destination --kind weather --note "chuva"
expect_eq "scope" destination "$(dfield 1 scope)"
expect_eq "kind" weather "$(dfield 1 kind)"
expect_eq "note" chuva "$(dfield 1 note)"
expect_eq "ext id kept" truckers "$(dfield 1 ext_id)"
expect_eq "batch kept" 0 "$(dfield 1 batch)"
expect_ok "remove the note" bl disruption edit 1 --note ""
expect_eq "note gone" "" "$(dfield 1 note)"
expect_eq "active in the new window" 1 \
    "$(bl --format csv disruption list --active-at 2018-06-01T00:00:00Z | tail -n +2 | cut -d, -f1)"

# --- refusals -------------------------------------------------------------------
fp=$(fingerprint)
before=$(bl --format csv disruption list)
expect_fail "nothing to change" 2 "nothing to change" bl disruption edit 1
expect_fail "ID not a number" 2 "ID x: expected a disruption id" bl disruption edit x --to 2018-06-03T00:00:00Z
expect_fail "bad scope" 2 "--scope up: expected origin, destination or both" bl disruption edit 1 --scope up
expect_fail "bad kind" 2 "--kind flood: expected lockdown, strike" bl disruption edit 1 --kind flood
expect_fail "bad region" 2 "--region XX-" bl disruption edit 1 --region XX-
expect_fail "both ends, reversed" 2 "is not after --from" \
    bl disruption edit 1 --from 2018-06-02T00:00:00Z --to 2018-06-01T00:00:00Z
expect_fail "local time without --tz" 2 "a local date or time needs --tz ZONE" bl disruption edit 1 --to 2018-06-03
expect_fail "--tz alone" 2 "--tz UTC without --from or --to" bl disruption edit 1 --tz UTC --note x
expect_fail "channel cannot be edited" 2 "unknown option '--channel'" bl disruption edit 1 --channel c1
expect_fail "end before the stored start" 1 \
    "disruption 1 would end at 2018-05-01T00:00:00Z, not after its start 2018-05-22T03:00:00Z" \
    bl disruption edit 1 --to 2018-05-01T00:00:00Z
expect_fail "unknown disruption" 1 "unknown disruption 9" bl disruption edit 9 --note x
expect_ok "lift" bl disruption lift 1 --at 2018-05-25T00:00:00Z
before=$(bl --format csv disruption list)
expect_fail "start after the lift" 1 "--from 2018-05-26T00:00:00Z: disruption 1 was lifted at 2018-05-25T00:00:00Z" \
    bl disruption edit 1 --from 2018-05-26T00:00:00Z
expect_eq "refusals changed nothing" "$before" "$(bl --format csv disruption list)"
expect_eq "refusals stored nothing" "$fp" "$(fingerprint)"
expect_ok "a lifted disruption's end can still move" bl disruption edit 1 --to 2018-06-05T00:00:00Z
expect_eq "lift kept" 2018-05-25T00:00:00Z "$(dfield 1 lifted_at)"
expect_eq "effective end is still the lift" 2018-05-25T00:00:00Z "$(dfield 1 effective_end)"

# --- other organisations ---------------------------------------------------------
expect_ok "init org b" bl --org b init
expect_fail "org b: edit someone else's disruption" 1 "unknown disruption 1" \
    bl --org b disruption edit 1 --note x

bl_done
