/**
 * Conditional kernels: CASE WHEN, IN lists, COALESCE and NULLIF. Each
 * decides, per row, which input supplies the value (a pick array) and
 * builds the output once with `pickRows`, so string results from literals
 * stay dictionary-encoded. IN follows SQL's three-valued logic: with no
 * match, a NULL on either side makes the answer NULL, not FALSE.
 */
import type { DataType } from "../types/data-types.ts";
import { BOOLEAN } from "../types/data-types.ts";
import type { ColumnVector } from "./column-vector.ts";
import { utf8FromStrings } from "./column-vector.ts";
import { compare } from "./compare.ts";
import { or, not } from "./logic.ts";
import { hashColumn, stringSpan } from "./hash.ts";
import { allNull, constantNumber, isConstantString, liftFromDictionary, pickRows } from "./functions/vector-util.ts";
import { spanToString } from "./functions/text-parse.ts";

/** CASE WHEN: the first branch whose condition is TRUE (not NULL, not FALSE) wins; no ELSE gives NULL. */
export function caseWhen(branches: { when: ColumnVector; then: ColumnVector }[], otherwise: ColumnVector | null, type: DataType, length: number): ColumnVector {
  const pick = new Int32Array(length).fill(-1);
  const sources: ColumnVector[] = branches.map((b) => b.then);
  let undecided = length;
  for (let b = 0; b < branches.length && undecided > 0; b++) {
    const cond = branches[b]!.when, v = cond.values, valid = cond.validity;
    for (let i = 0; i < length; i++) {
      if (pick[i] === -1 && v[i] === 1 && (!valid || valid[i] === 1)) { pick[i] = b; undecided--; }
    }
  }
  if (otherwise && undecided > 0) {
    const k = sources.length;
    sources.push(otherwise);
    for (let i = 0; i < length; i++) if (pick[i] === -1) pick[i] = k;
  }
  return pickRows(sources, pick, type, length);
}

/** COALESCE: the first non-NULL argument of each row. */
export function coalesce(args: ColumnVector[], type: DataType, length: number): ColumnVector {
  const pick = new Int32Array(length).fill(-1);
  for (let a = args.length - 1; a >= 0; a--) {
    const valid = args[a]!.validity;
    if (!valid) { pick.fill(a); continue; }
    for (let i = 0; i < length; i++) if (valid[i] === 1) pick[i] = a;
  }
  return pickRows(args, pick, type, length);
}

/** NULLIF(a, b): NULL where a = b, else a. */
export function nullIf(a: ColumnVector, b: ColumnVector, type: DataType, length: number): ColumnVector {
  const eq = compare("=", a, b);
  const pick = new Int32Array(length);
  const ev = eq.values, valid = eq.validity;
  for (let i = 0; i < length; i++) pick[i] = ev[i] === 1 && (!valid || valid[i] === 1) ? -1 : 0;
  return pickRows([a], pick, type, length);
}

function inShortStringList(col: ColumnVector, items: ColumnVector, out: Uint8Array): ColumnVector {
  const bytes = col.values as Uint8Array, offsets = col.offsets!;
  const itemBytes = items.values as Uint8Array, itemOffsets = items.offsets!, m = items.length;
  for (let i = 0; i < col.length; i++) {
    const s = offsets[i]!, len = offsets[i + 1]! - s;
    let hit = 0;
    for (let k = 0; k < m && hit === 0; k++) {
      const ks = itemOffsets[k]!;
      if (itemOffsets[k + 1]! - ks !== len) continue;
      let same = true;
      for (let b = 0; same && b < len; b++) same = bytes[s + b] === itemBytes[ks + b];
      if (same) hit = 1;
    }
    out[i] = hit;
  }
  return { type: BOOLEAN, length: col.length, values: out, validity: null };
}

/** Lists at least this long are probed through a hash set rather than compared item by item. */
const SET_THRESHOLD = 8;

