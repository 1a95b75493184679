/**
 * Small building blocks the expression kernels share: spotting a constant
 * argument (a literal arrives as a filled column, a string literal as a
 * one-entry dictionary; see constant.ts), lifting a per-dictionary-entry
 * result back to rows, and assembling an output column by picking, row by
 * row, which input column supplies the value (CASE, COALESCE, NULLIF).
 */
import type { DataType } from "../../types/data-types.ts";
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { allocateValues, nullVector, Utf8Builder } from "../column-vector.ts";
import { hashColumn } from "../hash.ts";

/**
 * Direct access to a string column's bytes without a tuple per row: row
 * `i` spans `offsets[k]..offsets[k + 1]` of `bytes`, where `k` is
 * `codes[i]` for a dictionary column and `i` otherwise.
 */
export interface StringAccess {
  bytes: Uint8Array;
  offsets: Int32Array;
  codes: Int32Array | null;
}

export function stringAccess(col: ColumnVector): StringAccess {
  if (col.dictionary) return { bytes: col.dictionary.values as Uint8Array, offsets: col.dictionary.offsets!, codes: col.values as Int32Array };
  return { bytes: col.values as Uint8Array, offsets: col.offsets!, codes: null };
}

/** True when every row is NULL. */
export function allNull(col: ColumnVector): boolean {
  const v = col.validity;
  if (!v) return false;
  for (let i = 0; i < col.length; i++) if (v[i] === 1) return false;
  return true;
}

/** The one value of a numeric column whose rows are all valid and equal, else undefined. */
export function constantNumber(col: ColumnVector): number | undefined {
  if (col.validity || col.length === 0 || col.type.kind === "utf8") return undefined;
  const v = col.values, x = v[0]!;
  for (let i = 1; i < col.length; i++) if (v[i] !== x) return undefined;
  return x;
}

/** True for a string column that is one valid value repeated (a string literal). */
export function isConstantString(col: ColumnVector): boolean {
  return col.dictionary !== undefined && col.dictionary.length === 1 && col.validity === null && (col.dictionary.validity === null || col.dictionary.validity[0] === 1);
}

/**
 * Result of a kernel computed once per dictionary entry (`perEntry`, one
 * value per entry) lifted to the rows of a dictionary-encoded `col`.
 */
export function liftFromDictionary(col: ColumnVector, perEntry: ColumnVector): ColumnVector {
  const n = col.length, codes = col.values as Int32Array;
  if (perEntry.type.kind === "utf8") {
    // A string result stays dictionary-encoded: same codes, new dictionary.
    let validity = col.validity;
    if (perEntry.validity) {
      validity = new Uint8Array(n);
      const pv = perEntry.validity, cv = col.validity;
      for (let i = 0; i < n; i++) validity[i] = (cv ? cv[i]! : 1) & pv[codes[i]!]!;
    }
    return distinctDictionary({ type: perEntry.type, length: n, values: codes, validity, dictionary: { ...perEntry, validity: null } });
  }
  const out = allocateValues(perEntry.type, n);
  const pv = perEntry.values;
  for (let i = 0; i < n; i++) out[i] = pv[codes[i]!]!;
  let validity = col.validity;
  if (perEntry.validity) {
    validity = new Uint8Array(n);
    const ev = perEntry.validity, cv = col.validity;
    for (let i = 0; i < n; i++) validity[i] = (cv ? cv[i]! : 1) & ev[codes[i]!]!;
  }
  return { type: perEntry.type, length: n, values: out, validity };
}

/**
 * Merges equal entries of a dictionary-encoded column's dictionary. Mapping
 * entries (upper('a') and upper('A')) or stacking dictionaries (CASE) can
 * repeat a string, and row equality elsewhere (hash.ts) takes equal codes
 * of one dictionary to mean equal strings and different codes to mean
 * different ones, so every dictionary we build keeps its entries distinct.
 */
