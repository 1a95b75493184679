/**
 * Ranking and offset window functions: row_number, rank and dense_rank
 * read the partition and peer-group boundaries; lag and lead gather the
 * row `offset` away inside the partition, or the default (or NULL) where
 * that row falls outside. None of them looks at the frame, as in SQL.
 */
import { INT64 } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { concat, take } from "../column-vector.ts";
import type { GroupBounds } from "./boundaries.ts";

export function rowNumber(part: GroupBounds, n: number): ColumnVector {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i - part.start[i]! + 1;
  return { type: INT64, length: n, values: out, validity: null };
}

export function rank(part: GroupBounds, peers: GroupBounds, n: number): ColumnVector {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = peers.start[i]! - part.start[i]! + 1;
  return { type: INT64, length: n, values: out, validity: null };
}

export function denseRank(part: GroupBounds, peers: GroupBounds, n: number): ColumnVector {
  const out = new Float64Array(n);
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (part.start[i] === i) r = 1;
    else if (peers.start[i] === i) r++;
    out[i] = r;
  }
  return { type: INT64, length: n, values: out, validity: null };
}

/**
 * The value `shift` rows away (negative = earlier, as lag) within the
 * partition; outside it, row i of `fallback` (lag/lead's default) or NULL.
 */
export function shifted(value: ColumnVector, shift: number, fallback: ColumnVector | null, part: GroupBounds, n: number): ColumnVector {
  const indices = new Int32Array(n);
  // With a default, gather from [value rows..., default rows...]: the default for row i sits at n + i.
  const source = fallback ? concat([value, fallback]) : value;
  for (let i = 0; i < n; i++) {
    const j = i + shift;
    indices[i] = j >= part.start[i]! && j < part.end[i]! ? j : fallback ? n + i : -1;
  }
  return take(source, indices);
}
