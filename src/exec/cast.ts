/**
 * CAST kernels: every conversion Cinder allows between its types, with
 * DuckDB's results (the test oracle) and Spark ANSI mode's failure rules.
 * Bad input never becomes NULL silently: text that is not a value of the
 * target type is a CAST_INVALID_INPUT error naming the value, and a number
 * that does not fit is an ARITHMETIC_OVERFLOW error — unless the caller
 * asked for NULL instead (`onError: "null"`: TRY_CAST, or `ansi.enabled`
 * off), which is then the value of exactly those rows.
 *
 * Rounding follows DuckDB, checked against it: float -> integer rounds half
 * to even (`2.5 -> 2`, C's nearbyint; Spark would truncate), decimal ->
 * integer and anything -> decimal round half away from zero on the exact
 * unscaled value (`1.25 -> 1.3`), and double -> decimal rounds
 * `x * 10^scale` half away from zero (so `2.675 -> 2.68`, as DuckDB says).
 * A cast from string works once per dictionary entry when the column is
 * dictionary-encoded, and only rows that use an entry can fail on it.
 */
import type { DataType } from "../types/data-types.ts";
import { isDecimal, isFloat, isInteger, isNumeric, typeEquals, typeToString } from "../types/data-types.ts";
import { ExecutionError, UnsupportedError } from "../common/errors.ts";
import type { ColumnVector, NumericArray } from "./column-vector.ts";
import { allocateValues, nullVector, Utf8Builder } from "./column-vector.ts";
import { stringSpan } from "./hash.ts";
import { liftFromDictionary } from "./functions/vector-util.ts";
import { MICROS_PER_DAY } from "../types/calendar.ts";
import { divRoundHalfAway, roundHalfAway, roundHalfEven } from "./functions/rounding.ts";
import { formatDouble, formatFloat32, scratch, writeAscii, writeDate, writeDecimal, writeInteger, writeTimestamp } from "./functions/text-format.ts";
import {
  parseBooleanText, parseDateBytes, parseDecimalText, parseDoubleText, parseIntegerBytes, parseTimestampBytes, spanToString,
} from "./functions/text-parse.ts";

/** Exact range of each integer kind (int64/uint64 are exact doubles, see column-vector.ts). */
const INT_RANGE: Record<string, [number, number]> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  int64: [-(2 ** 53), 2 ** 53], uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295], uint64: [0, 2 ** 53],
};

/** What a value that cannot be converted becomes: an error ("fail") or NULL ("null"). */
export type OnCastError = "fail" | "null";

export function castVector(col: ColumnVector, to: DataType, onError: OnCastError = "fail"): ColumnVector {
  const from = col.type;
  if (typeEquals(from, to)) return col;
  if (from.kind === "null" || to.kind === "null") return nullVector(to, col.length);
  if (from.kind === "utf8") return castFromString(col, to, onError);
  if (to.kind === "utf8") return castToString(col);
  if (from.kind === "boolean" && (isNumeric(to) || to.kind === "boolean")) {
    const scale = isDecimal(to) ? 10 ** to.scale : 1;
    const out = allocateValues(to, col.length), v = col.values;
    for (let i = 0; i < col.length; i++) out[i] = v[i]! * scale;
    return { type: to, length: col.length, values: out, validity: col.validity };
  }
  if (isNumeric(from) && to.kind === "boolean") {
    const out = new Uint8Array(col.length), v = col.values;
    for (let i = 0; i < col.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
    return { type: to, length: col.length, values: out, validity: col.validity };
  }
  if (isNumeric(from) && isNumeric(to)) return castNumeric(col, to, onError);
  if (from.kind === "date32" && to.kind === "timestamp") {
    const out = new Float64Array(col.length), v = col.values;
    for (let i = 0; i < col.length; i++) out[i] = v[i]! * MICROS_PER_DAY;
    return { type: to, length: col.length, values: out, validity: col.validity };
  }
  if (from.kind === "timestamp" && to.kind === "date32") {
    const out = new Int32Array(col.length), v = col.values;
    for (let i = 0; i < col.length; i++) out[i] = Math.floor(v[i]! / MICROS_PER_DAY);
    return { type: to, length: col.length, values: out, validity: col.validity };
  }
  if (from.kind === "timestamp" && to.kind === "timestamp") return { ...col, type: to };
  throw new UnsupportedError(`cannot cast ${typeToString(from)} to ${typeToString(to)}; cast through string or pick another type`,
    { from: typeToString(from), to: typeToString(to) });
}

// ---- numbers ----

function overflow(value: number, from: DataType, to: DataType): never {
  throw new ExecutionError("ARITHMETIC_OVERFLOW",
    `cannot cast ${describeNumber(value, from)} (${typeToString(from)}) to ${typeToString(to)}: the value is out of range; cast to a wider type (bigint, decimal with more digits, or double) instead`,
    { details: { value: describeNumber(value, from), from: typeToString(from), to: typeToString(to) } });
}

function describeNumber(value: number, t: DataType): string {
  if (isDecimal(t)) return String(value / 10 ** t.scale);
  return String(value);
}

/**
 * The validity of a cast's result: rows that failed become NULL when `onError` is "null"; otherwise the
 * first failing row raises `fail`'s error. Kernels mark failures instead of throwing so both modes share them.
 */
function withFailures(validity: Uint8Array | null, n: number, bad: Uint8Array | null, onError: OnCastError, fail: (row: number) => never): Uint8Array | null {
  if (!bad) return validity;
  if (onError === "fail") fail(bad.indexOf(1));
  const out = validity ? validity.slice() : new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) if (bad[i]) out[i] = 0;
  return out;
}

