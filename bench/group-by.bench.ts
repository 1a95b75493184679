/**
 * Group-by benchmark: `groupBy("k").agg(sum("v"), avg("v"), count("*"))`
 * over an int32 key with about 1000 distinct values and a float64 value,
 * at 1M and 10M rows. Contenders, measured in the same process:
 * - Cinder: one partition, default config (no shuffle), from the Arrow table;
 * - Arquero: `fromArrow` over the same table, `groupby().rollup()`;
 * - DuckDB-WASM (single-threaded): the same table loaded beforehand as
 *   Arrow IPC (its npm build cannot read Parquet here), so its figure is the
 *   SQL query on a loaded table and excludes the load;
 * - a raw typed-array loop: the floor (keys known to be 0..999, no hashing).
 * Rounds are interleaved and each figure is the median wall and CPU time
 * after warm-up (CPU time stays meaningful when other processes share the
 * cores); every result is cross-checked against the raw loop's, so a fast
 * wrong answer cannot pass.
 *
 * Run: `npm run bench -- group-by` (or `npx tsx bench/group-by.bench.ts`;
 * `GROUP_BY_SIZES=1000000` picks sizes).
 */
import * as arrow from "apache-arrow";
import * as aq from "arquero";
import { Session, sum, avg, count } from "../src/index.ts";
import { DuckDBWasmPeer } from "./support/duckdb-wasm.ts";
import { interleavedMedians, loadAverages, ratio, sizeLabel } from "./support/timing.ts";

const DISTINCT_KEYS = 1000;
const SIZES = (process.env.GROUP_BY_SIZES ?? "1000000,10000000").split(",").map(Number);

function makeTable(rows: number): arrow.Table {
  const k = new Int32Array(rows), v = new Float64Array(rows);
  let seed = 12345;
  for (let i = 0; i < rows; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    k[i] = seed % DISTINCT_KEYS;
    v[i] = (seed >>> 8) / 1024;
  }
  return arrow.tableFromArrays({ k, v });
}

/** Per group: sum, average and count of v. */
type Totals = Map<number, { sum: number; avg: number; count: number }>;

function rawLoop(table: arrow.Table): Totals {
  const k = table.getChild("k")!.data[0]!.values as Int32Array;
  const v = table.getChild("v")!.data[0]!.values as Float64Array;
  const sums = new Float64Array(DISTINCT_KEYS), counts = new Float64Array(DISTINCT_KEYS);
  for (let i = 0; i < k.length; i++) { const g = k[i]!; sums[g] += v[i]!; counts[g]!++; }
  const out: Totals = new Map();
  for (let g = 0; g < DISTINCT_KEYS; g++) if (counts[g]! > 0) out.set(g, { sum: sums[g]!, avg: sums[g]! / counts[g]!, count: counts[g]! });
  return out;
}

async function cinder(session: Session, table: arrow.Table): Promise<Totals> {
  const rows = await session.createDataFrame(table).groupBy("k").agg(sum("v"), avg("v"), count("*")).collectArrays();
  const out: Totals = new Map();
  for (const [k, s, a, c] of rows) out.set(k as number, { sum: s as number, avg: a as number, count: c as number });
  return out;
}

function arquero(table: arrow.Table): Totals {
  const result = aq.fromArrow(table as unknown as Parameters<typeof aq.fromArrow>[0]).groupby("k").rollup({ s: aq.op.sum("v"), a: aq.op.mean("v"), c: aq.op.count() });
  const out: Totals = new Map();
  for (const row of result.objects() as { k: number; s: number; a: number; c: number }[]) out.set(row.k, { sum: row.s, avg: row.a, count: row.c });
  return out;
}

function duckdbWasm(duck: DuckDBWasmPeer): Totals {
  const result = duck.query("SELECT k, sum(v) AS s, avg(v) AS a, count(*) AS c FROM facts GROUP BY k");
  const k = result.getChild("k")!, s = result.getChild("s")!, a = result.getChild("a")!, c = result.getChild("c")!;
  const out: Totals = new Map();
  for (let i = 0; i < result.numRows; i++) out.set(k.get(i) as number, { sum: s.get(i) as number, avg: a.get(i) as number, count: Number(c.get(i)) });
  return out;
}

function check(name: string, got: Totals, want: Totals): void {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.abs(y);
  if (got.size !== want.size) throw new Error(`${name}: ${got.size} groups, expected ${want.size}`);
  for (const [k, w] of want) {
    const g = got.get(k);
    if (!g || g.count !== w.count || !close(g.sum, w.sum) || !close(g.avg, w.avg)) throw new Error(`${name}: group ${k} is ${JSON.stringify(g)}, expected ${JSON.stringify(w)}`);
  }
}

const session = new Session();
const duck = await DuckDBWasmPeer.open();
console.log(`group-by: sum/avg/count over int32 key (${DISTINCT_KEYS} distinct) and float64 value; median wall ms (cpu ms), single thread`);
console.log(`peers: Arquero (fromArrow + groupby/rollup), ${duck.description} (query on a table loaded from Arrow IPC, load not timed), raw typed-array loop`);
for (const rows of SIZES) {
  const table = makeTable(rows);
  const want = rawLoop(table);
  const l0 = performance.now();
  duck.load("facts", table);
  const loadMs = performance.now() - l0;
  const rounds = rows >= 5_000_000 ? 5 : 9;
  const loadBefore = loadAverages();
  const t = await interleavedMedians(rounds, 2, {
    cinder: () => cinder(session, table),
    arquero: () => arquero(table),
    "duckdb-wasm": () => duckdbWasm(duck),
    raw: () => rawLoop(table),
  }, (name, got) => check(name, got, want));
  const { cinder: c, arquero: a, "duckdb-wasm": d, raw } = t as Record<"cinder" | "arquero" | "duckdb-wasm" | "raw", { wall: number; cpu: number }>;
  const fmt = (x: { wall: number; cpu: number }) => `${x.wall.toFixed(1)} ms (${x.cpu.toFixed(0)} cpu)`;
  console.log(`${sizeLabel(rows).padStart(4)} rows, median of ${rounds} after 2 warm-ups, load average ${loadBefore} -> ${loadAverages()}:`);
  console.log(`  cinder ${fmt(c)}, arquero ${fmt(a)}, duckdb-wasm ${fmt(d)} (+${loadMs.toFixed(0)} ms one-off IPC load, not timed), raw loop ${fmt(raw)}`);
  console.log(`  wall: cinder/arquero ${ratio(c.wall, a.wall)}, cinder/duckdb-wasm ${ratio(c.wall, d.wall)}, cinder/raw ${ratio(c.wall, raw.wall)}`);
  console.log(`  cpu:  cinder/arquero ${ratio(c.cpu, a.cpu)}, cinder/duckdb-wasm ${ratio(c.cpu, d.cpu)}, cinder/raw ${ratio(c.cpu, raw.cpu)}`);
}
duck.close();
