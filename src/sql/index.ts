/**
 * SQL front end entry points: `parseStatement` (for `Session.sql`) lowers
 * one statement to an unresolved logical plan; `parseExpression` (for
 * `selectExpr` and string filters) parses one expression.
 */
import type { Expr } from "../plan/expressions.ts";
import { alias } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { AnalysisError } from "../common/errors.ts";
import { Parser } from "./parser.ts";
import { PlanBuilder } from "./to-plan.ts";
import type { TableResolver } from "./to-plan.ts";

export type { TableResolver } from "./to-plan.ts";

/** What one SQL statement asks for. */
export type SqlStatement =
  | { kind: "query"; plan: LogicalPlan }
  | { kind: "createView"; name: string; replace: boolean; plan: LogicalPlan }
  | { kind: "showTables" }
  | { kind: "describe"; name: string }
  | { kind: "explain"; plan: LogicalPlan };

const noTables: TableResolver = (name) => {
  throw new AnalysisError("UNRESOLVED_TABLE", `a subquery in a DataFrame expression cannot read table '${name}'; use session.sql for subqueries`, { details: { table: name } });
};

/** Parses one expression, with an optional `AS alias`. @example parseExpression("a + 1 AS b") */
export function parseExpression(text: string): Expr {
  const builder = new PlanBuilder(noTables);
  const e = new Parser(text, (q, ctes) => builder.lowerQuery(q, ctes)).parseStandaloneExpression();
  return e.type === "alias" ? alias(e.expr, e.name) : e;
}

/** Parses and lowers one statement; table names in FROM go through `resolveTable`. */
export function parseStatement(text: string, resolveTable: TableResolver): SqlStatement {
  const builder = new PlanBuilder(resolveTable);
  const ast = new Parser(text, (q, ctes) => builder.lowerQuery(q, ctes)).parseStatement();
  switch (ast.kind) {
    case "query": return { kind: "query", plan: builder.lowerQuery(ast.query, []) };
    case "explain": return { kind: "explain", plan: builder.lowerQuery(ast.query, []) };
    case "createView": return { kind: "createView", name: ast.name, replace: ast.replace, plan: builder.lowerQuery(ast.query, []) };
    case "showTables": return ast;
    case "describe": return ast;
  }
}
