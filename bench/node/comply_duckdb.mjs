// comply_duckdb.mjs - the DuckDB peer of bench/comply.sh.
//
//   node comply_duckdb.mjs load DB.duckdb LOAD.sql [THREADS]
//       creates DB.duckdb (replacing it) and runs LOAD.sql in it (the orders and the
//       thresholds, made by the same formulas as bench/comply_bench.c). Not timed.
//   node comply_duckdb.mjs query DB.duckdb QUERY.sql OUT.csv RUNS [THREADS]
//       opens DB.duckdb read-only, runs the SELECT of QUERY.sql RUNS times, timing each
//       inside this process (the data loaded, as the engine's is in memory), writes the
//       last result to OUT.csv and prints the median seconds of the wall clock and of
//       the process's CPU (DuckDB's threads run in this process).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';

const [, , mode, dbPath, sqlPath, ...rest] = process.argv;
if (!dbPath || !sqlPath || (mode !== 'load' && mode !== 'query')) {
    console.error('usage: node comply_duckdb.mjs load DB LOAD.sql [THREADS]\n' +
                  '       node comply_duckdb.mjs query DB QUERY.sql OUT.csv RUNS [THREADS]');
    process.exit(2);
}
const sql = readFileSync(sqlPath, 'utf8').trim().replace(/;\s*$/, '');
if (mode === 'load') {
    const threads = rest[0];
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
    const instance = await DuckDBInstance.create(dbPath, threads ? { threads: String(threads) } : {});
    const conn = await instance.connect();
    for (const stmt of sql.split(/;\s*$/m))
        if (stmt.trim()) await conn.run(stmt);
    await conn.run('CHECKPOINT');
    conn.closeSync?.();
} else {
    const [outPath, runsText, threads] = rest;
    const runs = Number(runsText || 3);
    const options = { access_mode: 'READ_ONLY', ...(threads ? { threads: String(threads) } : {}) };
    const instance = await DuckDBInstance.create(dbPath, options);
    const conn = await instance.connect();
    const times = [], cpus = [];
    let rows = [];
    for (let k = 0; k < runs; k++) {
        const t0 = performance.now(), c0 = process.cpuUsage();
        const reader = await conn.runAndReadAll(sql);
        rows = reader.getRows();
        times.push((performance.now() - t0) / 1000);
        const c = process.cpuUsage(c0);
        cpus.push((c.user + c.system) / 1e6);
    }
    const cell = (v) => (v === null || v === undefined ? '' : String(v));
    writeFileSync(outPath, 'j,total,n,near_at,over_at\n' +
                  rows.map((r) => r.map(cell).join(',')).join('\n') + '\n');
    times.sort((a, b) => a - b);
    cpus.sort((a, b) => a - b);
    console.log(times[Math.floor(runs / 2)].toFixed(3), cpus[Math.floor(runs / 2)].toFixed(3));
    conn.closeSync?.();
}
