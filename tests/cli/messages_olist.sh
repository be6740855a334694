#!/usr/bin/env bash
# End-to-end: the horizon on the real Olist dataset. `messages plan` as of 2018-06-10
# (end of that day in São Paulo) queues only messages whose event falls inside the
# profile's 3 days: a missed ship-by or a missed delivery at most 3 days before the
# as-of. The counts are computed here with Python on the dataset's own CSV files,
# independently of Ballast's code (ship-by: the earliest shipping_limit_date of the
# seller's items; promised: the local midnight ending the estimated day; cancelled and
# unavailable orders never get a message). Olist has no e-mail addresses: every
# message is held, saying so.
source "$(dirname "$0")/../lib/cli.bash"
bl_setup "$1" msgolist
source "$SRC/tests/lib/messages.bash"
O="$DATASETS/olist"
[ -f "$O/olist_orders_dataset.csv" ] || { echo "no Olist dataset at $O"; exit 77; }

expect_ok "init" bl init
expect_ok "import olist" bl import olist "$O"

# late_shipment and late_delivery inside the horizon, and before it (for the
# plan's count of orders left out).
expected() {
    python3 - "$O" "$1" <<'PY'
import csv, sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
O, days = sys.argv[1], int(sys.argv[2])
sp = ZoneInfo("America/Sao_Paulo")
def t(s):
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=sp).astimezone(timezone.utc) if s else None
A = datetime(2018, 6, 11, tzinfo=sp).astimezone(timezone.utc)  # the end of 2018-06-10 there
S = A - timedelta(days=days)
orders = {r["order_id"]: r for r in csv.DictReader(open(f"{O}/olist_orders_dataset.csv", encoding="utf-8"))}
ship_by = {}
for r in csv.DictReader(open(f"{O}/olist_order_items_dataset.csv", encoding="utf-8")):
    k, lim = (r["order_id"], r["seller_id"]), t(r["shipping_limit_date"])
    ship_by[k] = min(ship_by.get(k, lim), lim)
ls = ld = old = 0
for (oid, _), sb in ship_by.items():
    o = orders[oid]
    if o["order_status"] in ("canceled", "unavailable") or t(o["order_purchase_timestamp"]) > A:
        continue
    dl, sh = t(o["order_delivered_customer_date"]), t(o["order_delivered_carrier_date"])
    if dl and dl <= A:
        continue
    est = o["order_estimated_delivery_date"][:10]
    promised = datetime.strptime(est, "%Y-%m-%d").replace(tzinfo=sp) + timedelta(days=1)
    if not (sh and sh <= A):
        if sb <= A:
            ls, old = (ls + 1, old) if sb >= S else (ls, old + 1)
    elif promised <= A:
        ld, old = (ld + 1, old) if promised >= S else (ld, old + 1)
print(ls, ld, old)
PY
}
read -r want_ls want_ld want_old <<<"$(expected 3)"
expect_eq "the dataset has late orders both sides of the horizon" 1 \
    "$([ "$want_ls" -gt 0 ] && [ "$want_ld" -gt 0 ] && [ "$want_old" -gt 1000 ] && echo 1)"

bl messages plan --as-of 2018-06-10 --tz America/Sao_Paulo >"$TMP/plan.txt" 2>"$TMP/plan.err"
got() { sql "SELECT COUNT(*) FROM message WHERE kind = '$1'"; }
expect_eq "late shipments queued: only those inside 3 days ($want_ls)" "$want_ls" "$(got late_shipment)"
expect_eq "late deliveries queued: only those inside 3 days ($want_ld)" "$want_ld" "$(got late_delivery)"
expect_eq "nothing else (no stock, no disruption, no coupon)" "$((want_ls + want_ld))" \
    "$(sql "SELECT COUNT(*) FROM message")"
expect_eq "the plan says how many orders fell before the horizon" 1 \
    "$(grep -c "; $want_old orders whose late shipment, late delivery or disruption fell before the horizon" "$TMP/plan.err")"
# Each message's own event, read back from the store: never before 2018-06-08 03:00 UTC.
since=$(python3 -c 'from datetime import datetime, timezone; print(int(datetime(2018, 6, 8, 3, tzinfo=timezone.utc).timestamp()))')
expect_eq "no message for an event before the horizon" 0 \
    "$(sql "SELECT COUNT(*) FROM message m JOIN orders o ON o.org_id = m.org_id AND o.id = m.order_id
            WHERE (m.kind = 'late_shipment' AND o.ship_by < $since)
               OR (m.kind = 'late_delivery' AND o.promised_at < $since)")"
expect_eq "no message for a cancelled order" 0 \
    "$(sql "SELECT COUNT(*) FROM message m JOIN orders o ON o.org_id = m.org_id AND o.id = m.order_id
            WHERE o.status = 'cancelled'")"
expect_eq "all held: Olist gives no e-mail address" "$((want_ls + want_ld))" \
    "$(sql "SELECT COUNT(*) FROM message WHERE state = 'held' AND hold LIKE 'no_recipient%'")"
# A wider horizon (--horizon 30) reaches further back: exactly what Python counts.
read -r ls30 ld30 _ <<<"$(expected 30)"
bl messages plan --as-of 2018-06-10 --tz America/Sao_Paulo --horizon 30 --dry-run >/dev/null 2>"$TMP/plan30.err"
expect_eq "--horizon 30: $((ls30 + ld30)) messages (a dry run)" 1 \
    "$(grep -c "^ballast: $((ls30 + ld30)) messages planned (dry run" "$TMP/plan30.err")"
bl_done
