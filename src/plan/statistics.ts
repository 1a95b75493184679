/**
 * Size and row-count estimates of logical plans, from source metadata
 * upward. The physical planner compares them with
 * `autoBroadcastJoinThreshold`; join reordering uses row counts. Estimates
 * are deliberately simple (Spark's size-only estimation): a filter keeps
 * half its input, an aggregate at most its input.
 */
import type { LogicalPlan } from "./logical-plan.ts";
import { outputSchema } from "./logical-plan.ts";
import type { DataType } from "../types/data-types.ts";

export interface PlanStatistics {
  rowCount: number;
  sizeBytes: number;
}

function typeWidth(t: DataType): number {
  switch (t.kind) {
    case "boolean": case "int8": case "uint8": return 1;
    case "int16": case "uint16": return 2;
    case "int32": case "uint32": case "float32": case "date32": return 4;
    case "utf8": return 20;
    default: return 8;
  }
}

export function rowWidth(plan: LogicalPlan): number {
  return outputSchema(plan).reduce((n, f) => n + typeWidth(f.type), 0) || 1;
}

export function estimateStatistics(plan: LogicalPlan): PlanStatistics {
  const rows = estimateRows(plan);
  return { rowCount: rows, sizeBytes: rows * rowWidth(plan) };
}

function estimateRows(p: LogicalPlan): number {
  switch (p.type) {
    case "Scan": {
      const s = p.source;
      const rows = s.kind === "range" ? Math.max(0, Math.ceil((s.end - s.start) / s.step)) : s.rowCount ?? Number.MAX_SAFE_INTEGER / 1024;
      const filtered = p.filters.length ? rows / 2 : rows;
      return p.limit !== undefined ? Math.min(p.limit, filtered) : filtered;
    }
    case "Filter": return estimateRows(p.input) / 2;
    case "Limit": return Math.min(p.limit, estimateRows(p.input));
    case "Aggregate": return p.groupBy.length === 0 ? 1 : estimateRows(p.input);
    case "Join": {
      const l = estimateRows(p.left), r = estimateRows(p.right);
      if (p.joinType === "cross" || !p.condition) return l * r;
      if (p.joinType === "left_semi" || p.joinType === "left_anti") return l;
      return Math.max(l, r);
    }
    case "Union": return p.inputs.reduce((n, c) => n + estimateRows(c), 0);
    case "SetOperation": return estimateRows(p.left);
    default: return estimateRows(p.input);
  }
}
