/**
 * TPC-H benchmark: the 22 queries of `test/support/tpch/queries.ts` through
 * the `cinder` command line (`cinder sql -f qNN.sql --tables DIR --format
 * json`) against DuckDB native (`@duckdb/node-api`) reading the same
 * Parquet files (`.bench-data/tpch-sf<SF>/`, see tpch-data.ts), at scale
 * factors 0.1 and 1.
 *
 * Cinder runs the CLI's own entry (`runCli` from src/cli/run.ts) in this
 * process rather than spawning `bin/cinder.mjs` per query: starting Node and
 * compiling the TypeScript sources with tsx costs about 1.7 s, more than
 * most SF 0.1 queries take, so a spawned run would mostly measure start-up.
 * Each timed run still does everything the command does (argument parsing,
 * opening every Parquet file in DIR, parse, plan, execute, JSON output);
 * only the process start is left out and reported once on its own.
 * DuckDB gets views over `read_parquet` so it also reads the files on every
 * query; it runs with its default threads (both cores) and, as a second
 * column, with `threads=1`, since Cinder's in-process run uses one thread.
 * Every Cinder result is checked against DuckDB's before it is timed.
 *
 * Run: `npm run bench -- tpch` (both scale factors), or
 * `TPCH_SF=0.1 TPCH_QUERIES=3,9 npx tsx bench/tpch.bench.ts`.
 * `TPCH_RUNS` sets the timed runs per query (default 3 at SF < 1, 2 above),
 * after one warm-up run. Engines alternate within each round, so a busy
 * machine slows them alike; medians of wall and of process CPU time are
 * reported (CPU time moves much less with other processes' load).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../src/cli/run.ts";
import { TPCH_TABLES } from "../test/support/tpch/generate.ts";
import { TPCH_QUERIES } from "../test/support/tpch/queries.ts";
import { normalize } from "../test/support/duckdb-oracle.ts";
import { assertRowsEqual } from "../test/support/compare.ts";
import { tpchDataDir } from "./tpch-data.ts";
import { INITIAL_OLD_SPACE_MB } from "../src/cluster/v8-heap.ts";

const here = dirname(fileURLToPath(import.meta.url));
const scaleFactors = (process.env.TPCH_SF ?? "0.1,1").split(",").map(Number).filter((x) => x > 0);
const only = process.env.TPCH_QUERIES ? new Set(process.env.TPCH_QUERIES.split(",").map(Number)) : null;
const queries = TPCH_QUERIES.filter((q) => !only || only.has(q.id));

const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/** The query files the CLI reads with -f. */
function writeQueryFiles(): Map<number, string> {
  const dir = join(here, "..", ".bench-data", "tpch-queries");
  mkdirSync(dir, { recursive: true });
  const files = new Map<number, string>();
  for (const q of TPCH_QUERIES) {
    const file = join(dir, `q${String(q.id).padStart(2, "0")}.sql`);
    writeFileSync(file, `${q.sql.trim()}\n`);
    files.set(q.id, file);
  }
  return files;
}

async function duckOver(dir: string, threads: number | null): Promise<{ conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(":memory:", threads ? { threads: String(threads) } : {});
  const conn = await instance.connect();
  for (const t of TPCH_TABLES) await conn.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${join(dir, `${t}.parquet`)}')`);
  return { conn, close: () => { conn.closeSync(); instance.closeSync(); } };
}

async function duckQuery(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS().map((r) => r.map(normalize));
}

/** One CLI run in this process; returns the parsed JSON rows. */
async function cinderQuery(file: string, dir: string): Promise<unknown[][]> {
  let out = "", err = "";
  const code = await runCli(["sql", "-f", file, "--tables", dir, "--format", "json"], {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
  });
  if (code !== 0) throw new Error(err.trim() || `exit code ${code}`);
  return (JSON.parse(out) as { rows: unknown[][] }).rows;
}

/** Wall and CPU milliseconds of one run. CPU is the whole process's (DuckDB's threads included): on a
 * shared machine it moves far less with other people's load than wall time does. */
async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const t0 = performance.now(), c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

/** Wall time of `bin/cinder.mjs sql "select 1"`: the process start-up the in-process runs leave out. */
function processStartMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [`--initial-old-space-size=${INITIAL_OLD_SPACE_MB}`, join(here, "..", "bin", "cinder.mjs"), "sql", "select 1 as x", "--format", "json"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cinder start-up run failed: ${r.stderr}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

interface Timing { wall: number; cpu: number }
interface Row { id: number; cinder: Timing; duck: Timing; duck1: Timing; error?: string }
const med = (ts: Timing[]): Timing => ({ wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) });
const NONE: Timing = { wall: NaN, cpu: NaN };

