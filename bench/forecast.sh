#!/usr/bin/env bash
# bench/forecast.sh - Ballast's forecaster against R's forecast package on real SKU
# demand: the UCI Online Retail invoices turned into daily units per StockCode.
#
# Series: the N StockCodes with the most units among those sold on at least MIN_DAYS
# distinct days (cancellations, returns and non-product codes such as POST, M, DOT
# left out). Every series runs from the first to the last date of the file; days
# without a sale are zero; leading zeros before a SKU's first sale are dropped by
# both sides. The last H days are held out.
#
# Ballast: `ballast forecast --holdout H` (every model, and auto's per-series choice
#          by rolling-origin holdout on the training part).
# R:       forecast::croston() when the series is intermittent (mean interval between
#          demands >= 1.32 days, Syntetos-Boylan), otherwise forecast::ets() on a
#          weekly ts (model chosen by AICc). References, not timed: snaive(), and
#          ets() and croston() on every series (the shop is closed on Saturdays, so by
#          the ADI rule most series count as intermittent).
# Both:    forecasts clipped at zero; RMSSE and MASE as in M5 (scale from the
#          training part after the first sale); means over the same series.
# Seconds: Ballast = wall time of the whole command (reading the CSV, selection,
#          fitting all 9 models per series); R = the fitting loop inside R, without
#          starting R or loading the package.
# Lead-time quantiles: the demand summed over the first L = 7, 14, 28 held-out days
#          against its p50/p90/p95: Ballast's `forecast --holdout H --lead-time L` (auto),
#          R's ets() on every series with SIMS sample paths of simulate(fit, future =
#          TRUE), each day clipped at 0, summed over L (a user's way to a lead-time total
#          from forecast(); its 80%/90% intervals' upper ends are these p90/p95).
#          Coverage = share of series whose actual total was at most the quantile;
#          mid-rank = the same with a tie (none sold, a quantile of 0) counted as half,
#          how a discrete total's calibration is judged (docs/metrics.md);
#          pinball = mean pinball loss over L times the series' MASE scale.
#
# Windows: one holdout is one draw of the shop's future (its SKUs move together), so with
#          WINDOWS=K the lead-time quantiles are also scored on the K consecutive H-day
#          windows ending at the file's end (`--as-of` each window's first day: trained on
#          what came before it only): per quantile and lead time, the mean coverage over
#          the windows, its standard deviation, lowest and highest, and the mean pinball.
#          OFFSET=D ends the last window D days before the file's end: OFFSET=14 gives the
#          K windows halfway between the default ones, which no choice was made on.
#
# Usage: bench/forecast.sh [N]     default 200
# Env:   H=28 MIN_DAYS=60 BALLAST=path/to/ballast (default build/ballast) KEEP=1 SIMS=1000
#        BEFORE=path/to/an/older/ballast   also time and score it on the same series
#        WINDOWS=10                        the rolling windows above (default 0: none)
#        OFFSET=14                         ...ending 14 days before the file's end
#        MARKET=GB                         the shop's market (--market: Online Retail is a
#                                          UK shop); default empty: every event of the
#                                          calendar, as the figures before regions
#        R=0                               Ballast only (no R, no comparison tables)
set -euo pipefail

N=${1:-200}
H=${H:-28}
MIN_DAYS=${MIN_DAYS:-60}
OFFSET=${OFFSET:-0}
case "$N$H$MIN_DAYS$OFFSET" in '' | *[!0-9]*) echo "usage: bench/forecast.sh [N]" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
data=${BL_DATASETS:-$root/../shared/datasets}/online_retail/online_retail.csv.gz
[ -f "$data" ] || { echo "bench/forecast.sh: no $data" >&2; exit 1; }
if [ -z "${BALLAST:-}" ]; then
    make -C "$root" build >/dev/null
    BALLAST=$root/build/ballast
fi

if [ "${R:-1}" != 0 ] && ! Rscript -e 'suppressMessages(library(forecast))' >/dev/null 2>&1; then
    echo "bench/forecast.sh: installing r-cran-forecast" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends \
        r-cran-forecast >/dev/null
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ballast-fcbench.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp" >&2; fi

# Daily units per StockCode. Description may hold quoted commas, so the numeric
# fields are taken from the end of the line (Country has no commas in this file).
zcat "$data" | awk -F, 'NR > 1 && $1 !~ /^C/ && $2 ~ /^[0-9][0-9][0-9][0-9][0-9]/ {
        q = $(NF - 4) + 0; d = substr($(NF - 3), 1, 10)
        if (q > 0) { u[$2 "," d] += q; tot[$2] += q; if (!((($2) SUBSEP d) in seen)) { seen[$2, d]; days[$2]++ } }
    }
    END {
        for (k in u) print k "," u[k] > "'"$tmp"'/all.csv"
        for (s in tot) if (days[s] >= '"$MIN_DAYS"') print tot[s], s > "'"$tmp"'/rank.txt"
    }'
