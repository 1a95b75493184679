/**
 * Broadcast variables (Spark's `sc.broadcast`): a read-only value made once
 * on the driver and read by RDD functions on every executor as `bc.value`.
 * The value is kept as a one-row memory table, so a cluster ships it to
 * each executor once (with the tables a task scans) and the local backend
 * reads it in place; tasks decode it once each.
 */
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize, utf8FromStrings } from "../exec/column-vector.ts";
import { encodeValue } from "../physical/operators/rdd-value-codec.ts";

const BROADCAST = Symbol.for("cinder.broadcast");

/** Where broadcast values are kept (the session's source registry). */
export interface BroadcastStore {
  registerTable(partitions: Batch[][]): string;
}

/**
 * A value shared with every executor. Pass it with an RDD function and read `.value` inside.
 *
 * @example
 * const stop = session.broadcast(["a", "the"]);
 * words.filter((w) => !stop.value.includes(w), { stop });
 */
export class Broadcast<T> {
  readonly [BROADCAST] = true;

  /** @internal Use `session.broadcast(value)`. */
  constructor(
    /** The memory table holding the encoded value. */
    readonly id: string,
    readonly value: T,
    readonly sizeBytes: number,
  ) {}

  /** True for a Broadcast, even one made by another copy of the library. */
  static is(v: unknown): v is Broadcast<unknown> {
    return typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[BROADCAST] === true;
  }
}

/** Encodes `value` and keeps it in `store`; throws NOT_SERIALIZABLE for values that cannot be encoded. */
export function createBroadcast<T>(store: BroadcastStore, value: T): Broadcast<T> {
  const batch: Batch = { numRows: 1, columns: [utf8FromStrings([encodeValue(value)])] };
  return new Broadcast(store.registerTable([[batch]]), value, batchByteSize(batch));
}
