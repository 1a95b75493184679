/**
 * TPC-H in the browser: Cinder in the page and on Web Worker executors
 * against DuckDB-WASM in the same cross-origin-isolated page of Debian's
 * headless Chromium (`bench/page/tpch-page.ts` says what is timed). This
 * process generates the Parquet files (bench/tpch-data.ts), bundles the page
 * and the Web Worker executor with esbuild, serves them with DuckDB-WASM's
 * files and the data from 127.0.0.1 (COOP/COEP), and checks every Cinder
 * engine's rows against native DuckDB on the same files before printing
 * the medians, the ratios and a JSON report (`.bench-data/browser-sf<SF>.json`).
 *
 * Run: `npm run bench -- browser`. BROWSER_SF=0.1,1 (default 0.1),
 * BROWSER_EXECUTORS=1,2 (Web Worker executors), BROWSER_RUNS=3,
 * BROWSER_CACHED=0 to leave out the engines over cached tables (they hold
 * every table decoded: memory a large scale factor needs), TPCH_QUERIES=1,6 for a subset.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { loadavg } from "node:os";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { DuckDBInstance } from "@duckdb/node-api";
import { tpchDataDir } from "./tpch-data.ts";
import { TPCH_QUERIES } from "../test/support/tpch/queries.ts";
import { TPCH_TABLES } from "../test/support/tpch/generate.ts";
import { rowsDifference } from "../test/support/compare.ts";
import type { PageReport } from "./page/tpch-page.ts";

const CHROMIUM = "/usr/bin/chromium";
const SFS = (process.env.BROWSER_SF ?? "0.1").split(",");
const EXECUTORS = process.env.BROWSER_EXECUTORS ?? "1,2";
const RUNS = process.env.BROWSER_RUNS ?? "3";
const QUERIES = process.env.TPCH_QUERIES;
const CACHED = process.env.BROWSER_CACHED ?? "1";
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");

if (!existsSync(CHROMIUM)) {
  console.log(`browser TPC-H bench skipped: ${CHROMIUM} is missing (node scripts/ensure-chromium.mjs installs Debian's chromium)`);
  process.exit(0);
}

const root = new URL("..", import.meta.url).pathname;
const duckdbDist = dirname(createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"));
const built = await build({
  bundle: true, splitting: true, format: "esm", platform: "browser", target: "es2022", write: false,
  conditions: ["browser", "import", "default"], external: ["node:*"], logLevel: "warning",
  absWorkingDir: root, outdir: "/out", outbase: ".", entryNames: "[dir]/[name]", chunkNames: "chunks/[name]-[hash]",
  entryPoints: ["bench/page/tpch-page.ts", "workers/executor-web-worker.ts"],
  loader: { ".wasm": "file" },
});
type File = [type: string, body: () => Uint8Array | string];
const files = new Map<string, File>([
  ["/bench/page/index.html", ["text/html", () => `<!doctype html><meta charset="utf-8"><title>cinder TPC-H</title><pre id="out"></pre><script type="module" src="./tpch-page.js"></script>`]],
]);
for (const f of built.outputFiles) files.set(f.path.slice("/out".length), [f.path.endsWith(".wasm") ? "application/wasm" : "text/javascript", () => f.contents]);
files.set("/workers/executor-web-worker.ts", files.get("/workers/executor-web-worker.js")!);
for (const name of ["duckdb-eh.wasm", "duckdb-mvp.wasm", "duckdb-browser-eh.worker.js", "duckdb-browser-mvp.worker.js"]) {
  files.set(`/duckdb/${name}`, [name.endsWith(".wasm") ? "application/wasm" : "text/javascript", () => readFileSync(join(duckdbDist, name))]);
}
// parquet-wasm's browser build fetches its .wasm beside its module: serve it wherever the bundle asks.
const parquetWasm = join(dirname(createRequire(import.meta.url).resolve("parquet-wasm")), "..", "esm", "parquet_wasm_bg.wasm");

const dataDirs = new Map<string, string>();
for (const sf of SFS) dataDirs.set(sf, await tpchDataDir(Number(sf)));

const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  const data = /^\/data\/sf([\d.]+)\/(\w+)\.parquet$/.exec(path);
  let file: File | undefined = files.get(path);
  if (data && dataDirs.has(data[1]!)) file = ["application/octet-stream", () => readFileSync(join(dataDirs.get(data[1]!)!, `${data[2]}.parquet`))];
  if (!file && path.endsWith("parquet_wasm_bg.wasm")) file = ["application/wasm", () => readFileSync(parquetWasm)];
  if (!file) { res.statusCode = path === "/favicon.ico" ? 204 : 404; res.end(); return; }
  res.setHeader("Content-Type", file[0]);
  res.end(file[1]());
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;

/** Native DuckDB's rows for each query on the same files: the oracle for every Cinder engine. */
async function oracle(dir: string): Promise<Map<number, unknown[][]>> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  const rows = new Map<number, unknown[][]>();
  try {
    for (const t of TPCH_TABLES) await conn.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${join(dir, `${t}.parquet`)}')`);
    for (const q of TPCH_QUERIES) {
      const r = await (await conn.run(q.sql)).getRowsJS();
      rows.set(q.id, r.map((row) => row.map((v) => (typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString().slice(0, 10) : v))));
    }
  } finally { conn.closeSync(); instance.closeSync(); }
  return rows;
}

