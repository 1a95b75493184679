/**
 * The accumulator contract every aggregate family implements, and the small
 * per-row helpers they share. See accumulators.ts for the state layouts.
 */
import type { AggregateFn } from "../../types/operations.ts";
import type { DataType } from "../../types/data-types.ts";
import { INT64 } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";

export interface Accumulator {
  /** Makes room for groups 0..numGroups-1 (new groups start empty). */
  resize(numGroups: number): void;
  /** Folds `arg` (null for count(*)) row by row into group `ids[i]`. */
  update(ids: Int32Array, n: number, arg: ColumnVector | null): void;
  /**
   * Folds `arg`'s first `n` rows, all of group 0 (a global aggregate),
   * without a group id per row; only where that is cheaper than `update`.
   */
  updateOneGroup?(n: number, arg: ColumnVector | null): void;
  /** Folds partial state columns (in `stateTypes` order) into group `ids[i]`. */
  merge(ids: Int32Array, n: number, states: readonly ColumnVector[]): void;
  /** The partial state columns of groups 0..numGroups-1. */
  states(numGroups: number): ColumnVector[];
  /**
   * The partial states of `n` rows, each its own group, straight from `arg` (null for count(*)), with no
   * table and no per-group state; where defined, a partial aggregation that barely groups passes rows through.
   */
  rowStates?(arg: ColumnVector | null, n: number): ColumnVector[];
  /** The result column of groups 0..numGroups-1. */
  finish(numGroups: number): ColumnVector;
}

/** What an accumulator needs to know of an aggregate call (the physical plan's `AggregateCall` fits). */
export interface AggregateSpec {
  fn: AggregateFn;
  distinct: boolean;
  resultType: DataType;
  stateTypes: DataType[];
}

/** count's state for `n` rows, each its own group: 1 for a counted row (every row, or a non-NULL one), else 0. */
export function rowCounts(validity: Uint8Array | null, n: number): ColumnVector {
  const values = new Float64Array(n);
  if (validity === null) values.fill(1);
  else for (let i = 0; i < n; i++) values[i] = validity[i]!;
  return { type: INT64, length: n, values, validity: null };
}

/** The first `n` values of `arg` as a column of `type` (a copy: the state outlives the batch). */
export function rowValues(type: DataType, arg: ColumnVector, n: number): ColumnVector {
  const values = allocateValues(type, n);
  values.set(arg.values.subarray(0, n) as never);
  return { type, length: n, values, validity: arg.validity ? arg.validity.slice(0, n) : null };
}

/** Validity from a per-group flag array: null when every group is set. */
export function validityOf(flags: Uint8Array, numGroups: number): Uint8Array | null {
  for (let g = 0; g < numGroups; g++) if (flags[g] === 0) return flags.slice(0, numGroups);
  return null;
}

/** Adds each row's count (1, or its validity) to its group. */
export function countValid(ids: Int32Array, n: number, valid: Uint8Array | null, counts: Float64Array): void {
  if (valid === null) for (let i = 0; i < n; i++) counts[ids[i]!]!++;
  else for (let i = 0; i < n; i++) counts[ids[i]!] += valid[i]!;
}