sort -k1,1nr -k2,2 "$tmp/rank.txt" | awk -v n="$N" 'NR <= n { print $2 }' >"$tmp/skus.txt"
{
    echo "sku,date,units"
    awk -F, 'NR == FNR { keep[$1]; next } $1 in keep' "$tmp/skus.txt" "$tmp/all.csv" |
        sort -t, -k1,1 -k2,2
} >"$tmp/daily.csv"
nser=$(wc -l <"$tmp/skus.txt")
range=$(awk -F, 'NR > 1 { if (!a || $2 < a) a = $2; if ($2 > b) b = $2 } END { print a " to " b }' \
    "$tmp/daily.csv")
echo "series: $nser SKUs (top by units, sold on >= $MIN_DAYS days), $range, holdout $H days"

now() { date +%s.%N; }
MARKET=${MARKET:-}
mk=()
[ -z "$MARKET" ] || mk=(--market "$MARKET")
t0=$(now)
"$BALLAST" forecast --input "$tmp/daily.csv" --holdout "$H" "${mk[@]}" --format csv >"$tmp/ballast.csv"
t1=$(now)
bsec=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
: >"$tmp/ballast_lt.csv"
for L in 7 14 28; do
    [ "$L" -le "$H" ] || continue
    "$BALLAST" forecast --input "$tmp/daily.csv" --holdout "$H" --lead-time "$L" "${mk[@]}" \
        --format csv | awk -F, 'NR > 1' >>"$tmp/ballast_lt.csv"
done
if [ "${WINDOWS:-0}" -gt 0 ]; then
    last=$(awk -F, 'NR > 1 && $2 > m { m = $2 } END { print m }' "$tmp/daily.csv")
    last=$(date -u -d "$last - $OFFSET days" +%F)
    for i in $(seq 0 $((WINDOWS - 1))); do
        asof=$(date -u -d "$last + 1 day - $((H * i)) days" +%F)
        for L in 7 14 28; do
            [ "$L" -le "$H" ] || continue
            "$BALLAST" forecast --input "$tmp/daily.csv" --as-of "$asof" --holdout "$H" \
                --lead-time "$L" "${mk[@]}" --format csv 2>/dev/null | awk -F, 'NR > 1'
        done
    done >"$tmp/windows.csv"
    echo
    echo "Lead-time totals on $WINDOWS windows of $H days (the last ending $last): coverage over the windows"
    awk -F, '{ k = $2 " " $1; n[k]++; s[k] += $4; ss[k] += $4 * $4; p[k] += $5; md[k] += $6
               if (!(k in lo) || $4 < lo[k]) lo[k] = $4; if (!(k in hi) || $4 > hi[k]) hi[k] = $4 }
        END { printf "%-8s %-4s %7s %8s %7s %7s %7s %9s %9s\n", "lead", "q", "windows", "mean", "sd", "min", "max", "pinball", "mid-rank"
              for (k in n) { m = s[k] / n[k]; split(k, a, " ")
                  printf "%-8s %-4s %7d %7.1f%% %7.1f %7.1f %7.1f %9.4f %8.1f%%\n", a[1], a[2], n[k], 100 * m,
                      100 * sqrt(ss[k] / n[k] - m * m), 100 * lo[k], 100 * hi[k], p[k] / n[k], 100 * md[k] / n[k] } }' \
        "$tmp/windows.csv" | sort -k1,1n -k2,2
fi
if [ "${R:-1}" = 0 ]; then
    awk -F, 'FNR > 1 && $1 == "auto" { printf "\nBallast auto: %d series, RMSSE %s, MASE %s\n", $2, $3, $4 }' "$tmp/ballast.csv"
    awk -F, '{ printf "Ballast L=%s %s: coverage %.1f%% (ties as half %.1f%%), pinball %s\n", $2, $1, 100 * $4, 100 * $6, $5 }' "$tmp/ballast_lt.csv"
    exit 0
fi
if [ -n "${BEFORE:-}" ]; then
    t0=$(now)
    "$BEFORE" forecast --input "$tmp/daily.csv" --holdout "$H" --format csv >"$tmp/before.csv"
    t1=$(now)
    osec=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    awk -F, -v s="$osec" '$1 == "auto" { printf "before (%s): auto RMSSE %s MASE %s, %s s\n", "'"$BEFORE"'", $3, $4, s }' \
        "$tmp/before.csv" >"$tmp/before.txt"
fi