const browser = await chromium.launch({
  executablePath: CHROMIUM, headless: true,
  args: [...(process.env.BROWSER_JS_FLAGS ? [`--js-flags=${process.env.BROWSER_JS_FLAGS}`] : []), "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
let failed = false;
try {
  for (const sf of SFS) {
    console.log(`\nTPC-H SF ${sf} in headless Chromium ${browser.version()} (${CHROMIUM}), one page; Web Worker executors ${EXECUTORS}; ${RUNS} interleaved rounds after a warm-up, median wall ms; load average ${load()}`);
    const tab = await browser.newPage();
    tab.on("pageerror", (e) => console.error("page error:", e.message));
    tab.on("crash", () => console.error("the page crashed"));
    tab.on("console", (m) => { if (m.type() === "error") console.error("page console:", m.text()); });
    await tab.goto(`http://127.0.0.1:${port}/bench/page/index.html?sf=${sf}&executors=${EXECUTORS}&runs=${RUNS}&cached=${CACHED}${QUERIES ? `&queries=${QUERIES}` : ""}`);
    await tab.waitForFunction(() => (window as unknown as { __tpchBench?: unknown }).__tpchBench !== undefined, undefined, { timeout: 3_600_000, polling: 1000 });
    const result = await tab.evaluate(() => (window as unknown as { __tpchBench: { report?: PageReport; error?: string } }).__tpchBench);
    await tab.close();
    if (result.error || !result.report) throw new Error(`the page failed: ${result.error}`);
    const report = result.report;
    const expected = await oracle(dataDirs.get(sf)!);
    const engines = Object.keys(report.queries[0]!.engines);
    const cinders = engines.filter((e) => e.startsWith("cinder"));
    console.log(`${report.duckdb}; ${report.cores} cores; ${report.browser}`);
    console.log(`| query | ${engines.join(" | ")} | ${cinders.map((c) => `${c} / duckdb`).join(" | ")} | longest main-thread task ms (${engines.join(", ")}) |`);
    console.log(`| --- |${" --- |".repeat(engines.length + cinders.length + 1)}`);
    for (const q of report.queries) {
      const oracleRows = expected.get(q.id)!;
      for (const c of cinders) {
        const diff = rowsDifference(q.answers[c] as unknown[][], oracleRows, { ordered: TPCH_QUERIES.find((x) => x.id === q.id)!.ordered });
        if (diff) { failed = true; console.error(`Q${q.id} ${c} differs from DuckDB: ${diff}`); }
      }
      if (q.answers["duckdb-wasm"] !== oracleRows.length) { failed = true; console.error(`Q${q.id}: DuckDB-WASM gave ${String(q.answers["duckdb-wasm"])} rows, native DuckDB ${oracleRows.length}`); }
      const duck = q.engines["duckdb-wasm"]!.medianMs;
      console.log(`| Q${q.id} | ${engines.map((e) => q.engines[e]!.medianMs.toFixed(0)).join(" | ")} | ${cinders.map((c) => (q.engines[c]!.medianMs / duck).toFixed(2)).join(" | ")} | ${engines.map((e) => q.engines[e]!.longestTaskMs.toFixed(0)).join(", ")} |`);
    }
    const duckTimes = report.queries.map((q) => q.engines["duckdb-wasm"]!.medianMs);
    console.log(`geomean ms: ${engines.map((e) => `${e} ${geomean(report.queries.map((q) => q.engines[e]!.medianMs)).toFixed(1)}`).join(", ")}`);
    console.log(`geomean ratio to DuckDB-WASM: ${cinders.map((c) => `${c} ${geomean(report.queries.map((q, i) => q.engines[c]!.medianMs / duckTimes[i]!)).toFixed(2)}x`).join(", ")}`);
    console.log(`slowest against DuckDB-WASM: ${cinders.map((c) => { const r = report.queries.map((q, i) => [q.id, q.engines[c]!.medianMs / duckTimes[i]!] as const).sort((a, b) => b[1] - a[1])[0]!; return `${c} Q${r[0]} ${r[1].toFixed(1)}x`; }).join(", ")}`);
    console.log(`first answer (lineitem bytes to Q6's answer): ${Object.entries(report.firstAnswer).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(", ")}`);
    console.log(`per-task overhead (256 one-row tasks): ${Object.entries(report.emptyTaskMs).map(([k, v]) => `${k} ${v.toFixed(2)} ms/task`).join(", ")}; page JS heap at the end ${report.heapMB.toFixed(0)} MB`);
    console.log(failed ? "ANSWERS DIFFER (see above)" : `all answers equal native DuckDB's (${report.queries.length} queries x ${cinders.length} Cinder engines)`);
    writeFileSync(join(root, ".bench-data", `browser-sf${sf}.json`), JSON.stringify({ ...report, load: load(), time: new Date().toISOString() }, null, 1));
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`load average at the end: ${load()}`);
process.exit(failed ? 1 : 0);
