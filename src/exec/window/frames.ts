/**
 * Window frames as two arrays: for each row the first row of its frame and
 * the row after the last (exclusive), always inside the row's partition.
 * ROWS frames count rows; RANGE frames with CURRENT ROW extend to the peer
 * group; RANGE frames with offsets search the single ORDER BY key for the
 * values `offset` away (a binary search per row over the sorted key). A
 * row whose ORDER BY key is NULL has its NULL peers as its offset frame,
 * as in DuckDB. Empty frames have `end === start`.
 */
import type { FrameBound, WindowFrame } from "../../types/operations.ts";
import type { NumericArray } from "../column-vector.ts";
import { InternalError } from "../../common/errors.ts";
import type { GroupBounds } from "./boundaries.ts";

export interface FrameBounds {
  start: Int32Array;
  end: Int32Array;
}

/** The one ORDER BY key of a RANGE frame with offsets, with offsets scaled to its stored unit (decimal scale). */
export interface RangeKey {
  values: NumericArray;
  validity: Uint8Array | null;
  ascending: boolean;
  nullsFirst: boolean;
  /** Multiplier from a frame offset to stored values: 10^scale for decimals, 1 otherwise. */
  unit: number;
}

export function computeFrames(frame: WindowFrame, part: GroupBounds, peers: GroupBounds, n: number, rangeKey: RangeKey | null): FrameBounds {
  const start = new Int32Array(n), end = new Int32Array(n);
  fillBound(frame.unit, frame.start, false, start, part, peers, n, rangeKey);
  fillBound(frame.unit, frame.end, true, end, part, peers, n, rangeKey);
  for (let i = 0; i < n; i++) if (end[i]! < start[i]!) end[i] = start[i]!;
  return { start, end };
}

function fillBound(unit: "rows" | "range", bound: FrameBound, isEnd: boolean, out: Int32Array, part: GroupBounds, peers: GroupBounds, n: number, key: RangeKey | null): void {
  const ps = part.start, pe = part.end;
  switch (bound.kind) {
    case "unboundedPreceding": out.set(ps); return;
    case "unboundedFollowing": out.set(pe); return;
    case "currentRow":
      if (unit === "range") out.set(isEnd ? peers.end : peers.start);
      else for (let i = 0; i < n; i++) out[i] = isEnd ? i + 1 : i;
      return;
    case "offset": {
      if (unit === "rows") {
        const shift = bound.value + (isEnd ? 1 : 0);
        for (let i = 0; i < n; i++) {
          const r = i + shift, lo = ps[i]!, hi = pe[i]!;
          out[i] = r < lo ? lo : r > hi ? hi : r;
        }
        return;
      }
      if (key === null) throw new InternalError("a RANGE frame with offsets reached WindowExec without its ORDER BY key");
      fillRangeOffset(bound.value * key.unit, isEnd, out, part, peers, n, key);
    }
  }
}

/**
 * Offset bound of a RANGE frame. In sort order, a start bound is the first
 * row at or after the target value; an end bound is the first row strictly
 * after it. With a descending key, "preceding" means larger values, so the
 * target is mirrored.
 */
function fillRangeOffset(offset: number, isEnd: boolean, out: Int32Array, part: GroupBounds, peers: GroupBounds, n: number, key: RangeKey): void {
  const v = key.values, valid = key.validity, asc = key.ascending;
  // A NULL key sorts before everything (nulls first) or after everything (nulls last).
  const nullIsAfter = !key.nullsFirst;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) { out[i] = isEnd ? peers.end[i]! : peers.start[i]!; continue; }
    const target = asc ? v[i]! + offset : v[i]! - offset;
    let lo = part.start[i]!, hi = part.end[i]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let after: boolean;
      if (valid !== null && valid[mid] === 0) after = nullIsAfter;
      else {
        const x = v[mid]!;
        after = asc ? (isEnd ? x > target : x >= target) : (isEnd ? x < target : x <= target);
      }
      if (after) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
}
