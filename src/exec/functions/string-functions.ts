/**
 * String function kernels over UTF-8 bytes: upper, lower, length, trim,
 * ltrim, rtrim, substring, concat, startswith, endswith, contains. On a
 * dictionary-encoded input a one-argument function (or one whose other
 * arguments are literals) runs once per dictionary entry and keeps the
 * codes. Lengths and substring positions count characters (code points),
 * not bytes. Case mapping decodes to JS strings (per entry when it can)
 * only for non-ASCII text; ASCII is mapped byte by byte.
 */
import { BOOLEAN, INT32, UTF8 } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { Utf8Builder } from "../column-vector.ts";
import { stringSpan } from "../hash.ts";
import { mergeValidity } from "../validity.ts";
import { constantNumber, isConstantString, liftFromDictionary, stringAccess } from "./vector-util.ts";
import { spanToString } from "./text-parse.ts";

/** Applies a per-string transform to a plain or dictionary-encoded column. */
function mapStrings(col: ColumnVector, f: (bytes: Uint8Array, start: number, end: number, out: Utf8Builder) => void): ColumnVector {
  if (col.dictionary) return liftFromDictionary(col, mapStrings(col.dictionary, f));
  const n = col.length, valid = col.validity;
  const bytes = col.values as Uint8Array, offsets = col.offsets!;
  const out = new Utf8Builder(n, offsets[n]! + 16);
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) out.appendNull();
    else f(bytes, offsets[i]!, offsets[i + 1]!, out);
  }
  return out.finish();
}

let caseScratch = new Uint8Array(256);

function mapCase(col: ColumnVector, toUpper: boolean): ColumnVector {
  return mapStrings(col, (bytes, s, e, out) => {
    let ascii = true;
    for (let k = s; k < e; k++) if (bytes[k]! >= 0x80) { ascii = false; break; }
    if (!ascii) {
      // Full Unicode case mapping (JavaScript's, like Java's in Spark: 'ß' upper-cases to 'SS').
      const text = spanToString(bytes, s, e);
      out.appendString(toUpper ? text.toUpperCase() : text.toLowerCase());
      return;
    }
    if (caseScratch.length < e - s) caseScratch = new Uint8Array(2 * (e - s));
    const lo = toUpper ? 97 : 65, delta = toUpper ? -32 : 32;
    for (let k = s; k < e; k++) {
      const b = bytes[k]!;
      caseScratch[k - s] = b >= lo && b < lo + 26 ? b + delta : b;
    }
    out.appendBytes(caseScratch, 0, e - s);
  });
}

export function upper(col: ColumnVector): ColumnVector { return mapCase(col, true); }
export function lower(col: ColumnVector): ColumnVector { return mapCase(col, false); }

/** Characters in bytes `[s, e)`: every byte that is not a UTF-8 continuation byte starts one. */
function charCount(bytes: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let k = s; k < e; k++) n += (bytes[k]! & 0xc0) !== 0x80 ? 1 : 0;
  return n;
}

export function length(col: ColumnVector): ColumnVector {
  if (col.dictionary) return liftFromDictionary(col, length(col.dictionary));
  const n = col.length, bytes = col.values as Uint8Array, offsets = col.offsets!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = charCount(bytes, offsets[i]!, offsets[i + 1]!);
  return { type: INT32, length: n, values: out, validity: col.validity };
}

/** Trims ASCII spaces only, as DuckDB and Spark do (tabs and newlines stay). */
export function trim(col: ColumnVector, left: boolean, right: boolean): ColumnVector {
  return mapStrings(col, (bytes, s, e, out) => {
    if (left) while (s < e && bytes[s] === 32) s++;
    if (right) while (e > s && bytes[e - 1] === 32) e--;
    out.appendBytes(bytes, s, e);
  });
}

/** Byte position of character `c` (0-based) counting from `s`, clamped to `e`. */
function bytePosOfChar(bytes: Uint8Array, s: number, e: number, c: number): number {
  let k = s;
  for (let seen = 0; k < e && seen < c; seen++) {
    k++;
    while (k < e && (bytes[k]! & 0xc0) === 0x80) k++;
  }
  return k;
}

/**
 * DuckDB's substring: 1-based `start`; a negative start counts from the
 * end; start 0 is the position before the first character (so
 * `substring('hello', 0, 2) = 'h'`); a negative length takes the characters
 * before `start`. Spark differs at start 0 (treats it as 1) and for
 * negative lengths (empty); we follow DuckDB, the oracle.
 */
function substringOne(bytes: Uint8Array, s: number, e: number, start: number, len: number | null, out: Utf8Builder): void {
  const chars = charCount(bytes, s, e);
  const begin = start > 0 ? start : start < 0 ? chars + start + 1 : 0;
  let from: number, to: number;
  if (len === null) { from = begin; to = chars + 1; }
  else if (len >= 0) { from = begin; to = begin + len; }
  else { from = begin + len; to = begin; }
  from = Math.max(from, 1);
  to = Math.min(to, chars + 1);
  if (to <= from) { out.appendBytes(bytes, s, s); return; }
  if (chars === e - s) { out.appendBytes(bytes, s + from - 1, s + to - 1); return; }
  const bs = bytePosOfChar(bytes, s, e, from - 1);
  const be = bytePosOfChar(bytes, bs, e, to - from);
  out.appendBytes(bytes, bs, be);
}

