/**
 * Cinder's data types: plain serializable descriptions of Arrow types, and
 * the rules that combine them (numeric widening, decimal precision, the
 * common type of a CASE or a UNION). How values of each type are held in
 * memory is decided in `src/exec/column-vector.ts`.
 */
import { AnalysisError } from "../common/errors.ts";

export type IntegerKind = "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64";
export type FloatKind = "float32" | "float64";

export type DataType =
  | { kind: "null" }
  | { kind: "boolean" }
  | { kind: IntegerKind }
  | { kind: FloatKind }
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "utf8" }
  | { kind: "date32" }
  | { kind: "timestamp"; timezone: string | null };

/** A column of a schema. `id` identifies the attribute across the whole plan (Spark's exprId). */
export interface Field {
  name: string;
  type: DataType;
  nullable: boolean;
  id: number;
  /** Table or alias the column came from, for `t.col` references. */
  qualifier?: string;
}

export type Schema = readonly Field[];

export const NULL: DataType = { kind: "null" };
export const BOOLEAN: DataType = { kind: "boolean" };
export const INT8: DataType = { kind: "int8" };
export const INT16: DataType = { kind: "int16" };
export const INT32: DataType = { kind: "int32" };
export const INT64: DataType = { kind: "int64" };
export const FLOAT32: DataType = { kind: "float32" };
export const FLOAT64: DataType = { kind: "float64" };
export const UTF8: DataType = { kind: "utf8" };
export const DATE32: DataType = { kind: "date32" };
export const TIMESTAMP: DataType = { kind: "timestamp", timezone: null };

export function decimal(precision: number, scale: number): DataType {
  return { kind: "decimal", precision: Math.min(38, precision), scale };
}

const INTEGER_RANK: Record<IntegerKind, number> = {
  int8: 1, uint8: 1.5, int16: 2, uint16: 2.5, int32: 3, uint32: 3.5, int64: 4, uint64: 4.5,
};

export function isInteger(t: DataType): t is { kind: IntegerKind } {
  return t.kind in INTEGER_RANK;
}
export function isFloat(t: DataType): t is { kind: FloatKind } {
  return t.kind === "float32" || t.kind === "float64";
}
export function isDecimal(t: DataType): t is { kind: "decimal"; precision: number; scale: number } {
  return t.kind === "decimal";
}
export function isNumeric(t: DataType): boolean {
  return isInteger(t) || isFloat(t) || isDecimal(t);
}
export function isTemporal(t: DataType): boolean {
  return t.kind === "date32" || t.kind === "timestamp";
}

export function typeEquals(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "decimal" && b.kind === "decimal") return a.precision === b.precision && a.scale === b.scale;
  return true;
}

/** SQL spelling of a type, as `DESCRIBE` and error messages show it. */
export function typeToString(t: DataType): string {
  switch (t.kind) {
    case "decimal": return `decimal(${t.precision},${t.scale})`;
    case "timestamp": return t.timezone ? `timestamp[${t.timezone}]` : "timestamp";
    case "utf8": return "string";
    case "date32": return "date";
    default: return t.kind;
  }
}

/** Digits an integer type needs as a decimal, for integer/decimal arithmetic. */
function integerDigits(kind: IntegerKind): number {
  return { int8: 3, uint8: 3, int16: 5, uint16: 5, int32: 10, uint32: 10, int64: 19, uint64: 20 }[kind];
}

export function asDecimal(t: DataType): { precision: number; scale: number } | null {
  if (t.kind === "decimal") return { precision: t.precision, scale: t.scale };
  if (isInteger(t)) return { precision: integerDigits(t.kind), scale: 0 };
  return null;
}

/**
 * The type two numeric operands are widened to before arithmetic or
 * comparison: any float wins as float64; decimal with integer stays decimal;
 * integers widen to the larger kind (unsigned widens to the next signed).
 */
export function widerNumericType(a: DataType, b: DataType): DataType | null {
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (!isNumeric(a) || !isNumeric(b)) return null;
  if (isFloat(a) || isFloat(b)) return a.kind === "float32" && b.kind === "float32" ? FLOAT32 : FLOAT64;
  if (isDecimal(a) || isDecimal(b)) {
    const da = asDecimal(a)!, db = asDecimal(b)!;
    const scale = Math.max(da.scale, db.scale);
    const whole = Math.max(da.precision - da.scale, db.precision - db.scale);
    return decimal(whole + scale, scale);
  }
  const ra = INTEGER_RANK[(a as { kind: IntegerKind }).kind], rb = INTEGER_RANK[(b as { kind: IntegerKind }).kind];
  const hi = Math.max(ra, rb);
  if (Number.isInteger(hi)) return { kind: (["int8", "int16", "int32", "int64"] as const)[hi - 1]! };
  // An unsigned kind mixed with a signed one of the same width needs the next signed width.
  if (ra === rb) return { kind: (a as { kind: IntegerKind }).kind };
  return { kind: (["int16", "int32", "int64", "int64"] as const)[Math.floor(hi) - 1]! };
}

/**
 * The common type of values that meet in one column (CASE branches,
 * COALESCE arguments, UNION inputs, IN lists). Returns null when there is none.
 */
export function commonType(a: DataType, b: DataType): DataType | null {
  if (typeEquals(a, b)) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  const numeric = widerNumericType(a, b);
  if (numeric) return numeric;
  if (a.kind === "date32" && b.kind === "timestamp") return b;
  if (a.kind === "timestamp" && b.kind === "date32") return a;
  if (a.kind === "timestamp" && b.kind === "timestamp") return a;
  return null;
}

export function commonTypeOf(types: DataType[], context: string): DataType {
  let result: DataType = NULL;
  for (const t of types) {
    const next = commonType(result, t);
    if (!next) {
      throw new AnalysisError("DATATYPE_MISMATCH",
        `${context}: cannot combine ${typeToString(result)} and ${typeToString(t)}; add a CAST to make the types agree`,
        { details: { left: typeToString(result), right: typeToString(t) } });
    }
    result = next;
  }
  return result;
}

/** Parses a SQL type name (`int`, `bigint`, `decimal(15,2)`, `string`, `date` ...). */
export function parseTypeName(text: string): DataType {
  const s = text.trim().toLowerCase();
  const dec = /^(?:decimal|numeric)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(s);
  if (dec) return decimal(dec[1] ? Number(dec[1]) : 10, dec[2] ? Number(dec[2]) : 0);
  const named: Record<string, DataType> = {
    boolean: BOOLEAN, bool: BOOLEAN,
    tinyint: INT8, byte: INT8, int8: INT8,
    smallint: INT16, short: INT16, int16: INT16,
    int: INT32, integer: INT32, int32: INT32,
    bigint: INT64, long: INT64, int64: INT64,
    float: FLOAT32, real: FLOAT32, float32: FLOAT32,
    double: FLOAT64, float64: FLOAT64, "double precision": FLOAT64,
    string: UTF8, varchar: UTF8, text: UTF8, utf8: UTF8, char: UTF8,
    date: DATE32, timestamp: TIMESTAMP,
  };
  const base = s.replace(/\s*\(\s*\d+\s*\)$/, ""); // varchar(25), char(1)
  const t = named[base];
  if (!t) {
    throw new AnalysisError("WRONG_ARGUMENT", `unknown type '${text}'; expected one of ${Object.keys(named).join(", ")}, decimal(p,s)`, { details: { type: text } });
  }
  return t;
}
