/** What a bound residual join condition reads: the ordinals of left.schema ++ right.schema it refers to. */
import type { Expr } from "../../plan/expressions.ts";
import { exprChildren } from "../../plan/expressions.ts";

export function referencedBoundIndices(e: Expr, into: Set<number> = new Set()): number[] {
  if (e.type === "boundRef") into.add(e.index);
  for (const c of exprChildren(e)) referencedBoundIndices(c, into);
  return [...into].sort((a, b) => a - b);
}
