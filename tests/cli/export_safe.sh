#!/usr/bin/env bash
# Exports that never lose a message, and CSV a spreadsheet cannot run (issue 15, items 1
# and 8).
#
# `messages send --via csv --out F`: an existing F is refused (its messages are already
# sent; replacing it would lose them) with nothing marked sent; a run writes a temporary
# file of its own and marks its messages sent only once the file is durably at F; two
# runs at once, into one F or two, leave every sent message in exactly one well-formed
# file; a directory it cannot write marks nothing sent.
#
# CSV for people (`--format csv`, the outbox export): a cell starting with = + - @ is
# written "'=..." (quoted), so a spreadsheet shows it as text; plain numbers (-10.00)
# are left as they are.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" export_safe
source "$SRC/tests/lib/messages.bash"
write_store_files
# 600 more late orders from Shanghai (under lockdown), so that runs at once overlap; one
# whose ids a spreadsheet would run as formulas.
for i in $(seq 1 600); do
    echo "L$i,s1,P1,1,10.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,2022-05-12T00:00:00Z,US-CA,,,c$((i + 10)),en-US"
done >>"$TMP/orders.csv"
echo '@SUM(A1),s1,P1,1,10.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,2022-05-12T00:00:00Z,US-CA,,,=1+1,en-US' >>"$TMP/orders.csv"
KINDS="late_shipment late_delivery out_of_stock unshipped_order promo_code service_resumed"

# org NAME: loaded, the shops set up, every kind sent without approval, planned.
org() {
    load_org "$1" && set_shops "$1" && auto_send "$1" $KINDS &&
        bl --org "$1" messages plan --as-of 2022-05-10 --horizon 30 --to-domain $RELAY >/dev/null 2>&1
}
oid() { sql "SELECT id FROM org WHERE name = '$1'"; }
sent() { sql "SELECT id FROM message WHERE org_id = $(oid "$1") AND state = 'sent' ORDER BY id"; }

# check_files ORG FILE...: every file well-formed (the header, ten fields a row), every
# message of ORG marked sent is in exactly one of them, and nothing else is.
check_files() {
    local o=$1
    shift
    python3 - "$(sent "$o" | paste -sd,)" "$@" <<'PY'
import csv, sys
sent = [int(x) for x in sys.argv[1].split(",") if x]
head = "id,idem,kind,order,shop,customer,locale,recipient,subject,body".split(",")
seen = []
for path in sys.argv[2:]:
    rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
    if rows[0] != head or any(len(r) != 10 for r in rows):
        print("malformed", path); sys.exit()
    seen += [int(r[0]) for r in rows[1:]]
dup = len(seen) - len(set(seen))
if dup or sorted(seen) != sorted(sent):
    print("sent %d, in files %d, duplicates %d, sent but in no file %d" %
          (len(sent), len(seen), dup, len(set(sent) - set(seen))))
else:
    print("ok %d" % len(sent))
PY
}

expect_ok "an organisation with 600 messages and more" org one
total=$(sql "SELECT COUNT(*) FROM message WHERE org_id = $(oid one) AND state = 'approved'")
[ "$total" -ge 600 ] && ok "$total approved" || not_ok "approved messages" "$total"

# ---- an existing --out is refused ---------------------------------------------------------
expect_ok "a first export" bl --org one messages send --via csv --out "$TMP/out.csv" --limit 40
cp "$TMP/out.csv" "$TMP/first.csv"
expect_fail "a second run into the same file is refused" 1 "out.csv already exists" \
    bl --org one messages send --via csv --out "$TMP/out.csv" --limit 40
expect_eq "... the first run's file is as it was" same \
    "$(cmp -s "$TMP/out.csv" "$TMP/first.csv" && echo same)"
expect_eq "... and nothing more is marked sent (or claimed)" "40 0" \
    "$(sent one | wc -l) $(sql "SELECT COUNT(*) FROM message WHERE org_id = $(oid one) AND state IN ('sending', 'failed')")"
expect_ok "a run into a new file" bl --org one messages send --via csv --out "$TMP/out2.csv"
expect_eq "every message sent is in exactly one file" "ok $total" \
    "$(check_files one "$TMP/out.csv" "$TMP/out2.csv")"
expect_eq "no temporary file is left" "" "$(ls -A "$TMP" | grep '^\.out' || true)"
expect_ok "nothing left to send: FILE is left alone, no error" \
    bl --org one messages send --via csv --out "$TMP/out.csv"
expect_eq "... and is still the first run's" same "$(cmp -s "$TMP/out.csv" "$TMP/first.csv" && echo same)"

