#!/usr/bin/env bash
# End-to-end on the real Olist dataset: the May 2018 truck drivers' strike declared on
# the marketplace's disruption list, and the strike relief plan of data/programs/
# (a R$100,000.00 traffic subsidy by each seller's sales in the 30 days before the strike,
# at most R$2,000.00 each). The members and every share are computed here with Python
# from the dataset's own CSV files, independently of Ballast's code: a seller is a member
# once it has an order placed by the as-of; its weight is the price of its items in the
# orders placed from 2018-04-21 to 2018-05-21 (São Paulo), neither canceled nor
# unavailable; the cap, the rest shared again, each share rounded down and the cents left
# one each to the largest remainders. After the strike, every member loses the benefit.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" pgolist
O="$DATASETS/olist"
[ -f "$O/olist_orders_dataset.csv" ] || { echo "no Olist dataset at $O"; exit 77; }

expect_ok "init" bl init
expect_ok "import olist" bl import olist "$O"
expect_ok "the strike" bl disruption add --region BR --scope both --from 2018-05-21 --to 2018-06-01 \
    --tz America/Sao_Paulo --kind strike --note "truck drivers' strike"
expect_ok "the strike relief plan" bl programs add "$SRC/data/programs/olist-strike.json"
out=$(bl programs eval --as-of 2018-05-25 --tz America/Sao_Paulo 2>&1) || not_ok "evaluated as of 2018-05-25" "$out"
[[ $out =~ as\ of\ [^:]*:\ [0-9]+\ members,\ [0-9]+\ joined && $out =~ ballast:\ [0-9]+\ messages\ to\ merchants\ queued ]] &&
    ok "evaluated as of 2018-05-25: members and messages counted in words" || not_ok "eval words" "$out"
bl --format csv programs members strike-relief > "$TMP/members.csv"

diff=$(python3 - "$O" "$TMP/members.csv" <<'PY'
import csv, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
O, got = sys.argv[1], sys.argv[2]
sp = ZoneInfo("America/Sao_Paulo")
def t(s):
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=sp).astimezone(timezone.utc)
start = datetime(2018, 5, 21, tzinfo=sp).astimezone(timezone.utc)
window = datetime(2018, 4, 21, tzinfo=sp).astimezone(timezone.utc)
as_of = datetime(2018, 5, 26, tzinfo=sp).astimezone(timezone.utc)
orders = {r["order_id"]: r for r in csv.DictReader(open(f"{O}/olist_orders_dataset.csv"))}
first, sales = {}, {}
for it in csv.DictReader(open(f"{O}/olist_order_items_dataset.csv")):
    o = orders.get(it["order_id"])
    if not o:
        continue
    s, at = it["seller_id"], t(o["order_purchase_timestamp"])
    first[s] = min(first.get(s, at), at)
    if window <= at < start and o["order_status"] not in ("canceled", "unavailable"):
        sales[s] = sales.get(s, 0) + round(float(it["price"]) * 100)
members = sorted(s for s in first if first[s] <= as_of)
budget, cap = 10000000, 200000
share, capped = {}, set()
while True:
    rest = budget - sum(share[s] for s in capped)
    live = [s for s in members if s not in capped and sales.get(s, 0) > 0]
    total = sum(sales[s] for s in live)
    over = [s for s in live if rest * sales[s] > cap * total]
    if not over:
        break
    for s in over:
        share[s] = cap
        capped.add(s)
ids = {}  # Ballast breaks ties by the order of its shop ids: the sellers' file order
for i, r in enumerate(csv.DictReader(open(f"{O}/olist_sellers_dataset.csv"))):
    ids[r["seller_id"]] = i
left = rest
for s in live:
    share[s] = rest * sales[s] // total
    left -= share[s]
rems = sorted(live, key=lambda s: (-(rest * sales[s] % total), ids[s]))
for s in rems[:left]:
    share[s] += 1
want = {s: share.get(s, 0) for s in members}
have = {}
for r in csv.DictReader(open(got)):
    if r["state"] != "member":
        continue
    amount = r["benefits"].replace("traffic subsidy R$", "").replace(",", "").replace(".", "")
    have[r["shop"]] = int(amount)
