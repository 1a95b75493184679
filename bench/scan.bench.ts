/**
 * Parquet scan benchmark. One file written by DuckDB (5M rows: bigint id,
 * double x, int k, a short string s, a decimal p; row groups of ~120k rows,
 * snappy) is read from memory in two ways:
 * - parquet-wasm directly: `readParquet(bytes)` then `tableFromIPC` (the
 *   floor: what any JS engine on parquet-wasm pays to get Arrow),
 * - a Cinder scan: every split of `session.read.parquet(bytes)` through the
 *   Parquet format reader, as scan tasks run it (footer parsing, mini files
 *   per row group, Arrow -> Cinder column vectors).
 * The contenders run in interleaved rounds (each round runs every
 * contender once, in a rotating order) so machine load skews them alike;
 * figures are medians over rounds of wall and CPU time, and the ratio is
 * the median of the per-round ratios. Row counts and a column sum are
 * cross-checked. Then a selective remote query (one column,
 * a predicate matching ~0.05% of rows on the sorted id) runs against a
 * local HTTP range server and reports the bytes it fetched.
 *
 * Run: `npx tsx bench/scan.bench.ts` (or `npm run bench -- scan`).
 */
import * as arrow from "apache-arrow";
import * as pw from "parquet-wasm";
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Session } from "../src/index.ts";
import type { LogicalPlan } from "../src/plan/logical-plan.ts";
import { parquetFormatReader } from "../src/io/parquet-reader.ts";
import { newTaskMetrics } from "../src/types/task-metrics.ts";
import { startRangeServer } from "../test/io/range-server.ts";
import { and, cmp, runWithMetrics, withPushedFilter } from "../test/io/support-plans.ts";

const ROWS = Number(process.env.SCAN_ROWS ?? 5_000_000);
const dir = join(process.cwd(), ".bench-data");
const file = join(dir, `scan-${ROWS}.parquet`);

const ROUNDS = Number(process.env.SCAN_ROUNDS ?? 7);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

interface Timing { wall: number[]; cpu: number[] }

/** Runs every contender once per round (rotating the order), after one warm-up round; wall and CPU ms per round. */
async function interleaved(contenders: Record<string, () => Promise<unknown> | unknown>): Promise<Record<string, Timing>> {
  const names = Object.keys(contenders);
  const out: Record<string, Timing> = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [] }]));
  for (let round = -1; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + Math.max(0, round)) % names.length]!;
      const c0 = process.cpuUsage(), t0 = performance.now();
      await contenders[name]!();
      const wall = performance.now() - t0, c = process.cpuUsage(c0);
      if (round >= 0) { out[name]!.wall.push(wall); out[name]!.cpu.push((c.user + c.system) / 1000); }
    }
  }
  return out;
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

// A Cinder scan of every column, every split, as scan tasks read them.
const session = new Session();
const df = await session.read.parquet(bytes);
const scan = df.plan as Extract<LogicalPlan, { type: "Scan" }>;
const reader = parquetFormatReader();
let cinderRows = 0, cinderSum = 0;
const kIndex = scan.schema.findIndex((f) => f.name === "k");
const cinderScan = async (): Promise<void> => {
  cinderRows = 0; cinderSum = 0;
  const metrics = newTaskMetrics();
  for (let p = 0; p < reader.numPartitions(scan.source); p++) {
    for await (const b of reader.read(scan.source, scan.schema, null, [], p, undefined, metrics)) {
      cinderRows += b.numRows;
      const v = b.columns[kIndex]!.values as Int32Array;
      for (let i = 0; i < b.numRows; i++) cinderSum += v[i]!;
    }
  }
};

// Single-column scan (projection pushed down): Cinder decodes one column; parquet-wasm 0.8 always decodes all.
const oneColScan = async (): Promise<void> => {
  for (let p = 0; p < reader.numPartitions(scan.source); p++) {
    for await (const _ of reader.read(scan.source, scan.schema, [kIndex], [], p, undefined, newTaskMetrics())) { /* drain */ }
  }
};

const load0 = loadavg()[0]!;
const t = await interleaved({ directDefault: directRead(), direct: directRead(65536), cinder: cinderScan, oneCol: oneColScan });
const load1 = loadavg()[0]!;
const directDefault = median(t.directDefault!.wall), direct = median(t.direct!.wall), cinder = median(t.cinder!.wall), oneCol = median(t.oneCol!.wall);
const ratio = median(t.cinder!.wall.map((w, i) => w / t.direct!.wall[i]!));
const cpuRatio = median(t.cinder!.cpu.map((w, i) => w / t.direct!.cpu[i]!));
if (cinderRows !== directRows || cinderSum !== directSum) throw new Error(`results differ: ${cinderRows}/${cinderSum} vs ${directRows}/${directSum}`);

const rate = (ms: number): string => `${(ROWS / ms / 1000).toFixed(2)} M rows/s, ${(mb / ms * 1000).toFixed(0)} MB/s`;
const cpu = (name: string): string => `cpu ${median(t[name]!.cpu).toFixed(0)} ms`;
console.log(`file: ${ROWS} rows, ${mb.toFixed(1)} MB, ${scan.source.kind === "parquet" ? scan.source.splits?.length : "?"} splits; ${ROUNDS} interleaved rounds after a warm-up; load average ${load0.toFixed(1)} -> ${load1.toFixed(1)}`);
console.log(`parquet-wasm -> Arrow (all columns, default 1024-row batches): ${directDefault.toFixed(0)} ms  (${rate(directDefault)}, ${cpu("directDefault")})`);
console.log(`parquet-wasm -> Arrow (all columns, 64Ki-row batches):        ${direct.toFixed(0)} ms  (${rate(direct)}, ${cpu("direct")})`);
console.log(`Cinder scan (all columns, 64Ki-row batches):                  ${cinder.toFixed(0)} ms  (${rate(cinder)}, ${cpu("cinder")})`);
console.log(`  Cinder / parquet-wasm 64Ki, median of per-round ratios: wall ${ratio.toFixed(2)}x, cpu ${cpuRatio.toFixed(2)}x; per round: ${t.cinder!.wall.map((w, i) => (w / t.direct!.wall[i]!).toFixed(2)).join(" ")}`);
console.log(`Cinder scan (one int column projected):                       ${oneCol.toFixed(0)} ms  (${rate(oneCol)}, ${cpu("oneCol")})`);

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
