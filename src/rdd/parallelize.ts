/**
 * `session.parallelize(array, numSlices)`: an RDD over a driver-side
 * array. Elements are encoded once into a utf8 column and kept as a
 * memory table split into `numSlices` partitions the way Spark's
 * ParallelCollectionRDD slices (slice i holds [i*n/k, (i+1)*n/k)), so a
 * cluster ships them to executors like any DataFrame's memory table.
 */
import { CinderError } from "../common/errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize, utf8FromStrings } from "../exec/column-vector.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { encodeValue } from "../physical/operators/rdd-value-codec.ts";
import type { RDDContext } from "./rdd-context.ts";
import { RDD } from "./rdd.ts";
import { field } from "./rdd-planner.ts";

/** Spark's defaultParallelism: the cluster's task slots when configured, else 2. */
export function defaultParallelism(session: RDDContext): number {
  const instances = session.conf.get("executor.instances");
  return instances > 0 ? Math.max(1, instances * session.conf.get("executor.cores")) : 2;
}

export function parallelize<T>(session: RDDContext, data: readonly T[], numSlices = defaultParallelism(session)): RDD<T> {
  if (!Array.isArray(data)) throw new CinderError("WRONG_ARGUMENT", `parallelize expects an array, got ${typeof data}`, { details: {} });
  if (!Number.isInteger(numSlices) || numSlices < 1) {
    throw new CinderError("WRONG_ARGUMENT", `numSlices must be a positive integer, got ${numSlices}`, { details: { numSlices } });
  }
  const encoded = data.map((x) => encodeValue(x));
  const maxRows = Math.max(1, session.conf.get("batch.size"));
  const partitions: Batch[][] = [];
  for (let i = 0; i < numSlices; i++) {
    const start = Math.floor((i * encoded.length) / numSlices), end = Math.floor(((i + 1) * encoded.length) / numSlices);
    const batches: Batch[] = [];
    for (let at = start; at < end; at += maxRows) {
      const slice = encoded.slice(at, Math.min(end, at + maxRows));
      batches.push({ numRows: slice.length, columns: [utf8FromStrings(slice)] });
    }
    partitions.push(batches);
  }
  const tableId = session.sources.registerTable(partitions);
  const all = partitions.flat();
  const schema = [field("value")];
  const scan: PhysicalPlan = {
    type: "ScanExec", schema, sourceSchema: schema, projection: null, filters: [], numPartitions: numSlices,
    source: { kind: "memory", tableId, numPartitions: numSlices, rowCount: encoded.length, sizeBytes: all.reduce((n, b) => n + batchByteSize(b), 0) },
  };
  return new RDD<T>(session, { kind: "source", scan });
}
