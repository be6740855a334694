# whatif.bash - what tests/cli/whatif*.sh share: the demo seller they run on, and the
# equivalence check.

# whatif_demo [PCT]: the demo seller (gen, seed 7: 12 shops, 200 SKUs, 12,000 order lines; the
# demo's areas) imported into the store bl_setup opened, and F, the assumption file of a
# rumoured Yiwu lockdown with panic buying of Home & Kitchen (data/demo/whatif-yiwu.csv's
# events; PCT the demand shock, +40 unless given). With WI_PROMO_SPEND set (e.g. 15.00),
# every SKU with a currency gets that promotion spend a day (skus.promo_spend; it counts
# for the promoted ones).
whatif_demo() {
    local pct=${1:-+40}
    "$BALLAST" gen --out "$TMP/gen" --orders 12000 --shops 12 --skus 200 --seed 7 >/dev/null 2>&1 ||
        { echo "gen failed"; exit 1; }
    if [ -n "${WI_PROMO_SPEND:-}" ]; then
        python3 - "$TMP/gen/skus.csv" "$WI_PROMO_SPEND" <<'PY' || { echo "promo_spend failed"; exit 1; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
with open(sys.argv[1], "w", newline="") as f:
    names = list(rows[0]) + ([] if "promo_spend" in rows[0] else ["promo_spend"])
    w = csv.DictWriter(f, fieldnames=names, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(dict(r, promo_spend=sys.argv[2] if r["currency"] else ""))
PY
    fi
    bl init >/dev/null 2>&1
    local k
    for k in shops skus warehouses suppliers sku_suppliers stock inbound channels disruptions sales \
        orders customers rates; do
        bl import "$k" "$TMP/gen/$k.csv" >/dev/null 2>&1 || not_ok "import $k"
    done
    bl import areas "$SRC/data/demo/areas.csv" >/dev/null 2>&1 || not_ok "import areas"
    F=$TMP/yiwu.csv
    cat > "$F" <<CSV
event,region,scope,kind,starts_at,ends_at,category,change_pct,note
disruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-30,,,rumour
demand,,,,2024-11-16,2024-11-30,Home & Kitchen,$pct,panic buying
CSV
}

# same_standing NAME WHATIF_JSON SIDE ASSESS_JSON: every shop's rating, score and counters
# in the what-if's SIDE ("without" or "with") equal the assessment's.
same_standing() {
    local diff
    diff=$(python3 - "$2" "$3" "$4" <<'PY'
import json, sys
wi = json.load(open(sys.argv[1]))
side = sys.argv[2]
ref = {(r["shop"], r["profile"]): r for r in json.load(open(sys.argv[3]))}
bad, n = [], 0
for r in wi["ratings"]:
    a = ref.get((r["shop"], r["profile"]))
    if a is None:
        bad.append(f"{r['shop']}: not assessed")
        continue
    x = r[side]
    n += 1
    want = {"rating": a["rating"], "counted": a["counted"], "exempt": a["exempt"],
            "late": a["late"], "delivered_late": a["delivered_late"]}
    got = {k: x[k] for k in want}
    if got != want:
        bad.append(f"{r['shop']}: what-if {got}, assess {want}")
    if (a["score"] is None) != (x["score"] is None) or \
       (a["score"] is not None and abs(a["score"] - x["score"]) > 0.051):
        bad.append(f"{r['shop']}: score {x['score']} vs {a['score']}")
print(f"{n} shops; " + ("; ".join(bad[:4]) if bad else "all equal"))
PY
)
    if [[ "$diff" == *"all equal"* && "$diff" != "0 shops"* ]]; then ok "$1 ($diff)"; else not_ok "$1" "$diff"; fi
}

# wi_demo_store: the demo seller the what-if tests use (ballast gen, seed 7: 12 shops, 200
# SKUs, 12,000 orders; the demo's areas; the organisation's currency USD) in $DB.
wi_demo_store() {
    "$BALLAST" gen --out "$TMP/gen" --orders 12000 --shops 12 --skus 200 --seed 7 >/dev/null 2>&1 ||
        return 1
    bl init >/dev/null 2>&1
    local k
    for k in shops skus warehouses suppliers sku_suppliers stock inbound channels disruptions \
        sales orders customers rates; do
        bl import "$k" "$TMP/gen/$k.csv" >/dev/null 2>&1 || return 1
    done
    bl import areas "$SRC/data/demo/areas.csv" >/dev/null 2>&1 || return 1
    bl org set --currency USD >/dev/null 2>&1
}
