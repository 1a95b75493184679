/**
 * Binds a residual join condition for the join kernels: the columns it reads
 * (so only those are gathered for each chunk of candidate pairs) and its
 * evaluation.
 */
import type { Expr } from "../../plan/expressions.ts";
import { exprChildren } from "../../plan/expressions.ts";
import type { PairPredicate } from "../../exec/join/join-output.ts";
import { evaluate } from "./evaluate.ts";

/** `condition` (bound to left.schema ++ right.schema) as the join kernels take it; null stays null. */
export function bindPairPredicate(condition: Expr | null): PairPredicate | null {
  if (!condition) return null;
  return { columns: referencedBoundIndices(condition), test: (batch) => evaluate(condition, batch) };
}

/** The ordinals of the bound columns `e` reads, ascending. */
function referencedBoundIndices(e: Expr, into: Set<number> = new Set()): number[] {
  if (e.type === "boundRef") into.add(e.index);
  for (const c of exprChildren(e)) referencedBoundIndices(c, into);
  return [...into].sort((a, b) => a - b);
}
