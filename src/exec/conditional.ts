/**
 * Conditional kernels: CASE WHEN, IN lists, COALESCE and NULLIF. Each
 * decides, per row, which input supplies the value (a pick array) and
 * builds the output once with `pickRows`, so string results from literals
 * stay dictionary-encoded. IN follows SQL's three-valued logic: with no
 * match, a NULL on either side makes the answer NULL, not FALSE.
 */
import type { DataType } from "../plan/types.ts";
import { BOOLEAN } from "../plan/types.ts";
import type { Expr } from "../plan/expressions.ts";
import { exprType } from "../plan/expression-types.ts";
import { ExecutionError } from "../common/errors.ts";
import type { Batch, ColumnVector } from "./column-vector.ts";
import { take, takeBatch, utf8FromStrings } from "./column-vector.ts";
import { compare } from "./compare.ts";
import { or, not } from "./logic.ts";
import { hashColumn, stringSpan } from "./hash.ts";
import { allNull, constantNumber, isConstantString, liftFromDictionary, pickRows } from "./functions/vector-util.ts";
import { spanToString } from "./functions/text-parse.ts";

type CaseExpr = Extract<Expr, { type: "case" }>;

/**
 * Evaluates a CASE expression over a batch. Branches are first computed
 * over every row (fast, vectorized); if that raises an execution error (a
 * cast of text that is not a number, sqrt of a negative...) it is redone
 * lazily, each THEN only over the rows its WHEN selects and each WHEN only
 * over the rows still undecided, so `CASE WHEN x > 0 THEN ln(x) END` and a
 * CAST guarded by a CASE behave as in DuckDB and Spark.
 */
export function evaluateCase(e: CaseExpr, batch: Batch, evaluate: (e: Expr, batch: Batch) => ColumnVector): ColumnVector {
  const type = exprType(e);
  try {
    return caseWhen(e.branches.map((b) => ({ when: evaluate(b.when, batch), then: evaluate(b.then, batch) })), e.otherwise ? evaluate(e.otherwise, batch) : null, type, batch.numRows);
  } catch (err) {
    if (!(err instanceof ExecutionError)) throw err;
    return lazyCase(e, batch, evaluate, type);
  }
}

function lazyCase(e: CaseExpr, batch: Batch, evaluate: (e: Expr, batch: Batch) => ColumnVector, type: DataType): ColumnVector {
  const n = batch.numRows;
  const pick = new Int32Array(n).fill(-1);
  const sources: ColumnVector[] = [];
  let rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  let count = n;
  /** Evaluates `expr` on the undecided rows listed in `chosen` (positions into `rows`) and scatters it back to full length. */
  const addSource = (expr: Expr, sub: Batch, chosen: Int32Array, c: number) => {
    const value = evaluate(expr, c === sub.numRows ? sub : takeBatch(sub, chosen, c));
    const back = new Int32Array(n).fill(-1);
    for (let k = 0; k < c; k++) {
      const row = rows[chosen[k]!]!;
      back[row] = k;
      pick[row] = sources.length;
    }
    sources.push(take(value, back));
  };
  for (const b of e.branches) {
    if (count === 0) break;
    const sub = count === n ? batch : takeBatch(batch, rows, count);
    const cond = evaluate(b.when, sub), cv = cond.values, valid = cond.validity;
    const chosen = new Int32Array(count), rest = new Int32Array(count);
    let c = 0, r = 0;
    for (let j = 0; j < count; j++) {
      if (cv[j] === 1 && (!valid || valid[j] === 1)) chosen[c++] = j; else rest[r++] = rows[j]!;
    }
    if (c > 0) addSource(b.then, sub, chosen, c);
    rows = rest;
    count = r;
  }
  if (e.otherwise && count > 0) {
    const sub = count === n ? batch : takeBatch(batch, rows, count);
    const all = new Int32Array(count);
    for (let j = 0; j < count; j++) all[j] = j;
    addSource(e.otherwise, sub, all, count);
  }
  return pickRows(sources, pick, type, n);
}

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

/**
 * Evaluates COALESCE over a batch: every argument over every row first; if
 * that raises an execution error, lazily as the CASE it stands for, so an
 * argument is only computed for rows that every earlier argument left NULL
 * (`coalesce(x, cast(s AS int))` fails only where it must, as in DuckDB).
 */
export function evaluateCoalesce(e: Extract<Expr, { type: "call" }>, batch: Batch, evaluate: (e: Expr, batch: Batch) => ColumnVector): ColumnVector {
  const type = exprType(e);
  try {
    return coalesce(e.args.map((a) => evaluate(a, batch)), type, batch.numRows);
  } catch (err) {
    if (!(err instanceof ExecutionError)) throw err;
    const asCase: CaseExpr = {
      type: "case",
      branches: e.args.slice(0, -1).map((a) => ({ when: { type: "isNull", expr: a, negated: true }, then: a })),
      otherwise: e.args[e.args.length - 1]!,
    };
    return lazyCase(asCase, batch, evaluate, type);
  }
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