function castNumeric(col: ColumnVector, to: DataType, onError: OnCastError): ColumnVector {
  const from = col.type, n = col.length, v = col.values, valid = col.validity;
  const out: NumericArray = allocateValues(to, n);
  let bad: Uint8Array | null = null;
  const mark = (i: number) => { (bad ??= new Uint8Array(n))[i] = 1; };
  const failed = () => withFailures(valid, n, bad, onError, (i) => overflow(v[i]!, from, to));
  const fromScale = isDecimal(from) ? from.scale : 0;
  if (isFloat(to)) {
    const f = 10 ** fromScale;
    if (fromScale > 0) for (let i = 0; i < n; i++) out[i] = v[i]! / f;
    else for (let i = 0; i < n; i++) out[i] = v[i]!;
    if (to.kind === "float32" && from.kind === "float64") {
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (Number.isFinite(x) && !Number.isFinite(Math.fround(x)) && (!valid || valid[i])) mark(i);
      }
    }
    return { type: to, length: n, values: out, validity: failed() };
  }
  if (isInteger(to)) {
    const [lo, hi] = INT_RANGE[to.kind]!;
    const float = isFloat(from), divisor = 10 ** fromScale;
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const x = v[i]!;
      const r = float ? roundHalfEven(x) : fromScale > 0 ? divRoundHalfAway(x, divisor) : x;
      if (!(r >= lo && r <= hi)) { mark(i); continue; }
      out[i] = r;
    }
    return { type: to, length: n, values: out, validity: failed() };
  }
  if (isDecimal(to)) {
    const limit = 10 ** to.precision, toScale = 10 ** to.scale;
    const up = to.scale - fromScale, upFactor = 10 ** Math.abs(up);
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const x = v[i]!;
      let r: number;
      if (isFloat(from)) r = roundHalfAway(x * toScale);
      else if (up >= 0) r = x * upFactor;
      else r = divRoundHalfAway(x, upFactor);
      if (!(Math.abs(r) < limit)) { mark(i); continue; }
      out[i] = r;
    }
    return { type: to, length: n, values: out, validity: failed() };
  }
  throw new UnsupportedError(`cannot cast ${typeToString(from)} to ${typeToString(to)}`);
}

// ---- to string ----

const TRUE_BYTES = new Uint8Array([116, 114, 117, 101]);
const FALSE_BYTES = new Uint8Array([102, 97, 108, 115, 101]);

function castToString(col: ColumnVector): ColumnVector {
  const t = col.type, n = col.length, v = col.values, valid = col.validity;
  const builder = new Utf8Builder(n, n * (t.kind === "timestamp" ? 26 : 10));
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) { builder.appendNull(); continue; }
    const x = v[i]!;
    let end: number;
    switch (t.kind) {
      case "boolean":
        if (x) builder.appendBytes(TRUE_BYTES, 0, 4); else builder.appendBytes(FALSE_BYTES, 0, 5);
        continue;
      case "float64": end = writeAscii(scratch, 0, formatDouble(x)); break;
      case "float32": end = writeAscii(scratch, 0, formatFloat32(x)); break;
      case "decimal": end = writeDecimal(scratch, 0, x, t.scale); break;
      case "date32": end = writeDate(scratch, 0, x); break;
      case "timestamp": end = writeTimestamp(scratch, 0, x); break;
      default: end = writeInteger(scratch, 0, x); break;
    }
    builder.appendBytes(scratch, 0, end);
  }
  return builder.finish();
}

