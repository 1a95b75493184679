/**
 * Join benchmark: a fact table (int32 key, float64 value) of 1M and 10M
 * rows inner-joined with a 100K-row dimension (int32 key, int32
 * attribute), every fact key matching one dimension row. Both tables are
 * built once as Arrow tables; each engine is timed from the Arrow tables to
 * the number of joined rows (Cinder: `createDataFrame` both sides, `join`
 * on "k", `count()`; Arquero 7: `fromArrow` both sides, `join(.., "k")`,
 * `numRows()`), single-threaded, in the same process. A raw typed-array
 * hash join that gathers the same output columns is the floor. Engines
 * run interleaved, one warm-up round then several timed rounds, and the
 * median wall and CPU times are printed with the Cinder/Arquero ratio (CPU
 * time stays meaningful when other processes share the cores). Run:
 * `npx tsx bench/join.bench.ts [fact-row-counts...]`.
 */
import * as arrow from "apache-arrow";
import * as aq from "arquero";
import { Session } from "../src/index.ts";

type ArqueroArrow = Parameters<typeof aq.fromArrow>[0];

const DIM_ROWS = 100_000;
const WARMUP = 1;
const RUNS = 5;

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

/** The floor: a chained hash table over typed arrays, then the joined columns gathered. */
function rawJoin(facts: arrow.Table, dims: arrow.Table): number {
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
  return ok.length + 0 * (ov[0]! + oa[0]!);
}

interface Timing { wall: number; cpu: number }

/**
 * Runs every engine once per round, interleaved, so a busy machine slows
 * them alike; returns each engine's median wall and CPU (user + system) time.
 */
async function timeAll(engines: Record<string, () => number | Promise<number>>, expected: number): Promise<Record<string, Timing>> {
  const samples: Record<string, Timing[]> = {};
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [label, fn] of Object.entries(engines)) {
      const c0 = process.cpuUsage(), t0 = performance.now();
      const rows = await fn();
      const wall = performance.now() - t0, c = process.cpuUsage(c0);
      if (rows !== expected) throw new Error(`${label} returned ${rows} joined rows, expected ${expected}`);
      if (round >= WARMUP) (samples[label] ??= []).push({ wall, cpu: (c.user + c.system) / 1000 });
    }
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { wall: median(v.map((t) => t.wall)), cpu: median(v.map((t) => t.cpu)) }]));
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const factRows of sizes.length ? sizes : [1_000_000, 10_000_000]) {
  const { facts, dims } = makeTables(factRows);
  const t = await timeAll({
    "raw typed arrays": () => rawJoin(facts, dims),
    cinder: () => cinderJoin(facts, dims),
    arquero: () => arqueroJoin(facts, dims),
  }, factRows);
  console.log(`facts ${factRows.toLocaleString("en")} x dims ${DIM_ROWS.toLocaleString("en")} (inner, ${factRows.toLocaleString("en")} joined rows, median of ${RUNS}, wall / cpu):`);
  for (const [label, { wall, cpu }] of Object.entries(t)) console.log(`  ${label.padEnd(17)} ${wall.toFixed(1).padStart(9)} ms  ${cpu.toFixed(1).padStart(9)} ms cpu`);
  const c = t.cinder!, q = t.arquero!;
  console.log(`  cinder/arquero    ${(c.wall / q.wall).toFixed(3)} wall, ${(c.cpu / q.cpu).toFixed(3)} cpu  (cinder ${(q.wall / c.wall).toFixed(1)}x faster wall, ${(q.cpu / c.cpu).toFixed(1)}x cpu)`);
}