cat >"$tmp/r.R" <<'RSCRIPT'
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
h <- as.integer(args[2])
sims <- as.integer(args[3])
set.seed(1)
leads <- c(7, 14, 28)[c(7, 14, 28) <= h]
lt_hit <- matrix(0, length(leads), 3); lt_pb <- matrix(0, length(leads), 3); lt_n <- 0
lead_time <- function(fit, train, act) {
  tr <- train[which(train != 0)[1]:length(train)]
  s1 <- mean(abs(diff(tr)))
  p <- replicate(sims, pmax(as.numeric(simulate(fit, nsim = h, future = TRUE)), 0))
  for (i in seq_along(leads)) {
    L <- leads[i]
    tot <- colSums(p[1:L, , drop = FALSE])
    q <- quantile(tot, c(0.5, 0.9, 0.95), names = FALSE)
    a <- sum(act[1:L])
    lev <- c(0.5, 0.9, 0.95)
    lt_hit[i, ] <<- lt_hit[i, ] + (a <= q)
    lt_pb[i, ] <<- lt_pb[i, ] + pmax(lev * (a - q), (lev - 1) * (a - q)) / (L * s1)
  }
  lt_n <<- lt_n + 1
}
x <- read.csv(args[1], colClasses = c("character", "character", "numeric"))
x$day <- as.integer(as.Date(x$date))
d0 <- min(x$day); d1 <- max(x$day)
acc <- function(train, act, fc) {
  fc <- pmax(fc, 0)
  s <- which(train != 0)[1]
  tr <- train[s:length(train)]
  if (length(tr) < 2) return(c(NA, NA))
  dd <- diff(tr)
  c(sqrt(mean((act - fc)^2) / mean(dd^2)), mean(abs(act - fc)) / mean(abs(dd)))
}
res <- list(); base <- list(); etsall <- list(); crall <- list(); secs <- 0; esecs <- 0
for (sku in unique(x$sku)) {
  y <- numeric(d1 - d0 + 1)
  r <- x[x$sku == sku, ]
  y[r$day - d0 + 1] <- r$units
  n <- length(y)
  train <- y[1:(n - h)]; act <- y[(n - h + 1):n]
  first <- which(train > 0)[1]
  if (is.na(first)) next
  tr <- train[first:length(train)]
  t0 <- proc.time()[["elapsed"]]
  adi <- length(tr) / sum(tr > 0)
  efit <- NULL
  if (adi >= 1.32) {
    fc <- as.numeric(croston(tr, h = h)$mean); how <- "croston"
  } else {
    efit <- ets(ts(tr, frequency = 7))
    fc <- as.numeric(forecast(efit, h = h)$mean); how <- "ets"
  }
  secs_one <- proc.time()[["elapsed"]] - t0
  secs <- secs + secs_one
  sn <- as.numeric(snaive(ts(tr, frequency = 7), h = h)$mean)
  t0 <- proc.time()[["elapsed"]]
  if (is.null(efit)) efit <- ets(ts(tr, frequency = 7))
  ea <- if (how == "ets") fc else as.numeric(forecast(efit, h = h)$mean)
  esecs <- esecs + proc.time()[["elapsed"]] - t0
  a <- acc(train, act, fc)
  if (any(!is.finite(a))) next
  if (length(leads)) lead_time(efit, train, act)
  res[[sku]] <- c(a, how == "croston")
  base[[sku]] <- acc(train, act, sn)
  etsall[[sku]] <- acc(train, act, ea)
  crall[[sku]] <- acc(train, act, if (how == "croston") fc else as.numeric(croston(tr, h = h)$mean))
  if (how == "ets") esecs <- esecs + secs_one
}
m <- do.call(rbind, res); b <- do.call(rbind, base); e <- do.call(rbind, etsall)
cr <- do.call(rbind, crall)
cat(sprintf("R,%d,%.4f,%.4f,%.3f,%d\n", nrow(m), mean(m[, 1]), mean(m[, 2]), secs, sum(m[, 3])))
cat(sprintf("R_snaive,%d,%.4f,%.4f\n", nrow(b), mean(b[, 1]), mean(b[, 2])))
cat(sprintf("R_ets,%d,%.4f,%.4f,%.3f\n", nrow(e), mean(e[, 1]), mean(e[, 2]), esecs))
cat(sprintf("R_croston,%d,%.4f,%.4f\n", nrow(cr), mean(cr[, 1]), mean(cr[, 2])))
for (i in seq_along(leads))
  cat(sprintf("R_lt,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", leads[i], lt_n,
              lt_hit[i, 1] / lt_n, lt_hit[i, 2] / lt_n, lt_hit[i, 3] / lt_n,
              lt_pb[i, 1] / lt_n, lt_pb[i, 2] / lt_n, lt_pb[i, 3] / lt_n))
RSCRIPT
Rscript "$tmp/r.R" "$tmp/daily.csv" "$H" "${SIMS:-1000}" >"$tmp/r.csv"

