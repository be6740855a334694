#!/usr/bin/env python3
"""Writes data/events.csv: the default platform event calendar for `ballast forecast`.

Dates are computed, 2010-2030:
  11.11          Singles' Day, 11 November
  618            JD.com's anniversary sale, 18 June
  black_friday   the day after US Thanksgiving (the fourth Thursday of November)
  cyber_monday   the Monday after Black Friday
  prime_day      Amazon Prime Day: the second Tuesday of July (an approximation: the
                 actual dates move year to year, edit the file with the announced ones;
                 Prime Day started in 2015)
  christmas      25 December

Each event has its region: the markets it concerns, as ISO 3166-1 country codes (EU: a
shop selling in euros), or global. A shop's SKUs hear only of the events of their
markets (docs/internals/forecast.md, "Platform events").

Usage: scripts/gen-events.py > data/events.csv
"""
import datetime as dt


def nth_weekday(year, month, weekday, n):
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(weekday - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


REGION = {
    "11.11": "CN",
    "618": "CN",
    "black_friday": "US CA GB EU AU BR MX",
    "cyber_monday": "US CA GB EU AU",
    "prime_day": "US CA GB EU JP AU IN MX BR",
    "christmas": "global",
}

rows = []
for y in range(2010, 2031):
    thanksgiving = nth_weekday(y, 11, 3, 4)
    rows.append((dt.date(y, 11, 11), "11.11"))
    rows.append((dt.date(y, 6, 18), "618"))
    rows.append((thanksgiving + dt.timedelta(days=1), "black_friday"))
    rows.append((thanksgiving + dt.timedelta(days=4), "cyber_monday"))
    if y >= 2015:
        rows.append((nth_weekday(y, 7, 1, 2), "prime_day"))
    rows.append((dt.date(y, 12, 25), "christmas"))
print("date,event,region")
for d, name in sorted(rows):
    print(f"{d.isoformat()},{name},{REGION[name]}")
