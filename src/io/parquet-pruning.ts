/**
 * Row-group pruning: decides from min/max/null-count statistics whether any
 * row of a row group can satisfy the filters pushed into a Scan. The answer
 * is "cannot match" (skip the row group) or "may match" (read it); anything
 * not understood — a function call, a cast to string, missing statistics —
 * is "may match", so pruning can only ever save work, never change results.
 * Statistics are compared in one value domain: numbers as their real value
 * (decimals divided by 10^scale), dates as days, timestamps as microseconds,
 * strings by UTF-8 bytes (Parquet's order for strings).
 */
import type { Expr } from "../plan/expressions.ts";
import type { LiteralValue } from "../types/operations.ts";
import type { DataType, Field } from "../types/data-types.ts";
import type { ChunkStats, LeafColumn } from "./parquet-metadata.ts";
import { PhysicalType } from "./parquet-metadata.ts";

/** Statistics of one column in one row group, in the domain above; `min`/`max` null when unknown. */
export interface ColumnStats {
  min: number | string | boolean | null;
  max: number | string | boolean | null;
  nullCount: number | null;
  numRows: number;
}

const decoder = new TextDecoder();

function bigEndianSigned(b: Uint8Array): number | null {
  if (b.length === 0) return null;
  let v = b[0]! & 0x80 ? -1 : 0;
  for (const x of b) v = v * 256 + x;
  // Beyond 2^53 the value is not exact; bounds are then unusable.
  return Math.abs(v) > 2 ** 53 ? null : v;
}

/** One statistics value of a leaf as a domain value, or null when it cannot be used safely. */
export function decodeStatValue(b: Uint8Array, leaf: LeafColumn, type: DataType): number | string | boolean | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const scale = type.kind === "decimal" ? 10 ** type.scale : 1;
  switch (leaf.physicalType) {
    case PhysicalType.BOOLEAN: return b.length >= 1 ? b[0] !== 0 : null;
    case PhysicalType.INT32: {
      if (b.length < 4) return null;
      const v = leaf.unsigned ? view.getUint32(0, true) : view.getInt32(0, true);
      return type.kind === "decimal" ? v / scale : v;
    }
    case PhysicalType.INT64: {
      if (b.length < 8) return null;
      const big = leaf.unsigned ? view.getBigUint64(0, true) : view.getBigInt64(0, true);
      let v = Number(big);
      if (Math.abs(v) > 2 ** 53) return null;
      if (type.kind === "decimal") return v / scale;
      if (type.kind === "timestamp") v = leaf.timeUnit === "ms" ? v * 1000 : leaf.timeUnit === "ns" ? Math.floor(v / 1000) : v;
      if (type.kind === "date32") v = Math.floor(v / 86400000);
      return v;
    }
    case PhysicalType.FLOAT: { if (b.length < 4) return null; const v = view.getFloat32(0, true); return Number.isNaN(v) ? null : v; }
    case PhysicalType.DOUBLE: { if (b.length < 8) return null; const v = view.getFloat64(0, true); return Number.isNaN(v) ? null : v; }
    case PhysicalType.BYTE_ARRAY: case PhysicalType.FIXED_LEN_BYTE_ARRAY: {
      if (type.kind === "decimal") { const v = bigEndianSigned(b); return v === null ? null : v / scale; }
      if (type.kind === "utf8") return decoder.decode(b);
      return null;
    }
    default: return null;
  }
}

/** A chunk's statistics in the domain, for a column of Cinder type `type`. */
export function columnStatsOf(stats: ChunkStats | null, leaf: LeafColumn, type: DataType, numRows: number): ColumnStats {
  const out: ColumnStats = { min: null, max: null, nullCount: stats?.nullCount ?? null, numRows };
  if (!stats?.min || !stats.max) return out;
  // Old writers' min/max compared bytes as signed: wrong for strings, unsigned and decimals in bytes.
  if (stats.legacy && (leaf.physicalType === PhysicalType.BYTE_ARRAY || leaf.physicalType === PhysicalType.FIXED_LEN_BYTE_ARRAY || leaf.unsigned)) return out;
  if (leaf.physicalType === PhysicalType.INT96) return out;
  out.min = decodeStatValue(stats.min, leaf, type);
  out.max = decodeStatValue(stats.max, leaf, type);
  // Writers leave NaN out of float min/max, and NaN sorts above every number (Spark's rule), so a
  // float chunk's true maximum may be NaN: only the minimum bounds it.
  if ((leaf.physicalType === PhysicalType.FLOAT || leaf.physicalType === PhysicalType.DOUBLE) && out.max !== null) out.max = Infinity;
  if (out.min === null || out.max === null) { out.min = null; out.max = null; }
  return out;
}

/** Statistics of a constant column (a Hive partition value) over `numRows` rows. */
export function constantStats(value: LiteralValue, type: DataType, numRows: number): ColumnStats {
  const v = value === null ? null : domainOf(value, type);
  return { min: v, max: v, nullCount: value === null ? numRows : 0, numRows };
}

function domainOf(value: LiteralValue, type: DataType): number | string | boolean | null {
  if (value === null) return null;
  if (type.kind === "decimal" && typeof value === "number") return value / 10 ** type.scale;
  return value;
}

const encoder = new TextEncoder();

/** -1, 0, 1; strings by UTF-8 bytes; null when the values cannot be compared. */
function compare(a: number | string | boolean, b: number | string | boolean): number | null {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "string" && typeof b === "string") {
    if (a === b) return 0;
    const x = encoder.encode(a), y = encoder.encode(b);
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length < 0 ? -1 : x.length === y.length ? 0 : 1;
  }
  return null;
}

