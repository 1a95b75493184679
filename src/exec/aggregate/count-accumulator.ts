/** count(x) and count(*): one int64 count per group. */
import { INT64 } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import type { Accumulator } from "./accumulator.ts";
import { countValid, rowCounts } from "./accumulator.ts";
import { grow, nextCapacity } from "./growable.ts";

export class CountAccumulator implements Accumulator {
  private counts = new Float64Array(16);
  constructor(private readonly star: boolean) {}

  resize(numGroups: number): void {
    if (numGroups > this.counts.length) this.counts = grow(this.counts, nextCapacity(this.counts.length, numGroups));
  }

  update(ids: Int32Array, n: number, arg: ColumnVector | null): void {
    countValid(ids, n, this.star || arg === null ? null : arg.validity, this.counts);
  }

  updateOneGroup(n: number, arg: ColumnVector | null): void {
    const valid = this.star || arg === null ? null : arg.validity;
    let add = n;
    if (valid !== null) for (let i = 0; i < n; i++) add -= valid[i]! ^ 1;
    this.counts[0] += add;
  }

  merge(ids: Int32Array, n: number, states: readonly ColumnVector[]): void {
    const counts = this.counts, s = states[0]!, v = s.values, valid = s.validity;
    for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) counts[ids[i]!]! += v[i]!;
  }

  states(numGroups: number): ColumnVector[] { return [this.finish(numGroups)]; }

  rowStates(arg: ColumnVector | null, n: number): ColumnVector[] {
    return [rowCounts(this.star || arg === null ? null : arg.validity, n)];
  }

  finish(numGroups: number): ColumnVector {
    return { type: INT64, length: numGroups, values: this.counts.slice(0, numGroups), validity: null };
  }
}
