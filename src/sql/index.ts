/** SQL front end entry points (being written). */
import type { Expr } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { UnsupportedError } from "../common/errors.ts";

/** What one SQL statement asks for. */
export type SqlStatement =
  | { kind: "query"; plan: LogicalPlan }
  | { kind: "createView"; name: string; replace: boolean; plan: LogicalPlan }
  | { kind: "showTables" }
  | { kind: "describe"; name: string }
  | { kind: "explain"; plan: LogicalPlan };

/** Resolves a table name in FROM to the plan of that table or view. */
export type TableResolver = (name: string) => LogicalPlan;

export function parseExpression(text: string): Expr {
  throw new UnsupportedError(`SQL expressions are not available yet: ${text}`);
}

export function parseStatement(text: string, resolveTable: TableResolver): SqlStatement {
  void resolveTable;
  throw new UnsupportedError(`SQL is not available yet: ${text}`);
}
