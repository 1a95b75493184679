/**
 * Turning matched row pairs into output batches. Every join algorithm ends
 * with the same two steps: keep the candidate pairs that pass the residual
 * (non-equi) condition, evaluated once over a whole chunk of pairs, and
 * gather the output columns with `take`, where an index of -1 stands for
 * the NULL-extended side of an outer join.
 */
import type { Expr } from "../../plan/expressions.ts";
import { referencedBoundIndices } from "./join-condition.ts";
import type { Batch, ColumnVector } from "../column-vector.ts";
import { slice, take } from "../column-vector.ts";
import { evaluate, selectTrue } from "../evaluate.ts";

/** A residual condition bound to left.schema ++ right.schema, with the columns it reads. */
export class PairFilter {
  private readonly leftUsed: number[];
  private readonly rightUsed: number[];

  constructor(private readonly condition: Expr, private readonly leftWidth: number, private readonly rightWidth: number) {
    const used = referencedBoundIndices(condition);
    this.leftUsed = used.filter((i) => i < leftWidth);
    this.rightUsed = used.filter((i) => i >= leftWidth).map((i) => i - leftWidth);
  }

  /**
   * Evaluates the condition over pairs (`leftRows[k]`, `rightRows[k]`) and
   * compacts both arrays in place to the pairs where it is TRUE; returns
   * their number.
   */
  filter(left: Batch, right: Batch, leftRows: Int32Array, rightRows: Int32Array, count: number): number {
    if (count === 0) return 0;
    // Only the columns the condition reads are gathered; the others are never looked at.
    const columns: ColumnVector[] = new Array(this.leftWidth + this.rightWidth);
    const placeholder = left.columns[0] ?? right.columns[0]!;
    columns.fill(placeholder);
    for (const c of this.leftUsed) columns[c] = take(left.columns[c]!, leftRows, count);
    for (const c of this.rightUsed) columns[this.leftWidth + c] = take(right.columns[c]!, rightRows, count);
    const mask = evaluate(this.condition, { columns, numRows: count });
    const { indices, count: kept } = selectTrue(mask);
    for (let k = 0; k < kept; k++) {
      const i = indices[k]!;
      leftRows[k] = leftRows[i]!;
      rightRows[k] = rightRows[i]!;
    }
    return kept;
  }
}

/** Output rows: left columns at `leftRows`, then (unless `leftOnly`) right columns at `rightRows`; -1 gives NULLs. */
export function assembleRows(left: Batch, right: Batch, leftRows: Int32Array, rightRows: Int32Array | null, count: number, leftOnly: boolean): Batch {
  const columns: ColumnVector[] = [];
  gather(left, leftRows, count, columns);
  if (!leftOnly) gather(right, rightRows ?? minusOnes(count), count, columns);
  return { columns, numRows: count };
}

/**
 * Appends `batch`'s columns at `rows` to `out`. The probe side of a
 * many-to-one join (a fact table against a dimension) usually asks for a
 * run of consecutive rows, which is a zero-copy slice rather than a gather.
 */
function gather(batch: Batch, rows: Int32Array, count: number, out: ColumnVector[]): void {
  const start = count > 0 ? rows[0]! : 0;
  let consecutive = start >= 0 && start + count <= batch.numRows;
  for (let k = 1; consecutive && k < count; k++) if (rows[k] !== start + k) consecutive = false;
  for (const c of batch.columns) out.push(consecutive ? (start === 0 && count === c.length ? c : slice(c, start, start + count)) : take(c, rows, count));
}

/** An index array of -1s: every row NULL-extended. */
export function minusOnes(count: number): Int32Array {
  return new Int32Array(count).fill(-1);
}

/** Indices `i` (ascending) where `flags[i] === want`. */
export function rowsWhere(flags: Uint8Array, numRows: number, want: 0 | 1): Int32Array {
  let n = 0;
  for (let i = 0; i < numRows; i++) if (flags[i] === want) n++;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < numRows; i++) if (flags[i] === want) out[k++] = i;
  return out;
}
