/**
 * Arithmetic kernels. The analyzer has cast both operands to one type (or,
 * for decimal `*`, to decimals whose scales add up to the result's), so a
 * kernel is one loop over two typed arrays. Integer results are checked:
 * a value outside the result type's exact range is an `ARITHMETIC_OVERFLOW`
 * error, as in Spark's ANSI mode, rather than a wrapped wrong number.
 * Division and modulo by zero give NULL (Spark's default, and DuckDB's).
 * Decimals are unscaled doubles: exact while the unscaled value stays within
 * 2^53, and within one part in 2^53 beyond (documented in the README).
 */
import type { DataType } from "../types/data-types.ts";
import { typeToString } from "../types/data-types.ts";
import { ExecutionError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";
import { allocateValues } from "./column-vector.ts";
import { mergeValidity } from "./validity.ts";

const INT_RANGE: Record<string, [number, number]> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  int64: [-(2 ** 53), 2 ** 53], uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295], uint64: [0, 2 ** 53],
};

export function arithmetic(op: "+" | "-" | "*" | "/" | "%", left: ColumnVector, right: ColumnVector, resultType: DataType): ColumnVector {
  const n = left.length;
  const a = left.values, b = right.values;
  const out = allocateValues(resultType, n);
  let validity = mergeValidity([left, right], n);
  switch (op) {
    case "+": for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; break;
    case "-": for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; break;
    case "*": for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; break;
    case "/": case "%": {
      for (let i = 0; i < n; i++) {
        const d = b[i]!;
        if (d === 0) {
          validity ??= new Uint8Array(n).fill(1);
          validity[i] = 0;
          out[i] = 0;
        } else {
          out[i] = op === "/" ? a[i]! / d : a[i]! % d;
        }
      }
      break;
    }
  }
  const range = INT_RANGE[resultType.kind];
  if (range && op !== "/") checkRange(out, validity, range, resultType, op, a, b);
  return { type: resultType, length: n, values: out, validity };
}

function checkRange(out: ArrayLike<number>, validity: Uint8Array | null, [lo, hi]: [number, number], t: DataType, op: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  // Small typed arrays wrap on store, so recompute in doubles to see the true value.
  for (let i = 0; i < out.length; i++) {
    if (validity && !validity[i]) continue;
    const x = op === "+" ? a[i]! + b[i]! : op === "-" ? a[i]! - b[i]! : op === "*" ? a[i]! * b[i]! : out[i]!;
    if (x < lo || x > hi) {
      throw new ExecutionError("ARITHMETIC_OVERFLOW",
        `${a[i]} ${op} ${b[i]} overflows ${typeToString(t)}; cast an operand to a wider type (bigint, decimal or double) first`,
        { details: { left: a[i], right: b[i], operator: op, type: typeToString(t) } });
    }
  }
}

export function negate(col: ColumnVector): ColumnVector {
  const n = col.length, v = col.values;
  const out = allocateValues(col.type, n);
  for (let i = 0; i < n; i++) out[i] = -v[i]!;
  return { type: col.type, length: n, values: out, validity: col.validity };
}
