/**
 * Join benchmark: a fact table (int32 key, float64 value) of 1M and 10M
 * rows inner-joined with a 100K-row dimension (int32 key, int32
 * attribute), every fact key matching one dimension row. Both tables are
 * built once as Arrow tables; each engine answers "how many joined rows",
 * single-threaded, in the same process:
 * - Cinder: `createDataFrame` both sides, `join` on "k", `count()`;
 * - Arquero 7: `fromArrow` both sides, `join(.., "k")`, `numRows()`;
 * - DuckDB-WASM: `SELECT count(*) FROM facts JOIN dims USING (k)` on tables
 *   loaded beforehand as Arrow IPC (its npm build cannot read Parquet
 *   here), so its figure excludes the load;
 * - raw typed arrays: a direct-indexed probe that counts matches (the floor).
 * Engines run interleaved, one warm-up round then several timed rounds, and
 * the median wall and CPU times are printed with the ratios (CPU time stays
 * meaningful when other processes share the cores). Every round's count is
 * checked, and before timing each engine also computes count, sum(v) and
 * sum(attr) over the join, checked against a raw chained hash join that
 * gathers the joined columns, so a fast wrong answer cannot pass.
 *
 * Run: `npm run bench -- join` (or `npx tsx bench/join.bench.ts [fact-row-counts...]`).
 */
import * as arrow from "apache-arrow";
import * as aq from "arquero";
import { Session, count, sum } from "../src/index.ts";
import { DuckDBWasmPeer } from "./support/duckdb-wasm.ts";
import { interleavedMedians, loadAverages, ratio, sizeLabel } from "./support/timing.ts";

type ArqueroArrow = Parameters<typeof aq.fromArrow>[0];

const DIM_ROWS = 100_000;
const WARMUP = 1;
const RUNS = 5;

/** count(*), sum(v), sum(attr) over the joined rows: the cross-check. */
type Checksum = [number, number, number];

function makeTables(factRows: number): { facts: arrow.Table; dims: arrow.Table } {
  let seed = 42;
  const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
  const fk = new Int32Array(factRows), fv = new Float64Array(factRows);
  for (let i = 0; i < factRows; i++) { fk[i] = Math.floor(rand() * DIM_ROWS); fv[i] = rand() * 1000; }
  const dk = new Int32Array(DIM_ROWS), da = new Int32Array(DIM_ROWS);
  for (let i = 0; i < DIM_ROWS; i++) { dk[i] = i; da[i] = i % 977; }
  // Shuffle the dimension so its keys are not simply row numbers.
  for (let i = DIM_ROWS - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); const t = dk[i]!; dk[i] = dk[j]!; dk[j] = t; }
  return {
    facts: arrow.tableFromArrays({ k: fk, v: fv }),
    dims: arrow.tableFromArrays({ k: dk, attr: da }),
  };
}

async function cinderJoin(facts: arrow.Table, dims: arrow.Table): Promise<number> {
  const session = new Session();
  const f = session.createDataFrame(facts), d = session.createDataFrame(dims);
  return f.join(d, "k").count();
}

function arqueroJoin(facts: arrow.Table, dims: arrow.Table): number {
  // Arquero types its input against its own apache-arrow copy; the tables are the same at run time.
  return aq.fromArrow(facts as unknown as ArqueroArrow).join(aq.fromArrow(dims as unknown as ArqueroArrow), "k").numRows();
}

/**
 * The floor: the least work that answers the query by hand. The dimension
 * keys are known to be 0..DIM_ROWS-1, so a key indexes a row-of-key array
 * directly (no hashing, as Cinder's and DuckDB's tables do for dense keys);
 * each fact looks its key up once and counts the match.
 */
function rawJoin(facts: arrow.Table, dims: arrow.Table): number {
  const fk = facts.getChild("k")!.toArray() as Int32Array, dk = dims.getChild("k")!.toArray() as Int32Array;
  const rowOfKey = new Int32Array(DIM_ROWS).fill(-1);
  for (let i = 0; i < dk.length; i++) rowOfKey[dk[i]!] = i;
  let count = 0;
  for (let p = 0; p < fk.length; p++) { const key = fk[p]!; if (key >= 0 && key < DIM_ROWS && rowOfKey[key]! >= 0) count++; }
  return count;
}

/** The cross-check's reference (not timed): a chained hash table over typed arrays, then the joined columns gathered. */
function rawJoinColumns(facts: arrow.Table, dims: arrow.Table): { k: Int32Array; v: Float64Array; attr: Int32Array } {
  const fk = facts.getChild("k")!.toArray() as Int32Array, fv = facts.getChild("v")!.toArray() as Float64Array;
  const dk = dims.getChild("k")!.toArray() as Int32Array, da = dims.getChild("attr")!.toArray() as Int32Array;
  const m = dk.length;
  let buckets = 16;
  while (buckets < m * 2) buckets *= 2;
  const mask = buckets - 1;
  const heads = new Int32Array(buckets).fill(-1), next = new Int32Array(m);
  for (let i = m - 1; i >= 0; i--) { const s = Math.imul(dk[i]!, 0x9e3779b1) >>> 0 & mask; next[i] = heads[s]!; heads[s] = i; }
  const n = fk.length;
  let pi = new Int32Array(n), bi = new Int32Array(n), count = 0;
  for (let p = 0; p < n; p++) {
    const key = fk[p]!;
    for (let b = heads[Math.imul(key, 0x9e3779b1) >>> 0 & mask]!; b >= 0; b = next[b]!) {
      if (dk[b] === key) {
        if (count === pi.length) { const a = new Int32Array(count * 2); a.set(pi); pi = a; const c = new Int32Array(count * 2); c.set(bi); bi = c; }
        pi[count] = p; bi[count] = b; count++;
      }
    }
  }
  const ok = new Int32Array(count), ov = new Float64Array(count), oa = new Int32Array(count);
  for (let k = 0; k < count; k++) { const p = pi[k]!; ok[k] = fk[p]!; ov[k] = fv[p]!; oa[k] = da[bi[k]!]!; }
  return { k: ok, v: ov, attr: oa };
}

