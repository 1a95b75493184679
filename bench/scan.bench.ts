/**
 * Parquet scan benchmark. One file written by DuckDB (5M rows: bigint id,
 * double x, int k, a short string s, a decimal p; row groups of ~120k rows,
 * snappy) is read from memory in two ways:
 * - parquet-wasm directly: `readParquet(bytes)` then `tableFromIPC` (the
 *   floor: what any JS engine on parquet-wasm pays to get Arrow),
 * - a Cinder scan: every split of `session.read.parquet(bytes)` through the
 *   Parquet format reader, as scan tasks run it (footer parsing, mini files
 *   per row group, Arrow -> Cinder column vectors).
 * Figures are medians of several runs after warm-up; row counts and a
 * column sum are cross-checked. Then a selective remote query (one column,
 * a predicate matching ~0.05% of rows on the sorted id) runs against a
 * local HTTP range server and reports the bytes it fetched.
 *
 * Run: `npx tsx bench/scan.bench.ts` (or `npm run bench -- scan`).
 */
import * as arrow from "apache-arrow";
import * as pw from "parquet-wasm";
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Session } from "../src/index.ts";
import type { LogicalPlan } from "../src/plan/logical-plan.ts";
import { parquetFormatReader } from "../src/io/parquet-source.ts";
import { newTaskMetrics } from "../src/physical/task-context.ts";
import { startRangeServer } from "../test/io/range-server.ts";
import { and, cmp, runWithMetrics, withPushedFilter } from "../test/io/support-plans.ts";

const ROWS = Number(process.env.SCAN_ROWS ?? 5_000_000);
const dir = join(process.cwd(), ".bench-data");
const file = join(dir, `scan-${ROWS}.parquet`);

async function median(runs: number, warmups: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

if (!existsSync(file)) {
  mkdirSync(dir, { recursive: true });
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  await db.run(`COPY (SELECT i AS id, (hash(i) % 100000) / 7.0 AS x, (i % 1000)::INTEGER AS k, 'c' || (i % 50) AS s, (i % 100000 / 100)::DECIMAL(12,2) AS p
    FROM range(${ROWS}) t(i) ORDER BY i) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 122880)`);
}
const bytes = new Uint8Array(readFileSync(file));
const mb = bytes.length / 1e6;

// parquet-wasm directly into Arrow: its default batch size (1024 rows) and the 64Ki rows Cinder asks for.
let directRows = 0, directSum = 0;
const directRead = (batchSize?: number) => () => {
  const t = arrow.tableFromIPC(pw.readParquet(bytes, batchSize ? { batchSize } : undefined).intoIPCStream());
  directRows = t.numRows;
  directSum = 0;
  for (const d of t.getChild("k")!.data) { const v = d.values as Int32Array; for (let i = 0; i < d.length; i++) directSum += v[d.offset + i]!; }
};
const directDefault = await median(5, 2, directRead());
const direct = await median(5, 2, directRead(65536));

// A Cinder scan of every column, every split, as scan tasks read them.
const session = new Session();
const df = await session.read.parquet(bytes);
const scan = df.plan as Extract<LogicalPlan, { type: "Scan" }>;
const reader = parquetFormatReader();
let cinderRows = 0, cinderSum = 0;
const kIndex = scan.schema.findIndex((f) => f.name === "k");
const cinder = await median(5, 2, async () => {
  cinderRows = 0; cinderSum = 0;
  const metrics = newTaskMetrics();
  for (let p = 0; p < reader.numPartitions(scan.source); p++) {
    for await (const b of reader.read(scan.source, scan.schema, null, [], p, undefined, metrics)) {
      cinderRows += b.numRows;
      const v = b.columns[kIndex]!.values as Int32Array;
      for (let i = 0; i < b.numRows; i++) cinderSum += v[i]!;
    }
  }
});
if (cinderRows !== directRows || cinderSum !== directSum) throw new Error(`results differ: ${cinderRows}/${cinderSum} vs ${directRows}/${directSum}`);

// Single-column scan (projection pushed down): Cinder decodes one column; parquet-wasm 0.8 always decodes all.
const oneCol = await median(5, 2, async () => {
  for (let p = 0; p < reader.numPartitions(scan.source); p++) {
    for await (const _ of reader.read(scan.source, scan.schema, [kIndex], [], p, undefined, newTaskMetrics())) { /* drain */ }
  }
});

const rate = (ms: number): string => `${(ROWS / ms / 1000).toFixed(2)} M rows/s, ${(mb / ms * 1000).toFixed(0)} MB/s`;
console.log(`file: ${ROWS} rows, ${mb.toFixed(1)} MB, ${scan.source.kind === "parquet" ? scan.source.splits?.length : "?"} splits`);
console.log(`parquet-wasm -> Arrow (all columns, default 1024-row batches): ${directDefault.toFixed(0)} ms  (${rate(directDefault)})`);
console.log(`parquet-wasm -> Arrow (all columns, 64Ki-row batches):        ${direct.toFixed(0)} ms  (${rate(direct)})`);
console.log(`Cinder scan (all columns, 64Ki-row batches):                  ${cinder.toFixed(0)} ms  (${rate(cinder)})  ${(cinder / direct).toFixed(2)}x the 64Ki parquet-wasm time`);
console.log(`Cinder scan (one int column projected):                       ${oneCol.toFixed(0)} ms  (${rate(oneCol)})`);

// Selective remote query over HTTP ranges.
const server = await startRangeServer(file);
try {
  const remote = new Session();
  const rdf = await remote.read.parquet(server.url);
  const lo = Math.floor(ROWS * 0.6), hi = lo + Math.floor(ROWS * 0.0005);
  const q = withPushedFilter(remote, rdf, and(cmp(rdf, "id", ">=", lo), cmp(rdf, "id", "<", hi))).select("x");
  const t0 = performance.now();
  const { rows, metrics } = await runWithMetrics(remote, q);
  const ms = performance.now() - t0;
  if (rows.length !== hi - lo) throw new Error(`remote query returned ${rows.length} rows, expected ${hi - lo}`);
  const size = statSync(file).size;
  console.log(`remote selective query (1 column, ${hi - lo} rows): fetched ${server.bytesServed} of ${size} bytes (${(server.bytesServed / size * 100).toFixed(2)}%) in ${server.requests.length} requests, ` +
    `${metrics.rowGroupsRead} row groups read, ${metrics.rowGroupsSkipped} skipped, ${ms.toFixed(0)} ms`);
} finally {
  await server.close();
}
