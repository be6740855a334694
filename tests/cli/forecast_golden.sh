#!/usr/bin/env bash
# Golden test on real series: five SKUs of the Online Retail dataset (the 1st, 10th,
# 25th, 50th and 100th by units among those sold on 60 days or more; made with the same
# awk as bench/forecast.sh), daily units 2010-12-01 to 2011-12-09.
# - the holdout accuracy table (28 days) and a 14-day forecast must not change unless
#   the models change (then regenerate the golden files and say why in the commit);
# - the automatic choice must beat seasonal naive on these series.
source "$(dirname "$0")/../lib/cli.bash"
[ "$1" = postgres ] && { echo "forecast --input uses no store: nothing to test on postgres"; exit 77; }
bl_setup "$1" forecast_golden
G="$SRC/tests/golden"

bl forecast --input "$G/online_retail_5skus.csv" --holdout 28 --format csv >"$TMP/h.csv"
if diff -u "$G/online_retail_holdout28.csv" "$TMP/h.csv" >"$TMP/d1"; then ok "holdout accuracy as golden"
else not_ok "holdout accuracy as golden" "$(cat "$TMP/d1")"; fi
bl forecast --input "$G/online_retail_5skus.csv" --horizon 14 --events none --format csv >"$TMP/f.csv"
if diff -u "$G/online_retail_forecast14.csv" "$TMP/f.csv" >"$TMP/d2"; then ok "14-day forecast as golden"
else not_ok "14-day forecast as golden" "$(head -20 "$TMP/d2")"; fi
auto=$(awk -F, '$1=="auto" {print $3}' "$TMP/h.csv")
snaive=$(awk -F, '$1=="snaive" {print $3}' "$TMP/h.csv")
expect_eq "auto's mean RMSSE ($auto) beats seasonal naive's ($snaive)" 1 \
    "$(awk -v a="$auto" -v b="$snaive" 'BEGIN { print (a < b) ? 1 : 0 }')"
expect_eq "14 days x 5 SKUs" 71 "$(wc -l <"$TMP/f.csv")"
bl forecast --input "$G/online_retail_5skus.csv" --holdout 28 --format csv --threads 1 >"$TMP/h1.csv"
if cmp -s "$TMP/h.csv" "$TMP/h1.csv"; then ok "one thread or several: the same table"
else not_ok "one thread or several: the same table" "$(diff "$TMP/h.csv" "$TMP/h1.csv")"; fi
expect_eq "the profile model is scored" 1 "$(grep -c '^profile,5,' "$TMP/h.csv")"

# Lead-time quantiles against the held-out totals (#18): coverage and pinball per quantile.
bl forecast --input "$G/online_retail_5skus.csv" --holdout 28 --lead-time 14 --format csv >"$TMP/lt.csv"
expect_eq "lead-time table" "quantile,lead_time,series
p50,14,5
p90,14,5
p95,14,5" "$(cut -d, -f1-3 "$TMP/lt.csv")"
expect_eq "lead-time columns" "quantile,lead_time,series,coverage,pinball,coverage_mid" "$(head -1 "$TMP/lt.csv")"
awk -F, 'NR > 1 { if ($4 < 0 || $4 > 1 || $5 <= 0) bad = 1; if (NR > 2 && $4 < prev) bad = 1; prev = $4
                  if ($6 > $4 || $6 < $4 - 0.5) bad = 1 }
    END { exit bad }' "$TMP/lt.csv" && ok "coverage in 0..1, growing with the quantile; pinball > 0; ties as half at most half a point less" ||
    not_ok "lead-time figures" "$(cat "$TMP/lt.csv")"
expect_fail "lead time longer than the holdout" 1 "a lead time of 29 days is longer than the holdout (28)" \
    bl forecast --input "$G/online_retail_5skus.csv" --holdout 28 --lead-time 29
bl_done
