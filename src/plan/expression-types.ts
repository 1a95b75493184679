/**
 * The type and nullability of a resolved expression. The analyzer has
 * already inserted the casts each operator needs, so this only reads the
 * result type off each node.
 */
import type { Expr } from "./expressions.ts";
import { exprToString } from "./expressions.ts";
import type { DataType } from "../types/data-types.ts";
import { BOOLEAN, FLOAT64, INT64, asDecimal, commonTypeOf, decimal, isDecimal, isFloat, isInteger } from "../types/data-types.ts";
import { resolveFunction } from "./function-catalog.ts";
import { outputSchema } from "./logical-plan.ts";
import { InternalError } from "../common/errors.ts";

/** Result type of an aggregate over an argument of type `arg`, as DuckDB and Spark agree (avg is double like DuckDB). */
export function aggregateResultType(fn: string, arg: DataType | undefined): DataType {
  switch (fn) {
    case "count": case "count_star": return INT64;
    case "avg": return FLOAT64;
    case "sum":
      if (!arg || isInteger(arg)) return INT64;
      if (isDecimal(arg)) return decimal(38, arg.scale);
      return FLOAT64;
    case "row_number": case "rank": case "dense_rank": return INT64;
    default: return arg ?? FLOAT64;
  }
}

export function arithmeticResultType(op: string, left: DataType, right: DataType): DataType {
  if (op === "/") return FLOAT64;
  if (isFloat(left) || isFloat(right)) return FLOAT64;
  const dl = isDecimal(left) ? left : null, dr = isDecimal(right) ? right : null;
  if (dl || dr) {
    const a = asDecimal(left)!, b = asDecimal(right)!;
    if (op === "*") return decimal(a.precision + b.precision + 1, a.scale + b.scale);
    const scale = Math.max(a.scale, b.scale);
    return decimal(Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale);
  }
  return left; // the analyzer made both sides the same integer type
}

export function exprType(e: Expr): DataType {
  switch (e.type) {
    case "column":
      if (!e.dataType) throw new InternalError(`type of unresolved column ${exprToString(e)}`);
      return e.dataType;
    case "boundRef": case "literal": return e.dataType;
    case "alias": case "negate": return exprType(e.expr);
    case "cast": return e.to;
    case "binary":
      if (["+", "-", "*", "/", "%"].includes(e.op)) return arithmeticResultType(e.op, exprType(e.left), exprType(e.right));
      return BOOLEAN;
    case "not": case "isNull": case "in": case "like": case "exists": case "inSubquery": return BOOLEAN;
    case "case": return commonTypeOf([...e.branches.map((b) => exprType(b.then)), ...(e.otherwise ? [exprType(e.otherwise)] : [])], "CASE");
    case "call": return resolveFunction(e.name, e.args.map(exprType)).returnType;
    case "aggregate": return aggregateResultType(e.fn, e.args[0] ? exprType(e.args[0]) : undefined);
    case "window": return aggregateResultType(e.fn, e.args[0] ? exprType(e.args[0]) : undefined);
    case "scalarSubquery": return outputSchema(e.plan)[0]!.type;
    case "outerRef": return exprType(e.column);
    case "star": throw new InternalError("type of *");
  }
}

export function exprNullable(e: Expr): boolean {
  switch (e.type) {
    case "column": return e.nullable ?? true;
    case "boundRef": return e.nullable;
    case "literal": return e.value === null;
    case "alias": case "negate": case "not": case "cast": return exprNullable(e.expr);
    case "isNull": case "exists": return false;
    case "aggregate": return e.fn !== "count" && e.fn !== "count_star";
    case "window": return !["row_number", "rank", "dense_rank", "count", "count_star"].includes(e.fn);
    case "binary":
      if (e.op === "/" || e.op === "%") return true;
      if (e.op === "<=>") return false;
      return exprNullable(e.left) || exprNullable(e.right);
    case "call":
      if (e.name === "coalesce") return e.args.every(exprNullable);
      return true;
    default: return true;
  }
}
