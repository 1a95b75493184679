/**
 * The functions module: PySpark's `pyspark.sql.functions`, camelCase where
 * PySpark uses snake_case. String arguments name columns (as in PySpark);
 * use `lit()` for a string value.
 *
 * @example
 * import { col, lit, sum, when } from "cinder";
 * df.groupBy("k").agg(sum("v").alias("total"));
 */
import type { Expr } from "../plan/expressions.ts";
import type { AggregateFn } from "../types/operations.ts";
import type { DataType } from "../types/data-types.ts";
import { AnalysisError } from "../common/errors.ts";
import { Column, call, columnOf, toExpr } from "./column.ts";
import type { ColumnLike } from "./column.ts";

type ColumnOrName = Column | string;

/** A column by name. @example col("price") */
export function col(name: string): Column { return columnOf(name); }
/** Alias of `col`. */
export const column = col;

/** A literal value. @example lit(0), lit("x"), lit(null) */
export function lit(value: ColumnLike): Column {
  return Column.is(value) ? value : new Column(toExpr(value));
}

/** A typed literal, e.g. a NULL of a given type. */
export function typedLit(value: string | number | boolean | null, type: DataType): Column {
  return new Column({ type: "literal", value, dataType: type });
}

function agg(fn: AggregateFn, c: ColumnOrName, distinct = false): Column {
  return new Column({ type: "aggregate", fn, args: [columnOf(c).expr], distinct });
}

export function sum(c: ColumnOrName): Column { return agg("sum", c); }
export function sumDistinct(c: ColumnOrName): Column { return agg("sum", c, true); }
export function avg(c: ColumnOrName): Column { return agg("avg", c); }
export const mean = avg;
export function min(c: ColumnOrName): Column { return agg("min", c); }
export function max(c: ColumnOrName): Column { return agg("max", c); }
export function first(c: ColumnOrName): Column { return agg("first", c); }
/** `count("*")` counts rows; `count(col)` counts non-NULL values. */
export function count(c: ColumnOrName): Column {
  if (c === "*" || (Column.is(c) && c.expr.type === "literal")) return new Column({ type: "aggregate", fn: "count_star", args: [], distinct: false });
  return agg("count", c);
}
/** Number of distinct non-NULL values (of one column, or of the tuple of several). */
export function countDistinct(c: ColumnOrName, ...more: ColumnOrName[]): Column {
  if (more.length) throw new AnalysisError("UNSUPPORTED", "countDistinct over several columns is not supported yet; count distinct over concat() of them instead");
  return agg("count", c, true);
}
export const count_distinct = countDistinct;

/** Starts a CASE expression. @example when(col("x").gt(0), "pos").otherwise("non-pos") */
export function when(condition: Column, value: ColumnLike): Column {
  return new Column({ type: "case", branches: [{ when: condition.expr, then: toExpr(value) }], otherwise: null });
}

/** First non-NULL argument. */
export function coalesce(...cols: ColumnOrName[]): Column { return call("coalesce", ...cols.map(columnOf)); }
export function isnull(c: ColumnOrName): Column { return columnOf(c).isNull(); }
export function not(c: Column): Column { return c.not(); }

export function upper(c: ColumnOrName): Column { return call("upper", columnOf(c)); }
export function lower(c: ColumnOrName): Column { return call("lower", columnOf(c)); }
export function length(c: ColumnOrName): Column { return call("length", columnOf(c)); }
export function trim(c: ColumnOrName): Column { return call("trim", columnOf(c)); }
export function ltrim(c: ColumnOrName): Column { return call("ltrim", columnOf(c)); }
export function rtrim(c: ColumnOrName): Column { return call("rtrim", columnOf(c)); }
/** 1-based substring. @example substring("name", 1, 3) */
export function substring(c: ColumnOrName, pos: number, len?: number): Column { return columnOf(c).substr(pos, len); }
export function concat(...cols: ColumnOrName[]): Column { return call("concat", ...cols.map(columnOf)); }
export function startsWith(c: ColumnOrName, prefix: ColumnLike): Column { return columnOf(c).startsWith(prefix); }
export function endsWith(c: ColumnOrName, suffix: ColumnLike): Column { return columnOf(c).endsWith(suffix); }
export function contains(c: ColumnOrName, part: ColumnLike): Column { return columnOf(c).contains(part); }

export function year(c: ColumnOrName): Column { return call("year", columnOf(c)); }
export function month(c: ColumnOrName): Column { return call("month", columnOf(c)); }
export function dayofmonth(c: ColumnOrName): Column { return call("day", columnOf(c)); }
export const day = dayofmonth;
export function quarter(c: ColumnOrName): Column { return call("quarter", columnOf(c)); }
export function dateAdd(c: ColumnOrName, days: ColumnLike): Column { return call("date_add", columnOf(c), days); }
export function dateSub(c: ColumnOrName, days: ColumnLike): Column { return call("date_sub", columnOf(c), days); }
/** Days from `start` to `end`. */
export function datediff(end: ColumnOrName, start: ColumnOrName): Column { return call("datediff", columnOf(end), columnOf(start)); }
export function addMonths(c: ColumnOrName, months: ColumnLike): Column { return call("add_months", columnOf(c), months); }
export const date_add = dateAdd, date_sub = dateSub, add_months = addMonths;

export function abs(c: ColumnOrName): Column { return call("abs", columnOf(c)); }
export function round(c: ColumnOrName, scale = 0): Column { return call("round", columnOf(c), scale); }
export function floor(c: ColumnOrName): Column { return call("floor", columnOf(c)); }
export function ceil(c: ColumnOrName): Column { return call("ceil", columnOf(c)); }
export function sqrt(c: ColumnOrName): Column { return call("sqrt", columnOf(c)); }
export function pow(c: ColumnOrName, exponent: ColumnLike): Column { return call("pow", columnOf(c), Column.is(exponent) || typeof exponent !== "string" ? exponent : columnOf(exponent)); }

export function rowNumber(): Column { return call("row_number"); }
export function rank(): Column { return call("rank"); }
export function denseRank(): Column { return call("dense_rank"); }
export const row_number = rowNumber, dense_rank = denseRank;
/** Value `offset` rows before the current row in the window, or `defaultValue`. */
export function lag(c: ColumnOrName, offset = 1, defaultValue: ColumnLike = null): Column {
  const args: Expr[] = [columnOf(c).expr, toExpr(offset)];
  if (defaultValue !== null) args.push(toExpr(defaultValue));
  return new Column({ type: "call", name: "lag", args });
}
export function lead(c: ColumnOrName, offset = 1, defaultValue: ColumnLike = null): Column {
  const args: Expr[] = [columnOf(c).expr, toExpr(offset)];
  if (defaultValue !== null) args.push(toExpr(defaultValue));
  return new Column({ type: "call", name: "lead", args });
}

export function asc(c: ColumnOrName): Column { return columnOf(c).asc(); }
export function desc(c: ColumnOrName): Column { return columnOf(c).desc(); }
export function ascNullsLast(c: ColumnOrName): Column { return columnOf(c).ascNullsLast(); }
export function descNullsFirst(c: ColumnOrName): Column { return columnOf(c).descNullsFirst(); }
