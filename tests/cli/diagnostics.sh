#!/usr/bin/env bash
# End-to-end: error messages a person can act on (issue 15 item 12). Each says what is
# wrong in the person's terms (an organisation, an option, the store, a file and its
# lines) and what to do, never an internal path, index, statement or stray number:
# forecast without sales, the losing concurrent compensate run, a bad --as-of, a
# read-only store (SQLite), an Olist item listed twice, `import olist FILE`, both x.csv
# and x.csv.gz, CR-only line ends, and a render that expands past its limits.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" diagnostics
O="$DATASETS/olist"

expect_ok "init" bl init

# ---- forecast in an organisation with no sales ---------------------------------------
err=$(bl forecast 2>&1 >/dev/null)
[[ "$err" == *"organisation 'default' has no sales history"* &&
    "$err" == *"'ballast import sales FILE'"* && "$err" != *"events.csv"* ]] &&
    ok "forecast, no sales: names the organisation and the import, not a calendar file" ||
    not_ok "forecast without sales" "$err"
expect_ok "a second organisation" bl --org shop2 init
expect_fail "... its forecast names it, with --org in the command to run" 1 \
    "organisation 'shop2' has no sales history in the store: import daily sales with 'ballast --org shop2 import sales FILE'" \
    bl --org shop2 forecast --horizon 7
expect_fail "... and so does the holdout" 1 "organisation 'shop2' has no sales history" \
    bl --org shop2 forecast --holdout 7

# ---- --as-of is an option, not a column ------------------------------------------------
for c in assess compensate; do
    err=$(bl $c --profile own-site --as-of 2024-13-45 2>&1 >/dev/null)
    [[ "$err" == "ballast: --as-of 2024-13-45: expected a date"* && "$err" != *column* ]] &&
        ok "$c: a bad --as-of names the option" || not_ok "$c --as-of words" "$err"
done
expect_fail "assess: a bad --tz names --tz" 1 "ballast: --tz Mars/Base: unknown time zone" \
    bl assess --profile own-site --as-of 2024-12-01 --tz Mars/Base
err=$(bl messages plan --as-of x 2>&1 >/dev/null)
[[ "$err" == *"--as-of x: expected a date"* && "$err" != *"x: x:"* ]] &&
    ok "messages plan: the text once, one 'expected'" || not_ok "messages plan --as-of" "$err"

# ---- CR-only line ends -----------------------------------------------------------------
printf 'id,region,lead_days\rsup9,CN-ZJ,10\rsup8,VN,8\r' >"$TMP/mac.csv"
expect_fail "CR-only line ends are named, with the fix" 1 \
    "the lines end with CR alone (classic Mac OS line ends" bl import suppliers "$TMP/mac.csv"
gzip -c "$TMP/mac.csv" >"$TMP/mac2.csv.gz"
expect_fail "... gzipped too" 1 "mac2.csv.gz:1: the lines end with CR alone" \
    bl import suppliers "$TMP/mac2.csv.gz"
printf 'id,region,lead_days\r\nsup9,CN-ZJ,10\r\n' >"$TMP/crlf.csv"
expect_ok "CRLF still reads" bl import suppliers "$TMP/crlf.csv"
# (in free text: a name or an id refuses control characters, docs/formats.md)
printf 'region,scope,kind,starts_at,ends_at,note\nCN-GD,origin,strike,2024-11-01T00:00:00Z,2024-11-03T00:00:00Z,"Dock 1\rDock 2"\n' \
    >"$TMP/cr_data.csv"
expect_ok "a CR inside a quoted field is data" bl import disruptions "$TMP/cr_data.csv"

