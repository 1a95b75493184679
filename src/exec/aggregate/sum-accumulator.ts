/**
 * sum and avg (a sum and a count of non-NULL values per group), and the
 * count(x) / count(*) that read a sum's counts instead of a pass of their own.
 */
import type { DataType } from "../../types/data-types.ts";
import { INT64, isDecimal } from "../../types/data-types.ts";
import { ExecutionError, InternalError } from "../../common/errors.ts";
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import type { Accumulator } from "./accumulator.ts";
import { countValid, rowCounts, rowValues } from "./accumulator.ts";
import { grow, nextCapacity } from "./growable.ts";

const MAX_EXACT = Number.MAX_SAFE_INTEGER;
/** Half of MAX_EXACT: the bound itself is a rounded double sum, so it keeps a margin. */
const PLAIN_DECIMAL_BOUND = 2 ** 52;

// The summing loops are module functions, one loop each, so V8 optimizes each whole with full type feedback.

function sumAll(ids: Int32Array, n: number, v: NumericArray, sums: Float64Array, counts: Float64Array): void {
  for (let i = 0; i < n; i++) { const g = ids[i]!; sums[g] += v[i]!; counts[g]!++; }
}

function sumValid(ids: Int32Array, n: number, v: NumericArray, valid: Uint8Array, sums: Float64Array, counts: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const g = ids[i]!;
    sums[g] += v[i]!;
    counts[g]!++;
  }
}

/** Adds exact integers; false when a running sum left the range where doubles are exact. */
function sumExact(ids: Int32Array, n: number, v: NumericArray, valid: Uint8Array | null, sums: Float64Array, counts: Float64Array): boolean {
  let ok = true;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const g = ids[i]!;
    const s = sums[g]! + v[i]!;
    sums[g] = s;
    counts[g]!++;
    if (s > MAX_EXACT || s < -MAX_EXACT) ok = false;
  }
  return ok;
}

/**
 * Decimal sums (unscaled) with Neumaier's compensation: exact while a
 * group's total stays within 2^53, and past it the total rounds once at the
 * end (within one part in 2^53) instead of drifting with every addition.
 * Spark widens decimal sums by 10 digits, so TPC-H's sum(price * (1 - disc)
 * * (1 + tax)) at scale 6 passes 2^53 already at scale factor 0.1.
 */
function sumCompensated(ids: Int32Array, n: number, v: NumericArray, valid: Uint8Array | null, sums: Float64Array, comp: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const g = ids[i]!, s = sums[g]!, x = v[i]!, t = s + x;
    comp[g] += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
    sums[g] = t;
  }
}

/** Sum of |v[i]| over the rows that count: a bound on how far this batch can move any group's total. */
function absTotal(n: number, v: NumericArray, valid: Uint8Array | null): number {
  let t = 0;
  if (valid === null) for (let i = 0; i < n; i++) t += Math.abs(v[i]!);
  else for (let i = 0; i < n; i++) if (valid[i] !== 0) t += Math.abs(v[i]!);
  return t;
}

function countNulls(ids: Int32Array, n: number, valid: Uint8Array, counts: Float64Array): void {
  for (let i = 0; i < n; i++) if (valid[i] === 0) counts[ids[i]!]!++;
}

/**
 * count(x) or count(*) read from a sum or avg over raw rows (see
 * shareCounts): its update does nothing, as the owner's pass counts.
 */
export class SharedCountAccumulator implements Accumulator {
  constructor(private readonly owner: SumAccumulator, private readonly star: boolean) {}
  resize(): void {}
  update(): void {}
  merge(): void {
    throw new InternalError("a count sharing a sum's pass cannot merge partial states");
  }
  states(numGroups: number): ColumnVector[] { return [this.finish(numGroups)]; }
  rowStates(arg: ColumnVector | null, n: number): ColumnVector[] {
    return [rowCounts(this.star || arg === null ? null : arg.validity, n)];
  }
  finish(numGroups: number): ColumnVector {
    const values = this.owner.counts.slice(0, numGroups), nulls = this.owner.nullCounts;
    if (this.star && nulls !== null) for (let g = 0; g < numGroups; g++) values[g] += nulls[g]!;
    return { type: INT64, length: numGroups, values, validity: null };
  }
}

/**
 * sum and avg. Integer sums add exact integers and fail with
 * ARITHMETIC_OVERFLOW as soon as a running sum leaves the range where
 * doubles are exact, instead of rounding silently; decimal sums are
 * compensated (see sumCompensated), floating-point sums plain.
 */
export class SumAccumulator implements Accumulator {
  private sums = new Float64Array(16);
  /** Non-NULL values added per group (avg's divisor; for sum, whether the result is non-NULL). */
  counts = new Float64Array(16);
  /** Rows whose argument was NULL, per group: kept only when a count(*) reads this accumulator's counts. */
  nullCounts: Float64Array | null = null;
  /** Neumaier compensation per group (decimal sums only). */
  private comp: Float64Array | null;
  /**
   * Decimal sums: the sum of |value| of every row added so far, a bound on every group's |total|.
   * While it stays within 2^52, plain additions are exact and the compensated loop is not needed.
   */
  private absBound = 0;
  private readonly exact: boolean;
  private readonly scale: number;

