/**
 * What a physical plan already guarantees about where rows are, so the
 * planner does not shuffle data that is already in place (Spark's
 * `outputPartitioning` and EnsureRequirements). Only hash partitioning on
 * plain columns is tracked: an Exchange that hash-partitions on columns
 * establishes it, and nodes that keep rows in their partition (filter,
 * projection of those columns, aggregation or join on them, sort within a
 * partition) carry it up under the columns' new positions.
 */
import type { Expr } from "../plan/expressions.ts";
import type { PhysicalPlan } from "./physical-plan.ts";

/** Rows with equal values in these columns (ordinals of the plan's output) share a partition; `numPartitions` of them. */
export interface HashPartitioned {
  columns: number[];
  numPartitions: number;
}

function columnOf(e: Expr): number | null {
  if (e.type === "boundRef") return e.index;
  if (e.type === "alias") return columnOf(e.expr);
  return null;
}

/** Where `columns` (ordinals of the input) appear in a projection's output; null when one is projected away. */
function through(exprs: readonly Expr[], columns: readonly number[]): number[] | null {
  const out: number[] = [];
  for (const c of columns) {
    const at = exprs.findIndex((e) => columnOf(e) === c);
    if (at < 0) return null;
    out.push(at);
  }
  return out;
}

export function hashPartitioning(plan: PhysicalPlan): HashPartitioned | null {
  switch (plan.type) {
    case "ShuffleExchangeExec": {
      const p = plan.partitioning;
      if (p.kind !== "hash") return null;
      const columns = p.keys.map(columnOf);
      return columns.every((c) => c !== null) ? { columns: columns as number[], numPartitions: p.numPartitions } : null;
    }
    case "FilterExec": case "SortExec": case "LocalLimitExec":
      return hashPartitioning(plan.input);
    case "ProjectExec": {
      const below = hashPartitioning(plan.input);
      const columns = below && through(plan.exprs, below.columns);
      return below && columns ? { columns, numPartitions: below.numPartitions } : null;
    }
    case "HashAggregateExec": {
      // Grouping keys come first in the output; rows stay in their partition.
      const below = hashPartitioning(plan.input);
      const columns = below && through(plan.groupBy, below.columns);
      return below && columns ? { columns, numPartitions: below.numPartitions } : null;
    }
    case "SortMergeJoinExec": case "HashJoinExec": {
      if (plan.type === "HashJoinExec" && plan.broadcast) {
        // The probe side's partitions are the join's: its placement carries up, under the join's output ordinals.
        const probeLeft = plan.buildSide === "right";
        const below = hashPartitioning(probeLeft ? plan.left : plan.right);
        if (!below) return null;
        const offset = probeLeft ? 0 : plan.left.schema.length;
        return outputOf(plan.projection, below.columns.map((c) => c + offset), below.numPartitions);
      }
      // A shuffled join's left keys place its rows (outer joins add NULL-extended rows of the other side, but in
      // the partition of their own key, so the left key columns, NULL there, no longer say where a row is).
      if (plan.joinType !== "inner" && plan.joinType !== "left_semi" && plan.joinType !== "left_anti" && plan.joinType !== "left") return null;
      const below = hashPartitioning(plan.left);
      return below ? outputOf(plan.projection, below.columns, below.numPartitions) : null;
    }
    default:
      return null;
  }
}

function outputOf(projection: readonly number[] | undefined, columns: number[], numPartitions: number): HashPartitioned | null {
  if (!projection) return { columns, numPartitions };
  const mapped = columns.map((c) => projection.indexOf(c));
  return mapped.every((c) => c >= 0) ? { columns: mapped, numPartitions } : null;
}

/**
 * True when `plan`'s rows are already placed by a hash of a subset of `keys`
 * (plain columns of its output): rows equal on `keys` are then together,
 * which is all a grouping needs (Spark's ClusteredDistribution).
 */
export function clusteredOn(plan: PhysicalPlan, keys: readonly Expr[]): boolean {
  const p = hashPartitioning(plan);
  if (!p || p.columns.length === 0) return false;
  const keyColumns = keys.map(columnOf);
  return p.columns.every((c) => keyColumns.includes(c));
}

/** True when `plan` is hash-partitioned on exactly `keys`, in order (what co-partitioned join sides need). */
export function partitionedExactlyOn(plan: PhysicalPlan, keys: readonly Expr[]): HashPartitioned | null {
  const p = hashPartitioning(plan);
  if (!p || p.columns.length !== keys.length) return null;
  return p.columns.every((c, i) => columnOf(keys[i]!) === c) ? p : null;
}
