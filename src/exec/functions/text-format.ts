/**
 * Values to text as DuckDB prints them (our test oracle), written straight
 * into a byte scratch buffer so casts to string do not build a JS string per
 * row where the text is plain ASCII digits (integers, decimals, dates,
 * timestamps). Doubles use the shortest round-trip digits, in Python's
 * `repr` layout that DuckDB follows: `1.0`, `0.0001`, `1e-05`, `1e+16`.
 */
import { civilFromDays, MICROS_PER_DAY } from "../../types/calendar.ts";

/** A reusable byte buffer big enough for any one formatted value. */
export const scratch = new Uint8Array(64);
const civil = new Int32Array(3);

/** Writes the decimal digits of a non-negative integer at `pos`; returns the end position. */
function writeDigits(out: Uint8Array, pos: number, v: number): number {
  if (v < 10) { out[pos] = 48 + v; return pos + 1; }
  if (v > 2 ** 53) {
    // Beyond 2^53 digit-by-digit division is inexact (and String() uses exponents past 1e21).
    const s = BigInt(v).toString();
    for (let k = 0; k < s.length; k++) out[pos + k] = s.charCodeAt(k);
    return pos + s.length;
  }
  let n = 0;
  for (let x = v; x >= 1; x = Math.floor(x / 10)) n++;
  let x = v;
  for (let k = pos + n - 1; k >= pos; k--) { const q = Math.floor(x / 10); out[k] = 48 + (x - q * 10); x = q; }
  return pos + n;
}

/** Writes an integer (int64 values are exact doubles). */
export function writeInteger(out: Uint8Array, pos: number, v: number): number {
  if (v < 0) { out[pos++] = 45; v = -v; }
  return writeDigits(out, pos, v);
}

/** Writes a decimal from its unscaled value: always `scale` fraction digits (`12.30`, `-0.05`). */
export function writeDecimal(out: Uint8Array, pos: number, unscaled: number, scale: number): number {
  if (unscaled < 0) { out[pos++] = 45; unscaled = -unscaled; }
  if (scale === 0) return writeDigits(out, pos, unscaled);
  const p = 10 ** scale;
  const whole = Math.floor(unscaled / p);
  const frac = unscaled - whole * p;
  pos = writeDigits(out, pos, whole);
  out[pos++] = 46;
  for (let k = pos + scale - 1, x = frac; k >= pos; k--) { const q = Math.floor(x / 10); out[k] = 48 + (x - q * 10); x = q; }
  return pos + scale;
}

function writePadded(out: Uint8Array, pos: number, v: number, width: number): number {
  for (let k = pos + width - 1; k >= pos; k--) { out[k] = 48 + (v % 10); v = Math.floor(v / 10); }
  return pos + width;
}

/** `YYYY-MM-DD` of a day number. */
export function writeDate(out: Uint8Array, pos: number, days: number): number {
  civilFromDays(days, civil);
  const y = civil[0]!;
  if (y < 0) { out[pos++] = 45; pos = writePadded(out, pos, -y, 4); } else if (y > 9999) pos = writeDigits(out, pos, y); else pos = writePadded(out, pos, y, 4);
  out[pos++] = 45;
  pos = writePadded(out, pos, civil[1]!, 2);
  out[pos++] = 45;
  return writePadded(out, pos, civil[2]!, 2);
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]`, fraction without trailing zeros, as DuckDB prints a timestamp. */
export function writeTimestamp(out: Uint8Array, pos: number, micros: number): number {
  const days = Math.floor(micros / MICROS_PER_DAY);
  let rest = micros - days * MICROS_PER_DAY;
  pos = writeDate(out, pos, days);
  const fraction = rest % 1_000_000;
  rest = (rest - fraction) / 1_000_000;
  out[pos++] = 32;
  pos = writePadded(out, pos, Math.floor(rest / 3600), 2);
  out[pos++] = 58;
  pos = writePadded(out, pos, Math.floor(rest / 60) % 60, 2);
  out[pos++] = 58;
  pos = writePadded(out, pos, rest % 60, 2);
  if (fraction > 0) {
    out[pos++] = 46;
    let digits = 6, f = fraction;
    while (f % 10 === 0) { f /= 10; digits--; }
    pos = writePadded(out, pos, f, digits);
  }
  return pos;
}

/** Writes an ASCII JS string. */
export function writeAscii(out: Uint8Array, pos: number, s: string): number {
  for (let k = 0; k < s.length; k++) out[pos + k] = s.charCodeAt(k);
  return pos + s.length;
}

/** Lays out shortest round-trip digits in Python `repr` style (what DuckDB prints). */
function reprFromExponential(exp: string): string {
  const neg = exp.charCodeAt(0) === 45;
  const body = neg ? exp.slice(1) : exp;
  const e = body.indexOf("e");
  const digits = body.slice(0, e).replace(".", "");
  const power = Number(body.slice(e + 1));
  let text: string;
  if (power >= -4 && power < 16) {
    if (power >= 0) {
      const whole = digits.length > power + 1 ? digits.slice(0, power + 1) : digits.padEnd(power + 1, "0");
      const frac = digits.length > power + 1 ? digits.slice(power + 1) : "0";
      text = `${whole}.${frac}`;
    } else {
      text = `0.${"0".repeat(-power - 1)}${digits}`;
    }
  } else {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    text = `${mantissa}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  return neg ? `-${text}` : text;
}

/** A double as DuckDB prints it: `1.0`, `0.1`, `1e+20`, `nan`, `inf`. */
export function formatDouble(x: number): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const ax = x < 0 ? -x : x;
  if (ax >= 1e-4 && ax < 1e16) {
    // In this range JavaScript's shortest digits are already laid out as Python does, minus the ".0".
    const s = String(x);
    return s.indexOf(".") < 0 ? s + ".0" : s;
  }
  return reprFromExponential(x.toExponential());
}

/** A float32 with the fewest digits that read back as the same float32. */
export function formatFloat32(x: number): string {
  if (x !== x || x === Infinity || x === -Infinity || x === 0) return formatDouble(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(x.toPrecision(p));
    if (Math.fround(candidate) === x) return reprFromExponential(candidate.toExponential());
  }
  return formatDouble(x);
}
