#!/usr/bin/env bash
# End-to-end: --as-of has one meaning everywhere (src/cli/args.c): a date D is the end
# of D (the next midnight) in --tz, default UTC; an instant is that instant. So for every
# command `--as-of D` answers as `--as-of D+1T00:00:00Z` does; commands that work in
# whole days (plan, alerts, playbook, the cycle's stock steps) take the day the instant
# falls in, so a plan accepts an instant too. Also: only init creates a store.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" as_of

G="$TMP/gen"
"$BALLAST" gen --out "$G" --orders 3000 --shops 4 --skus 30 --seed 11 2>/dev/null
expect_ok "init" bl init
for kind in shops skus warehouses suppliers stock inbound channels disruptions sales orders; do
    expect_ok "import $kind" bl import "$kind" "$G/$kind.csv"
done
expect_ok "import calendars" bl import calendars "$SRC/data/calendars.csv"

D=2024-11-14 NEXT=2024-11-15T00:00:00Z START=2024-11-14T00:00:00Z
same() { # same NAME CMD...: the command's CSV with --as-of D equals it with --as-of NEXT
    local name=$1; shift
    local a b c
    a=$(bl --format csv "$@" --as-of "$D" 2>/dev/null)
    b=$(bl --format csv "$@" --as-of "$NEXT" 2>/dev/null)
    c=$(bl --format csv "$@" --as-of "$START" 2>/dev/null)
    if [ -z "$a" ] || [ "$(wc -l <<<"$a")" -lt 2 ]; then not_ok "$name" "no rows: $a"
    elif [ "$a" != "$b" ]; then not_ok "$name: a date is the end of that day" "$(diff <(echo "$a") <(echo "$b") | head -5)"
    elif [ "$a" = "$c" ]; then not_ok "$name: ... not its start" "the same as $START"
    else ok "$name: --as-of $D is $NEXT, not $START"; fi
}
same "route" route
same "plan" plan --no-save
same "alerts" alerts --no-save
same "playbook" playbook
same "assess" assess --profile own-site --all-shops --dry-run
same "sla" sla --dry-run
same "forecast" forecast --horizon 3 --events none

# a plan takes an instant; within a day, the day it falls in
a=$(bl --format csv plan --no-save --as-of 2024-11-15T09:30:00Z)
expect_eq "plan: an instant in a day plans that day" "$(bl --format csv plan --no-save --as-of $D)" "$a"
z=$(bl --format csv plan --no-save --as-of $D --tz Asia/Shanghai)
expect_eq "plan --tz: the end of the day in that zone (16:00Z)" \
    "$(bl --format csv plan --no-save --as-of 2024-11-14T16:00:00Z --tz Asia/Shanghai)" "$z"

# the cycle: the same day as plan, and its digest says which as-of it took
out=$(bl cycle --as-of $D --dry-run --no-digest 2>&1)
[[ "$out" == *"as of 2024-11-15T00:00:00Z (stock day 2024-11-15)"* ]] &&
    ok "cycle: a date is the end of that day; the stock day is the next" || not_ok "cycle as-of words" "$out"

# one message for a bad as-of, with the meaning
for c in "route" "plan" "cycle" "sla" "promise" "messages plan" "banners"; do
    expect_fail "$c: a bad --as-of says what is expected" 2 \
        "expected a date (YYYY-MM-DD, the end of that day) or an instant" bl $c --as-of 2024-13-45
done
expect_fail "assess: the same words" 1 "expected a date (YYYY-MM-DD, the end of that day) or an instant" \
    bl assess --profile own-site --as-of 2024-13-45

# --- only init creates a store
if [ "$BACKEND" = sqlite ]; then
    typo="$TMP/typo.db"
    expect_fail "import into a missing store" 1 "no store at $typo: run 'ballast --db $typo init'" \
        "$BALLAST" --db "$typo" import shops "$G/shops.csv"
    [ ! -e "$typo" ] && ok "... and no file is created" || not_ok "no file created" "$(ls -la "$typo")"
    expect_fail "any command on a missing store" 1 "no store at $typo" "$BALLAST" --db "$typo" stats
    expect_fail "a missing directory too" 1 "no store at $TMP/no/dir.db" "$BALLAST" --db "$TMP/no/dir.db" route --as-of $D
    expect_ok "init creates it" "$BALLAST" --db "$typo" init
    expect_ok "... then import works" "$BALLAST" --db "$typo" import shops "$G/shops.csv"
fi

bl_done