/** A cast that keeps order (so min/max map to min/max), applied to a domain value; null if not understood. */
function castDomain(v: number | string | boolean | null, from: DataType, to: DataType): number | string | boolean | null | undefined {
  const numeric = (t: DataType): boolean => /^(u?int(8|16|32|64)|float(32|64)|decimal)$/.test(t.kind);
  if (v === null) return null;
  if (from.kind === to.kind && from.kind !== "decimal") return v;
  if (numeric(from) && numeric(to) && typeof v === "number") {
    return /^u?int/.test(to.kind) ? Math.trunc(v) : v;
  }
  if (from.kind === "date32" && to.kind === "timestamp" && typeof v === "number") return v * 86400e6;
  return undefined;
}

type StatsLookup = (e: Expr) => { stats: ColumnStats; type: DataType } | null;

/** Resolves a column reference (maybe under order-keeping casts) to its statistics. */
function statsOfOperand(e: Expr, lookup: StatsLookup): ColumnStats | null {
  if (e.type === "column" || e.type === "boundRef") {
    const found = lookup(e);
    return found ? found.stats : null;
  }
  if (e.type === "cast") {
    const inner = e.expr;
    const innerType = inner.type === "column" ? inner.dataType : inner.type === "boundRef" ? inner.dataType : undefined;
    const s = statsOfOperand(inner, lookup);
    if (!s || !innerType) return null;
    const min = castDomain(s.min, innerType, e.to), max = castDomain(s.max, innerType, e.to);
    if (min === undefined || max === undefined) return null;
    return { ...s, min, max };
  }
  return null;
}

/** A literal (maybe under a cast) as a domain value; undefined when it is not a constant. */
function literalOf(e: Expr): number | string | boolean | null | undefined {
  if (e.type === "literal") return domainOf(e.value, e.dataType);
  if (e.type === "cast" && e.expr.type === "literal") {
    return castDomain(domainOf(e.expr.value, e.expr.dataType), e.expr.dataType, e.to);
  }
  return undefined;
}

const FLIP: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=", "<=>": "<=>" };
const NEGATE: Record<string, string> = { "<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "=" };

/** False only when no row described by `lookup` can make `e` true. */
export function mayMatch(e: Expr, lookup: StatsLookup): boolean {
  switch (e.type) {
    case "literal": return e.value !== false && e.value !== null;
    case "binary": {
      if (e.op === "and") return mayMatch(e.left, lookup) && mayMatch(e.right, lookup);
      if (e.op === "or") return mayMatch(e.left, lookup) || mayMatch(e.right, lookup);
      if (!(e.op in FLIP)) return true;
      let op = e.op as string, s = statsOfOperand(e.left, lookup), lit = literalOf(e.right);
      if (!s || lit === undefined) { s = statsOfOperand(e.right, lookup); lit = literalOf(e.left); op = FLIP[op]!; }
      if (!s || lit === undefined || Number.isNaN(lit)) return true;
      return comparisonMayMatch(op, s, lit);
    }
    case "not": {
      const inner = e.expr;
      if (inner.type === "binary" && inner.op in NEGATE) return mayMatch({ ...inner, op: NEGATE[inner.op] as "=" }, lookup);
      if (inner.type === "isNull") return mayMatch({ ...inner, negated: !inner.negated }, lookup);
      if (inner.type === "not") return mayMatch(inner.expr, lookup);
      if (inner.type === "binary" && (inner.op === "and" || inner.op === "or")) {
        const flipped: Expr = { type: "binary", op: inner.op === "and" ? "or" : "and", left: { type: "not", expr: inner.left }, right: { type: "not", expr: inner.right } };
        return mayMatch(flipped, lookup);
      }
      return true;
    }
    case "isNull": {
      const s = statsOfOperand(e.expr, lookup);
      if (!s || s.nullCount === null) return true;
      return e.negated ? s.nullCount < s.numRows : s.nullCount > 0;
    }
    case "in": {
      if (e.negated) return true;
      const s = statsOfOperand(e.expr, lookup);
      if (!s) return true;
      return e.list.some((item) => {
        const lit = literalOf(item);
        return lit === undefined || Number.isNaN(lit) || comparisonMayMatch("=", s, lit);
      });
    }
    default: return true;
  }
}

function comparisonMayMatch(op: string, s: ColumnStats, lit: number | string | boolean | null): boolean {
  if (op === "<=>") {
    if (lit === null) return s.nullCount === null || s.nullCount > 0;
    op = "=";
  }
  if (lit === null) return false; // comparison with NULL is never true
  if (s.nullCount !== null && s.nullCount >= s.numRows) return false; // only NULLs
  if (s.min === null || s.max === null) return true;
  const lo = compare(s.min, lit), hi = compare(s.max, lit);
  if (lo === null || hi === null) return true;
  switch (op) {
    case "=": return lo <= 0 && hi >= 0;
    case "!=": return !(lo === 0 && hi === 0);
    case "<": return lo < 0;
    case "<=": return lo <= 0;
    case ">": return hi > 0;
    case ">=": return hi >= 0;
    default: return true;
  }
}

/** True when some row group row may satisfy every filter; `statsOf(i)` gives column i of `schema`. */
export function rowGroupMayMatch(filters: readonly Expr[], schema: readonly Field[], statsOf: (column: number) => ColumnStats | null): boolean {
  if (filters.length === 0) return true;
  const lookup: StatsLookup = (e) => {
    let i = -1;
    if (e.type === "boundRef") i = e.index;
    else if (e.type === "column") {
      i = e.id !== undefined ? schema.findIndex((f) => f.id === e.id) : -1;
      if (i < 0) i = schema.findIndex((f) => f.name === e.name);
    }
    if (i < 0) return null;
    const stats = statsOf(i);
    return stats ? { stats, type: schema[i]!.type } : null;
  };
  return filters.every((f) => mayMatch(f, lookup));
}
