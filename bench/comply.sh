#!/usr/bin/env bash
# Tax thresholds: the engine's one pass (bench/comply_bench.c, ballast/comply.h) over
# ORDERS orders to JURISDICTIONS jurisdictions against one SQL query computing the same
# running totals (a window SUM per jurisdiction, and the first order past 80% and 100% of
# its threshold) in sqlite3 and in DuckDB (@duckdb/node-api), on the same data made by the
# same formulas in each. The timings are of the computation with the data loaded (the
# engine's orders in memory, the databases' tables built before, not timed: sqlite3's with
# an index on (jurisdiction, time, amount), so its window reads the orders in order
# without a sort), median of RUNS, wall clock and CPU; the results must be equal, row for
# row. DuckDB runs two queries: the window per jurisdiction (the one sqlite3 runs), and the
# one it runs fastest (a running sum over the orders sorted by jurisdiction and time, less
# the jurisdictions before: its window operator then sorts once and streams, where
# PARTITION BY builds a segment tree per partition). The engine runs twice more: every
# order in memory, then streamed in chunks of 8192 as `ballast comply` reads the store;
# the peak resident memory of each is printed.
#
# Usage: bench/comply.sh [ORDERS [JURISDICTIONS [RUNS]]]   (10000000 60 3)
#   BUILD           build directory (default build)
#   DUCKDB_THREADS  DuckDB's threads (default: its own, every CPU)
#   NO_SQLITE=1     leave sqlite3 out (about half a minute a run at 10M)
#   SQLITE_RUNS     sqlite3's runs (default RUNS): fewer for a slow machine
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
n=${1:-10000000}; nj=${2:-60}; runs=${3:-3}
tmp=$(mktemp -d /tmp/ballast-comply-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -x "$build/comply_bench" ] || cmake --build "$build" --target comply_bench >/dev/null
echo "bench/comply.sh: $n orders, $nj jurisdictions; $(uname -m), $(nproc) CPUs," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ballast
"$build/comply_bench" "$n" "$nj" "$runs" >"$tmp/b.csv" 2>"$tmp/b.err"
cat "$tmp/b.err"
tb=$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' "$tmp/b.err")
cb=$(sed -n 's/.*CPU \([0-9.]*\) s.*/\1/p' "$tmp/b.err")
"$build/comply_bench" "$n" "$nj" 1 8192 >"$tmp/bs.csv" 2>"$tmp/bs.err"
cat "$tmp/bs.err"
cmp -s "$tmp/b.csv" "$tmp/bs.csv" || { echo "  the streamed pass DISAGREES"; exit 1; }

# the data, by the formulas of comply_bench.c (t0: 2024-01-01T00:00:00Z, 366 days)
t0=1704067200; span=31622400
# (the instants are distinct: 366 days over at most 31 million orders)
query="SELECT j, MAX(run) AS total, COUNT(*) AS n,
  MIN(CASE WHEN run * 10 > lim * 8 THEN ts END) AS near_at,
  MIN(CASE WHEN run > lim THEN ts END) AS over_at
FROM (SELECT o.j, o.ts, t.lim, SUM(o.amount) OVER (PARTITION BY o.j ORDER BY o.ts
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run
      FROM ord o JOIN thr t ON t.j = o.j)
GROUP BY j ORDER BY j"
# DuckDB's fastest: one running sum in (jurisdiction, time) order, less the totals of the
# jurisdictions before
query2="SELECT g.j, MAX(g.run - f.off) AS total, COUNT(*) AS n,
  MIN(CASE WHEN (g.run - f.off) * 10 > t.lim * 8 THEN g.ts END) AS near_at,
  MIN(CASE WHEN g.run - f.off > t.lim THEN g.ts END) AS over_at
FROM (SELECT j, ts, SUM(amount) OVER (ORDER BY j, ts ROWS UNBOUNDED PRECEDING) AS run
      FROM ord) g
JOIN (SELECT j, COALESCE(SUM(SUM(amount)) OVER (ORDER BY j ROWS BETWEEN UNBOUNDED
      PRECEDING AND 1 PRECEDING), 0) AS off FROM ord GROUP BY j) f ON f.j = g.j
JOIN thr t ON t.j = g.j GROUP BY g.j ORDER BY g.j"

same() { # same NAME FILE: equal to ballast's, row for row
    if diff <(tail -n +2 "$tmp/b.csv") <(tail -n +2 "$2" | tr -d '\r') >"$tmp/diff"; then
        echo "  $1 agrees with ballast: $nj totals, counts and crossing orders equal"
    else
        echo "  $1 DISAGREES with ballast:"; head "$tmp/diff"; exit 1
    fi
}

# sqlite3
if [ -z "${NO_SQLITE:-}" ]; then
    db="$tmp/c.sqlite"
    sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
CREATE TABLE ord (id INTEGER PRIMARY KEY, j INTEGER, ts INTEGER, amount INTEGER);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n)
INSERT INTO ord SELECT i, (i * 2654435761) % $nj, $t0 + (i * $span) / $n - 1,
  100 + (i * 40503) % 100000 FROM s;
