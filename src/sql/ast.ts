/**
 * The typed SQL syntax tree of statements and queries, as the parser
 * produces it and `to-plan.ts` lowers it. Scalar expressions are the plan's
 * own `Expr` (unresolved: columns by name), because SQL expressions and
 * DataFrame expressions are the same thing; a subquery inside an expression
 * is lowered to its (unresolved) plan as soon as it is parsed, so that the
 * expression tree stays plain `Expr`.
 */
import type { Expr, SortOrder } from "../plan/expressions.ts";
import type { JoinType } from "../types/operations.ts";

/** Source position of a node, for errors raised after parsing. */
export interface Position {
  line: number;
  column: number;
}

export interface SelectItem {
  expr: Expr;
  /** `AS name`; null when the user gave none. */
  alias: string | null;
}

export type FromItem =
  | { kind: "table"; name: string; alias: string | null; columnAliases: string[]; position: Position }
  | { kind: "subquery"; query: QueryAst; alias: string | null; columnAliases: string[] }
  | { kind: "join"; left: FromItem; right: FromItem; joinType: JoinType; on: Expr | null; using: string[] };

/** A hint after SELECT (`/*+ BROADCAST(t)`, closed by a star-slash), checked for shape by the parser. */
export type HintAst =
  /** BROADCAST, BROADCASTJOIN, MAPJOIN: broadcast these relations (names or aliases of this FROM clause). */
  | { kind: "broadcast"; tables: { name: string; position: Position }[]; position: Position }
  /** REPARTITION, REPARTITION_BY_RANGE, COALESCE: the select's rows partitioned as the DataFrame methods do. */
  | { kind: "repartition"; mode: "roundRobin" | "hash" | "range" | "coalesce"; numPartitions: number | null; keys: Expr[]; position: Position };

export interface SelectAst {
  kind: "select";
  hints: HintAst[];
  distinct: boolean;
  items: SelectItem[];
  from: FromItem[];
  where: Expr | null;
  groupBy: Expr[];
  having: Expr | null;
}

export type SetOpKind = "union" | "intersect" | "except";

/** The body of a query: a SELECT, a parenthesized query, or a set operation of two bodies. */
export type QueryBody =
  | SelectAst
  | { kind: "setOp"; op: SetOpKind; all: boolean; left: QueryBody; right: QueryBody }
  | { kind: "nested"; query: QueryAst };

export interface CteAst {
  name: string;
  columnAliases: string[];
  query: QueryAst;
}

export interface QueryAst {
  kind: "query";
  with: CteAst[];
  body: QueryBody;
  orderBy: SortOrder[];
  /** `DISTRIBUTE BY e, ...` (Spark SQL): rows hash-partitioned on these expressions of the query's output. */
  distributeBy: Expr[];
  /** `SORT BY ...`: each partition sorted on its own (`CLUSTER BY e` is DISTRIBUTE BY e SORT BY e). */
  sortBy: SortOrder[];
  limit: number | null;
  offset: number;
}

export type StatementAst =
  | { kind: "query"; query: QueryAst }
  | { kind: "createView"; name: string; replace: boolean; query: QueryAst }
  | { kind: "showTables" }
  | { kind: "describe"; name: string }
  | { kind: "explain"; query: QueryAst };
