#!/usr/bin/env bash
# Tax thresholds: the engine's one pass (bench/comply_bench.c, ballast/comply.h) over
# ORDERS orders to JURISDICTIONS jurisdictions against one SQL query computing the same
# running totals (a window SUM per jurisdiction, and the first order past 80% and 100% of
# its threshold) in sqlite3 and in DuckDB (@duckdb/node-api), on the same data made by the
# same formulas in each. The timings are of the computation with the data loaded (the
# engine's orders in memory, the databases' tables built before, not timed), median of
# RUNS; the three results must be equal, row for row.
#
# Usage: bench/comply.sh [ORDERS [JURISDICTIONS [RUNS]]]   (10000000 60 3)
#   BUILD           build directory (default build)
#   DUCKDB_THREADS  DuckDB's threads (default: its own, every CPU)
#   NO_SQLITE=1     leave sqlite3 out (it takes minutes at 10M)
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

# the data, by the formulas of comply_bench.c (t0: 2024-01-01T00:00:00Z, 366 days)
t0=1704067200; span=31622400
query="SELECT o.j, MAX(o.run) AS total, COUNT(*) AS n,
  MIN(CASE WHEN o.run * 10 > t.lim * 8 THEN o.ts END) AS near_at,
  MIN(CASE WHEN o.run > t.lim THEN o.ts END) AS over_at
FROM (SELECT j, ts, SUM(amount) OVER (PARTITION BY j ORDER BY id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run FROM ord) o
JOIN thr t ON t.j = o.j GROUP BY o.j ORDER BY o.j"

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
SQL
    : >"$tmp/s.times"
    for k in $(seq 1 "$runs"); do
        a=$(date +%s.%N)
        sqlite3 -csv -header "$db" "$query" >"$tmp/s.csv"
        b=$(date +%s.%N)
        echo "$a $b" | awk '{printf "%.3f\n", $2 - $1}' >>"$tmp/s.times"
    done
    ts=$(sort -n "$tmp/s.times" | awk -v k=$(( (runs + 1) / 2 )) 'NR == k')
    echo "sqlite3: $ts s (median of $runs; $(sqlite3 --version | cut -d' ' -f1))"
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
    node "$root/bench/node/comply_duckdb.mjs" load "$tmp/c.duckdb" "$tmp/load.sql" ${DUCKDB_THREADS:-}
    td=$(node "$root/bench/node/comply_duckdb.mjs" query "$tmp/c.duckdb" "$tmp/query.sql" \
        "$tmp/d.csv" "$runs" ${DUCKDB_THREADS:-})
    echo "duckdb:  $td s (median of $runs; @duckdb/node-api" \
         "$(node -e "console.log(require('$root/bench/node/node_modules/@duckdb/node-api/package.json').version)"))"
    same duckdb "$tmp/d.csv"
else
    echo "duckdb:  not run (@duckdb/node-api could not be installed: npm install in bench/node)"
fi

echo "ratios: $(awk -v b="$tb" -v s="${ts:-}" -v d="${td:-}" 'BEGIN {
    if (s != "") printf "ballast is %.1fx sqlite3; ", s / b;
    if (d != "") printf "ballast is %.1fx DuckDB", d / b; }')"
