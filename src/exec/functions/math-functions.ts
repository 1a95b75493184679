/**
 * Math function kernels: abs, floor, ceil, round, sqrt, exp, ln, log10,
 * pow. Decimals are rounded exactly on their unscaled integers (half away
 * from zero); doubles round half away from zero on `x * 10^d` like DuckDB
 * (so `round(1.005, 2) = 1.0`, the double being just below 1.005).
 * Following DuckDB, sqrt of a negative number and the logarithm of zero or
 * a negative number are errors (Spark returns NaN / NULL); overflow to
 * infinity in exp and pow is not an error, as in both engines.
 */
import type { DataType } from "../../types/data-types.ts";
import { isDecimal, isInteger, typeToString } from "../../types/data-types.ts";
import { ExecutionError } from "../../common/errors.ts";
import type { ColumnVector } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";
import { mergeValidity } from "../validity.ts";
import { divRoundHalfAway, roundHalfAway } from "./rounding.ts";
import { constantNumber } from "./vector-util.ts";

const INT_RANGE: Record<string, [number, number]> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  int64: [-(2 ** 53), 2 ** 53], uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295], uint64: [0, 2 ** 53],
};

function overflow(what: string, value: number, type: DataType, fix = "cast the argument to a wider type (bigint, decimal or double) first"): never {
  const problem = Number.isNaN(value) ? `${what}(NaN) has no ${typeToString(type)} value` : `${what}(${value}) overflows ${typeToString(type)}`;
  throw new ExecutionError("ARITHMETIC_OVERFLOW", `${problem}; ${fix}`, { details: { function: what, value, type: typeToString(type) } });
}

export function abs(col: ColumnVector): ColumnVector {
  const n = col.length, v = col.values, out = allocateValues(col.type, n), valid = col.validity;
  const range = INT_RANGE[col.type.kind];
  for (let i = 0; i < n; i++) {
    const x = Math.abs(v[i]!);
    if (range && x > range[1] && (!valid || valid[i])) overflow("abs", v[i]!, col.type);
    out[i] = x;
  }
  return { type: col.type, length: n, values: out, validity: valid };
}

/** floor / ceil: integers unchanged; decimals to scale 0 exactly; doubles to bigint (Spark's type), failing beyond ±2^53. */
export function floorCeil(col: ColumnVector, up: boolean, resultType: DataType): ColumnVector {
  const n = col.length, v = col.values;
  if (isInteger(col.type)) return col;
  const out = allocateValues(resultType, n);
  if (isDecimal(col.type)) {
    const f = 10 ** col.type.scale;
    for (let i = 0; i < n; i++) {
      const u = v[i]!, r = u % f, q = (u - r) / f;
      out[i] = r === 0 ? q : up ? (u > 0 ? q + 1 : q) : (u < 0 ? q - 1 : q);
    }
  } else {
    const valid = col.validity, limit = 2 ** 53;
    for (let i = 0; i < n; i++) {
      const x = up ? Math.ceil(v[i]!) : Math.floor(v[i]!);
      if (!(Math.abs(x) <= limit) && (!valid || valid[i])) {
        overflow(up ? "ceil" : "floor", v[i]!, resultType, "filter out NaN, infinite and huge values first, or use round(x), which keeps a double");
      }
      out[i] = x;
    }
  }
  return { type: resultType, length: n, values: out, validity: col.validity };
}

/** round(x, d) half away from zero; `digits` is null for round(x). */
export function round(col: ColumnVector, digits: ColumnVector | null, resultType: DataType): ColumnVector {
  const n = col.length, v = col.values;
  const constant = digits ? constantNumber(digits) : 0;
  const validity = digits ? mergeValidity([col, digits], n) : col.validity;
  const out = allocateValues(resultType, n);
  const t = col.type;
  for (let i = 0; i < n; i++) {
    if (validity && !validity[i]) continue;
    const d = constant ?? digits!.values[i]!;
    const x = v[i]!;
    if (isDecimal(t)) {
      // Exact on the unscaled integer: drop (scale - d) digits, keep the scale.
      const drop = t.scale - d;
      out[i] = drop <= 0 ? x : divRoundHalfAway(x, 10 ** drop) * 10 ** drop;
    } else if (isInteger(t)) {
      const r = d >= 0 ? x : divRoundHalfAway(x, 10 ** -d) * 10 ** -d;
      const range = INT_RANGE[t.kind]!;
      if (r < range[0] || r > range[1]) overflow("round", x, t);
      out[i] = r;
    } else {
      // DuckDB: round(x * 10^d) / 10^d, falling back to x when that is not finite.
      const f = 10 ** d;
      const r = roundHalfAway(x * f) / f;
      out[i] = Number.isFinite(r) ? r : x;
    }
  }
  return { type: resultType, length: n, values: out, validity };
}

export type UnaryMath = "sqrt" | "exp" | "ln" | "log10";

export function unaryMath(fn: UnaryMath, col: ColumnVector): ColumnVector {
  const n = col.length, v = col.values, out = new Float64Array(n), valid = col.validity;
  switch (fn) {
    case "exp": for (let i = 0; i < n; i++) out[i] = Math.exp(v[i]!); break;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(v[i]!); break;
    case "ln": for (let i = 0; i < n; i++) out[i] = Math.log(v[i]!); break;
    case "log10": for (let i = 0; i < n; i++) out[i] = Math.log10(v[i]!); break;
  }
  if (fn !== "exp") {
    for (let i = 0; i < n; i++) {
      const x = v[i]!;
      if ((x < 0 || (x === 0 && fn !== "sqrt")) && (!valid || valid[i])) {
        const why = fn === "sqrt" ? "the square root of a negative number" : x === 0 ? "the logarithm of zero" : "the logarithm of a negative number";
        throw new ExecutionError("ARITHMETIC_OVERFLOW", `${fn}(${x}): cannot take ${why}; filter such rows out or wrap the argument in a CASE`,
          { details: { function: fn, value: x } });
      }
    }
  }
  return { type: col.type, length: n, values: out, validity: valid };
}

export function pow(base: ColumnVector, exponent: ColumnVector): ColumnVector {
  const n = base.length, a = base.values, b = exponent.values, out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.pow(a[i]!, b[i]!);
  return { type: base.type, length: n, values: out, validity: mergeValidity([base, exponent], n) };
}