// ---- from string ----

function invalidInput(text: string, to: DataType): never {
  throw new ExecutionError("CAST_INVALID_INPUT",
    `cannot cast '${text}' to ${typeToString(to)}: it is not a valid ${typeToString(to)} value; fix the data, or filter such rows out before the cast`,
    { details: { value: text, type: typeToString(to) } });
}

/**
 * Parses each string; returns the values and a mask of rows whose text was
 * invalid (null when none). Never throws, so a dictionary entry no row uses
 * cannot fail a query.
 */
function parseStrings(col: ColumnVector, to: DataType): { out: ColumnVector; bad: Uint8Array | null } {
  const n = col.length, valid = col.validity;
  const bytes = col.values as Uint8Array, offsets = col.offsets!;
  const out: NumericArray = allocateValues(to, n);
  let bad: Uint8Array | null = null;
  const mark = (i: number) => { (bad ??= new Uint8Array(n))[i] = 1; };
  const range = INT_RANGE[to.kind];
  const decimalLimit = isDecimal(to) ? 10 ** to.precision : 0, decimalScale = isDecimal(to) ? 10 ** to.scale : 1;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const s = offsets[i]!, e = offsets[i + 1]!;
    let x: number;
    if (range) {
      x = parseIntegerBytes(bytes, s, e);
      if (x !== x) {
        // Not plain digits: DuckDB also reads `1.5`, `1e2` and rounds half away from zero.
        const p = parseDoubleText(spanToString(bytes, s, e));
        x = p.valid && Number.isFinite(p.value) ? roundHalfAway(p.value) : NaN;
      }
      if (!(x >= range[0] && x <= range[1])) { mark(i); continue; }
    } else if (to.kind === "float64" || to.kind === "float32") {
      x = parseIntegerBytes(bytes, s, e);
      if (x !== x) {
        const p = parseDoubleText(spanToString(bytes, s, e));
        if (!p.valid || (to.kind === "float32" && Number.isFinite(p.value) && !Number.isFinite(Math.fround(p.value)))) { mark(i); continue; }
        x = p.value;
      }
    } else if (to.kind === "decimal") {
      x = parseIntegerBytes(bytes, s, e);
      x = x === x ? x * decimalScale : parseDecimalText(spanToString(bytes, s, e), to.scale);
      if (!(Math.abs(x) < decimalLimit)) { mark(i); continue; }
    } else if (to.kind === "boolean") {
      x = parseBooleanText(spanToString(bytes, s, e));
      if (x !== x) { mark(i); continue; }
    } else if (to.kind === "date32") {
      x = parseDateBytes(bytes, s, e);
      if (x !== x) { mark(i); continue; }
    } else if (to.kind === "timestamp") {
      x = parseTimestampBytes(bytes, s, e);
      if (x !== x) { mark(i); continue; }
    } else {
      throw new UnsupportedError(`cannot cast string to ${typeToString(to)}`);
    }
    out[i] = x;
  }
  return { out: { type: to, length: n, values: out, validity: valid }, bad };
}

function castFromString(col: ColumnVector, to: DataType, onError: OnCastError): ColumnVector {
  if (col.dictionary) {
    const dict = col.dictionary;
    const { out, bad } = parseStrings(dict, to);
    if (!bad) return liftFromDictionary(col, out);
    // A failed entry fails only the rows that use it.
    const codes = col.values as Int32Array, valid = col.validity, n = col.length;
    let rowsBad: Uint8Array | null = null;
    for (let i = 0; i < n; i++) if ((!valid || valid[i]) && bad[codes[i]!]) (rowsBad ??= new Uint8Array(n))[i] = 1;
    const lifted = liftFromDictionary(col, out);
    const validity = withFailures(lifted.validity, n, rowsBad, onError, (i) => invalidInput(textAt(dict, codes[i]!), to));
    return { ...lifted, validity };
  }
  const { out, bad } = parseStrings(col, to);
  return { ...out, validity: withFailures(out.validity, col.length, bad, onError, (i) => invalidInput(textAt(col, i), to)) };
}

function textAt(strings: ColumnVector, i: number): string {
  const [b, s, e] = stringSpan(strings, i);
  return spanToString(b, s, e);
}