# ---- spreadsheets -------------------------------------------------------------------------
row=$(python3 - "$TMP/out.csv" "$TMP/out2.csv" <<'PY'
import csv, sys
for p in sys.argv[1:]:
    for r in csv.DictReader(open(p, encoding="utf-8", newline="")):
        if "SUM" in r["order"]:
            print(r["order"], r["customer"])
PY
)
expect_eq "export: cells a spreadsheet would run start with a quote" "'@SUM(A1) '=1+1" "$row"
expect_eq "... written quoted" 1 "$(grep -c "^[0-9]*,[^,]*,late_shipment,\"'@SUM(A1)\",s1,\"'=1+1\"," "$TMP/out.csv" "$TMP/out2.csv" | awk -F: '{s += $2} END {print s}')"
expect_eq "--format csv: the order and its customer guarded" "\"'@SUM(A1)\",\"'=1+1\"" \
    "$(bl --org one --format csv orders list | grep -o "\"'@SUM(A1)\",.*\"'=1+1\"" | sed 's/,.*,/,/')"
expect_eq "--format json: exact" "@SUM(A1)" \
    "$(bl --org one --format json orders list | python3 -c 'import json,sys; print([r["order"] for r in json.load(sys.stdin) if "SUM" in r["order"]][0])')"
bl --org one compensate --as-of 2022-05-10 --profile own-site --all-shops >/dev/null 2>&1
expect_eq "a negative amount stays a number" "coupon,-10.00" \
    "$(bl --org one --format csv ledger --shop s2 | awk -F, '$3 == "coupon" {print $3 "," $4; exit}')"
expect_eq "table output is not quoted" 1 \
    "$(bl --org one orders list --limit 0 | grep -c "^s1 *@SUM(A1) .* =1+1 ")"

# A list Ballast reads back: the route policies, exported and imported again, unchanged.
bl --org one route policy --shop s1 fastest >/dev/null 2>&1
bl --org one refund policy --shop s2 0.25 >/dev/null 2>&1
bl --org one --format csv route policy list >"$TMP/policies.csv"
expect_eq "route policies exported" "s1,fastest,0.5000|s2,cheapest,0.2500" \
    "$(awk 'NR > 1' "$TMP/policies.csv" | paste -sd'|')"
bl --org one route policy --shop s1 cheapest >/dev/null 2>&1
bl --org one refund policy --shop s2 0.5 >/dev/null 2>&1
expect_ok "... read back" bl --org one route policy import "$TMP/policies.csv"
expect_eq "... with their values" "$(cat "$TMP/policies.csv")" \
    "$(bl --org one --format csv route policy list)"

# ---- two runs at once ---------------------------------------------------------------------
# Into one file: one of them may be refused when it moves its file into place; its
# messages are then failed (not sent) and a later run exports them.
expect_ok "a second organisation" org two
mkdir -p "$TMP/par"
bl --org two messages send --via csv --out "$TMP/par/a.csv" --backoff 0 >/dev/null 2>&1 &
p1=$!
bl --org two messages send --via csv --out "$TMP/par/a.csv" --backoff 0 >/dev/null 2>&1 &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
[ $s1 = 0 ] || [ $s2 = 0 ] && ok "one run into the same file succeeds (exit $s1, $s2)" ||
    not_ok "one of two runs succeeds" "$s1 $s2"
expect_eq "... every message sent is in the file once" ok \
    "$(check_files two "$TMP/par/a.csv" | cut -d' ' -f1)"
expect_ok "a later run exports what the refused one had" \
    bl --org two messages send --via csv --out "$TMP/par/b.csv"
files=$(ls "$TMP"/par/*.csv)
expect_eq "... all of them, each in exactly one file" "ok $total" "$(check_files two $files)"
expect_eq "no temporary file is left" "" "$(ls -A "$TMP/par" | grep '^\.' || true)"
# Into two files: both succeed, each with its own messages.
expect_ok "a third organisation" org three
bl --org three messages send --via csv --out "$TMP/par/c.csv" >/dev/null 2>&1 &
p1=$!
bl --org three messages send --via csv --out "$TMP/par/d.csv" >/dev/null 2>&1 &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
expect_eq "two runs into two files both succeed" "0 0" "$s1 $s2"
files=$(ls "$TMP"/par/[cd].csv 2>/dev/null)
expect_eq "... every message in exactly one of them" "ok $total" "$(check_files three $files)"

# ---- a directory it cannot write ----------------------------------------------------------
expect_ok "a fourth organisation" org four
mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
dir=$TMP/ro
touch "$TMP/ro/probe" 2>/dev/null && { rm -f "$TMP/ro/probe"; dir=/proc/self; } # root writes anyway
expect_fail "a directory it cannot write: refused" 1 "cannot create a file in its directory" \
    bl --org four messages send --via csv --out "$dir/out.csv"
expect_eq "... nothing marked sent, nothing claimed" "$total approved" \
    "$(sql "SELECT COUNT(*), state FROM message WHERE org_id = $(oid four) GROUP BY state" | tr '|' ' ')"
chmod 755 "$TMP/ro"

bl_done