/** `value [NOT] IN (list)`; the analyzer has cast the value and every item to one type. */
export function inList(value: ColumnVector, list: ColumnVector[], negated: boolean): ColumnVector {
  const constants: ColumnVector[] = [], columns: ColumnVector[] = [];
  let listHasNull = false;
  for (const item of list) {
    if (allNull(item)) listHasNull = true;
    else if (item.type.kind === "utf8" ? isConstantString(item) : constantNumber(item) !== undefined) constants.push(item);
    else columns.push(item);
  }
  let result = constants.length > 0 ? inConstants(value, constants) : falseVector(value.length);
  for (const c of columns) result = or(result, compare("=", value, c));
  if (listHasNull) result = or(result, nullBoolean(value.length));
  if (value.validity) result = withNulls(result, value.validity);
  return negated ? not(result) : result;
}

function falseVector(n: number): ColumnVector {
  return { type: BOOLEAN, length: n, values: new Uint8Array(n), validity: null };
}

function nullBoolean(n: number): ColumnVector {
  return { type: BOOLEAN, length: n, values: new Uint8Array(n), validity: new Uint8Array(n) };
}

/** NULL wherever the tested value is NULL (NULL IN (...) is NULL, even IN an empty match). */
function withNulls(result: ColumnVector, validity: Uint8Array): ColumnVector {
  const n = result.length, out = new Uint8Array(n);
  const rv = result.validity;
  for (let i = 0; i < n; i++) out[i] = validity[i]! & (rv ? rv[i]! : 1);
  return { ...result, validity: out };
}

/** Membership in a list of literals: a linear scan for short lists, a Set (numbers) or hash probe (strings) for long ones. */
function inConstants(value: ColumnVector, constants: ColumnVector[]): ColumnVector {
  const n = value.length;
  if (value.type.kind === "utf8") {
    const texts = constants.map((c) => { const [b, s, e] = stringSpan(c, 0); return spanToString(b, s, e); });
    if (value.dictionary) return liftFromDictionary(value, inStrings(value.dictionary, texts));
    return inStrings(value, texts);
  }
  const items = constants.map((c) => c.values[0]!);
  const v = value.values, out = new Uint8Array(n);
  if (items.length < SET_THRESHOLD) {
    const arr = Float64Array.from(items);
    for (let i = 0; i < n; i++) {
      const x = v[i]!;
      let hit = 0;
      for (let k = 0; k < arr.length; k++) if (arr[k] === x) { hit = 1; break; }
      out[i] = hit;
    }
  } else {
    const set = new Set<number>(items);
    for (let i = 0; i < n; i++) out[i] = set.has(v[i]!) ? 1 : 0;
  }
  return { type: BOOLEAN, length: n, values: out, validity: null };
}

/** Plain strings against literal strings: bytes compared directly for short lists, by hash then bytes for long ones (no per-row JS strings). */
function inStrings(col: ColumnVector, texts: string[]): ColumnVector {
  const n = col.length, out = new Uint8Array(n);
  const items = utf8FromStrings(texts);
  if (texts.length < SET_THRESHOLD) return inShortStringList(col, items, out);
  const itemHashes = hashColumn(items);
  const buckets = new Map<number, number[]>();
  for (let k = 0; k < texts.length; k++) {
    const h = itemHashes[k]!;
    const bucket = buckets.get(h);
    if (bucket) bucket.push(k); else buckets.set(h, [k]);
  }
  const hashes = hashColumn(col);
  const bytes = col.values as Uint8Array, offsets = col.offsets!;
  const itemBytes = items.values as Uint8Array, itemOffsets = items.offsets!;
  for (let i = 0; i < n; i++) {
    const bucket = buckets.get(hashes[i]!);
    if (!bucket) continue;
    const s = offsets[i]!, len = offsets[i + 1]! - s;
    for (const k of bucket) {
      const ks = itemOffsets[k]!;
      if (itemOffsets[k + 1]! - ks !== len) continue;
      let same = true;
      for (let b = 0; b < len; b++) if (bytes[s + b] !== itemBytes[ks + b]) { same = false; break; }
      if (same) { out[i] = 1; break; }
    }
  }
  return { type: BOOLEAN, length: n, values: out, validity: null };
}
