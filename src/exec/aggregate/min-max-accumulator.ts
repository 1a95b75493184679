/** min and max: over numbers, dates, timestamps and booleans, and over strings. */
import type { DataType } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";
import type { Accumulator } from "./accumulator.ts";
import { rowValues, validityOf } from "./accumulator.ts";
import { StringArena, stringParts } from "./string-arena.ts";
import { grow, nextCapacity } from "./growable.ts";

/** min/max over numbers, dates, timestamps and booleans (NaN is the largest value, as in DuckDB). */
export class MinMaxAccumulator implements Accumulator {
  private best = new Float64Array(16);
  private seen = new Uint8Array(16);
  constructor(private readonly type: DataType, private readonly isMin: boolean) {}

  resize(numGroups: number): void {
    if (numGroups <= this.best.length) return;
    const size = nextCapacity(this.best.length, numGroups);
    this.best = grow(this.best, size);
    this.seen = grow(this.seen, size);
  }

  update(ids: Int32Array, n: number, arg: ColumnVector | null): void {
    const best = this.best, seen = this.seen, v = arg!.values, valid = arg!.validity;
    if (this.isMin) {
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const g = ids[i]!, x = v[i]!, b = best[g]!;
        if (seen[g] === 0 || x < b || (b !== b && x === x)) { best[g] = x; seen[g] = 1; }
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const g = ids[i]!, x = v[i]!, b = best[g]!;
        if (seen[g] === 0 || x > b || (x !== x && b === b)) { best[g] = x; seen[g] = 1; }
      }
    }
  }

  merge(ids: Int32Array, n: number, states: readonly ColumnVector[]): void { this.update(ids, n, states[0]!); }

  states(numGroups: number): ColumnVector[] { return [this.finish(numGroups)]; }

  rowStates(arg: ColumnVector | null, n: number): ColumnVector[] { return [rowValues(this.type, arg!, n)]; }

  finish(numGroups: number): ColumnVector {
    const values = allocateValues(this.type, numGroups);
    for (let g = 0; g < numGroups; g++) values[g] = this.best[g]!;
    return { type: this.type, length: numGroups, values, validity: validityOf(this.seen, numGroups) };
  }
}

/** min/max over strings in UTF-8 byte order. */
export class MinMaxStringAccumulator implements Accumulator {
  private readonly arena = new StringArena();
  private seen = new Uint8Array(16);
  constructor(private readonly isMin: boolean) {}

  resize(numGroups: number): void {
    this.arena.resize(numGroups);
    if (numGroups > this.seen.length) this.seen = grow(this.seen, nextCapacity(this.seen.length, numGroups));
  }

  update(ids: Int32Array, n: number, arg: ColumnVector | null): void {
    const { bytes, offsets, codes, entryValidity } = stringParts(arg!);
    const valid = arg!.validity, seen = this.seen, arena = this.arena, sign = this.isMin ? 1 : -1;
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const idx = codes === null ? i : codes[i]!;
      if (entryValidity !== null && entryValidity[idx] === 0) continue;
      const g = ids[i]!, s = offsets[idx]!, e = offsets[idx + 1]!;
      if (seen[g] === 0 || arena.compare(g, bytes, s, e) * sign > 0) { arena.set(g, bytes, s, e); seen[g] = 1; }
    }
  }

  merge(ids: Int32Array, n: number, states: readonly ColumnVector[]): void { this.update(ids, n, states[0]!); }

  states(numGroups: number): ColumnVector[] { return [this.finish(numGroups)]; }

  finish(numGroups: number): ColumnVector { return this.arena.toVector(numGroups, validityOf(this.seen, numGroups)); }
}
