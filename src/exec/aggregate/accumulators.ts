/**
 * Vectorized aggregate state: one accumulator per aggregate call, holding
 * its per-group state in typed arrays indexed by group id and grown by
 * doubling. Every method works on a whole batch: `update` folds raw input
 * values (complete and partial modes), `merge` folds the state columns a
 * partial aggregate emitted (final mode), `states` emits those state
 * columns, and `finish` the result column. State layouts follow
 * `stateTypes` in src/physical/planner.ts: count [int64], sum [sum],
 * avg [sum, count int64], min/max [value], first [value, seen boolean].
 */
import type { AggregateFn } from "../../types/operations.ts";
import type { DataType } from "../../types/data-types.ts";
import { BOOLEAN, INT64, isDecimal } from "../../types/data-types.ts";
import { ExecutionError, InternalError } from "../../common/errors.ts";
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";
import { StringArena, stringParts } from "./string-arena.ts";
import { DistinctAccumulator } from "./distinct-accumulator.ts";
import { grow, nextCapacity } from "./growable.ts";

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

/**
 * Accumulators for a list of calls. With `argKeys` (a key per call naming
 * its argument, given only when inputs are raw rows, not partial states) an
 * avg whose argument is also summed reads that sum's state instead of
 * adding the same values a second time.
 */
export function createAccumulators(calls: readonly AggregateSpec[], argKeys?: readonly (string | null)[]): Accumulator[] {
  const sums = new Map<string, SumAccumulator>();
  if (argKeys) {
    calls.forEach((c, i) => {
      const key = argKeys[i];
      if (c.fn === "sum" && !c.distinct && key != null && !sums.has(key)) sums.set(key, new SumAccumulator(c.stateTypes[0]!, false, c.resultType));
    });
  }
  const used = new Set<SumAccumulator>();
  const accs = calls.map((c, i) => {
    const owner = c.distinct ? undefined : sums.get(argKeys?.[i] ?? "");
    if (owner && c.fn === "sum" && !used.has(owner)) { used.add(owner); return owner; }
    if (owner && c.fn === "avg") return new SumAccumulator(c.stateTypes[0]!, true, c.resultType, owner);
    return createAccumulator(c);
  });
  if (argKeys) shareCounts(calls, argKeys, accs);
  return accs;
}

/**
 * A sum or avg over raw rows already counts each group's non-NULL values,
 * so count(x) on the same argument is that count, and count(*) is it plus
 * the rows whose argument was NULL: both then cost no pass of their own
 * (sum, avg and count(*) in one query were three passes over the group ids).
 */
function shareCounts(calls: readonly AggregateSpec[], argKeys: readonly (string | null)[], accs: Accumulator[]): void {
  const owners: { key: string; acc: SumAccumulator }[] = [];
  calls.forEach((c, i) => {
    const acc = accs[i]!, key = argKeys[i];
    if (acc instanceof SumAccumulator && acc.ownsCounts && key != null && !owners.some((o) => o.acc === acc)) owners.push({ key, acc });
  });
  if (owners.length === 0) return;
  calls.forEach((c, i) => {
    if (c.distinct) return;
    if (c.fn === "count_star") {
      const owner = owners[0]!.acc;
      owner.trackNulls();
      accs[i] = new SharedCountAccumulator(owner, true);
    } else if (c.fn === "count") {
      const owner = owners.find((o) => o.key === argKeys[i])?.acc;
      if (owner) accs[i] = new SharedCountAccumulator(owner, false);
    }
  });
}

export function createAccumulator(call: AggregateSpec): Accumulator {
  const acc = plainAccumulator(call);
  // min, max and first do not change under DISTINCT.
  if (call.distinct && (call.fn === "count" || call.fn === "sum" || call.fn === "avg")) return new DistinctAccumulator(acc);
  return acc;
}

function plainAccumulator(call: AggregateSpec): Accumulator {
  const state0 = call.stateTypes[0]!;
  switch (call.fn) {
    case "count": return new CountAccumulator(false);
    case "count_star": return new CountAccumulator(true);
    case "sum": return new SumAccumulator(state0, false, call.resultType);
    case "avg": return new SumAccumulator(state0, true, call.resultType);
    case "min": case "max":
      return state0.kind === "utf8" ? new MinMaxStringAccumulator(call.fn === "min") : new MinMaxAccumulator(state0, call.fn === "min");
    case "first":
      return state0.kind === "utf8" ? new FirstStringAccumulator() : new FirstAccumulator(state0);
  }
}

/** count's state for `n` rows, each its own group: 1 for a counted row (every row, or a non-NULL one), else 0. */
function rowCounts(validity: Uint8Array | null, n: number): ColumnVector {
  const values = new Float64Array(n);
  if (validity === null) values.fill(1);
  else for (let i = 0; i < n; i++) values[i] = validity[i]!;
  return { type: INT64, length: n, values, validity: null };
}

/** The first `n` values of `arg` as a column of `type` (a copy: the state outlives the batch). */
function rowValues(type: DataType, arg: ColumnVector, n: number): ColumnVector {
  const values = allocateValues(type, n);
  values.set(arg.values.subarray(0, n) as never);
  return { type, length: n, values, validity: arg.validity ? arg.validity.slice(0, n) : null };
}

/** Validity from a per-group flag array: null when every group is set. */
function validityOf(flags: Uint8Array, numGroups: number): Uint8Array | null {
  for (let g = 0; g < numGroups; g++) if (flags[g] === 0) return flags.slice(0, numGroups);
  return null;
}

class CountAccumulator implements Accumulator {
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

const MAX_EXACT = Number.MAX_SAFE_INTEGER;

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

function countValid(ids: Int32Array, n: number, valid: Uint8Array | null, counts: Float64Array): void {
  if (valid === null) for (let i = 0; i < n; i++) counts[ids[i]!]!++;
  else for (let i = 0; i < n; i++) counts[ids[i]!] += valid[i]!;
}

function countNulls(ids: Int32Array, n: number, valid: Uint8Array, counts: Float64Array): void {
  for (let i = 0; i < n; i++) if (valid[i] === 0) counts[ids[i]!]!++;
}

/**
 * count(x) or count(*) read from a sum or avg over raw rows (see
 * shareCounts): its update does nothing, as the owner's pass counts.
 */
class SharedCountAccumulator implements Accumulator {
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
class SumAccumulator implements Accumulator {
  private sums = new Float64Array(16);
  /** Non-NULL values added per group (avg's divisor; for sum, whether the result is non-NULL). */
  counts = new Float64Array(16);
  /** Rows whose argument was NULL, per group: kept only when a count(*) reads this accumulator's counts. */
  nullCounts: Float64Array | null = null;
  /** Neumaier compensation per group (decimal sums only). */
  private comp: Float64Array | null;
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
      sumCompensated(ids, n, v, valid, this.sums, this.comp);
      countValid(ids, n, valid, this.counts);
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

/** min/max over numbers, dates, timestamps and booleans (NaN is the largest value, as in DuckDB). */
class MinMaxAccumulator implements Accumulator {
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
class MinMaxStringAccumulator implements Accumulator {
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

/** first: the first value each group sees, NULL included (like Spark's first and DuckDB's first). */
class FirstAccumulator implements Accumulator {
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

class FirstStringAccumulator implements Accumulator {
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
