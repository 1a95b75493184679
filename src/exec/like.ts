/**
 * LIKE and RLIKE kernels. LIKE matches UTF-8 bytes directly: `%` is any
 * run, `_` one character (one code point, however many bytes), and a
 * backslash escapes the next character (Spark's default escape; DuckDB
 * needs `ESCAPE '\'` for the same meaning). Common shapes get byte fast
 * paths (exact, `abc%`, `%abc`, `%abc%`); any other pattern runs a segment
 * matcher, still on bytes. RLIKE is a JavaScript RegExp with search
 * semantics (matches anywhere, like Spark's rlike); a leading `(?i)` is
 * honoured as the case-insensitive flag, as in Java and RE2. Regexes run on
 * decoded strings, once per dictionary entry when the input is encoded.
 */
import { BOOLEAN } from "../types/data-types.ts";
import { ExecutionError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";
import { stringSpan } from "./hash.ts";
import { not } from "./logic.ts";
import { isConstantString, liftFromDictionary } from "./functions/vector-util.ts";
import { spanToString } from "./functions/text-parse.ts";

/** Tests bytes `[start, end)` of `bytes`. */
type Matcher = (bytes: Uint8Array, start: number, end: number) => boolean;

export function like(value: ColumnVector, pattern: ColumnVector, negated: boolean, regex: boolean): ColumnVector {
  const n = value.length;
  let result: ColumnVector;
  if (isConstantString(pattern)) {
    const [pb, ps, pe] = stringSpan(pattern, 0);
    const matcher = regex ? regexMatcher(spanToString(pb, ps, pe)) : likeMatcher(pb.subarray(ps, pe));
    result = value.dictionary ? liftFromDictionary(value, matchAll(value.dictionary, matcher)) : matchAll(value, matcher);
  } else {
    // A pattern per row: compile each distinct pattern once.
    const cache = new Map<string, Matcher>();
    const out = new Uint8Array(n);
    const validity = new Uint8Array(n);
    const vv = value.validity, pv = pattern.validity;
    for (let i = 0; i < n; i++) {
      if ((vv && !vv[i]) || (pv && !pv[i])) continue;
      validity[i] = 1;
      const [pb, ps, pe] = stringSpan(pattern, i);
      const text = spanToString(pb, ps, pe);
      let m = cache.get(text);
      if (!m) { m = regex ? regexMatcher(text) : likeMatcher(pb.slice(ps, pe)); cache.set(text, m); }
      const [b, s, e] = stringSpan(value, i);
      out[i] = m(b, s, e) ? 1 : 0;
    }
    result = { type: BOOLEAN, length: n, values: out, validity };
  }
  return negated ? not(result) : result;
}

function matchAll(col: ColumnVector, m: Matcher): ColumnVector {
  const n = col.length, out = new Uint8Array(n);
  const bytes = col.values as Uint8Array, offsets = col.offsets!, valid = col.validity;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    out[i] = m(bytes, offsets[i]!, offsets[i + 1]!) ? 1 : 0;
  }
  return { type: BOOLEAN, length: n, values: out, validity: valid };
}

function regexMatcher(source: string): Matcher {
  let flags = "u";
  let body = source;
  if (body.startsWith("(?i)")) { flags += "i"; body = body.slice(4); }
  let re: RegExp;
  try {
    re = new RegExp(body, flags);
  } catch {
    try {
      re = new RegExp(body, flags.replace("u", ""));
    } catch (e) {
      throw new ExecutionError("WRONG_ARGUMENT", `invalid RLIKE pattern '${source}': ${(e as Error).message}; RLIKE uses JavaScript regular expression syntax`,
        { details: { pattern: source } });
    }
  }
  return (bytes, start, end) => re.test(spanToString(bytes, start, end));
}

/** `_` in a pattern after parsing: one code point. Literal bytes are 0..255. */
const ANY = -1;

/** Splits a LIKE pattern at unescaped `%` into segments of literal bytes and ANYs. */
function parseLike(pattern: Uint8Array): Int16Array[] {
  const segments: Int16Array[] = [];
  let current: number[] = [];
  for (let k = 0; k < pattern.length; k++) {
    const b = pattern[k]!;
    if (b === 92 /* \ */ && k + 1 < pattern.length) { current.push(pattern[++k]!); continue; }
    if (b === 37 /* % */) { segments.push(Int16Array.from(current)); current = []; continue; }
    current.push(b === 95 /* _ */ ? ANY : b);
  }
  segments.push(Int16Array.from(current));
  return segments;
}

