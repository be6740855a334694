#!/usr/bin/env bash
# Golden messages: what buyers read, kind by kind and language by language, on the demo
# seller (`ballast gen`, seed 7, as `make run` makes it; its buyers' languages spread over
# en-US, zh-CN, pt-BR, es-MX and de-DE, which has no pack) and on the real Olist
# marketplace (Portuguese, Brazilian place names, R$). Each file under
# tests/data/golden/messages/{demo,olist}/KIND.LOCALE.txt is the subject and body of the
# first message of that kind in that pack. Besides the exact text: no channel id, no
# region code, no customer id, no placeholder left in any body.
# BL_UPDATE_GOLDEN=1 rewrites the files (then read the diff as a buyer would).
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" messages_golden
GOLD="$SRC/tests/data/golden/messages"

# golden ORG DIR: compares (or writes) the first message of each kind and pack.
golden() {
    local org=$1 dir=$2 ids kind loc id got want
    mkdir -p "$TMP/$dir"
    ids=$(bl --org "$org" --format csv messages list | python3 -c '
import csv, sys
seen = {}
for r in csv.DictReader(sys.stdin):
    seen.setdefault((r["kind"], r["locale"]), r["id"])
for (k, l), i in sorted(seen.items()):
    print(k, l, i)')
    local n=0 bad=0
    while read -r kind loc id; do
        [ -n "$id" ] || continue
        got="$TMP/$dir/$kind.$loc.txt"
        bl --org "$org" --format json messages show "$id" | python3 -c '
import json, sys
m = json.load(sys.stdin)
m = m[0] if isinstance(m, list) else m
sys.stdout.write("Subject: " + m["subject"] + "\n\n" + m["body"])' >"$got"
        want="$GOLD/$dir/$kind.$loc.txt"
        n=$((n + 1))
        if [ "${BL_UPDATE_GOLDEN:-}" = 1 ]; then
            mkdir -p "$GOLD/$dir"
            cp "$got" "$want"
        elif ! diff -u "$want" "$got" >"$TMP/diff" 2>&1; then
            not_ok "$dir: $kind in $loc as in the golden file" "$(cat "$TMP/diff")"
            bad=$((bad + 1))
        fi
    done <<<"$ids"
    [ "$bad" = 0 ] && ok "$dir: $n messages (kind x language) read exactly as their golden files"
    # every golden file was produced (a kind or language that vanished is a change too)
    local have want_n
    have=$(ls "$TMP/$dir" | sort | paste -sd' ')
    want_n=$(ls "$GOLD/$dir" 2>/dev/null | sort | paste -sd' ')
    expect_eq "$dir: the same kinds and languages as the golden files" "$want_n" "$have"
    # nothing a buyer should not see, in any stored message of the organisation
    local leaks
    leaks=$(python3 - "$BALLAST" "$DB" "$org" <<'PY'
import json, re, subprocess, sys
ballast, db, org = sys.argv[1:4]
def run(*a):
    return json.loads(subprocess.run([ballast, "--db", db, "--org", org, "--format", "json", *a],
                                     capture_output=True, text=True).stdout)
rows = run("messages", "list")
code = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{1,3}(:[0-9A-Z]+)?\b|\b[A-Z]{2,}-[A-Z0-9-]{2,}\b")
bad = []
for r in rows[:: max(1, len(rows) // 100)]:  # a hundred, spread over the outbox
    m = run("messages", "show", str(r["id"]))
    m = m[0] if isinstance(m, list) else m
    text = (m["subject"] + "\n" + m["body"]).replace(m["order"] or "\0", "")
    hit = code.search(text)
    if hit:
        bad.append("%s: a code: %s" % (r["id"], hit.group(0)))
    if m["customer"] and re.search(r"(?<![\w-])" + re.escape(m["customer"]) + r"(?![\w-])", text):
        bad.append("%s: the customer id %s" % (r["id"], m["customer"]))
    if "{{" in text or "}}" in text or "[not set:" in text:
        bad.append("%s: a placeholder" % r["id"])
print("\n".join(bad[:5]))
PY
)
    expect_eq "$dir: no region code, channel id, customer id or placeholder in a message" "" "$leaks"
}

# ---- the demo seller ----------------------------------------------------------------------
demo="$TMP/gen"
expect_ok "generate the demo seller (seed 7)" \
    "$BALLAST" gen --out "$demo" --orders 50000 --shops 12 --skus 400 --seed 7
# the buyers' languages, spread by order number (all lines of an order alike)
awk -F, -v OFS=, 'BEGIN {split("en-US zh-CN pt-BR es-MX de-DE", lang, " ")}
    NR == 1 {print; next}
    {split($1, p, "-"); $19 = lang[(p[2] + 0) % 5 + 1]; print}' "$demo/orders.csv" >"$demo/orders2.csv"
mv "$demo/orders2.csv" "$demo/orders.csv"
expect_ok "init" bl init
for kind in shops skus warehouses suppliers stock inbound channels disruptions sales orders; do
    bl import "$kind" "$demo/$kind.csv" >/dev/null 2>&1 || not_ok "import $kind"
done
bl import calendars "$SRC/data/calendars.csv" >/dev/null 2>&1
bl import calendars "$SRC/data/demo/calendars.csv" >/dev/null 2>&1
expect_ok "import the demo's area names" bl import areas "$SRC/data/demo/areas.csv"
# what each shop's messages say about it (without them every message is held, its body
# showing "[not set: ...]")
expect_ok "the shops' message settings" bl shops import "$demo/shop_settings.csv"
# during the Yiwu and Shenzhen lockdowns: heads-ups to the buyers of unshipped orders, and
# the campaigns to the buyers hit
bl messages plan --as-of 2024-09-23T12:00:00Z --promo THANKS15 --discount 15% \
    --promo-expires 2024-12-31 --service-resumed 2024-09-26 >/dev/null 2>"$TMP/plan1.err"
grep -q "not in the buyer's language: [0-9]* with no template pack for it" "$TMP/plan1.err" &&
    ok "the plan says how many messages fell back, and why (de-DE: no pack)" ||
    not_ok "fallbacks said" "$(cat "$TMP/plan1.err")"
# the day's cycle: coupons, late shipments and deliveries
bl cycle --as-of 2024-11-15T00:00:00Z >/dev/null 2>&1 || not_ok "cycle"
golden default demo

# ---- Olist ------------------------------------------------------------------------------
O="$DATASETS/olist"
if [ -f "$O/olist_orders_dataset.csv" ]; then
    bl --org olist init >/dev/null 2>&1
    expect_ok "import Olist" bl --org olist import olist "$O"
    bl --org olist disruption add --region BR --scope both --from 2018-05-21 --to 2018-06-01 \
        --tz America/Sao_Paulo --kind strike --note "greve dos caminhoneiros" >/dev/null
    # storms in the state of Sao Paulo hold the parcels of its sellers in early June
    bl --org olist disruption add --region BR-SP --scope origin --from 2018-06-08 \
        --to 2018-06-15 --tz America/Sao_Paulo --kind weather --note "temporais" >/dev/null
    bl --org olist compensate --as-of 2018-06-10 --profile olist >/dev/null 2>&1
    bl --org olist --format csv shops list | python3 -c '
import csv, sys
w = csv.writer(sys.stdout)
w.writerow(["shop", "account_url", "support", "support_hours", "signature", "sender"])
for r in csv.DictReader(sys.stdin):
    w.writerow([r["shop"], "https://www.olist.com/minha-conta", "atendimento@olist.com",
                "de segunda a sexta, das 9h às 18h", "Atendimento ao cliente Olist",
                "atendimento@olist.com"])' >"$TMP/olist-settings.csv"
    expect_ok "Olist: the sellers' message settings" bl --org olist shops import "$TMP/olist-settings.csv"
    bl --org olist messages plan --as-of 2018-06-10 --promo OBRIGADO10 --discount 10% \
        --promo-expires 2018-07-31 --service-resumed 2018-06-04 >/dev/null 2>"$TMP/olist.err"
    expect_eq "Olist: every message in Portuguese" "pt-BR" \
        "$(bl --org olist --format csv messages list | awk -F, 'NR > 1 {print $7}' | sort -u)"
    golden olist olist
    grep -qF 'R$' "$GOLD/olist/compensation_coupon.pt-BR.txt" &&
        ok "Olist: coupons in reais" || not_ok "Olist: coupons in reais"
    grep -q "região afetada: São Paulo" "$GOLD/olist/unshipped_order.pt-BR.txt" &&
        ok "Olist: the state by its name" || not_ok "Olist: the state by its name"
    [[ "$(cat "$TMP/olist.err")" != *"not in the buyer's language"* ]] &&
        ok "Olist: no message fell back to another language" || not_ok "Olist fallbacks" "$(cat "$TMP/olist.err")"
else
    echo "# no Olist dataset at $O: its golden messages are not checked"
fi

bl_done
