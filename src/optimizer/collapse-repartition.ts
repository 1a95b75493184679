/**
 * Spark's CollapseRepartition: of two repartitions in a row only the upper
 * one decides the partitioning, so a shuffling repartition drops a
 * repartition (or a coalesce) directly under it, and a hash or range
 * repartition drops a Sort under it (a shuffle keeps no order). A coalesce
 * over a shuffle stays unless it asks for at least as many partitions as
 * the shuffle makes (then it does nothing); two coalesces become one, to
 * the smaller count.
 */
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";

export const collapseRepartition: OptimizerRule = {
  name: "collapse_repartition",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return collapse(plan);
  },
};

function collapse(plan: LogicalPlan): LogicalPlan {
  if (plan.type !== "Repartition") return plan;
  const child = plan.input;
  if (child.type === "Sort" && (plan.mode === "hash" || plan.mode === "range")) return { ...plan, input: child.input };
  if (child.type !== "Repartition") return plan;
  // Again on what it became: a Sort freed by the drop must go before column pruning puts a Project over it.
  if (plan.mode !== "coalesce") return collapse({ ...plan, input: child.input });
  if (child.mode === "coalesce") {
    return collapse({ ...plan, input: child.input, numPartitions: Math.min(plan.numPartitions!, child.numPartitions!) });
  }
  // `null` is shuffle.partitions, unknown until planning: keep both.
  return plan.numPartitions !== null && child.numPartitions !== null && plan.numPartitions >= child.numPartitions ? child : plan;
}
