/**
 * Small jobs at Spark's default `shuffle.partitions` (200), the first thing
 * a Spark user meets: a group-by of 2,000 rows into 23 groups on two
 * worker-thread executors, with adaptive coalescing of the result stage on
 * (the default) and off (one reduce task per shuffle partition), in
 * interleaved rounds; median wall ms of `collectArrays()`, answers checked
 * against the local engine.
 *
 * Run: `npm run bench -- small-jobs` (ROUNDS=15).
 */
import { Session, sum } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const session = new Session({ "shuffle.partitions": 200 });
const df = session.createDataFrame(Array.from({ length: 2000 }, (_, i) => ({ k: i % 23, v: i })), { schema: { k: "int", v: "double" }, numPartitions: 4 });
const query = () => df.groupBy("k").agg(sum("v").alias("s"));
const key = (rows: unknown[][]) => JSON.stringify([...rows].sort((a, b) => Number(a[0]) - Number(b[0])));
const expected = key(await query().collectArrays());
const cluster = await Cluster.start({ executors: 2, kind: "worker-thread" });
session.backend = cluster.backend();
const times = new Map<number, number[]>([[1, []], [0, []]]);
try {
  for (let round = -1; round < ROUNDS; round++) {
    for (const aqe of [1, 0]) {
      session.conf.set("adaptive.enabled", aqe);
      const t0 = performance.now();
      const rows = await query().collectArrays();
      if (round < 0 && key(rows) !== expected) throw new Error(`adaptive.enabled=${aqe}: the answer differs from the local engine's`);
      if (round >= 0) times.get(aqe)!.push(performance.now() - t0);
    }
  }
} finally { await cluster.stop(); }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const on = median(times.get(1)!), off = median(times.get(0)!);
console.log(`small group-by (2,000 rows, 23 groups, shuffle.partitions=200, 2 worker threads), median of ${ROUNDS}:`);
console.log(`  adaptive coalescing on (default): ${on.toFixed(1)} ms; off (200 reduce tasks): ${off.toFixed(1)} ms; ${(off / on).toFixed(1)}x`);
