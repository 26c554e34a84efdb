// bench-duckdb.mjs FILE THREADS: scripts/bench's DuckDB row.  Complaints,
// escalations and the escalation rate per month and product of a cx
// stream, as cx-metrics -p month -g product computes them.  scripts/bench
// copies this file beside the @duckdb/node-api it installs (npm) and times
// the whole process; the time inside the engine goes to standard error.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads = '1'] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const t0 = performance.now();
const r = await con.runAndReadAll(
	`SELECT strftime(created_at, '%Y-%m') AS period, product, count(*) AS complaints,
	        sum(escalated) AS deteriorated, avg(escalated) AS deterioration_rate
	 FROM read_csv('${file.replace(/'/g, "''")}', delim = '\t', header = true, quote = '', escape = '')
	 GROUP BY 1, 2 ORDER BY 1, 2`);
const groups = r.getRows().length;
console.error(`duckdb: ${(performance.now() - t0).toFixed(0)} ms in the engine, ${groups} groups, ${threads} thread(s)`);
