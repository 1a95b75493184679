/**
 * Moves a LEFT SEMI or LEFT ANTI join (what IN / EXISTS subqueries become)
 * below an inner join to the side its condition reads (Spark's
 * PushLeftSemiLeftAntiThroughJoin), also when a Project that passes those
 * columns through sits between them. `(A JOIN B) SEMI JOIN R ON f(A, R)` keeps exactly the
 * rows of `(A SEMI JOIN R ON f(A, R)) JOIN B`, since whether a row is kept
 * depends on its A part only. Unlike Spark it moves only when that side is
 * estimated smaller than the join (the join fans its rows out, as orders
 * does into lineitem in TPC-H Q18): the semi join then tests fewer rows and
 * its filtering shrinks the join's input. When the side is the join's
 * largest input (Q21's lineitem, which its joins with filtered dimensions
 * only thin out), the semi join stays on top, where it sees fewer rows.
 */
import { referencedIds } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { estimateStatistics } from "../plan/statistics.ts";
import type { OptimizerRule } from "./rule.ts";
import { isDeterministic, outputIds } from "./plan-util.ts";

export const pushSemiJoinThroughJoin: OptimizerRule = {
  name: "push_semi_join_through_join",
  applyOrder: "topDown",
  rewrite(plan: LogicalPlan): LogicalPlan {
    if (plan.type !== "Join" || (plan.joinType !== "left_semi" && plan.joinType !== "left_anti")) return plan;
    if (!plan.condition || !isDeterministic(plan.condition)) return plan;
    const leftIds = outputIds(plan.left);
    const reads = [...referencedIds(plan.condition)].filter((id) => leftIds.has(id));
    if (reads.length === 0) return plan;
    const within = (p: LogicalPlan) => { const ids = outputIds(p); return reads.every((id) => ids.has(id)); };
    const semi = (left: LogicalPlan): LogicalPlan => ({ ...plan, left });
    const intoJoin = (join: LogicalPlan): LogicalPlan | null => {
      if (join.type !== "Join" || join.joinType !== "inner") return null;
      const rows = estimateStatistics(join).rowCount;
      if (within(join.left) && estimateStatistics(join.left).rowCount < rows) return { ...join, left: semi(join.left) };
      if (within(join.right) && estimateStatistics(join.right).rowCount < rows) return { ...join, right: semi(join.right) };
      return null;
    };
    const below = plan.left;
    // Through a Project only together with the join under it: a semi join
    // moved under a bare Project would meet the one column pruning puts
    // back above its input, and the two rules would trade it forever.
    const moved = below.type === "Project" ? (within(below.input) ? intoJoin(below.input) : null) : intoJoin(below);
    if (moved && below.type === "Project") return { ...below, input: moved };
    if (moved) return moved;
    return plan;
  },
};
