/**
 * DISTINCT aggregates (count/sum/avg DISTINCT, complete mode only): a
 * group table over (group id, value) pairs passes each pair to the wrapped
 * accumulator only the first time it appears, so the wrapped one sees every
 * distinct value of each group exactly once.
 */
import { INT32 } from "../../types/data-types.ts";
import { InternalError } from "../../common/errors.ts";
import type { ColumnVector } from "../column-vector.ts";
import { take } from "../column-vector.ts";
import type { Accumulator } from "./accumulator.ts";
import type { GroupTable } from "./group-table.ts";
import { createGroupTable } from "./group-table.ts";

export class DistinctAccumulator implements Accumulator {
  private pairs: GroupTable | null = null;
  private pairIds = new Int32Array(0);

  constructor(private readonly inner: Accumulator) {}

  resize(numGroups: number): void { this.inner.resize(numGroups); }

  update(ids: Int32Array, n: number, arg: ColumnVector | null): void {
    if (arg === null) throw new InternalError("a DISTINCT aggregate without an argument");
    if (this.pairIds.length < n) this.pairIds = new Int32Array(n);
    // A pair table may keep these columns, so the group ids are copied out of the caller's reused buffer.
    const groups: ColumnVector = { type: INT32, length: n, values: ids.slice(0, n), validity: null };
    const pairs = this.pairs ??= createGroupTable([INT32, arg.type]);
    let next = pairs.numGroups;
    pairs.findOrInsert([groups, arg], n, this.pairIds);
    // Pair ids are dense and assigned in row order: row i is a pair's first occurrence when its id is the next new one.
    const rows = new Int32Array(pairs.numGroups - next);
    const pairIds = this.pairIds;
    let count = 0;
    for (let i = 0; i < n; i++) if (pairIds[i] === next) { rows[count++] = i; next++; }
    const newIds = new Int32Array(count);
    for (let k = 0; k < count; k++) newIds[k] = ids[rows[k]!]!;
    this.inner.update(newIds, count, take(arg, rows, count));
  }

  merge(): void {
    throw new InternalError("DISTINCT aggregates run in complete mode only; the planner must not split them into partial and final");
  }

  states(): ColumnVector[] {
    throw new InternalError("DISTINCT aggregates run in complete mode only; they have no partial state");
  }

  finish(numGroups: number): ColumnVector { return this.inner.finish(numGroups); }
}