  /** `owner`: a sum over the same argument whose sums and counts this avg reads (its own update does nothing). */
  constructor(private readonly sumType: DataType, private readonly isAvg: boolean, private readonly resultType: DataType,
    private readonly owner: SumAccumulator | null = null) {
    this.exact = sumType.kind !== "float64" && !isDecimal(sumType) && !isAvg;
    this.comp = isDecimal(sumType) ? new Float64Array(16) : null;
    this.scale = isDecimal(sumType) ? sumType.scale : 0;
  }

  /** True when this accumulator adds raw values itself (an avg reading a sum's state does not). */
  get ownsCounts(): boolean {
    return this.owner === null;
  }

  /** From now on also counts, per group, the rows whose argument is NULL (for a count(*) sharing this pass). */
  trackNulls(): void {
    this.nullCounts ??= new Float64Array(this.sums.length);
  }

  resize(numGroups: number): void {
    if (this.owner !== null || numGroups <= this.sums.length) return;
    const size = nextCapacity(this.sums.length, numGroups);
    this.sums = grow(this.sums, size);
    this.counts = grow(this.counts, size);
    if (this.comp !== null) this.comp = grow(this.comp, size);
    if (this.nullCounts !== null) this.nullCounts = grow(this.nullCounts, size);
  }

  update(ids: Int32Array, n: number, arg: ColumnVector | null): void {
    if (arg === null) throw new InternalError("sum/avg without an argument");
    if (this.owner !== null) return;
    this.add(ids, n, arg.values, arg.validity);
    if (this.nullCounts !== null && arg.validity !== null) countNulls(ids, n, arg.validity, this.nullCounts);
  }

  private add(ids: Int32Array, n: number, v: NumericArray, valid: Uint8Array | null): void {
    if (this.comp !== null) {
      if (this.absBound <= PLAIN_DECIMAL_BOUND) this.absBound += absTotal(n, v, valid);
      if (this.absBound <= PLAIN_DECIMAL_BOUND) {
        if (valid === null) sumAll(ids, n, v, this.sums, this.counts);
        else sumValid(ids, n, v, valid, this.sums, this.counts);
      } else {
        sumCompensated(ids, n, v, valid, this.sums, this.comp);
        countValid(ids, n, valid, this.counts);
      }
    } else if (!this.exact) {
      if (valid === null) sumAll(ids, n, v, this.sums, this.counts);
      else sumValid(ids, n, v, valid, this.sums, this.counts);
    } else if (!sumExact(ids, n, v, valid, this.sums, this.counts)) {
      throw new ExecutionError("ARITHMETIC_OVERFLOW",
        `sum overflowed: a group's total is beyond ±2^53, which Cinder cannot hold exactly in ${this.sumType.kind}; cast the argument to double before summing to get an approximate total`,
        { details: { function: "sum", type: this.sumType.kind } });
    }
  }

  merge(ids: Int32Array, n: number, states: readonly ColumnVector[]): void {
    if (this.owner !== null) throw new InternalError("an avg sharing a sum's state cannot merge partial states");
    if (!this.isAvg) { this.add(ids, n, states[0]!.values, states[0]!.validity); return; }
    const counts = this.counts;
    const sv = states[0]!.values, valid = states[0]!.validity, cv = states[1]!.values;
    if (this.comp !== null) {
      sumCompensated(ids, n, sv, valid, this.sums, this.comp);
    } else {
      const sums = this.sums;
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        sums[ids[i]!] += sv[i]!;
      }
    }
    for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) counts[ids[i]!] += cv[i]!;
  }

  /** Each group's sum, with its compensation folded in. */
  private totals(numGroups: number): Float64Array {
    const src = this.owner ?? this;
    const out = src.sums.slice(0, numGroups), comp = src.comp;
    if (comp !== null) for (let g = 0; g < numGroups; g++) out[g] += comp[g]!;
    return out;
  }

  private present(numGroups: number): Uint8Array | null {
    const counts = (this.owner ?? this).counts;
    for (let g = 0; g < numGroups; g++) {
      if (counts[g] === 0) {
        const validity = new Uint8Array(numGroups);
        for (let k = 0; k < numGroups; k++) validity[k] = counts[k]! > 0 ? 1 : 0;
        return validity;
      }
    }
    return null;
  }

  states(numGroups: number): ColumnVector[] {
    const src = this.owner ?? this;
    const sum: ColumnVector = { type: this.sumType, length: numGroups, values: this.totals(numGroups), validity: this.present(numGroups) };
    if (!this.isAvg) return [sum];
    return [sum, { type: INT64, length: numGroups, values: src.counts.slice(0, numGroups), validity: null }];
  }

  rowStates(arg: ColumnVector | null, n: number): ColumnVector[] {
    if (arg === null) throw new InternalError("sum/avg without an argument");
    // A NULL argument is a NULL sum (and avg counts it 0), as a group with no value is.
    const sum = rowValues(this.sumType, arg, n);
    return this.isAvg ? [sum, rowCounts(arg.validity, n)] : [sum];
  }

  finish(numGroups: number): ColumnVector {
    const validity = this.present(numGroups);
    if (!this.isAvg) return { type: this.resultType, length: numGroups, values: this.totals(numGroups), validity };
    const src = this.owner ?? this;
    const out = new Float64Array(numGroups), sums = this.totals(numGroups), counts = src.counts;
    const divisor = 10 ** this.scale;
    for (let g = 0; g < numGroups; g++) out[g] = counts[g]! > 0 ? sums[g]! / counts[g]! / divisor : 0;
    return { type: this.resultType, length: numGroups, values: out, validity };
  }
}