export function substring(col: ColumnVector, start: ColumnVector, len: ColumnVector | null): ColumnVector {
  const cs = constantNumber(start), cl = len ? constantNumber(len) : null;
  if (cs !== undefined && cl !== undefined) {
    return mapStrings(col, (bytes, s, e, out) => substringOne(bytes, s, e, cs, cl, out));
  }
  const n = col.length;
  const validity = mergeValidity(len ? [col, start, len] : [col, start], n);
  const out = new Utf8Builder(n);
  const sv = start.values, lv = len?.values, a = stringAccess(col);
  for (let i = 0; i < n; i++) {
    if (validity && !validity[i]) { out.appendNull(); continue; }
    const k = a.codes ? a.codes[i]! : i;
    substringOne(a.bytes, a.offsets[k]!, a.offsets[k + 1]!, sv[i]!, lv ? lv[i]! : null, out);
  }
  return out.finish();
}

/** concat: NULL when any argument is NULL (DuckDB's `||`, Spark's concat). */
export function concat(args: ColumnVector[], n: number): ColumnVector {
  const validity = mergeValidity(args, n);
  const access = args.map(stringAccess);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!validity || validity[i]) {
      for (const a of access) { const k = a.codes ? a.codes[i]! : i; total += a.offsets[k + 1]! - a.offsets[k]!; }
    }
    offsets[i + 1] = total;
  }
  const values = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    if (validity && !validity[i]) continue;
    let at = offsets[i]!;
    for (const a of access) {
      const k = a.codes ? a.codes[i]! : i;
      const b = a.bytes, e = a.offsets[k + 1]!;
      for (let x = a.offsets[k]!; x < e; x++) values[at++] = b[x]!;
    }
  }
  return { type: UTF8, length: n, values, offsets, validity };
}

type BytePredicate = (b: Uint8Array, s: number, e: number, p: Uint8Array, ps: number, pe: number) => boolean;

const startsWithBytes: BytePredicate = (b, s, e, p, ps, pe) => {
  const m = pe - ps;
  if (e - s < m) return false;
  for (let k = 0; k < m; k++) if (b[s + k] !== p[ps + k]) return false;
  return true;
};

const endsWithBytes: BytePredicate = (b, s, e, p, ps, pe) => {
  const m = pe - ps;
  if (e - s < m) return false;
  for (let k = 0; k < m; k++) if (b[e - m + k] !== p[ps + k]) return false;
  return true;
};

const containsBytes: BytePredicate = (b, s, e, p, ps, pe) => {
  const m = pe - ps;
  if (m === 0) return true;
  const first = p[ps]!;
  for (let i = s; i + m <= e; i++) {
    if (b[i] !== first) continue;
    let k = 1;
    while (k < m && b[i + k] === p[ps + k]) k++;
    if (k === m) return true;
  }
  return false;
};

function stringPredicate(col: ColumnVector, arg: ColumnVector, test: BytePredicate): ColumnVector {
  const n = col.length;
  if (isConstantString(arg)) {
    const [pb, ps, pe] = stringSpan(arg, 0);
    const p = pb.slice(ps, pe);
    const one = (c: ColumnVector): ColumnVector => {
      const out = new Uint8Array(c.length), b = c.values as Uint8Array, o = c.offsets!;
      for (let i = 0; i < c.length; i++) out[i] = test(b, o[i]!, o[i + 1]!, p, 0, p.length) ? 1 : 0;
      return { type: BOOLEAN, length: c.length, values: out, validity: c.validity };
    };
    return col.dictionary ? liftFromDictionary(col, one(col.dictionary)) : one(col);
  }
  const validity = mergeValidity([col, arg], n);
  const out = new Uint8Array(n);
  const a = stringAccess(col), p = stringAccess(arg);
  for (let i = 0; i < n; i++) {
    if (validity && !validity[i]) continue;
    const k = a.codes ? a.codes[i]! : i, q = p.codes ? p.codes[i]! : i;
    out[i] = test(a.bytes, a.offsets[k]!, a.offsets[k + 1]!, p.bytes, p.offsets[q]!, p.offsets[q + 1]!) ? 1 : 0;
  }
  return { type: BOOLEAN, length: n, values: out, validity };
}

export function startsWith(col: ColumnVector, prefix: ColumnVector): ColumnVector { return stringPredicate(col, prefix, startsWithBytes); }
export function endsWith(col: ColumnVector, suffix: ColumnVector): ColumnVector { return stringPredicate(col, suffix, endsWithBytes); }
export function contains(col: ColumnVector, part: ColumnVector): ColumnVector { return stringPredicate(col, part, containsBytes); }
