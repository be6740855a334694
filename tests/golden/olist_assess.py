#!/usr/bin/env python3
"""An independent computation of `ballast assess` counters on the raw Olist files.

Written from docs/metrics.md and the Olist adapter's rules in the issue, not from
Ballast's code: it reads the dataset's CSV files directly (no store), builds one
shop order per (order, seller), and counts per seller.

Usage: olist_assess.py OLIST_DIR AS_OF_DATE WINDOW_DAYS [--strike] [--rates PROFILE_JSON]
  AS_OF_DATE  YYYY-MM-DD: the end of that day in America/Sao_Paulo
  --strike    the May 2018 truck drivers' strike as a disruption: region BR,
              scope both, 2018-05-21 to 2018-06-01 (local midnights)
  --rates P   instead of the counters: the rates, score and rating under the rule
              profile P (profiles/olist.json), with the carry-over, where an exempt
              order leaves a rate only when counting it would lower the rate
              (docs/metrics.md, "Exempt orders never hurt")
Prints CSV sorted by seller id with the counter columns of `ballast assess` (or the
rate columns with --rates).
"""
import json
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

    recs = {s: [] for s in sellers}  # seller -> the orders' instants
    for (oid, seller), sb in ship_by.items():
        o = orders[oid]
        recs[seller].append((
            sb, local(o["order_delivered_carrier_date"]),
            local(o["order_delivered_customer_date"]),
            end_of_day(o["order_estimated_delivery_date"]),
            local(o["order_purchase_timestamp"]), o["order_status"]))

    def count(rs, A):
        def in_window(t):
            return t is not None and t <= A and A - t < W

        def known(t):
            return t is not None and t <= A

        k = dict.fromkeys(COLS[1:] + ["kept_on_time", "kept_delivered"], 0)
        for sb, shipped, delivered, promised, placed, status in rs:
            cancelled = status in ("canceled", "unavailable")
            on_time = known(shipped) and shipped <= sb
            in_time = known(delivered) and delivered < promised
            if in_window(sb) and not cancelled:
                k["due"] += 1
                if disrupted(sb, sb + 1):
                    k["exempt"] += 1
                    k["kept_on_time"] += on_time  # it went well: it stays in the rate
                else:
                    k["counted"] += 1
                    k["shipped_on_time" if on_time else "late"] += 1
            if in_window(promised) and not cancelled:
                k["delivery_due"] += 1
                if disrupted(sb, promised):
                    k["delivery_exempt"] += 1
                    k["kept_delivered"] += in_time
                else:
                    k["delivery_counted"] += 1
                    k["delivered_late"] += not in_time
            if in_window(placed):
                k["orders_placed"] += 1
                if status == "unavailable":
                    k["seller_cancels"] += 1
        return k

    out = csv.writer(sys.stdout, lineterminator="\n")
    if "--rates" not in sys.argv:
        out.writerow(COLS)
        for s in sorted(recs):
            k = count(recs[s], A)
            out.writerow([s] + [k[c] for c in COLS[1:]])
        return
    profile = json.load(open(sys.argv[sys.argv.index("--rates") + 1]))
    out.writerow(["shop", "kept_on_time", "kept_delivered", "on_time_rate",
                  "late_delivery_rate", "cancel_rate", "rating", "carried_over",
                  "carried_from", "score"])
    for s in sorted(recs):
        k = count(recs[s], A)
        r = rated(profile, k)
        carried_from = ""
        if k["counted"] + k["kept_on_time"] < profile["min_counted"]:
            r = None
            for d in range(1, profile["carry_days"] + 1):
                kd = count(recs[s], A - d * 86400)
                if kd["counted"] + kd["kept_on_time"] >= profile["min_counted"]:
                    r = rated(profile, kd)
                    carried_from = datetime.fromtimestamp(A - d * 86400, timezone.utc) \
                        .strftime("%Y-%m-%dT%H:%M:%SZ")
                    break
            if r is None:  # nothing to carry: A's rates, no rating
                r = rated(profile, k)
                r["rating"], r["score"] = "", ""
        out.writerow([s, k["kept_on_time"], k["kept_delivered"]] +
                     [fmt(r[c]) for c in ("on_time", "late_delivery", "cancel")] +
                     [r["rating"], 1 if carried_from else 0, carried_from, r["score"]])


def ratio(num, den):
    return num / den if den > 0 else None


def fmt(v):
    return "" if v is None else "%.4f" % v


def rated(profile, k):
    """The rates (exempt orders that went well kept in them), score and rating."""
    rates = {
        "on_time": ratio(k["shipped_on_time"] + k["kept_on_time"],
                         k["counted"] + k["kept_on_time"]),
        "late_delivery": ratio(k["delivered_late"],
                               k["delivery_counted"] + k["kept_delivered"]),
        "cancel": ratio(k["seller_cancels"], k["orders_placed"]),
    }
    names = {"on_time_rate": "on_time", "late_delivery_rate": "late_delivery",
             "cancel_rate": "cancel"}
    total = weights = 0.0
    breach = False
    for rule in profile["rules"]:
        v = rates[names[rule["metric"]]]
        if v is None:
            continue
        good, bad, w = rule["good"], rule["bad"], rule["weight"]
        pts = (bad - v) / (bad - good) if bad != good else (1.0 if v == good else 0.0)
        total += w * min(1.0, max(0.0, pts))
        weights += w
        if "target" in rule:
            lower = rule["metric"] != "on_time_rate"
            breach |= v >= rule["target"] if lower else v < rule["target"]
    if weights <= 0:
        return dict(rates, rating="", score="")
    score = 100.0 * total / weights
    bands = profile["bands"]
    band = next((i for i, b in enumerate(bands) if score >= b["min_score"]), len(bands) - 1)
    cap = [b["label"] for b in bands].index(profile["breach_band"])
    if breach and band < cap:
        band = cap
    return dict(rates, rating=bands[band]["label"], score="%.1f" % score)


main()
