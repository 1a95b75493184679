/** first: the first value each group sees, over fixed-width values and over strings. */
import type { DataType } from "../../types/data-types.ts";
import { BOOLEAN } from "../../types/data-types.ts";
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";
import type { Accumulator } from "./accumulator.ts";
import { validityOf } from "./accumulator.ts";
import { StringArena, stringParts } from "./string-arena.ts";
import { grow, nextCapacity } from "./growable.ts";

/** first: the first value each group sees, NULL included (like Spark's first and DuckDB's first). */
export class FirstAccumulator implements Accumulator {
  private values = new Float64Array(16);
  private valid = new Uint8Array(16);
  private seen = new Uint8Array(16);
  constructor(private readonly type: DataType) {}

  resize(numGroups: number): void {
    if (numGroups <= this.values.length) return;
    const size = nextCapacity(this.values.length, numGroups);
    this.values = grow(this.values, size);
    this.valid = grow(this.valid, size);
    this.seen = grow(this.seen, size);
  }

  update(ids: Int32Array, n: number, arg: ColumnVector | null): void {
    this.take(ids, n, arg!, null);
  }

  private take(ids: Int32Array, n: number, col: ColumnVector, seenCol: NumericArray | null): void {
    const v = col.values, validity = col.validity, seen = this.seen;
    for (let i = 0; i < n; i++) {
      const g = ids[i]!;
      if (seen[g] === 1 || (seenCol !== null && seenCol[i] === 0)) continue;
      seen[g] = 1;
      this.valid[g] = validity === null ? 1 : validity[i]!;
      this.values[g] = v[i]!;
    }
  }

  merge(ids: Int32Array, n: number, states: readonly ColumnVector[]): void { this.take(ids, n, states[0]!, states[1]!.values); }

  states(numGroups: number): ColumnVector[] {
    return [this.finish(numGroups), { type: BOOLEAN, length: numGroups, values: this.seen.slice(0, numGroups), validity: null }];
  }

  finish(numGroups: number): ColumnVector {
    const values = allocateValues(this.type, numGroups);
    for (let g = 0; g < numGroups; g++) values[g] = this.values[g]!;
    return { type: this.type, length: numGroups, values, validity: validityOf(this.valid, numGroups) };
  }
}

export class FirstStringAccumulator implements Accumulator {
  private readonly arena = new StringArena();
  private valid = new Uint8Array(16);
  private seen = new Uint8Array(16);

  resize(numGroups: number): void {
    this.arena.resize(numGroups);
    if (numGroups <= this.seen.length) return;
    const size = nextCapacity(this.seen.length, numGroups);
    this.valid = grow(this.valid, size);
    this.seen = grow(this.seen, size);
  }

  update(ids: Int32Array, n: number, arg: ColumnVector | null): void { this.take(ids, n, arg!, null); }

  private take(ids: Int32Array, n: number, col: ColumnVector, seenCol: NumericArray | null): void {
    const { bytes, offsets, codes, entryValidity } = stringParts(col);
    const validity = col.validity, seen = this.seen;
    for (let i = 0; i < n; i++) {
      const g = ids[i]!;
      if (seen[g] === 1 || (seenCol !== null && seenCol[i] === 0)) continue;
      seen[g] = 1;
      const idx = codes === null ? i : codes[i]!;
      const ok = (validity === null || validity[i] === 1) && (entryValidity === null || entryValidity[idx] === 1);
      this.valid[g] = ok ? 1 : 0;
      if (ok) this.arena.set(g, bytes, offsets[idx]!, offsets[idx + 1]!);
    }
  }

  merge(ids: Int32Array, n: number, states: readonly ColumnVector[]): void { this.take(ids, n, states[0]!, states[1]!.values); }

  states(numGroups: number): ColumnVector[] {
    return [this.finish(numGroups), { type: BOOLEAN, length: numGroups, values: this.seen.slice(0, numGroups), validity: null }];
  }

  finish(numGroups: number): ColumnVector { return this.arena.toVector(numGroups, validityOf(this.valid, numGroups)); }
}
