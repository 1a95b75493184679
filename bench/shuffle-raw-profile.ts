/**
 * The raw shuffle of `bench/shuffle.bench.ts` alone (hash-partition 2M rows
 * into 8 shared-memory blocks per map task, read every block back), on one
 * in-process executor, for profiling the map side:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/shuffle-raw-profile.ts`.
 */
import { Session } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import type { PhysicalPlan } from "../src/physical/physical-plan.ts";

const ROWS = Number(process.env.ROWS ?? 2_000_000);
const RUNS = Number(process.env.RUNS ?? 10);
const session = new Session({ "shuffle.partitions": 8 });
const k = new Int32Array(ROWS), v = new Float64Array(ROWS);
let seed = 7;
for (let i = 0; i < ROWS; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; k[i] = seed % 200_000; v[i] = (seed >>> 10) / 1000; }
const facts = session.fromBatches(
  [{ name: "k", type: { kind: "int32" }, nullable: false, id: 9_000_001 }, { name: "v", type: { kind: "float64" }, nullable: false, id: 9_000_002 }],
  [{ numRows: ROWS, columns: [{ type: { kind: "int32" }, length: ROWS, values: k, validity: null }, { type: { kind: "float64" }, length: ROWS, values: v, validity: null }] }], 4);
const plan = session.planPhysical(session.optimize(facts.plan));
const shuffle: PhysicalPlan = {
  type: "FilterExec", schema: plan.schema,
  predicate: { type: "literal", value: false, dataType: { kind: "boolean" } } as never,
  input: { type: "ShuffleExchangeExec", exchangeId: 9_999_999, schema: plan.schema, input: plan, partitioning: { kind: "hash", numPartitions: 8, keys: [{ type: "boundRef", index: 0, dataType: { kind: "int32" }, nullable: false }] } },
};
const cluster = await Cluster.start({ executors: 1, kind: "in-process" });
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  await cluster.scheduler.runJob(shuffle, session.sources, session.conf.toJSON());
  times.push(performance.now() - t0);
}
await cluster.stop();
console.log(times.map((t) => t.toFixed(0)).join(" "), "ms");
