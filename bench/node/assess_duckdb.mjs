// assess_duckdb.mjs - the DuckDB peer of bench/assess.sh, on its own database file.
//
//   node assess_duckdb.mjs load DB.duckdb LOAD.sql [THREADS]
//       creates DB.duckdb (replacing it) and runs LOAD.sql in it: the statements that
//       build the tables the query reads (shops, ord, dis, prot) from the CSV files.
//       bench/assess.sh runs this before the timed runs, not timed.
//   node assess_duckdb.mjs query DB.duckdb QUERY.sql OUT.csv [THREADS]
//       opens DB.duckdb read-only and runs QUERY.sql, a single SELECT (the per-shop
//       counters), wrapped in COPY ... TO OUT.csv. This is the timed run.
//   node assess_duckdb.mjs count DB.duckdb
//       prints the number of rows of its table ord (the shop orders).
import { readFileSync, rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [, , mode, dbPath, sqlPath, ...rest] = process.argv;
if (mode === 'count' && dbPath) {
    const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    const reader = await conn.runAndReadAll('SELECT count(*) FROM ord');
    console.log(String(reader.getRows()[0][0]));
    process.exit(0);
}
const usage = () => {
    console.error('usage: node assess_duckdb.mjs load DB LOAD.sql [THREADS]\n' +
                  '       node assess_duckdb.mjs query DB QUERY.sql OUT.csv [THREADS]');
    process.exit(2);
};
if (!dbPath || !sqlPath || (mode !== 'load' && mode !== 'query')) usage();
const outPath = mode === 'query' ? rest.shift() : null;
if (mode === 'query' && !outPath) usage();
const threads = rest[0];
const sql = readFileSync(sqlPath, 'utf8').trim().replace(/;\s*$/, '');
const options = threads ? { threads: String(threads) } : {};

if (mode === 'load') {
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
    const instance = await DuckDBInstance.create(dbPath, options);
    const conn = await instance.connect();
    for (const stmt of sql.split(/;\s*$/m)) // one statement at a time
        if (stmt.trim()) await conn.run(stmt);
    await conn.run('CHECKPOINT');
    conn.closeSync?.();
} else {
    const instance = await DuckDBInstance.create(dbPath, { ...options, access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    const quoted = outPath.replaceAll("'", "''");
    await conn.run(`COPY (${sql}) TO '${quoted}' (FORMAT csv, HEADER true)`);
    conn.closeSync?.();
}