function duckdbJoin(duck: DuckDBWasmPeer): number {
  return Number(duck.query("SELECT count(*) AS n FROM facts JOIN dims USING (k)").getChild("n")!.get(0));
}

/** Each engine's count, sum(v) and sum(attr) over the same join (not timed). */
async function checksums(facts: arrow.Table, dims: arrow.Table, duck: DuckDBWasmPeer): Promise<Record<string, Checksum>> {
  const raw = rawJoinColumns(facts, dims);
  let sv = 0, sa = 0;
  for (let i = 0; i < raw.k.length; i++) { sv += raw.v[i]!; sa += raw.attr[i]!; }
  const session = new Session();
  const [cRow] = await session.createDataFrame(facts).join(session.createDataFrame(dims), "k").agg(count("*"), sum("v"), sum("attr")).collectArrays();
  const q = aq.fromArrow(facts as unknown as ArqueroArrow).join(aq.fromArrow(dims as unknown as ArqueroArrow), "k")
    .rollup({ n: aq.op.count(), sv: aq.op.sum("v"), sa: aq.op.sum("attr") }).object() as { n: number; sv: number; sa: number };
  const d = duck.query("SELECT count(*) AS n, sum(v) AS sv, sum(attr) AS sa FROM facts JOIN dims USING (k)");
  return {
    raw: [raw.k.length, sv, sa],
    cinder: cRow!.map(Number) as Checksum,
    arquero: [q.n, q.sv, q.sa],
    "duckdb-wasm": [Number(d.getChild("n")!.get(0)), Number(d.getChild("sv")!.get(0)), Number(d.getChild("sa")!.get(0))],
  };
}

function checkChecksums(sums: Record<string, Checksum>): void {
  const want = sums.raw!;
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.abs(y);
  for (const [name, got] of Object.entries(sums)) {
    if (got[0] !== want[0] || !close(got[1], want[1]) || got[2] !== want[2]) throw new Error(`${name}: join checksum (count, sum(v), sum(attr)) ${got.join(", ")}, expected ${want.join(", ")}`);
  }
}

const duck = await DuckDBWasmPeer.open();
console.log(`join: facts (int32 k, float64 v) inner join dims (int32 k, int32 attr) on k, count of joined rows; median wall ms (cpu ms), single thread`);
console.log(`peers: Arquero (fromArrow + join), ${duck.description} (query on tables loaded from Arrow IPC, load not timed), raw typed-array direct-indexed probe`);
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const factRows of sizes.length ? sizes : [1_000_000, 10_000_000]) {
  const { facts, dims } = makeTables(factRows);
  const l0 = performance.now();
  duck.load("facts", facts);
  duck.load("dims", dims);
  const loadMs = performance.now() - l0;
  checkChecksums(await checksums(facts, dims, duck));
  const loadBefore = loadAverages();
  const t = await interleavedMedians(RUNS, WARMUP, {
    cinder: () => cinderJoin(facts, dims),
    arquero: () => arqueroJoin(facts, dims),
    "duckdb-wasm": () => duckdbJoin(duck),
    raw: () => rawJoin(facts, dims),
  }, (name, rows) => { if (rows !== factRows) throw new Error(`${name} returned ${rows} joined rows, expected ${factRows}`); });
  const { cinder: c, arquero: a, "duckdb-wasm": d, raw } = t as Record<"cinder" | "arquero" | "duckdb-wasm" | "raw", { wall: number; cpu: number }>;
  const fmt = (x: { wall: number; cpu: number }) => `${x.wall.toFixed(1)} ms (${x.cpu.toFixed(0)} cpu)`;
  console.log(`${sizeLabel(factRows).padStart(4)} facts x ${sizeLabel(DIM_ROWS)} dims (${factRows.toLocaleString("en")} joined rows), median of ${RUNS} after ${WARMUP} warm-up, load average ${loadBefore} -> ${loadAverages()}:`);
  console.log(`  cinder ${fmt(c)}, arquero ${fmt(a)}, duckdb-wasm ${fmt(d)} (+${loadMs.toFixed(0)} ms one-off IPC load, not timed), raw probe ${fmt(raw)}`);
  console.log(`  wall: cinder/arquero ${ratio(c.wall, a.wall)}, cinder/duckdb-wasm ${ratio(c.wall, d.wall)}, cinder/raw ${ratio(c.wall, raw.wall)}`);
  console.log(`  cpu:  cinder/arquero ${ratio(c.cpu, a.cpu)}, cinder/duckdb-wasm ${ratio(c.cpu, d.cpu)}, cinder/raw ${ratio(c.cpu, raw.cpu)}`);
}
duck.close();
