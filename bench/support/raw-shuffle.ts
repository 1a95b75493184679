/**
 * The raw-shuffle job the shuffle benchmarks share: the scan of an int32 key +
 * double value table, hash-partitioned on the key into `numPartitions` blocks
 * per map task, every block read back by a reduce task whose filter keeps no
 * row (so the result costs nothing to collect and the job is the shuffle).
 */
import type { Session, DataFrame } from "../../src/index.ts";
import type { PhysicalPlan } from "../../src/physical/physical-plan.ts";

/** `rows` rows (key: 200K distinct int32 values, value: double) in `partitions` memory partitions. */
export function makeShuffleFacts(session: Session, rows: number, partitions: number): DataFrame {
  const k = new Int32Array(rows), v = new Float64Array(rows);
  let seed = 7;
  for (let i = 0; i < rows; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; k[i] = seed % 200_000; v[i] = (seed >>> 10) / 1000; }
  return session.fromBatches(
    [{ name: "k", type: { kind: "int32" }, nullable: false, id: 9_000_001 }, { name: "v", type: { kind: "float64" }, nullable: false, id: 9_000_002 }],
    [{ numRows: rows, columns: [{ type: { kind: "int32" }, length: rows, values: k, validity: null }, { type: { kind: "float64" }, length: rows, values: v, validity: null }] }], partitions);
}

export function rawShufflePlan(session: Session, facts: DataFrame, numPartitions: number): PhysicalPlan {
  const plan = session.planPhysical(session.optimize(facts.plan));
  return {
    type: "FilterExec", schema: plan.schema,
    predicate: { type: "literal", value: false, dataType: { kind: "boolean" } } as never,
    input: { type: "ShuffleExchangeExec", exchangeId: 9_999_999, schema: plan.schema, input: plan, partitioning: { kind: "hash", numPartitions, keys: [{ type: "boundRef", index: 0, dataType: { kind: "int32" }, nullable: false }] } },
  };
}