bad = [f"{s}: {have.get(s)} != {want.get(s)}" for s in set(want) | set(have) if have.get(s) != want.get(s)]
print(f"{len(members)} members, {sum(want.values())} shared" if not bad else "; ".join(bad[:5]))
PY
)
[[ $diff == *"members, 10000000 shared" ]] && ok "members and every share as computed from the dataset ($diff)" ||
    not_ok "members and shares" "$diff"
out=$(bl programs members strike-relief --explain "$(awk -F, 'NR==2 {print $1}' "$TMP/members.csv")")
[[ $out == *"Verdict: a member since"*"within the strike of Brazil since"*"its part of the budget of R\$100,000.00"* ]] &&
    ok "explain a seller: the strike covering Brazil, its sales counted" || not_ok "explain" "$out"
n=$(awk -F, 'NR>1' "$TMP/members.csv" | wc -l | tr -d ' ')
out=$(bl --format csv programs eval --as-of 2018-06-10 --tz America/Sao_Paulo)
expect_eq "after the strike, every member loses the benefit, saying why" "$n" \
    "$(echo "$out" | grep -c 'loses its benefits,,,its region is not (or no longer) on the disruption list')"
expect_eq "one message per member joining, one per loss" "$((2 * n))" \
    "$(bl --format csv messages list --limit 0 | awk -F, '$3 ~ /^program_/' | wc -l | tr -d ' ')"
# A Brazilian marketplace writes to its sellers in Brazilian Portuguese: the programme's
# pt-BR name, the amounts and days as pt-BR writes them, the reason in its words.
id=$(bl --format csv messages list --kind program_joined --limit 1 | awk -F, 'NR==2 {print $1}')
out=$(bl messages show "$id")
[[ $out == *'Sua loja agora faz parte do programa "Plano de apoio na greve"'* && $out == *"Olá, "*" (SP),"* &&
    $out == *"subsídio de tráfego: R\$"*","[0-9][0-9]* && $out == *"desde "[0-9]*" de maio"* && $out != *"Hello"* ]] &&
    ok "a seller's welcome is in Portuguese, its amount and day as Brazil writes them" ||
    not_ok "the welcome in pt-BR" "$out"
id=$(bl --format csv messages list --kind program_lost --limit 1 | awk -F, 'NR==2 {print $1}')
out=$(bl messages show "$id")
[[ $out == *"seus benefícios terminam"* && $out == *"não está (ou deixou de estar) na lista"* ]] &&
    ok "a seller's loss notice says why in Portuguese" || not_ok "the loss notice in pt-BR" "$out"
# Olist's sellers have only 32-digit ids: a held message names the seller by the name
# Ballast gives it (its city and state), the id only in the command to copy.
bl --format json shops list >"$TMP/shops.json"
bl --format json messages list --kind program_joined --limit 1 >"$TMP/held.json"
check=$(python3 - "$TMP/shops.json" "$TMP/held.json" <<'PY'
import json, sys
names = {s["shop"]: s["name"] for s in json.load(open(sys.argv[1]))}
m = json.load(open(sys.argv[2]))[0]
shop, name = m["shop"], names[m["shop"]]
want = (f"the merchant {name} has no e-mail address to write to: set the shop's own address "
        f"with 'ballast shops set {shop} --sender ADDRESS'")
print("ok" if name != shop and m["held_because"] == want else f"{m['held_because']!r} != {want!r}")
PY
)
expect_eq "a held message names the seller by name, its id only in the command" ok "$check"
bl messages send --via csv --out "$TMP/out.csv" 2>"$TMP/send.err"
expect_eq "the send names each seller with held messages by name" 0 \
    "$(grep -c '^  [0-9a-f]\{32\}, [0-9]* held' "$TMP/send.err")"
[[ "$(grep -m1 '^  .*, [0-9]* held: ' "$TMP/send.err")" == "  "*" ("[A-Z][A-Z]"), "*" held: "*"'ballast shops set "[0-9a-f]*" --sender ADDRESS'"* ]] &&
    ok "... by its city and state, its id in the command" || not_ok "send: held per seller" "$(head -3 "$TMP/send.err")"
bl_done