awk -F, -v bsec="$bsec" '
    FILENAME ~ /\/ballast\.csv$/ && FNR > 1 { br[$1] = $3; bm[$1] = $4; bn = $2; ch[$1] = $5 }
    FILENAME ~ /\/r\.csv$/ { rn[$1] = $2; rr[$1] = $3; rm[$1] = $4; if ($1 == "R") { rs = $5; rc = $6 }
                         if ($1 == "R_ets") es = $5 }
    END {
        printf "\n%-28s %7s %8s %8s %9s\n", "", "series", "RMSSE", "MASE", "seconds"
        printf "%-28s %7d %8.4f %8.4f %9.3f\n", "Ballast auto", bn, br["auto"], bm["auto"], bsec
        printf "%-28s %7d %8.4f %8.4f %9.3f\n", "R ets/croston", rn["R"], rr["R"], rm["R"], rs
        printf "%-28s %7s %8.4f %8.4f %9.4f  (%.0fx faster)\n", "ratio Ballast/R", "", \
            br["auto"] / rr["R"], bm["auto"] / rm["R"], (rs > 0 ? bsec / rs : 0), \
            (bsec > 0 ? rs / bsec : 0)
        printf "%-28s %7d %8.4f %8.4f %9.3f\n", "R ets (every series)", rn["R_ets"], rr["R_ets"], \
            rm["R_ets"], es
        printf "%-28s %7s %8.4f %8.4f %9.4f  (%.0fx faster)\n", "ratio Ballast/R ets", "", \
            br["auto"] / rr["R_ets"], bm["auto"] / rm["R_ets"], (es > 0 ? bsec / es : 0), \
            (bsec > 0 ? es / bsec : 0)
        printf "\nBallast per model (auto chose:"
        for (m in ch) if (m != "auto" && ch[m] > 0) printf " %s %d", m, ch[m]
        printf "); R chose croston for %d series, ets for the rest\n", rc
        n = split("snaive ses damped ets_seasonal croston sba tsb combo profile", ms, " ")
        for (i = 1; i <= n; i++)
            printf "  %-26s %7d %8.4f %8.4f\n", "Ballast " ms[i], bn, br[ms[i]], bm[ms[i]]
        printf "  %-26s %7d %8.4f %8.4f\n", "R snaive", rn["R_snaive"], rr["R_snaive"], rm["R_snaive"]
        printf "  %-26s %7d %8.4f %8.4f\n", "R ets (every series)", rn["R_ets"], rr["R_ets"], rm["R_ets"]
        printf "  %-26s %7d %8.4f %8.4f\n", "R croston (every series)", rn["R_croston"], rr["R_croston"], rm["R_croston"]
    }' "$tmp/ballast.csv" "$tmp/r.csv"

# Lead-time quantiles: Ballast rows are quantile,lead_time,series,coverage,pinball.
awk -F, '
    FILENAME ~ /\/ballast_lt\.csv$/ { i = ($1 == "p50") ? 1 : ($1 == "p90") ? 2 : 3
                              bc[$2, i] = $4; bp[$2, i] = $5; bn[$2] = $3; L[$2] }
    FILENAME ~ /\/r\.csv$/ && $1 == "R_lt" { rn[$2] = $3; for (i = 1; i <= 3; i++) { rc[$2, i] = $(3 + i); rp[$2, i] = $(6 + i) } }
    END {
        printf "\nLead-time totals on the holdout: coverage (nominal 50/90/95%%) and scaled pinball loss\n"
        printf "%-16s %7s %8s %8s %8s %9s %9s %9s %9s\n", "", "series", "p50", "p90", "p95", \
            "pb50", "pb90", "pb95", "pb mean"
        n = split("7 14 28", ls, " ")
        for (k = 1; k <= n; k++) {
            l = ls[k]; if (!(l in L)) continue
            printf "%-16s %7d %7.1f%% %7.1f%% %7.1f%% %9.4f %9.4f %9.4f %9.4f\n", "Ballast L=" l, bn[l], \
                100 * bc[l, 1], 100 * bc[l, 2], 100 * bc[l, 3], bp[l, 1], bp[l, 2], bp[l, 3], \
                (bp[l, 1] + bp[l, 2] + bp[l, 3]) / 3
            printf "%-16s %7d %7.1f%% %7.1f%% %7.1f%% %9.4f %9.4f %9.4f %9.4f\n", "R ets L=" l, rn[l], \
                100 * rc[l, 1], 100 * rc[l, 2], 100 * rc[l, 3], rp[l, 1], rp[l, 2], rp[l, 3], \
                (rp[l, 1] + rp[l, 2] + rp[l, 3]) / 3
        }
    }' "$tmp/ballast_lt.csv" "$tmp/r.csv"
[ -z "${BEFORE:-}" ] || { echo; cat "$tmp/before.txt"; }
