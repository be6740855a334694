#!/usr/bin/env python3
"""An independent computation of `ballast assess` counters on the raw Olist files.

Written from docs/metrics.md and the Olist adapter's rules in the issue, not from
Ballast's code: it reads the dataset's CSV files directly (no store), builds one
shop order per (order, seller), and counts per seller.

Usage: olist_assess.py OLIST_DIR AS_OF_DATE WINDOW_DAYS [--strike]
  AS_OF_DATE  YYYY-MM-DD: the end of that day in America/Sao_Paulo
  --strike    the May 2018 truck drivers' strike as a disruption: region BR,
              scope both, 2018-05-21 to 2018-06-01 (local midnights)
Prints CSV sorted by seller id with the counter columns of `ballast assess`.
"""
import csv
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("America/Sao_Paulo")
COLS = ["shop", "due", "exempt", "counted", "shipped_on_time", "late", "delivery_due",
        "delivery_exempt", "delivery_counted", "delivered_late", "orders_placed",
        "seller_cancels"]


def local(text):
    """Local wall time -> UTC epoch seconds (fold=0: the earlier instant of an
    ambiguous time, the offset before the gap for a time that does not exist)."""
    if not text:
        return None
    dt = datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=TZ, fold=0)
    return int(dt.timestamp())


def end_of_day(text):
    d = datetime.strptime(text[:10], "%Y-%m-%d") + timedelta(days=1)
    return int(d.replace(tzinfo=TZ, fold=0).timestamp())


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    root, as_of_day, window = sys.argv[1], sys.argv[2], int(sys.argv[3])
    strike = "--strike" in sys.argv[4:]
    A = end_of_day(as_of_day)
    W = window * 86400
    s0, s1 = end_of_day("2018-05-20"), end_of_day("2018-05-31")

    def in_window(t):
        return t is not None and t <= A and A - t < W

    def known(t):
        return t is not None and t <= A

    def disrupted(t0, t1):  # region BR covers every Brazilian ship-from and ship-to
        return strike and s0 < t1 and t0 < s1

    sellers = {}
    with open(f"{root}/olist_sellers_dataset.csv", newline="") as f:
        for r in csv.DictReader(f):
            sellers[r["seller_id"]] = r["seller_state"]
    orders = {}
    with open(f"{root}/olist_orders_dataset.csv", newline="") as f:
        for r in csv.DictReader(f):
            orders[r["order_id"]] = r
    ship_by = {}  # (order, seller) -> earliest shipping limit
    with open(f"{root}/olist_order_items_dataset.csv", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["order_id"], r["seller_id"])
            t = local(r["shipping_limit_date"])
            ship_by[key] = min(t, ship_by.get(key, t))

    counts = {s: dict.fromkeys(COLS[1:], 0) for s in sellers}
    for (oid, seller), sb in ship_by.items():
        o = orders[oid]
        k = counts[seller]
        cancelled = o["order_status"] in ("canceled", "unavailable")
        shipped = local(o["order_delivered_carrier_date"])
        delivered = local(o["order_delivered_customer_date"])
        promised = end_of_day(o["order_estimated_delivery_date"])
        placed = local(o["order_purchase_timestamp"])
        if in_window(sb) and not cancelled:
            k["due"] += 1
            if disrupted(sb, sb + 1):
                k["exempt"] += 1
            else:
                k["counted"] += 1
                if known(shipped) and shipped <= sb:
                    k["shipped_on_time"] += 1
                else:
                    k["late"] += 1
        if in_window(promised) and not cancelled:
            k["delivery_due"] += 1
            if disrupted(sb, promised):
                k["delivery_exempt"] += 1
            else:
                k["delivery_counted"] += 1
                if not (known(delivered) and delivered < promised):
                    k["delivered_late"] += 1
        if in_window(placed):
            k["orders_placed"] += 1
            if o["order_status"] == "unavailable":
                k["seller_cancels"] += 1

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLS)
    for s in sorted(counts):
        out.writerow([s] + [counts[s][c] for c in COLS[1:]])


main()
