/**
 * `Column`: a handle on an expression, for the DataFrame API. Methods build
 * new expressions (PySpark's names in camelCase); nothing is evaluated here.
 */
import type { Expr, SortOrder } from "../plan/expressions.ts";
import type { ArithmeticOp, ComparisonOp } from "../types/operations.ts";
import { alias, exprToString } from "../plan/expressions.ts";
import type { DataType } from "../types/data-types.ts";
import { parseTypeName } from "../types/data-types.ts";
import { literalType } from "../plan/analyzer.ts";
import { AnalysisError } from "../common/errors.ts";
import type { WindowSpec } from "./window.ts";

const COLUMN = Symbol.for("cinder.column");

/** A value a Column method accepts: another Column or a JS literal. */
export type ColumnLike = Column | string | number | boolean | Date | null;

export class Column {
  readonly [COLUMN] = true;

  /** @internal Use `col()`, `lit()` or the functions module. */
  constructor(readonly expr: Expr, readonly sortOrder?: SortOrder) {}

  static is(value: unknown): value is Column {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[COLUMN] === true;
  }

  /** @example df.select(col("price").plus(1)) */
  plus(other: ColumnLike): Column { return this.arith("+", other); }
  minus(other: ColumnLike): Column { return this.arith("-", other); }
  multiply(other: ColumnLike): Column { return this.arith("*", other); }
  divide(other: ColumnLike): Column { return this.arith("/", other); }
  mod(other: ColumnLike): Column { return this.arith("%", other); }

  /** @example df.filter(col("qty").eq(3)) */
  eq(other: ColumnLike): Column { return this.cmp("=", other); }
  notEq(other: ColumnLike): Column { return this.cmp("!=", other); }
  lt(other: ColumnLike): Column { return this.cmp("<", other); }
  leq(other: ColumnLike): Column { return this.cmp("<=", other); }
  gt(other: ColumnLike): Column { return this.cmp(">", other); }
  geq(other: ColumnLike): Column { return this.cmp(">=", other); }
  /** NULL-safe equality: TRUE when both are NULL. */
  eqNullSafe(other: ColumnLike): Column { return this.cmp("<=>", other); }

  and(other: ColumnLike): Column { return new Column({ type: "binary", op: "and", left: this.expr, right: toExpr(other) }); }
  or(other: ColumnLike): Column { return new Column({ type: "binary", op: "or", left: this.expr, right: toExpr(other) }); }
  not(): Column { return new Column({ type: "not", expr: this.expr }); }
  negate(): Column { return new Column({ type: "negate", expr: this.expr }); }

  isNull(): Column { return new Column({ type: "isNull", expr: this.expr, negated: false }); }
  isNotNull(): Column { return new Column({ type: "isNull", expr: this.expr, negated: true }); }

