/**
 * The scalar functions Cinder knows, with how each types its arguments and
 * result. The analyzer consults this table to resolve a call and insert
 * casts; the evaluator in `src/exec/` implements each name. Keeping the
 * typing here (not beside the kernels) lets the planner run where no kernel
 * is loaded.
 */
import { AnalysisError, closestNames } from "../common/errors.ts";
import type { DataType } from "../types/data-types.ts";
import { BOOLEAN, DATE32, FLOAT64, INT32, INT64, UTF8, commonTypeOf, isDecimal, isFloat, isInteger, isNumeric, typeToString, decimal } from "../types/data-types.ts";

export interface ResolvedSignature {
  /** Types the arguments are cast to before the call. */
  argTypes: DataType[];
  returnType: DataType;
}

interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  resolve(args: DataType[], name: string): ResolvedSignature;
}

function requireArg(name: string, i: number, t: DataType, ok: boolean, expected: string): void {
  if (!ok) {
    throw new AnalysisError("DATATYPE_MISMATCH",
      `${name}: argument ${i + 1} must be ${expected}, got ${typeToString(t)}; add a CAST or pick another column`,
      { details: { function: name, argument: i + 1, expected, actual: typeToString(t) } });
  }
}

const isStringLike = (t: DataType) => t.kind === "utf8" || t.kind === "null";
const isDateLike = (t: DataType) => t.kind === "date32" || t.kind === "timestamp" || t.kind === "utf8" || t.kind === "null";
const isIntLike = (t: DataType) => isInteger(t) || t.kind === "null";

const stringToString: FunctionSpec = {
  minArgs: 1, maxArgs: 1,
  resolve: ([a], name) => { requireArg(name, 0, a!, isStringLike(a!), "a string"); return { argTypes: [UTF8], returnType: UTF8 }; },
};
const stringPredicate: FunctionSpec = {
  minArgs: 2, maxArgs: 2,
  resolve: (args, name) => {
    args.forEach((t, i) => requireArg(name, i, t, isStringLike(t), "a string"));
    return { argTypes: [UTF8, UTF8], returnType: BOOLEAN };
  },
};
const datePart: FunctionSpec = {
  minArgs: 1, maxArgs: 1,
  resolve: ([a], name) => {
    requireArg(name, 0, a!, isDateLike(a!), "a date or timestamp");
    return { argTypes: [a!.kind === "timestamp" ? a! : DATE32], returnType: INT32 };
  },
};
const dateShift: FunctionSpec = {
  minArgs: 2, maxArgs: 2,
  resolve: ([a, b], name) => {
    requireArg(name, 0, a!, isDateLike(a!), "a date");
    requireArg(name, 1, b!, isIntLike(b!), "an integer");
    return { argTypes: [DATE32, INT32], returnType: DATE32 };
  },
};
const numericSame: FunctionSpec = {
  minArgs: 1, maxArgs: 1,
  resolve: ([a], name) => {
    requireArg(name, 0, a!, isNumeric(a!) || a!.kind === "null", "a number");
    const t = a!.kind === "null" ? FLOAT64 : a!;
    return { argTypes: [t], returnType: t };
  },
};
const roundingToWhole: FunctionSpec = {
  minArgs: 1, maxArgs: 1,
  resolve: ([a], name) => {
    requireArg(name, 0, a!, isNumeric(a!) || a!.kind === "null", "a number");
    // Spark's Floor and Ceil give a bigint for integers and floats, a decimal(p - s + 1, 0) for decimals.
    if (isInteger(a!)) return { argTypes: [INT64], returnType: INT64 };
    if (isDecimal(a!)) return { argTypes: [a!], returnType: decimal(a!.precision - a!.scale + 1, 0) };
    return { argTypes: [FLOAT64], returnType: INT64 };
  },
};
const doubleMath = (arity: number): FunctionSpec => ({
  minArgs: arity, maxArgs: arity,
  resolve: (args, name) => {
    args.forEach((t, i) => requireArg(name, i, t, isNumeric(t) || t.kind === "null", "a number"));
    return { argTypes: args.map(() => FLOAT64), returnType: FLOAT64 };
  },
});

