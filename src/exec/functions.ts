/**
 * Scalar function dispatch: the evaluator calls a function by its
 * canonical name (see src/plan/function-catalog.ts, which also typed the
 * arguments and inserted their casts), and this file routes the evaluated
 * argument columns to the kernel family that implements it (strings, dates,
 * math in src/exec/functions/; coalesce and nullif in conditional.ts).
 */
import type { DataType } from "../types/data-types.ts";
import { INT64 } from "../types/data-types.ts";
import { InternalError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";
import { hashRows } from "./hash.ts";
import { coalesce, nullIf } from "./conditional.ts";
import { concat, contains, endsWith, length, lower, startsWith, substring, trim, upper } from "./functions/string-functions.ts";
import { addMonths, dateDiff, datePart, dateShift } from "./functions/date-functions.ts";
import { abs, floorCeil, pow, round, unaryMath } from "./functions/math-functions.ts";

export function callFunction(name: string, args: ColumnVector[], resultType: DataType, length_: number): ColumnVector {
  const a = args[0]!, b = args[1]!;
  switch (name) {
    case "upper": return upper(a);
    case "lower": return lower(a);
    case "length": return length(a);
    case "trim": return trim(a, true, true);
    case "ltrim": return trim(a, true, false);
    case "rtrim": return trim(a, false, true);
    case "substring": return substring(a, b, args[2] ?? null);
    case "concat": return concat(args, length_);
    case "startswith": return startsWith(a, b);
    case "endswith": return endsWith(a, b);
    case "contains": return contains(a, b);
    case "year": case "month": case "day": case "quarter": case "dayofweek": return datePart(name, a);
    case "date_add": return dateShift(a, b, 1, "date_add");
    case "date_sub": return dateShift(a, b, -1, "date_sub");
    case "datediff": return dateDiff(a, b);
    case "add_months": return addMonths(a, b);
    case "abs": return abs(a);
    case "floor": return floorCeil(a, false, resultType);
    case "ceil": return floorCeil(a, true, resultType);
    case "round": return round(a, args[1] ?? null, resultType);
    case "sqrt": case "exp": case "ln": case "log10": return unaryMath(name, a);
    case "pow": return pow(a, b);
    case "coalesce": return coalesce(args, resultType, length_);
    case "nullif": return nullIf(a, b, resultType, length_);
    case "hash": {
      // The engine's row hash (hash.ts): the same value hashes the same here, in joins and in shuffles. Never NULL.
      const h = hashRows(args, length_);
      return { type: INT64, length: length_, values: Float64Array.from(h), validity: null };
    }
    default:
      throw new InternalError(`no kernel for function '${name}'; the function catalog and src/exec/functions.ts disagree`, { function: name });
  }
}