# ---- render: expansion bounded before it allocates -------------------------------------
python3 -c "print('{{#a}}{{#a}}' + 'x' * 1990 + '{{/a}}{{/a}}', end='')" >"$TMP/t.mustache"
python3 -c "import json; print(json.dumps({'a': [1] * 3000}))" >"$TMP/big.json"
out=$(python3 - "$BALLAST" "$TMP/t.mustache" "$TMP/big.json" <<'EOF'
import resource, subprocess, sys
p = subprocess.run([sys.argv[1], "render", sys.argv[2], "--data", sys.argv[3]],
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(p.returncode, mb, p.stderr.strip())
EOF
)
read -r rc mb msg <<<"$out"
[ "$rc" = 1 ] && [[ "$msg" == *"section {{#a}} repeats 3000 times over 1990 bytes of text: the output would be larger than 16777216 bytes"* ]] &&
    ok "render: 2 KB of template and 9 KB of JSON refused at the limit, naming the section" ||
    not_ok "render expansion" "$out"
[ "$mb" -lt 300 ] && ok "... having used $mb MB, not a gigabyte" || not_ok "render memory" "$mb MB"

# ---- Olist: a small dataset of the real files' first orders ----------------------------
if [ -f "$O/olist_orders_dataset.csv" ]; then
    small="$TMP/olist"
    mkdir -p "$small"
    python3 - "$O" "$small" <<'EOF'
import csv, os, sys
src, dst = sys.argv[1], sys.argv[2]
def rows(name):
    with open(os.path.join(src, name), newline="", encoding="utf-8-sig") as f:
        r = csv.reader(f)
        return next(r), list(r)
def write(name, head, body):
    with open(os.path.join(dst, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        w.writerows(body)
ih, items = rows("olist_order_items_dataset.csv")
items = items[:40]
orders = {r[0] for r in items}
oh, ords = rows("olist_orders_dataset.csv")
ords = [r for r in ords if r[0] in orders]
custs = {r[1] for r in ords}
for name, col, keep in [("olist_customers_dataset.csv", 0, custs),
                        ("olist_products_dataset.csv", 0, {r[2] for r in items}),
                        ("olist_sellers_dataset.csv", 0, {r[3] for r in items})]:
    h, b = rows(name)
    write(name, h, [r for r in b if r[col] in keep])
write("olist_orders_dataset.csv", oh, ords)
# the fourth item line again, three lines later (file lines 5 and 8)
write("olist_order_items_dataset.csv", ih, items[:6] + [items[3]] + items[6:])
EOF
    expect_ok "an organisation for Olist" bl --org olist init
    err=$(bl --org olist import olist "$small" 2>&1 >/dev/null)
    [[ "$err" == *"olist_order_items_dataset.csv:8: column 'order_item_id': item 1 of order "*" is on line 5 and again on line 8"* &&
        "$err" != *"in the store"* ]] &&
        ok "olist: an item line twice names both lines, not the store" || not_ok "olist twice" "$err"
    python3 - "$small/olist_order_items_dataset.csv" <<'EOF'
import sys
p = sys.argv[1]
lines = open(p, encoding="utf-8").read().split("\n")
del lines[7]
open(p, "w", encoding="utf-8").write("\n".join(lines))
EOF
    expect_fail "olist: a file, not the directory" 1 \
        "olist_orders_dataset.csv: a file, not a directory: 'import olist' reads the directory of the Olist dataset's CSV files (olist_orders_dataset.csv, olist_order_items_dataset.csv and the others), as in 'ballast import olist $small'" \
        bl --org olist import olist "$small/olist_orders_dataset.csv"
    expect_fail "olist: no such directory" 1 "no such directory: expected the directory of the Olist" \
        bl --org olist import olist "$TMP/nothing"
    gzip -k "$small/olist_customers_dataset.csv"
    expect_fail "olist: x.csv and x.csv.gz both present is refused, naming both" 1 \
        "has both olist_customers_dataset.csv and olist_customers_dataset.csv.gz" \
        bl --org olist import olist "$small"
    expect_eq "... nothing stored" 0 "$(bl --org olist --format csv stats | awk -F, '$1=="orders" {print $2}')"
    rm "$small/olist_customers_dataset.csv"
    expect_ok "... the .gz alone reads" bl --org olist import olist "$small"

    # The losing concurrent compensate run: the full dataset, so that runs overlap.
    expect_ok "the full Olist dataset" bl --org race init
    expect_ok "... imported" bl --org race import olist "$O"
    # Rounds at later as-ofs (each has new late orders to pay) until a run has lost.
    losers=0 bad=""
    for asof in 2018-03-10 2018-04-10 2018-05-10 2018-06-10 2018-07-10 2018-08-10; do
        for i in 1 2 3 4; do
            (bl --org race compensate --as-of $asof --profile olist >/dev/null 2>"$TMP/race$i.err"
                echo $? >"$TMP/race$i.rc") &
        done
        wait
        for i in 1 2 3 4; do
            [ "$(cat "$TMP/race$i.rc")" = 0 ] && continue
            losers=$((losers + 1))
            e=$(cat "$TMP/race$i.err")
            [[ "$e" == "ballast: another compensation run stored coupons for the same orders"* ]] ||
                bad="$e"
        done
        [ "$losers" -gt 0 ] && break
    done
    if [ -n "$bad" ]; then
        not_ok "the losing compensate run" "$bad"
    elif [ "$losers" = 0 ]; then
        ok "the losing compensate run: # no run lost the race in 6 rounds, nothing to check"
    else
        ok "the losing compensate runs ($losers of 4 lost, as of $asof) say why, without a stray line number"
    fi
else
    echo "# no Olist dataset at $O: the Olist checks are skipped"
fi

# ---- a read-only store (SQLite) ----------------------------------------------------------
# As root, the checks run as nobody (root writes through any mode bits).
if [ "$BACKEND" = sqlite ]; then
    as_user() { "$@"; }
    if [ "$(id -u)" = 0 ]; then
        if command -v setpriv >/dev/null; then
            as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
        else
            as_user() { return 77; }
        fi
    fi
    chmod 711 "$TMP"
    mkdir -p "$TMP/ro" "$TMP/rodir"
    cp "$DB" "$TMP/ro/s.db" && cp "$DB" "$TMP/rodir/s.db"
    chmod 755 "$TMP/ro"
    chmod 444 "$TMP/ro/s.db"
    chmod 666 "$TMP/rodir/s.db"
    chmod 555 "$TMP/rodir"
    err=$(as_user "$BALLAST" --db "$TMP/ro/s.db" stats 2>&1 >/dev/null)
    if [ $? = 77 ]; then
        echo "# running as root without setpriv: the read-only checks are skipped"
    else
        [[ "$err" == "ballast: $TMP/ro/s.db: the store is read-only (its file is not writable by this user)"* &&
            "$err" != *SQLite* ]] &&
            ok "a read-only store file: says so, and where" || not_ok "read-only file" "$err"
        err=$(as_user "$BALLAST" --db "$TMP/rodir/s.db" stats 2>&1 >/dev/null)
        [[ "$err" == *"$TMP/rodir/s.db: the store is read-only (its directory $TMP/rodir is not writable"* ]] &&
            ok "a read-only directory: says so, and which" || not_ok "read-only directory" "$err"
        # Open (a connection holds the write-ahead log files), then refused at the first write:
        # the store and why, not the statement.
        chmod 644 "$TMP/ro/s.db"
        chmod 777 "$TMP/ro"
        python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM org').fetchall()
sys.stdout.write('open\n'); sys.stdout.flush(); time.sleep(6)" "$TMP/ro/s.db" >"$TMP/held" &
        holder=$!
        for _ in $(seq 50); do [ -s "$TMP/held" ] && break; sleep 0.1; done
        chmod 666 "$TMP/ro/s.db-wal" "$TMP/ro/s.db-shm" 2>/dev/null
        chmod 444 "$TMP/ro/s.db"
        err=$(as_user "$BALLAST" --db "$TMP/ro/s.db" import suppliers "$TMP/crlf.csv" 2>&1 >/dev/null)
        [[ "$err" == *"$TMP/ro/s.db: the store is read-only (its file is not writable by this user): nothing was written"* &&
            "$err" != *INSERT* && "$err" != *UPDATE* && "$err" != *running* ]] &&
            ok "a write to a read-only store: the store and why, no SQL" || not_ok "read-only write" "$err"
        kill "$holder" 2>/dev/null
        wait "$holder" 2>/dev/null
    fi
    chmod 755 "$TMP/rodir"
fi

bl_done
