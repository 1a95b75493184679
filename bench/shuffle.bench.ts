/**
 * Distributed-runtime benchmark: a shuffle-heavy group-by (200k distinct
 * keys, so partial aggregation barely shrinks the data) and a sort-merge
 * join, on the local engine and on 1 and 2 Node worker-thread executors;
 * and raw shuffle throughput (hash-partition, write shared blocks, read
 * every block back) in GB/s of shuffle bytes, in-process and on worker
 * threads. Setups run in interleaved rounds (each setup once per round,
 * so load from other processes skews them alike) after a warm-up; each
 * figure is the median; results are cross-checked against the local
 * engine, and the load average is printed next to the figures.
 *
 * Run: `npx tsx bench/shuffle.bench.ts` (ROWS=... to change the size,
 * ROUNDS=... for more rounds, ONLY_RAW=1 for the raw shuffle figures alone,
 * RAW_ROWS=2000000,17000000 for the raw shuffle's sizes).
 */
import { Session, sum, count, lit } from "../src/index.ts";
import type { DataFrame } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import type { ExecutorKind } from "../src/cluster/cluster.ts";
import { EventLog } from "../src/scheduler/listener-bus.ts";
import { makeShuffleFacts, rawShufflePlan } from "./support/raw-shuffle.ts";
import { loadavg } from "node:os";
import { probeFreeCores } from "./free-cores.ts";

const ROWS = Number(process.env.ROWS ?? 2_000_000);
const KEYS = 200_000;

const ROUNDS = Number(process.env.ROUNDS ?? 5);

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall ms of one call. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");

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

const probe = async (when: string) => { for (const line of await probeFreeCores()) console.log(`free cores ${when}: ${line}`); };
await probe("before");
console.log(`shuffle bench: ${ROWS} rows, ${KEYS} distinct keys, 4 input partitions, shuffle.partitions=8; ${ROUNDS} interleaved rounds after a warm-up, median wall ms; load average at start: ${load()}`);
const SKIP = process.env.ONLY_RAW === "1";
if (!SKIP) {
  const reference = { groupBy: await checksum(groupBy()), join: await checksum(join()) };
  const clusters = new Map<number, Cluster>();
  for (const executors of [1, 2]) clusters.set(executors, await Cluster.start({ executors, kind: "worker-thread" }));
  const setups: [string, () => void][] = [
    ["local engine (1 thread)", () => { session.backend = local; }],
    ...[1, 2].map((e) => [`${e} worker-thread executor(s)`, () => { session.backend = clusters.get(e)!.backend(); }] as [string, () => void]),
  ];
  const times = new Map<string, { g: number[]; j: number[] }>(setups.map(([name]) => [name, { g: [], j: [] }]));
  try {
    // Warm-up, with a check of every setup's answer against the local engine.
    for (const [name, use] of setups) {
      use();
      const g = await checksum(groupBy()), j = await checksum(join());
      if (Math.abs(g - reference.groupBy) > 1e-6 * Math.abs(reference.groupBy) || Math.abs(j - reference.join) > 1e-6 * Math.abs(reference.join)) throw new Error(`${name}: result differs: ${g} vs ${reference.groupBy}, ${j} vs ${reference.join}`);
    }
    // Interleaved rounds: machine load that comes and goes skews every setup alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, use] of setups) {
        use();
        times.get(name)!.g.push(await timed(() => groupBy().collectArrays()));
        times.get(name)!.j.push(await timed(() => join().collectArrays()));
      }
    }
  } finally { for (const c of clusters.values()) await c.stop(); }
  const rows: string[][] = [["setup", "group-by ms", "sort-merge join ms"]];
  for (const [name] of setups) rows.push([name, median(times.get(name)!.g).toFixed(0), median(times.get(name)!.j).toFixed(0)]);
  const one = times.get("1 worker-thread executor(s)")!, two = times.get("2 worker-thread executor(s)")!;
  rows.push(["speedup 1 -> 2 executors", `${(median(one.g) / median(two.g)).toFixed(2)}x`, `${(median(one.j) / median(two.j)).toFixed(2)}x`]);
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(20))).join(""));
  console.log(`load average after the jobs: ${load()}`);
}

// Raw shuffle: hash-partition the scan into 8 blocks per map task and read every block back (the filter keeps no rows),
// at the bench's size and at a size where a job's fixed costs (scheduling, messages) are small next to the bytes.
const RAW_ROWS = (process.env.RAW_ROWS ?? `${ROWS},17000000`).split(",").map(Number);
const raw: [ExecutorKind, number][] = [["in-process", 1], ["worker-thread", 1], ["worker-thread", 2]];
for (const rows of RAW_ROWS) {
  const rawSession = new Session({ "shuffle.partitions": 8 });
  // One map task per 500K rows, as at the default size.
  const mapTasks = Math.max(1, Math.round(rows / 500_000));
  const shuffle = rawShufflePlan(rawSession, makeShuffleFacts(rawSession, rows, mapTasks), 8);
  const sources = rawSession.sources;
  const rawClusters = await Promise.all(raw.map(([kind, executors]) => Cluster.start({ executors, kind })));
  try {
    const logs = rawClusters.map((c) => new EventLog(c.bus));
    const rawTimes: number[][] = raw.map(() => []);
    for (const c of rawClusters) await c.scheduler.runJob(shuffle, sources, rawSession.conf.toJSON()); // warm-up (ships the table)
    logs.forEach((l) => l.clear());
    const rounds = rows > 5_000_000 ? ROUNDS : ROUNDS * 2;
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < raw.length; k++) rawTimes[k]!.push(await timed(() => rawClusters[k]!.scheduler.runJob(shuffle, sources, rawSession.conf.toJSON())));
    }
    raw.forEach(([kind, executors], k) => {
      const log = logs[k]!;
      const runs = log.of("JobEnd").length;
      const bytes = log.of("TaskEnd").reduce((n, e) => n + (e.metrics?.shuffleBytesWritten ?? 0), 0) / runs;
      const read = log.of("TaskEnd").reduce((n, e) => n + (e.metrics?.shuffleBytesRead ?? 0), 0) / runs;
      if (Math.abs(bytes - read) > 1) throw new Error(`shuffle wrote ${bytes} bytes but read ${read}`);
      const mapMs = median(log.of("TaskEnd").filter((e) => (e.metrics?.shuffleBytesWritten ?? 0) > 0).map((e) => e.metrics!.durationMs));
      const ms = median(rawTimes[k]!);
      console.log(`raw shuffle, ${rows} rows, ${mapTasks} map tasks, ${kind} x${executors}: ${(bytes / 1e6).toFixed(1)} MB per job in ${ms.toFixed(0)} ms = ${(bytes / 1e9 / (ms / 1000)).toFixed(2)} GB/s (median map task ${mapMs.toFixed(0)} ms for ${(bytes / mapTasks / 1e6).toFixed(1)} MB = ${(bytes / mapTasks / 1e9 / (mapMs / 1000)).toFixed(2)} GB/s per task)`);
    });
    const one = median(rawTimes[1]!), two = median(rawTimes[2]!);
    console.log(`raw shuffle, ${rows} rows: speedup 1 -> 2 worker threads ${(one / two).toFixed(2)}x; load average now ${load()}`);
  } finally { for (const c of rawClusters) await c.stop(); }
}
console.log(`load average at the end: ${load()}`);
await probe("after");
