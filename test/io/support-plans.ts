/**
 * Test helpers for scans: a DataFrame whose Scan carries pushed filters
 * (so pruning is tested whether or not the optimizer pushes them yet), and
 * a local run that returns the scan metrics next to the rows.
 */
import type { DataFrame, Session } from "../../src/index.ts";
import type { Expr } from "../../src/plan/expressions.ts";
import type { LiteralValue } from "../../src/types/operations.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import type { DataType } from "../../src/types/data-types.ts";
import { runLocally } from "../../src/executor/local-executor.ts";
import type { TaskMetrics } from "../../src/types/task-metrics.ts";
import { valueAt } from "../../src/exec/values.ts";
import type { CellValue } from "../../src/exec/values.ts";

/** A resolved comparison `column op literal` over a Scan column. */
export function cmp(df: DataFrame, column: string, op: "=" | "<" | "<=" | ">" | ">=" | "!=", value: LiteralValue, type?: DataType): Expr {
  const f = df.schema.find((x) => x.name === column)!;
  return {
    type: "binary", op,
    left: { type: "column", name: f.name, id: f.id, dataType: f.type, nullable: f.nullable },
    right: { type: "literal", value, dataType: type ?? f.type },
  };
}

export function and(a: Expr, b: Expr): Expr { return { type: "binary", op: "and", left: a, right: b }; }

/** `df` (a bare Scan) with `filters` pushed into the Scan and kept as a Filter above it. */
export function withPushedFilter(session: Session, df: DataFrame, filter: Expr): DataFrame {
  const scan = df.plan as Extract<LogicalPlan, { type: "Scan" }>;
  const plan: LogicalPlan = { type: "Filter", condition: filter, input: { ...scan, filters: [...scan.filters, filter] } };
  return session.dataFrameOf(plan);
}

/** Runs `df` on the local executor; rows and the scan metrics. */
export async function runWithMetrics(session: Session, df: DataFrame): Promise<{ rows: CellValue[][]; metrics: TaskMetrics }> {
  const physical = session.planPhysical(session.optimize(df.plan));
  const { partitions, metrics } = await runLocally(physical, session.sources, session.conf.toJSON());
  const rows: CellValue[][] = [];
  for (const b of partitions.flat()) for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => valueAt(c, i)));
  return { rows, metrics };
}
