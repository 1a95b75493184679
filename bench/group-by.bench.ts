/**
 * Group-by benchmark: `groupBy("k").agg(sum("v"), avg("v"), count("*"))`
 * over an int32 key with about 1000 distinct values and a float64 value,
 * at 1M and 10M rows. Cinder (one partition, default config: no shuffle),
 * Arquero over the same Arrow table, and a raw typed-array loop (the floor:
 * keys known to be 0..999, no hashing) are measured in the same process,
 * interleaved; each figure is the median of several rounds after warm-up. Results are
 * cross-checked so a fast wrong answer cannot pass.
 *
 * Run: `npx tsx bench/group-by.bench.ts` (or `npm run bench -- group-by`).
 */
import * as arrow from "apache-arrow";
import * as aq from "arquero";
import { Session, sum, avg, count } from "../src/index.ts";

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

/**
 * Median milliseconds of each contender. Runs are interleaved (one of each
 * per round) so that load from other processes drifting over time skews all
 * of them alike, and the ratios stay meaningful on a busy machine.
 */
async function medians(rounds: number, warmups: number, contenders: (() => Promise<unknown> | unknown)[]): Promise<number[]> {
  const times: number[][] = contenders.map(() => []);
  for (let r = 0; r < warmups + rounds; r++) {
    for (let c = 0; c < contenders.length; c++) {
      const t0 = performance.now();
      await contenders[c]!();
      if (r >= warmups) times[c]!.push(performance.now() - t0);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
}

type Totals = Map<number, { sum: number; count: number }>;

function rawLoop(table: arrow.Table): Totals {
  const k = table.getChild("k")!.data[0]!.values as Int32Array;
  const v = table.getChild("v")!.data[0]!.values as Float64Array;
  const sums = new Float64Array(DISTINCT_KEYS), counts = new Float64Array(DISTINCT_KEYS);
  for (let i = 0; i < k.length; i++) { const g = k[i]!; sums[g] += v[i]!; counts[g]!++; }
  const out: Totals = new Map();
  for (let g = 0; g < DISTINCT_KEYS; g++) if (counts[g]! > 0) out.set(g, { sum: sums[g]!, count: counts[g]! });
  return out;
}

async function cinder(session: Session, table: arrow.Table): Promise<Totals> {
  const rows = await session.createDataFrame(table).groupBy("k").agg(sum("v"), avg("v"), count("*")).collectArrays();
  const out: Totals = new Map();
  for (const [k, s, , c] of rows) out.set(k as number, { sum: s as number, count: c as number });
  return out;
}

function arquero(table: arrow.Table): Totals {
  const result = aq.fromArrow(table as unknown as Parameters<typeof aq.fromArrow>[0]).groupby("k").rollup({ s: aq.op.sum("v"), a: aq.op.mean("v"), c: aq.op.count() });
  const out: Totals = new Map();
  for (const row of result.objects() as { k: number; s: number; c: number }[]) out.set(row.k, { sum: row.s, count: row.c });
  return out;
}

function check(name: string, got: Totals, want: Totals): void {
  if (got.size !== want.size) throw new Error(`${name}: ${got.size} groups, expected ${want.size}`);
  for (const [k, w] of want) {
    const g = got.get(k);
    if (!g || g.count !== w.count || Math.abs(g.sum - w.sum) > 1e-9 * Math.abs(w.sum)) throw new Error(`${name}: group ${k} is ${JSON.stringify(g)}, expected ${JSON.stringify(w)}`);
  }
}

const session = new Session();
console.log(`group-by: sum/avg/count over int32 key (${DISTINCT_KEYS} distinct) and float64 value; median ms`);
for (const rows of SIZES) {
  const table = makeTable(rows);
  const want = rawLoop(table);
  check("cinder", await cinder(session, table), want);
  check("arquero", arquero(table), want);
  const rounds = rows >= 5_000_000 ? 5 : 9;
  const [c, a, raw] = await medians(rounds, 2, [() => cinder(session, table), () => arquero(table), () => rawLoop(table)]) as [number, number, number];
  const label = rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows}`;
  console.log(`${label.padStart(4)} rows: cinder ${c.toFixed(1)} ms, arquero ${a.toFixed(1)} ms, raw loop ${raw.toFixed(1)} ms; cinder/arquero ${(c / a).toFixed(3)} (${(a / c).toFixed(1)}x faster), cinder/raw ${(c / raw).toFixed(1)}`);
}
