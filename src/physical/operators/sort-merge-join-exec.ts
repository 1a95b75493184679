/**
 * SortMergeJoinExec: both inputs arrive co-partitioned by key (the planner
 * puts a hash Exchange under each side); this task reads its partition of
 * each side whole, sorts each side's row indices by the keys (rows with a
 * NULL key are left out: they never match) and merges runs of equal keys.
 * Each pair of equal runs gives their cross product as candidate pairs,
 * emitted a chunk at a time; `JoinMatcher` then handles the residual
 * condition and every join type, with the left side as the probe side.
 */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import type { ColumnVector } from "../../exec/column-vector.ts";
import { evaluate } from "../expressions/evaluate.ts";
import { compareKeyRows } from "../../exec/join/join-keys.ts";
import { compareNumbers } from "../../exec/compare.ts";
import { sortRowsByKeys } from "../../exec/join/key-sort.ts";
import { bindPairPredicate } from "../expressions/bound-predicate.ts";
import { JoinMatcher } from "../../exec/join/join-matcher.ts";
import type { PairSource } from "../../exec/join/join-matcher.ts";
import { collectSide } from "../../exec/join/join-input.ts";

export async function* sortMergeJoinExec(node: PhysicalOf<"SortMergeJoinExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const left = await collectSide(execute(node.left, partition), node.left.schema);
  const right = await collectSide(execute(node.right, partition), node.right.schema);
  const leftKeys = node.leftKeys.map((k) => evaluate(k, left));
  const rightKeys = node.rightKeys.map((k) => evaluate(k, right));
  const matcher = new JoinMatcher(
    { joinType: node.joinType, condition: bindPairPredicate(node.condition), leftWidth: node.left.schema.length, rightWidth: node.right.schema.length, ...(node.projection ? { projection: node.projection } : {}) },
    "right", right, left, ctx.config["batch.size"]);
  yield* matcher.probe(left, mergePairs(leftKeys, sortRowsByKeys(leftKeys, left.numRows), rightKeys, sortRowsByKeys(rightKeys, right.numRows), matcher.firstMatchOnly));
  yield* matcher.finish();
}

/** Candidate pairs (left row, right row) of equal keys, from both sides' sorted row indices; resumable across calls. */
function mergePairs(lk: readonly ColumnVector[], left: SortedSide, rk: readonly ColumnVector[], right: SortedSide, firstOnly: boolean): PairSource {
  const ls = left.rows, rs = right.rows;
  let i = 0, j = 0;
  // The current pair of equal runs [runL, endL) x [runR, endR), and the next pair (a, b) in it to emit.
  let endL = 0, runR = 0, endR = 0, a = 0, b = 0, inRun = false;
  // One numeric key (the common case): its values in sorted order (from the radix sort, or gathered once),
  // so the merge compares neighbours in memory (i, i + 1) instead of reading values[row] at random, about
  // three times a row.
  const numeric = lk.length === 1 && lk[0]!.type.kind !== "utf8" && rk[0]!.type.kind !== "utf8";
  const lv = numeric ? left.values ?? inSortedOrder(lk[0]!.values, ls) : null;
  const rv = numeric ? right.values ?? inSortedOrder(rk[0]!.values, rs) : null;
  // Positions i, j index the sorted arrays; compareKeyRows reads the rows they hold.
  const compare = (x: readonly ColumnVector[], xs: Int32Array, xi: number, xv: Float64Array | null, y: readonly ColumnVector[], ys: Int32Array, yi: number, yv: Float64Array | null): number => {
    if (xv === null || yv === null) return compareKeyRows(x, xs[xi]!, y, ys[yi]!);
    return compareNumbers(xv[xi]!, yv[yi]!);
  };
  return (outLeft, outRight, cap) => {
    let count = 0;
    for (;;) {
      if (inRun) {
        const stop = firstOnly ? runR + 1 : endR;
        while (a < endL) {
          while (b < stop) {
            if (count === cap) return count;
            outLeft[count] = ls[a]!; outRight[count] = rs[b]!; count++; b++;
          }
          b = runR; a++;
        }
        inRun = false; i = endL; j = endR;
      }
      if (i >= ls.length || j >= rs.length) return count;
      const c = compare(lk, ls, i, lv, rk, rs, j, rv);
      if (c < 0) { i++; continue; }
      if (c > 0) { j++; continue; }
      endL = i + 1;
      while (endL < ls.length && compare(lk, ls, i, lv, lk, ls, endL, lv) === 0) endL++;
      endR = j + 1;
      while (endR < rs.length && compare(rk, rs, j, rv, rk, rs, endR, rv) === 0) endR++;
      runR = j; a = i; b = j; inRun = true;
    }
  };
}

type SortedSide = ReturnType<typeof sortRowsByKeys>;

/** `values[rows[i]]` for every i: one key column in its sorted order. */
function inSortedOrder(values: ColumnVector["values"], rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}