/** Compiles a LIKE pattern to a byte matcher, picking a fast path for the common shapes. */
export function likeMatcher(pattern: Uint8Array): Matcher {
  const segments = parseLike(pattern);
  const literal = (seg: Int16Array) => seg.every((x) => x !== ANY);
  const bytesOf = (seg: Int16Array) => Uint8Array.from(seg);
  const nonEmpty = segments.filter((s) => s.length > 0);
  if (segments.length === 1 && literal(segments[0]!)) {
    const p = bytesOf(segments[0]!);
    return (b, s, e) => e - s === p.length && bytesEqual(b, s, p);
  }
  const allLiteral = segments.every(literal);
  if (allLiteral && segments.length === 2 && segments[1]!.length === 0) {
    const p = bytesOf(segments[0]!);
    return (b, s, e) => e - s >= p.length && bytesEqual(b, s, p);
  }
  if (allLiteral && segments.length === 2 && segments[0]!.length === 0) {
    const p = bytesOf(segments[1]!);
    return (b, s, e) => e - s >= p.length && bytesEqual(b, e - p.length, p);
  }
  if (allLiteral && segments.length >= 3 && segments[0]!.length === 0 && segments[segments.length - 1]!.length === 0 && nonEmpty.length <= 1) {
    const p = nonEmpty.length ? bytesOf(nonEmpty[0]!) : new Uint8Array(0);
    return (b, s, e) => indexOfBytes(b, s, e, p) >= 0;
  }
  return segmentMatcher(segments);
}

function bytesEqual(b: Uint8Array, at: number, p: Uint8Array): boolean {
  for (let k = 0; k < p.length; k++) if (b[at + k] !== p[k]) return false;
  return true;
}

/** First position in `[start, end)` where `p` occurs, or -1. */
function indexOfBytes(b: Uint8Array, start: number, end: number, p: Uint8Array): number {
  const m = p.length;
  if (m === 0) return start;
  const first = p[0]!;
  for (let i = start; i + m <= end; i++) {
    if (b[i] !== first) continue;
    let k = 1;
    while (k < m && b[i + k] === p[k]) k++;
    if (k === m) return i;
  }
  return -1;
}

/** Length in bytes of the UTF-8 character whose lead byte is `b`. */
function charWidth(b: number): number {
  return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/** End position if `seg` matches at `at` (forward), else -1. */
function matchForward(b: Uint8Array, at: number, end: number, seg: Int16Array): number {
  let i = at;
  for (let k = 0; k < seg.length; k++) {
    if (i >= end) return -1;
    const t = seg[k]!;
    if (t === ANY) i += charWidth(b[i]!);
    else if (b[i] === t) i++;
    else return -1;
  }
  return i <= end ? i : -1;
}

/** Start position if `seg` matches ending exactly at `end` (backward), else -1. */
function matchBackward(b: Uint8Array, start: number, end: number, seg: Int16Array): number {
  let i = end;
  for (let k = seg.length - 1; k >= 0; k--) {
    if (i <= start) return -1;
    const t = seg[k]!;
    if (t === ANY) {
      i--;
      while (i > start && (b[i]! & 0xc0) === 0x80) i--;
    } else if (b[i - 1] === t) i--;
    else return -1;
  }
  return i;
}

/**
 * General LIKE: the first segment is anchored at the start, the last at the
 * end, and the ones between are found leftmost-first, which is enough
 * because `%` can absorb anything between them.
 */
function segmentMatcher(segments: Int16Array[]): Matcher {
  const first = segments[0]!, last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((s) => s.length > 0);
  if (segments.length === 1) return (b, s, e) => matchForward(b, s, e, first) === e;
  return (b, s, e) => {
    let pos = matchForward(b, s, e, first);
    if (pos < 0) return false;
    for (const seg of middle) {
      let found = -1;
      for (let at = pos; at < e; at += charWidth(b[at]!)) {
        const r = matchForward(b, at, e, seg);
        if (r >= 0) { found = r; break; }
      }
      if (found < 0) return false;
      pos = found;
    }
    const tail = matchBackward(b, pos, e, last);
    return tail >= pos;
  };
}
