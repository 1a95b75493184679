/**
 * Aggregate window functions over precomputed frames: count, sum and avg
 * from prefix sums (a frame's total is the difference of two prefix
 * entries, whatever the frame's shape), min and max with a monotonic deque
 * when frames only move forward (always, for the frames the planner emits)
 * and a direct scan otherwise. min/max pick a row index and gather it, so
 * they work for every type; strings compare by their byte-order rank.
 */
import type { DataType } from "../../types/data-types.ts";
import { isDecimal } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { take } from "../column-vector.ts";
import { ExecutionError } from "../../common/errors.ts";
import { compareNumbers, sortKeyOf } from "../sort/sort-keys.ts";
import type { FrameBounds } from "./frames.ts";

export type WindowAggregateFn = "count" | "sum" | "avg" | "min" | "max";

/** Value of `fn(arg)` over each row's frame; `arg` null counts rows (count(*)). */
export function windowAggregate(fn: WindowAggregateFn, arg: ColumnVector | null, frames: FrameBounds, resultType: DataType, n: number): ColumnVector {
  if (fn === "min" || fn === "max") return windowMinMax(fn, arg!, frames, n);
  const counts = prefixCounts(arg, n);
  const { start, end } = frames;
  if (fn === "count") {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = counts[end[i]!]! - counts[start[i]!]!;
    return { type: resultType, length: n, values: out, validity: null };
  }
  const exact = fn === "sum" && resultType.kind !== "float64" && resultType.kind !== "float32";
  const sums = windowSums(arg!, frames, n, exact, !isDecimal(resultType));
  const validity = new Uint8Array(n);
  let anyNull = false;
  const out = new Float64Array(n);
  const unit = arg!.type.kind === "decimal" ? 10 ** arg!.type.scale : 1;
  for (let i = 0; i < n; i++) {
    const c = counts[end[i]!]! - counts[start[i]!]!;
    if (c === 0) { anyNull = true; continue; }
    validity[i] = 1;
    out[i] = fn === "sum" ? sums[i]! : sums[i]! / unit / c;
  }
  return { type: resultType, length: n, values: out, validity: anyNull ? validity : null };
}

/** counts[i] = non-NULL rows among the first i (all rows when `arg` is null). */
function prefixCounts(arg: ColumnVector | null, n: number): Float64Array {
  const counts = new Float64Array(n + 1);
  const valid = arg?.validity ?? null;
  if (valid === null) for (let i = 0; i < n; i++) counts[i + 1] = i + 1;
  else for (let i = 0; i < n; i++) counts[i + 1] = counts[i]! + valid[i]!;
  return counts;
}

const MAX_EXACT = 2 ** 53;

/**
 * Sum of the non-NULL values of each frame. Prefix differences are exact
 * for integers and decimals (stored as exact doubles) while the prefixes
 * stay within ±2^53; for floats they are within rounding of a direct sum.
 * Past 2^53, or with a non-finite value (which would poison every later
 * difference), frames are summed one by one instead; an `exact` sum that
 * still leaves ±2^53 is an ARITHMETIC_OVERFLOW for integers, as in the hash
 * aggregate; a decimal frame total rounds there, as decimal arithmetic does.
 */
function windowSums(arg: ColumnVector, frames: FrameBounds, n: number, exact: boolean, overflowIsError: boolean): Float64Array {
  const v = arg.values, valid = arg.validity;
  const { start, end } = frames;
  const prefix = new Float64Array(n + 1);
  let finite = true;
  for (let i = 0; i < n; i++) {
    const x = valid === null || valid[i] === 1 ? v[i]! : 0;
    const p = prefix[i]! + x;
    if (!Number.isFinite(p) || (exact && (p > MAX_EXACT || p < -MAX_EXACT))) finite = false;
    prefix[i + 1] = p;
  }
  const out = new Float64Array(n);
  if (finite) {
    for (let i = 0; i < n; i++) out[i] = prefix[end[i]!]! - prefix[start[i]!]!;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = start[i]!; r < end[i]!; r++) if (valid === null || valid[r] === 1) s += v[r]!;
    if (overflowIsError && exact && (s > MAX_EXACT || s < -MAX_EXACT)) {
      throw new ExecutionError("ARITHMETIC_OVERFLOW",
        `sum over a window overflowed: a frame's total is beyond ±2^53, which Cinder cannot hold exactly in ${arg.type.kind}; cast the argument to double before summing to get an approximate total`,
        { details: { function: "sum", type: arg.type.kind } });
    }
    out[i] = s;
  }
  return out;
}

function windowMinMax(fn: "min" | "max", arg: ColumnVector, frames: FrameBounds, n: number): ColumnVector {
  const key = sortKeyOf(arg, { ascending: true, nullsFirst: true });
  const v = key.values, valid = key.validity;
  const sign = fn === "min" ? 1 : -1;
  // better(a, b): row a's value beats or ties row b's.
  const better = (a: number, b: number): boolean => compareNumbers(v[a]!, v[b]!) * sign <= 0;
  const { start, end } = frames;
  const picked = new Int32Array(n).fill(-1);
  let monotonic = true;
  for (let i = 1; i < n; i++) if (start[i]! < start[i - 1]! || end[i]! < end[i - 1]!) { monotonic = false; break; }
  if (monotonic) {
    // Deque of candidate rows, values strictly improving from back to front.
    const deque = new Int32Array(n);
    let head = 0, tail = 0, added = 0;
    for (let i = 0; i < n; i++) {
      const s = start[i]!, e = end[i]!;
      for (; added < e; added++) {
        if (valid !== null && valid[added] === 0) continue;
        while (tail > head && better(added, deque[tail - 1]!)) tail--;
        deque[tail++] = added;
      }
      while (head < tail && deque[head]! < s) head++;
      if (head < tail && s < e) picked[i] = deque[head]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let best = -1;
      for (let r = start[i]!; r < end[i]!; r++) {
        if (valid !== null && valid[r] === 0) continue;
        if (best < 0 || !better(best, r)) best = r;
      }
      picked[i] = best;
    }
  }
  return take(arg, picked);
}