const CATALOG: Record<string, FunctionSpec> = {
  upper: stringToString, lower: stringToString, trim: stringToString, ltrim: stringToString, rtrim: stringToString,
  length: {
    minArgs: 1, maxArgs: 1,
    resolve: ([a], name) => { requireArg(name, 0, a!, isStringLike(a!), "a string"); return { argTypes: [UTF8], returnType: INT32 }; },
  },
  substring: {
    minArgs: 2, maxArgs: 3,
    resolve: (args, name) => {
      requireArg(name, 0, args[0]!, isStringLike(args[0]!), "a string");
      args.slice(1).forEach((t, i) => requireArg(name, i + 1, t, isIntLike(t), "an integer"));
      return { argTypes: [UTF8, ...args.slice(1).map(() => INT32)], returnType: UTF8 };
    },
  },
  concat: {
    minArgs: 1, maxArgs: Infinity,
    resolve: (args) => ({ argTypes: args.map(() => UTF8), returnType: UTF8 }),
  },
  startswith: stringPredicate, endswith: stringPredicate, contains: stringPredicate,
  year: datePart, month: datePart, day: datePart, quarter: datePart, dayofweek: datePart,
  date_add: dateShift, date_sub: dateShift, add_months: dateShift,
  datediff: {
    minArgs: 2, maxArgs: 2,
    resolve: (args, name) => {
      args.forEach((t, i) => requireArg(name, i, t, isDateLike(t), "a date"));
      return { argTypes: [DATE32, DATE32], returnType: INT32 };
    },
  },
  abs: numericSame,
  floor: roundingToWhole, ceil: roundingToWhole,
  round: {
    minArgs: 1, maxArgs: 2,
    resolve: (args, name) => {
      const [a, d] = args;
      requireArg(name, 0, a!, isNumeric(a!) || a!.kind === "null", "a number");
      if (d) requireArg(name, 1, d, isIntLike(d), "an integer");
      const t = a!.kind === "null" ? FLOAT64 : isFloat(a!) ? FLOAT64 : a!;
      return { argTypes: d ? [t, INT32] : [t], returnType: t };
    },
  },
  sqrt: doubleMath(1), exp: doubleMath(1), ln: doubleMath(1), log10: doubleMath(1),
  pow: doubleMath(2),
  coalesce: {
    minArgs: 1, maxArgs: Infinity,
    resolve: (args) => {
      const t = commonTypeOf(args, "coalesce");
      return { argTypes: args.map(() => t), returnType: t };
    },
  },
  nullif: {
    minArgs: 2, maxArgs: 2,
    resolve: (args) => {
      const t = commonTypeOf(args, "nullif");
      return { argTypes: [t, t], returnType: t };
    },
  },
  hash: {
    minArgs: 1, maxArgs: Infinity,
    resolve: (args) => ({ argTypes: args, returnType: INT64 }),
  },
};

const ALIASES: Record<string, string> = {
  substr: "substring", ucase: "upper", lcase: "lower", char_length: "length", character_length: "length",
  starts_with: "startswith", ends_with: "endswith", ceiling: "ceil", power: "pow", dayofmonth: "day",
};

/** Canonical name of a scalar function, or null when there is none. */
export function canonicalFunctionName(name: string): string | null {
  const lower = name.toLowerCase();
  const canonical = ALIASES[lower] ?? lower;
  return canonical in CATALOG ? canonical : null;
}

/** Types a call to the scalar function `name`; throws a typed error for unknown names or bad arguments. */
export function resolveFunction(name: string, argTypes: DataType[]): ResolvedSignature & { name: string } {
  const canonical = canonicalFunctionName(name);
  if (!canonical) {
    const suggestions = closestNames(name, [...Object.keys(CATALOG), ...Object.keys(ALIASES)]);
    throw new AnalysisError("UNRESOLVED_FUNCTION",
      `unknown function '${name}'${suggestions.length ? `; did you mean ${suggestions.join(", ")}?` : ""}`,
      { details: { function: name, suggestions } });
  }
  const spec = CATALOG[canonical]!;
  if (argTypes.length < spec.minArgs || argTypes.length > spec.maxArgs) {
    const expected = spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
    throw new AnalysisError("WRONG_ARGUMENT", `${canonical} takes ${expected} argument(s), got ${argTypes.length}`,
      { details: { function: canonical, expected, actual: argTypes.length } });
  }
  return { name: canonical, ...spec.resolve(argTypes, canonical) };
}

/** Whether CAST from `from` to `to` exists; the analyzer rejects the others before anything runs. */
export function canCast(from: DataType, to: DataType): boolean {
  if (from.kind === to.kind || from.kind === "null" || to.kind === "utf8" || from.kind === "utf8") return true;
  const numberLike = (t: DataType) => isNumeric(t) || t.kind === "boolean";
  if (numberLike(from) && numberLike(to)) return true;
  const temporal = (t: DataType) => t.kind === "date32" || t.kind === "timestamp";
  return temporal(from) && temporal(to);
}

export function isKnownFunction(name: string): boolean {
  return canonicalFunctionName(name) !== null;
}