const files = writeQueryFiles();
console.log(`TPC-H: Cinder CLI in-process vs DuckDB ${scaleFactors.join(", ")}; load average at start ${load()}`);
console.log(`process start-up of bin/cinder.mjs (tsx, "select 1"): ${processStartMs().toFixed(0)} ms, not included below`);
let failed = false;
for (const sf of scaleFactors) {
  const dir = await tpchDataDir(sf);
  const runs = Number(process.env.TPCH_RUNS ?? (sf < 1 ? 3 : 2));
  const duck = await duckOver(dir, null), duck1 = await duckOver(dir, 1);
  const rows: Row[] = [];
  console.log(`\nSF ${sf} (${dir}), 1 warm-up + ${runs} timed runs, medians; load average ${load()}`);
  console.log("query   cinder ms (cpu)      duckdb ms (cpu)     ratio (cpu)   duckdb-1t ms   ratio-1t");
  for (const q of queries) {
    const file = files.get(q.id)!;
    try {
      // The warm-up run is also the correctness check.
      const expected = await duckQuery(duck.conn, q.sql);
      assertRowsEqual(await cinderQuery(file, dir), expected, { ordered: q.ordered, message: `Q${q.id}` });
      await duckQuery(duck1.conn, q.sql);
      const t = { cinder: [] as Timing[], duck: [] as Timing[], duck1: [] as Timing[] };
      for (let r = 0; r < runs; r++) {
        t.duck.push(await timed(() => duckQuery(duck.conn, q.sql)));
        t.duck1.push(await timed(() => duckQuery(duck1.conn, q.sql)));
        t.cinder.push(await timed(() => cinderQuery(file, dir)));
      }
      const row = { id: q.id, cinder: med(t.cinder), duck: med(t.duck), duck1: med(t.duck1) };
      rows.push(row);
      const f = (x: number) => x.toFixed(0);
      console.log(`Q${String(q.id).padEnd(4)} ${f(row.cinder.wall).padStart(9)} (${f(row.cinder.cpu).padStart(6)}) ${f(row.duck.wall).padStart(10)} (${f(row.duck.cpu).padStart(6)}) ${(row.cinder.wall / row.duck.wall).toFixed(1).padStart(7)} (${(row.cinder.cpu / row.duck.cpu).toFixed(1).padStart(5)}) ${f(row.duck1.wall).padStart(12)} ${(row.cinder.wall / row.duck1.wall).toFixed(1).padStart(10)}`);
    } catch (e) {
      failed = true;
      const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
      rows.push({ id: q.id, cinder: NONE, duck: NONE, duck1: NONE, error: msg });
      console.log(`Q${String(q.id).padEnd(4)} FAILED: ${msg}`);
    }
  }
  duck.close();
  duck1.close();
  const ok = rows.filter((r) => !r.error);
  if (ok.length) {
    const g = (pick: (r: Row) => number) => geomean(ok.map(pick)).toFixed(2);
    console.log(`geomean of ratios over ${ok.length} queries: wall ${g((r) => r.cinder.wall / r.duck.wall)}x DuckDB, cpu ${g((r) => r.cinder.cpu / r.duck.cpu)}x, wall ${g((r) => r.cinder.wall / r.duck1.wall)}x DuckDB 1 thread; load average ${load()}`);
    const sum = (pick: (r: Row) => number) => (ok.reduce((s, r) => s + pick(r), 0) / 1000).toFixed(2);
    console.log(`total wall: cinder ${sum((r) => r.cinder.wall)} s, duckdb ${sum((r) => r.duck.wall)} s, duckdb 1 thread ${sum((r) => r.duck1.wall)} s`);
  }
  // The same figures as a Markdown table for BENCHMARKS.md.
  console.log(`\n| query | Cinder ms (cpu) | DuckDB ms (cpu) | ratio wall (cpu) | DuckDB 1 thread ms | ratio |\n| --- | --- | --- | --- | --- | --- |`);
  for (const r of rows) {
    const f = (x: number) => x.toFixed(0);
    console.log(r.error ? `| Q${r.id} | failed: ${r.error} | | | | |`
      : `| Q${r.id} | ${f(r.cinder.wall)} (${f(r.cinder.cpu)}) | ${f(r.duck.wall)} (${f(r.duck.cpu)}) | ${(r.cinder.wall / r.duck.wall).toFixed(1)} (${(r.cinder.cpu / r.duck.cpu).toFixed(1)}) | ${f(r.duck1.wall)} | ${(r.cinder.wall / r.duck1.wall).toFixed(1)} |`);
  }
}
process.exit(failed ? 1 : 0);
