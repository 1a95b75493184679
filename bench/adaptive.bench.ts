/**
 * What the adaptive decisions buy, each against the same job with the
 * decision turned off, in the same run:
 * - skipping partial aggregation: `groupBy("k").agg(sum, count)` over 2M
 *   rows at 200K, 20K and 23 distinct keys, with the default probe, with
 *   the partial step forced (`aggregate.skipPartialRatio` 1), and with no
 *   partial step at all (`repartition(8, "k")` then one aggregation), on the
 *   local engine and on 1 and 2 worker-thread executors;
 * - splitting a skewed join partition: a 4M-row fact table whose key 7 holds
 *   70% of the rows, sort-merge joined with a 150-row table and grouped,
 *   on 2 worker-thread executors, with `adaptive.skewJoin.enabled` 1 and 0.
 * Every contender's answer is checked against the first's.
 *
 * Run: `npm run bench -- adaptive` (ROUNDS=7 by default).
 */
import { Session, sum, count, lit } from "../src/index.ts";
import type { DataFrame } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import { interleavedMedians, loadAverages } from "./support/timing.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 7);

function table(session: Session, rows: number, parts: number, key: (i: number, seed: number) => number): DataFrame {
  const k = new Int32Array(rows), v = new Float64Array(rows);
  let seed = 7;
  for (let i = 0; i < rows; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; k[i] = key(i, seed); v[i] = (seed >>> 10) / 1000; }
  return session.fromBatches(
    [{ name: "k", type: { kind: "int32" }, nullable: false, id: 9_100_001 + rows }, { name: "v", type: { kind: "float64" }, nullable: false, id: 9_100_002 + rows }],
    [{ numRows: rows, columns: [{ type: { kind: "int32" }, length: rows, values: k, validity: null }, { type: { kind: "float64" }, length: rows, values: v, validity: null }] }], parts);
}

/** Sum of a result column, rounded: enough to tell a wrong answer. */
const checksum = (rows: unknown[][], c: number) => Math.round(rows.reduce((n, r) => n + Number(r[c]), 0));

const session = new Session({ "shuffle.partitions": 8, autoBroadcastJoinThreshold: 0 });
const local = session.backend;
const clusters = new Map([[1, await Cluster.start({ executors: 1, kind: "worker-thread" })], [2, await Cluster.start({ executors: 2, kind: "worker-thread" })]]);
console.log(`adaptive bench: ${ROUNDS} interleaved rounds after a warm-up, median wall ms; load average at start: ${loadAverages()}`);
try {
  for (const keys of [200_000, 20_000, 23]) {
    const facts = table(session, 2_000_000, 4, (_, seed) => seed % keys);
    const aggs = [sum("v").alias("s"), count(lit(1)).alias("n")] as const;
    const line: string[] = [];
    for (const [where, backend] of [["local", local], ["1 executor", clusters.get(1)!.backend()], ["2 executors", clusters.get(2)!.backend()]] as const) {
      session.backend = backend;
      const withRatio = (ratio: number, df: () => DataFrame) => async () => {
        session.conf.set("aggregate.skipPartialRatio", ratio);
        try { return checksum(await df().collectArrays(), 2); } finally { session.conf.set("aggregate.skipPartialRatio", 0.5); }
      };
      let expected: number | undefined;
      const t = await interleavedMedians(ROUNDS, 1, {
        adaptive: withRatio(0.5, () => facts.groupBy("k").agg(...aggs)),
        "partial forced": withRatio(1, () => facts.groupBy("k").agg(...aggs)),
        "no partial step": withRatio(0.5, () => facts.repartition(8, "k").groupBy("k").agg(...aggs)),
      }, (name, n) => { expected ??= n; if (n !== expected) throw new Error(`${name}: ${n} rows counted, expected ${expected}`); });
      line.push(`${where} ${t.adaptive!.wall.toFixed(0)} / ${t["partial forced"]!.wall.toFixed(0)} / ${t["no partial step"]!.wall.toFixed(0)}`);
    }
    console.log(`group-by, 2M rows, ${keys} keys (adaptive / partial forced / no partial step, ms): ${line.join("; ")}`);
  }

  session.backend = clusters.get(2)!.backend();
  const big = table(session, 4_000_000, 8, (i, seed) => (i % 10 < 7 ? 7 : seed % 200));
  const small = table(session, 150, 2, (i) => i);
  const joined = () => big.join(small, big.col("k").eq(small.col("k"))).groupBy(big.col("v").cast("int").mod(5)).agg(count(lit(1)).alias("n"));
  session.conf.set("adaptive.skewJoin.skewedPartitionThresholdInBytes", 1024 * 1024);
  const withSkew = (enabled: number) => async () => {
    session.conf.set("adaptive.skewJoin.enabled", enabled);
    try { return checksum(await joined().collectArrays(), 1); } finally { session.conf.set("adaptive.skewJoin.enabled", 1); }
  };
  let expected: number | undefined;
  const t = await interleavedMedians(ROUNDS, 1, { split: withSkew(1), whole: withSkew(0) },
    (name, n) => { expected ??= n; if (n !== expected) throw new Error(`${name}: ${n} joined rows, expected ${expected}`); });
  console.log(`skewed sort-merge join, 4M x 150 rows, 70% on one key, 2 executors: split ${t.split!.wall.toFixed(0)} ms, whole ${t.whole!.wall.toFixed(0)} ms (${(t.whole!.wall / t.split!.wall).toFixed(2)}x)`);
} finally {
  for (const c of clusters.values()) await c.stop();
}
console.log(`load average at the end: ${loadAverages()}`);
