/** `GroupedData`: what `groupBy` returns; `agg` and the shortcut aggregates finish it. */
import type { Expr } from "../plan/expressions.ts";
import { AnalysisError } from "../common/errors.ts";
import { Column, columnOf } from "./column.ts";
import type { DataFrame } from "./data-frame.ts";
import * as F from "./functions.ts";

export class GroupedData {
  /** @internal */
  constructor(private readonly df: DataFrame, private readonly keys: Expr[]) {}

  /**
   * Computes aggregates per group; the output has the grouping columns, then the aggregates.
   * @example df.groupBy("k").agg(sum("v").alias("total"), countDistinct("u"))
   * @example df.groupBy("k").agg({ v: "sum", u: "max" })
   */
  agg(...aggs: (Column | Record<string, string>)[]): DataFrame {
    const exprs: Expr[] = [];
    for (const a of aggs) {
      if (Column.is(a)) { exprs.push(a.expr); continue; }
      for (const [name, fn] of Object.entries(a)) exprs.push(byName(fn, name).expr);
    }
    const keyOutputs = this.keys.filter((k) => k.type !== "literal");
    return this.df.aggregate(this.keys, [...keyOutputs, ...exprs]);
  }

  count(): DataFrame { return this.agg(F.count("*").alias("count")); }
  sum(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => F.sum(c))); }
  avg(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => F.avg(c))); }
  mean(...cols: string[]): DataFrame { return this.avg(...cols); }
  min(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => F.min(c))); }
  max(...cols: string[]): DataFrame { return this.agg(...cols.map((c) => F.max(c))); }
}

function byName(fn: string, column: string): Column {
  switch (fn.toLowerCase()) {
    case "sum": return F.sum(column);
    case "avg": case "mean": return F.avg(column);
    case "min": return F.min(column);
    case "max": return F.max(column);
    case "count": return F.count(columnOf(column));
    case "first": return F.first(column);
    case "countdistinct": case "count_distinct": return F.countDistinct(column);
    default: throw new AnalysisError("UNRESOLVED_FUNCTION", `unknown aggregate '${fn}'; use sum, avg, min, max, count, first or countDistinct`, { details: { function: fn } });
  }
}