export function distinctDictionary(col: ColumnVector): ColumnVector {
  const dict = col.dictionary!;
  const m = dict.length;
  if (m <= 1) return col;
  const hashes = hashColumn(dict);
  const bytes = dict.values as Uint8Array, offsets = dict.offsets!;
  const firstByHash = new Map<number, number[]>();
  const remap = new Int32Array(m);
  let unique = 0;
  const keep = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const h = hashes[j]!;
    const seen = firstByHash.get(h);
    let found = -1;
    if (seen) {
      const s = offsets[j]!, len = offsets[j + 1]! - s;
      for (const k of seen) {
        const ks = offsets[keep[k]!]!;
        if (offsets[keep[k]! + 1]! - ks !== len) continue;
        let same = true;
        for (let b = 0; b < len; b++) if (bytes[s + b] !== bytes[ks + b]) { same = false; break; }
        if (same) { found = k; break; }
      }
    }
    if (found < 0) {
      found = unique++;
      keep[found] = j;
      if (seen) seen.push(found); else firstByHash.set(h, [found]);
    }
    remap[j] = found;
  }
  if (unique === m) return col;
  const builder = new Utf8Builder(unique);
  for (let k = 0; k < unique; k++) builder.appendBytes(bytes, offsets[keep[k]!]!, offsets[keep[k]! + 1]!);
  const codes = col.values as Int32Array, n = col.length, out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = remap[codes[i]!]!;
  return { ...col, values: out, dictionary: builder.finish(dict.type) };
}

/** A column of `length` rows of which none, or only some, are NULL: validity bytes start at 1. */
export function fullValidity(length: number): Uint8Array {
  return new Uint8Array(length).fill(1);
}

/**
 * Builds a column of `type` whose row `i` is row `i` of `sources[pick[i]]`
 * (NULL when `pick[i]` is -1). Strings from dictionary-encoded sources stay
 * dictionary-encoded (the dictionaries are stacked and the codes shifted),
 * so a CASE over string literals costs 4 bytes a row.
 */
export function pickRows(sources: readonly ColumnVector[], pick: Int32Array, type: DataType, length: number): ColumnVector {
  if (type.kind === "null") return nullVector(type, length);
  let validity: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const s = pick[i]!;
    const src = s < 0 ? null : sources[s]!;
    const valid = src !== null && (src.validity === null || src.validity[i] === 1);
    if (!valid) {
      if (!validity) validity = fullValidity(length);
      validity[i] = 0;
    }
  }
  if (type.kind === "utf8") return pickStrings(sources, pick, validity, type, length);
  const out: NumericArray = allocateValues(type, length);
  const arrays = sources.map((s) => s.values);
  for (let i = 0; i < length; i++) {
    const s = pick[i]!;
    if (s >= 0) out[i] = arrays[s]![i]!;
  }
  return { type, length, values: out, validity };
}

function pickStrings(sources: readonly ColumnVector[], pick: Int32Array, validity: Uint8Array | null, type: DataType, length: number): ColumnVector {
  if (sources.every((s) => s.dictionary !== undefined)) {
    const base = new Int32Array(sources.length);
    const builder = new Utf8Builder(sources.reduce((n, s) => n + s.dictionary!.length, 0));
    sources.forEach((s, k) => {
      base[k] = k === 0 ? 0 : base[k - 1]! + sources[k - 1]!.dictionary!.length;
      const d = s.dictionary!, bytes = d.values as Uint8Array, offsets = d.offsets!;
      for (let j = 0; j < d.length; j++) builder.appendBytes(bytes, offsets[j]!, offsets[j + 1]!);
    });
    const codes = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const s = pick[i]!;
      if (s >= 0 && (validity === null || validity[i] === 1)) codes[i] = base[s]! + sources[s]!.values[i]!;
    }
    return distinctDictionary({ type, length, values: codes, validity, dictionary: builder.finish(type) });
  }
  const access = sources.map(stringAccess);
  const builder = new Utf8Builder(length);
  for (let i = 0; i < length; i++) {
    const s = pick[i]!;
    if (s < 0 || (validity !== null && validity[i] === 0)) { builder.appendNull(); continue; }
    const a = access[s]!;
    const k = a.codes ? a.codes[i]! : i;
    builder.appendBytes(a.bytes, a.offsets[k]!, a.offsets[k + 1]!);
  }
  return builder.finish(type);
}
