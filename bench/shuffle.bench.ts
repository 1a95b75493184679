/**
 * Distributed-runtime benchmark: a shuffle-heavy group-by (200k distinct
 * keys, so partial aggregation barely shrinks the data) and a sort-merge
 * join, on the local engine and on 1 and 2 Node worker-thread executors;
 * and raw shuffle throughput (hash-partition, write shared blocks, read
 * every block back) in GB/s of shuffle bytes, in-process and on worker
 * threads. Each figure is the median of several runs after a warm-up;
 * results are cross-checked against the local engine.
 *
 * Run: `npx tsx bench/shuffle.bench.ts` (ROWS=... to change the size,
 * ONLY_RAW=1 for the raw shuffle figures alone).
 */
import { Session, sum, count, lit } from "../src/index.ts";
import type { DataFrame } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import type { ExecutorKind } from "../src/cluster/cluster.ts";
import { EventLog } from "../src/scheduler/listener-bus.ts";
import type { PhysicalPlan } from "../src/physical/physical-plan.ts";

const ROWS = Number(process.env.ROWS ?? 2_000_000);
const KEYS = 200_000;

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); await fn(); times.push(performance.now() - t0); }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function makeData(session: Session): { facts: DataFrame; dims: DataFrame } {
  const k = new Int32Array(ROWS), v = new Float64Array(ROWS);
  let seed = 7;
  for (let i = 0; i < ROWS; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; k[i] = seed % KEYS; v[i] = (seed >>> 10) / 1000; }
  const facts = session.fromBatches(
    [{ name: "k", type: { kind: "int32" }, nullable: false, id: 9_000_001 }, { name: "v", type: { kind: "float64" }, nullable: false, id: 9_000_002 }],
    [{ numRows: ROWS, columns: [{ type: { kind: "int32" }, length: ROWS, values: k, validity: null }, { type: { kind: "float64" }, length: ROWS, values: v, validity: null }] }], 4);
  const dk = Int32Array.from({ length: KEYS }, (_, i) => i), dw = Float64Array.from({ length: KEYS }, (_, i) => i % 97);
  const dims = session.fromBatches(
    [{ name: "k2", type: { kind: "int32" }, nullable: false, id: 9_000_003 }, { name: "w", type: { kind: "float64" }, nullable: false, id: 9_000_004 }],
    [{ numRows: KEYS, columns: [{ type: { kind: "int32" }, length: KEYS, values: dk, validity: null }, { type: { kind: "float64" }, length: KEYS, values: dw, validity: null }] }], 4);
  return { facts, dims };
}

const session = new Session({ "shuffle.partitions": 8, autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 1 });
const local = session.backend;
const { facts, dims } = makeData(session);
const groupBy = () => facts.groupBy("k").agg(sum("v").alias("s"), count(lit(1)).alias("n"));
const join = () => facts.join(dims, facts.col("k").eq(dims.col("k2"))).groupBy("w").agg(sum("v").alias("s"));
const checksum = async (df: DataFrame) => (await df.collectArrays()).reduce((n, r) => n + (r[1] as number), 0);

console.log(`shuffle bench: ${ROWS} rows, ${KEYS} distinct keys, 4 input partitions, shuffle.partitions=8; median ms`);
const SKIP = process.env.ONLY_RAW === "1";
const reference = SKIP ? { groupBy: 0, join: 0 } : { groupBy: await checksum(groupBy()), join: await checksum(join()) };
const rows: string[][] = [["setup", "group-by ms", "sort-merge join ms"]];
if (!SKIP) {
session.backend = local;
rows.push(["local engine (1 thread)", (await median(3, () => groupBy().collectArrays())).toFixed(0), (await median(3, () => join().collectArrays())).toFixed(0)]);
const timings = new Map<number, [number, number]>();
for (const executors of [1, 2]) {
  const cluster = await Cluster.start({ executors, kind: "worker-thread" });
  session.backend = cluster.backend();
  try {
    const g = await checksum(groupBy()), j = await checksum(join());
    if (Math.abs(g - reference.groupBy) > 1e-6 * Math.abs(reference.groupBy) || Math.abs(j - reference.join) > 1e-6 * Math.abs(reference.join)) throw new Error(`cluster result differs: ${g} vs ${reference.groupBy}, ${j} vs ${reference.join}`);
    const tg = await median(3, () => groupBy().collectArrays()), tj = await median(3, () => join().collectArrays());
    timings.set(executors, [tg, tj]);
    rows.push([`${executors} worker-thread executor(s)`, tg.toFixed(0), tj.toFixed(0)]);
  } finally { await cluster.stop(); }
}
const [g1, j1] = timings.get(1)!, [g2, j2] = timings.get(2)!;
rows.push(["speedup 1 -> 2 executors", `${(g1 / g2).toFixed(2)}x`, `${(j1 / j2).toFixed(2)}x`]);
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(20))).join(""));
}

// Raw shuffle: hash-partition the scan into 8 blocks per map task and read every block back (the filter keeps no rows).
const plan = session.planPhysical(session.optimize(facts.plan));
const shuffle: PhysicalPlan = {
  type: "FilterExec", schema: plan.schema,
  predicate: { type: "literal", value: false, dataType: { kind: "boolean" } } as never,
  input: { type: "ShuffleExchangeExec", exchangeId: 9_999_999, schema: plan.schema, input: plan, partitioning: { kind: "hash", numPartitions: 8, keys: [{ type: "boundRef", index: 0, dataType: { kind: "int32" }, nullable: false }] } },
};
for (const [kind, executors] of [["in-process", 1], ["worker-thread", 2]] as [ExecutorKind, number][]) {
  const cluster = await Cluster.start({ executors, kind });
  try {
    const log = new EventLog(cluster.bus);
    const ms = await median(5, () => cluster.scheduler.runJob(shuffle, session.sources, session.conf.toJSON()));
    const runs = log.of("JobEnd").length;
    const bytes = log.of("TaskEnd").reduce((n, e) => n + (e.metrics?.shuffleBytesWritten ?? 0), 0) / runs;
    const read = log.of("TaskEnd").reduce((n, e) => n + (e.metrics?.shuffleBytesRead ?? 0), 0) / runs;
    if (Math.abs(bytes - read) > 1) throw new Error(`shuffle wrote ${bytes} bytes but read ${read}`);
    console.log(`raw shuffle, ${kind} x${executors}: ${(bytes / 1e6).toFixed(1)} MB per job in ${ms.toFixed(0)} ms = ${(bytes / 1e9 / (ms / 1000)).toFixed(2)} GB/s`);
  } finally { await cluster.stop(); }
}