  /** @example col("status").isin("open", "closed") */
  isin(...values: ColumnLike[]): Column {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as ColumnLike[]) : values;
    return new Column({ type: "in", expr: this.expr, list: list.map(toExpr), negated: false });
  }

  /** Inclusive range test. @example col("d").between("2024-01-01", "2024-12-31") */
  between(low: ColumnLike, high: ColumnLike): Column {
    return this.geq(low).and(this.leq(high));
  }

  /** SQL LIKE with `%` and `_`. @example col("name").like("A%") */
  like(pattern: string): Column { return new Column({ type: "like", expr: this.expr, pattern: toExpr(pattern), negated: false, regex: false }); }
  /** Regular-expression match (JavaScript syntax, search semantics like Spark's RLIKE). */
  rlike(pattern: string): Column { return new Column({ type: "like", expr: this.expr, pattern: toExpr(pattern), negated: false, regex: true }); }

  startsWith(prefix: ColumnLike): Column { return call("startswith", this, prefix); }
  endsWith(suffix: ColumnLike): Column { return call("endswith", this, suffix); }
  contains(part: ColumnLike): Column { return call("contains", this, part); }
  /** 1-based substring, as in SQL. */
  substr(start: number, length?: number): Column {
    return length === undefined ? call("substring", this, start) : call("substring", this, start, length);
  }

  /**
   * Converts to `to`; a value that cannot be converted is an error under `ansi.enabled` (the default) and NULL without it.
   * @example col("price").cast("decimal(10,2)")
   */
  cast(to: DataType | string): Column {
    return new Column({ type: "cast", expr: this.expr, to: typeof to === "string" ? parseTypeName(to) : to });
  }

  /**
   * Like `cast`, but a value that cannot be converted is NULL whatever `ansi.enabled` says (Spark's try_cast).
   * @example col("amount_text").tryCast("int")
   */
  tryCast(to: DataType | string): Column {
    return new Column({ type: "cast", expr: this.expr, to: typeof to === "string" ? parseTypeName(to) : to, onError: "null" });
  }

  /** @example sum("x").alias("total") */
  alias(name: string): Column { return new Column(alias(this.expr, name)); }
  as(name: string): Column { return this.alias(name); }
  name(name: string): Column { return this.alias(name); }

  asc(): Column { return this.order(true, true); }
  desc(): Column { return this.order(false, false); }
  ascNullsFirst(): Column { return this.order(true, true); }
  ascNullsLast(): Column { return this.order(true, false); }
  descNullsFirst(): Column { return this.order(false, true); }
  descNullsLast(): Column { return this.order(false, false); }

  /** Continues a `when(...)` chain. @example when(col("x").gt(0), "pos").when(col("x").lt(0), "neg").otherwise("zero") */
  when(condition: Column, value: ColumnLike): Column {
    if (this.expr.type !== "case" || this.expr.otherwise) {
      throw new AnalysisError("WRONG_ARGUMENT", "when() can only follow when(); start a CASE with the when() function");
    }
    return new Column({ ...this.expr, branches: [...this.expr.branches, { when: condition.expr, then: toExpr(value) }] });
  }

  otherwise(value: ColumnLike): Column {
    if (this.expr.type !== "case" || this.expr.otherwise) {
      throw new AnalysisError("WRONG_ARGUMENT", "otherwise() can only follow when()");
    }
    return new Column({ ...this.expr, otherwise: toExpr(value) });
  }

  /** Applies an aggregate or ranking function over a window. @example rank().over(Window.partitionBy("k").orderBy("v")) */
  over(window: WindowSpec): Column {
    const e = this.expr.type === "alias" ? this.expr.expr : this.expr;
    let fn: Extract<Expr, { type: "window" }>["fn"];
    let args: Expr[];
    if (e.type === "aggregate") {
      if (e.distinct) throw new AnalysisError("WRONG_ARGUMENT", "DISTINCT aggregates are not supported over a window");
      fn = e.fn === "count_star" ? "count" : e.fn;
      args = e.fn === "count_star" ? [{ type: "literal", value: 1, dataType: { kind: "int32" } }] : e.args;
    } else if (e.type === "call" && RANKING.has(e.name)) {
      fn = e.name as "rank";
      args = e.args;
    } else {
      throw new AnalysisError("WRONG_ARGUMENT", `over() needs an aggregate or ranking function, got ${exprToString(e)}`);
    }
    return new Column({ type: "window", fn, args, spec: window.toSpec() });
  }

  toString(): string { return exprToString(this.expr); }

  private arith(op: ArithmeticOp, other: ColumnLike): Column {
    return new Column({ type: "binary", op, left: this.expr, right: toExpr(other) });
  }

  private cmp(op: ComparisonOp, other: ColumnLike): Column {
    return new Column({ type: "binary", op, left: this.expr, right: toExpr(other) });
  }

  private order(ascending: boolean, nullsFirst: boolean): Column {
    return new Column(this.expr, { expr: this.expr, ascending, nullsFirst });
  }
}

const RANKING = new Set(["row_number", "rank", "dense_rank", "lag", "lead"]);

/** The expression of a Column, or a literal for a JS value. Strings are literals here, not column names. */
export function toExpr(value: ColumnLike | unknown): Expr {
  if (Column.is(value)) return value.expr;
  if (value instanceof Date) return { type: "literal", value: value.getTime() * 1000, dataType: { kind: "timestamp", timezone: null } };
  if (value === undefined) return { type: "literal", value: null, dataType: { kind: "null" } };
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean" && value !== null) {
    throw new AnalysisError("WRONG_ARGUMENT", `expected a Column or a literal value, got ${Object.prototype.toString.call(value)}`);
  }
  return { type: "literal", value, dataType: literalType(value) };
}

/** A column by name; `"t.x"` names column x of table (alias) t. Strings here ARE column names. */
export function columnOf(value: Column | string): Column {
  if (Column.is(value)) return value;
  if (value === "*") return new Column({ type: "star" });
  const dot = value.lastIndexOf(".");
  if (dot > 0 && !value.startsWith("`")) {
    const qualifier = value.slice(0, dot), name = value.slice(dot + 1);
    return new Column(name === "*" ? { type: "star", qualifier } : { type: "column", name, qualifier });
  }
  return new Column({ type: "column", name: value.replace(/^`|`$/g, "") });
}

export function call(name: string, ...args: ColumnLike[]): Column {
  return new Column({ type: "call", name, args: args.map(toExpr) });
}
