#!/usr/bin/env bash
# End-to-end: a CLI that helps (issue 14). Every command and subcommand answers --help
# (usage, what it does, an example) from the one table (src/cli/help_table.c);
# `ballast help [CMD [SUB]]`; unknown commands, subcommands and options get the nearest
# match and never getopt's own message.
source "$(dirname "$0")/../lib/cli.bash"
[ "$1" = postgres ] && { echo "help needs no store: nothing to test on postgres"; exit 77; }
bl_setup "$1" help

# --- the table: every command and subcommand answers --help, anywhere after it
list=$("$BALLAST" help --list)
n=$(wc -l <<<"$list")
[ "$n" -ge 50 ] && ok "help --list: $n commands and subcommands" || not_ok "help --list" "$list"
bad=""
while read -r cmd sub; do
    h=$("$BALLAST" $cmd $sub --help 2>&1) || bad="$bad [$cmd $sub: exit $?]"
    [[ "$h" == "usage: ballast $cmd"* ]] || bad="$bad [$cmd $sub: no usage]"
    [[ "$h" == *$'\nexample:\n  ballast '* ]] || bad="$bad [$cmd $sub: no example]"
    [ "$h" = "$("$BALLAST" help $cmd $sub)" ] || bad="$bad [$cmd $sub: help differs from --help]"
    [ "$h" = "$("$BALLAST" $cmd $sub -h)" ] || bad="$bad [$cmd $sub: -h differs]"
done <<<"$list"
expect_eq "every command and subcommand: --help, -h, help CMD SUB (usage, example)" "" "$bad"

# --help anywhere after the command, before the command runs (no store is opened)
out=$("$BALLAST" --db "$TMP/none.db" orders list --shop s1 --help 2>&1)
[[ "$out" == "usage: ballast orders list"* ]] && ok "--help after other options" || not_ok "--help after other options" "$out"
[ ! -e "$TMP/none.db" ] && ok "... runs nothing (no store created)" || not_ok "... runs nothing"
out=$("$BALLAST" assess --help)
[[ "$out" == *"--as-of T"*"end of that day"* ]] && ok "assess --help states --as-of's meaning" || not_ok "assess --help: as-of" "$out"
[[ "$("$BALLAST" messages list --help)" == *"--limit N, --offset"* ]] && ok "a list's --help names --limit/--offset" || not_ok "list help"
[[ "$("$BALLAST" messages --help)" == *"messages send"*"messages plan"* || "$("$BALLAST" messages --help)" == *"messages plan"*"messages send"* ]] &&
    ok "a command's --help lists its subcommands" || not_ok "subcommands listed" "$("$BALLAST" messages --help)"

# ballast help: grouped for a person
ov=$("$BALLAST" help)
for g in "the day:" "the store and its data:" "disruptions:" "demand and stock:" "logistics:" \
    "shop assessment" "customers:"; do
    [[ "$ov" == *$'\n'"$g"* ]] || not_ok "overview group $g" "$ov"
done
[[ "$ov" == *"  assess "*"  messages list "* ]] && ok "ballast help: grouped, with subcommands" || not_ok "ballast help" "$ov"
expect_eq "ballast --help is ballast help" "$ov" "$("$BALLAST" --help)"

# the sources: every subcommand a command file dispatches is in the table
subs=$(grep -ho 'strcmp(\(argv\[1\]\|sub\|args\[0\]\), "[a-z-]*")' "$SRC"/src/cli/cmd_*.c |
    sed 's/.*"\([a-z-]*\)".*/\1/' | sort -u | grep -v '^-')
missing=""
for s in $subs; do
    grep -q " $s\$" <<<"$list" || missing="$missing $s"
done
expect_eq "every subcommand in the sources has a help entry" "" "$missing"

# --- did you mean
expect_fail "unknown command: nearest" 2 "unknown command 'asess'; did you mean 'assess'?" "$BALLAST" asess
expect_fail "unknown command far from all" 2 "unknown command 'frobnicate'" "$BALLAST" frobnicate
expect_fail "unknown subcommand: nearest" 2 "unknown subcommand 'lsit'; did you mean 'list'?" "$BALLAST" orders lsit
expect_fail "unknown subcommand: the choices" 2 "disruption takes add, list, show, impact, lift" "$BALLAST" disruption remove 1
expect_fail "help of an unknown command" 2 "did you mean 'orders'" "$BALLAST" help ordres
expect_fail "unknown option: nearest" 2 "unknown option '--profle'; did you mean '--profile'?" "$BALLAST" assess --profle x
expect_fail "unknown option of a list: --limit is near" 2 "did you mean '--limit'?" "$BALLAST" messages list --limt 5
expect_fail "missing value" 2 "--shop needs a value" "$BALLAST" orders list --shop
expect_fail "a value given to a flag" 2 "--dry-run takes no value" "$BALLAST" sla --as-of 2024-01-01 --dry-run=yes
expect_fail "ambiguous prefix" 2 "'--s' is ambiguous" "$BALLAST" orders list --s x
expect_fail "unknown global option: nearest" 2 "did you mean '--db'?" "$BALLAST" --dbb x stats
expect_fail "unknown import kind: nearest" 2 "unknown kind 'ordres'; did you mean 'orders'?" "$BALLAST" import ordres x.csv

# getopt's own words never reach a person: a bogus option to every command
raw=""
while read -r cmd sub; do
    err=$("$BALLAST" --db "$TMP/none.db" $cmd $sub --bogus-option 2>&1 >/dev/null)
    [[ "$err" == *"unrecognized option"* || "$err" == *"requires an argument"* || "$err" == *"invalid option"* ]] &&
        raw="$raw [$cmd $sub: $err]"
    [[ "$cmd" == help ]] || [ -n "$err" ] || raw="$raw [$cmd $sub: nothing said]"
done <<<"$list"
expect_eq "no command lets getopt's own message through" "" "$raw"
for c in "assess" "orders list" "route" "plan" "forecast" "gen" "messages list" "messages plan" \
    "messages send" "disruption add" "protect" "import" "cycle" "sla" "promise" "quote"; do
    err=$("$BALLAST" --db "$TMP/none.db" $c --bogus-option 2>&1 >/dev/null)
    [[ "$err" == *"unknown option '--bogus-option'"* ]] || raw="$raw [$c: $err]"
done
expect_eq "commands with options name the unknown one" "" "$raw"

bl_done
