// assess_duckdb.mjs - the DuckDB peer of bench/assess.sh: runs one SQL file (the
// per-shop counters over the CSV files `ballast gen` wrote) and writes the result
// as CSV. Usage: node assess_duckdb.mjs QUERY.sql OUT.csv [THREADS]
// The query is a single SELECT; it is wrapped in COPY ... TO OUT.csv.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [, , sqlPath, outPath, threads] = process.argv;
if (!sqlPath || !outPath) {
    console.error('usage: node assess_duckdb.mjs QUERY.sql OUT.csv [THREADS]');
    process.exit(2);
}
const sql = readFileSync(sqlPath, 'utf8').trim().replace(/;\s*$/, '');
const options = threads ? { threads: String(threads) } : {};
const instance = await DuckDBInstance.create(':memory:', options);
const conn = await instance.connect();
const quoted = outPath.replaceAll("'", "''");
await conn.run(`COPY (${sql}) TO '${quoted}' (FORMAT csv, HEADER true)`);
conn.closeSync?.();