CREATE TABLE thr (j INTEGER PRIMARY KEY, lim INTEGER);
WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < $nj - 1)
INSERT INTO thr SELECT j, (1 + j % 8) * 1000000000 FROM s;
CREATE INDEX ord_j_ts ON ord (j, ts, amount);
ANALYZE;
SQL
    echo "  sqlite3's plan: $(sqlite3 "$db" "EXPLAIN QUERY PLAN $query" | tr '\n' ' ')"
    srun=${SQLITE_RUNS:-$runs}
    : >"$tmp/s.times"
    for k in $(seq 1 "$srun"); do
        /usr/bin/time -f '%e %U %S' -o "$tmp/s.time" \
            sqlite3 -csv -header "$db" "$query" >"$tmp/s.csv"
        awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$tmp/s.time" >>"$tmp/s.times"
    done
    k=$(( (srun + 1) / 2 ))
    ts=$(sort -n -k1,1 "$tmp/s.times" | awk -v k=$k 'NR == k {print $1}')
    cs=$(sort -n -k2,2 "$tmp/s.times" | awk -v k=$k 'NR == k {print $2}')
    echo "sqlite3: $ts s, CPU $cs s (median of $srun; $(sqlite3 --version | cut -d' ' -f1))"
    same sqlite3 "$tmp/s.csv"
fi

# DuckDB
if command -v node >/dev/null; then
    if [ ! -d "$root/bench/node/node_modules/@duckdb/node-api" ]; then
        (cd "$root/bench/node" && npm install --no-audit --no-fund --silent) >&2 || true
    fi
fi
if [ -d "$root/bench/node/node_modules/@duckdb/node-api" ]; then
    cat >"$tmp/load.sql" <<SQL
CREATE TABLE ord AS SELECT i AS id, (i * 2654435761) % $nj AS j,
  $t0 + (i * $span) // $n - 1 AS ts, 100 + (i * 40503) % 100000 AS amount
  FROM range(1, $n + 1) t(i);
CREATE TABLE thr AS SELECT j, (1 + j % 8) * 1000000000 AS lim FROM range(0, $nj) t(j);
SQL
    echo "$query" >"$tmp/query.sql"
    echo "$query2" >"$tmp/query2.sql"
    node "$root/bench/node/comply_duckdb.mjs" load "$tmp/c.duckdb" "$tmp/load.sql" ${DUCKDB_THREADS:-}
    ver=$(node -e "console.log(require('$root/bench/node/node_modules/@duckdb/node-api/package.json').version)")
    read -r td1 cd1 < <(node "$root/bench/node/comply_duckdb.mjs" query "$tmp/c.duckdb" \
        "$tmp/query.sql" "$tmp/d.csv" "$runs" ${DUCKDB_THREADS:-})
    echo "duckdb:  $td1 s, CPU $cd1 s (median of $runs; @duckdb/node-api $ver; the window per jurisdiction)"
    same duckdb "$tmp/d.csv"
    read -r td cd < <(node "$root/bench/node/comply_duckdb.mjs" query "$tmp/c.duckdb" \
        "$tmp/query2.sql" "$tmp/d2.csv" "$runs" ${DUCKDB_THREADS:-})
    echo "duckdb:  $td s, CPU $cd s (median of $runs; one running sum less the jurisdictions before)"
    same duckdb "$tmp/d2.csv"
    if awk -v a="$td1" -v b="$td" 'BEGIN { exit !(a < b) }'; then td=$td1; cd=$cd1; fi
else
    echo "duckdb:  not run (@duckdb/node-api could not be installed: npm install in bench/node)"
fi

echo "ratios (wall clock; CPU): $(awk -v b="$tb" -v s="${ts:-}" -v d="${td:-}" \
    -v cb="$cb" -v cs="${cs:-}" -v cd="${cd:-}" 'BEGIN {
    if (s != "") printf "ballast is %.0fx sqlite3 (%.0fx); ", s / b, cs / cb;
    if (d != "") printf "%.0fx DuckDB'"'"'s faster query (%.0fx)", d / b, cd / cb; }')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
