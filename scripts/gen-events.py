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

One is a table of facts, not computed:
  chinese_new_year  the Spring Festival (春节), seven rows a year: New Year's Eve and the
                 first six days of the first lunar month, about the week the Chinese
                 mainland keeps off (its statutory holiday, seven to nine days with the
                 weekends moved around it, from the eve or the first day) and
                 the factories and carriers that supply a seller stop for. The first days
                 of the lunar year (CNY_DAY1) are from the Hong Kong Observatory's
                 Gregorian-Lunar calendar conversion tables
                 (https://www.hko.gov.hk/en/gts/time/conversion.htm), 2010-2030.

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
    # The markets whose shops close or whose buyers stop for the lunar new year: the
    # Chinese mainland, Hong Kong, Macau, Taiwan, Singapore and Malaysia (public holidays
    # of two days or more on these dates), Vietnam (Tet, a week) and South Korea (Seollal,
    # three days). Vietnam and Korea reckon the lunar calendar at their own meridian, so
    # their first day can fall a day off China's in some years: still inside the week.
    # Not Japan (it keeps 1 January), nor Indonesia or the Philippines (one day).
    "chinese_new_year": "CN HK MO TW SG MY VN KR",
}

# First day of the lunar year, Hong Kong Observatory (see above).
CNY_DAY1 = {
    2010: (2, 14), 2011: (2, 3), 2012: (1, 23), 2013: (2, 10), 2014: (1, 31),
    2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5),
    2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
    2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
    2030: (2, 3),
}
CNY_FROM, CNY_TO = -1, 5  # New Year's Eve to the sixth day

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
    day1 = dt.date(y, *CNY_DAY1[y])
    for k in range(CNY_FROM, CNY_TO + 1):
        rows.append((day1 + dt.timedelta(days=k), "chinese_new_year"))
print("date,event,region")
for d, name in sorted(rows):
    print(f"{d.isoformat()},{name},{REGION[name]}")
