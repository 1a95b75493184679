/**
 * Turning matched row pairs into output batches. Every join algorithm ends
 * with the same two steps: keep the candidate pairs that pass the residual
 * (non-equi) condition, evaluated once over a whole chunk of pairs, and
 * gather the output columns with `take`, where an index of -1 stands for
 * the NULL-extended side of an outer join.
 */
import type { Batch, ColumnVector } from "../column-vector.ts";
import { slice, take } from "../column-vector.ts";
import { selectTrue } from "../select-true.ts";

/**
 * A residual join condition as the kernels see it: the ordinals of
 * left.schema ++ right.schema it reads, and its TRUE/FALSE/NULL mask over a
 * batch laid out that way. The physical layer binds it from an expression,
 * so the join kernels never walk expression trees.
 */
export interface PairPredicate {
  readonly columns: readonly number[];
  test(batch: Batch): ColumnVector;
}

/** Keeps the candidate pairs that pass a residual condition. */
export class PairFilter {
  private readonly leftUsed: number[];
  private readonly rightUsed: number[];

  constructor(private readonly condition: PairPredicate, private readonly leftWidth: number, private readonly rightWidth: number) {
    const used = condition.columns;
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
    const mask = this.condition.test({ columns, numRows: count });
    const { indices, count: kept } = selectTrue(mask);
    for (let k = 0; k < kept; k++) {
      const i = indices[k]!;
      leftRows[k] = leftRows[i]!;
      rightRows[k] = rightRows[i]!;
    }
    return kept;
  }
}

/**
 * Output rows: left columns at `leftRows`, then (unless `leftOnly`) right
 * columns at `rightRows`; -1 gives NULLs. With `select` (ordinals of that
 * full output) only those columns are gathered, in that order; an empty
 * `select` gives a batch of rows with no columns (a count needs nothing else).
 */
export function assembleRows(left: Batch, right: Batch, leftRows: Int32Array, rightRows: Int32Array | null, count: number,
  leftOnly: boolean, select: readonly number[] | null = null): Batch {
  const columns: ColumnVector[] = [];
  const leftWidth = left.columns.length;
  if (select === null) {
    gather(left, leftRows, count, columns);
    if (!leftOnly) gather(right, rightRows ?? minusOnes(count), count, columns);
    return { columns, numRows: count };
  }
  let leftRun = -2, rightRun = -2, rRows = rightRows;
  for (const c of select) {
    if (c < leftWidth) {
      if (leftRun === -2) leftRun = runStart(leftRows, count, left.numRows);
      columns.push(pick(left.columns[c]!, leftRows, count, leftRun));
    } else {
      rRows ??= minusOnes(count);
      if (rightRun === -2) rightRun = runStart(rRows, count, right.numRows);
      columns.push(pick(right.columns[c - leftWidth]!, rRows, count, rightRun));
    }
  }
  return { columns, numRows: count };
}

/**
 * Appends `batch`'s columns at `rows` to `out`. The probe side of a
 * many-to-one join (a fact table against a dimension) usually asks for a
 * run of consecutive rows, which is a zero-copy slice rather than a gather.
 */
function gather(batch: Batch, rows: Int32Array, count: number, out: ColumnVector[]): void {
  const start = runStart(rows, count, batch.numRows);
  for (const c of batch.columns) out.push(pick(c, rows, count, start));
}

/** The first row when `rows[0..count)` are consecutive rows of a batch of `numRows`; -1 otherwise. */
function runStart(rows: Int32Array, count: number, numRows: number): number {
  const start = count > 0 ? rows[0]! : 0;
  if (!(start >= 0 && start + count <= numRows)) return -1;
  for (let k = 1; k < count; k++) if (rows[k] !== start + k) return -1;
  return start;
}

function pick(c: ColumnVector, rows: Int32Array, count: number, run: number): ColumnVector {
  if (run < 0) return take(c, rows, count);
  return run === 0 && count === c.length ? c : slice(c, run, run + count);
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
