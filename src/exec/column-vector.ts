/**
 * The in-memory column every kernel works on: Arrow's layout, flattened for
 * fast JavaScript loops. Values sit in one typed array per column; validity
 * is one byte per row (1 = valid) rather than Arrow's bits, because byte
 * loads are what V8 vectorizes best and kernels test validity on every row;
 * it is packed to bits only when a batch leaves as Arrow.
 *
 * Storage by type:
 * - boolean: Uint8Array of 0/1
 * - int8..int32, uint8..uint32, float32, float64: the matching typed array
 * - int64, uint64: Float64Array holding exact integers. Values beyond ±2^53
 *   are rejected when data comes in and on arithmetic overflow (like Spark's
 *   ANSI mode), so a result is exact or an error, never silently wrong.
 * - decimal(p,s): Float64Array of unscaled integers (exact to 2^53, which
 *   covers decimal(15,s) sums of TPC-H); beyond that a typed error.
 * - date32: Int32Array of days since 1970-01-01
 * - timestamp: Float64Array of microseconds since the epoch (UTC)
 * - utf8: UTF-8 bytes plus Int32Array offsets, or dictionary codes
 *   (Int32Array) into a utf8 `dictionary` vector
 */
import type { DataType } from "../types/data-types.ts";
import { InternalError } from "../common/errors.ts";

export type NumericArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

export interface ColumnVector {
  readonly type: DataType;
  readonly length: number;
  /** Numbers, booleans (0/1), utf8 bytes, or dictionary codes. */
  readonly values: NumericArray;
  /** utf8 only: `length + 1` byte offsets into `values`. */
  readonly offsets?: Int32Array;
  /** 1 = valid, 0 = NULL; null when every row is valid. */
  readonly validity: Uint8Array | null;
  /** utf8 only: when set, `values` are Int32 codes into this plain utf8 vector. */
  readonly dictionary?: ColumnVector;
}

/** A horizontal slice of a relation: equally long columns, in the plan's schema order. */
export interface Batch {
  readonly columns: ColumnVector[];
  readonly numRows: number;
}

/** The batches of one partition, pulled one at a time (operators are async generators). */
export type BatchStream = AsyncIterable<Batch>;

export const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** A typed array able to hold `length` values of `type`. */
export function allocateValues(type: DataType, length: number): NumericArray {
  switch (type.kind) {
    case "boolean": case "null": case "uint8": return new Uint8Array(length);
    case "int8": return new Int8Array(length);
    case "int16": return new Int16Array(length);
    case "uint16": return new Uint16Array(length);
    case "int32": case "date32": return new Int32Array(length);
    case "uint32": return new Uint32Array(length);
    case "float32": return new Float32Array(length);
    case "int64": case "uint64": case "float64": case "decimal": case "timestamp": return new Float64Array(length);
    case "utf8": throw new InternalError("allocateValues cannot size utf8 bytes");
  }
}

/** Whether row `i` is non-NULL; a dictionary-encoded row is NULL also when its dictionary entry is. */
export function isValidAt(col: ColumnVector, i: number): boolean {
  if (col.validity !== null && col.validity[i] === 0) return false;
  return col.dictionary === undefined || isValidAt(col.dictionary, col.values[i]!);
}

export function nullCount(col: ColumnVector): number {
  if (!col.validity) return 0;
  let n = 0;
  for (let i = 0; i < col.length; i++) n += col.validity[i]! ^ 1;
  return n;
}

/** The string at row `i` (not for hot loops; kernels work on bytes). */
export function stringAt(col: ColumnVector, i: number): string {
  if (col.dictionary) return stringAt(col.dictionary, col.values[i]!);
  const offsets = col.offsets!;
  return utf8Decoder.decode((col.values as Uint8Array).subarray(offsets[i]!, offsets[i + 1]!));
}

/** A plain vector of `length` NULLs. */
export function nullVector(type: DataType, length: number): ColumnVector {
  if (type.kind === "utf8") return { type, length, values: new Uint8Array(0), offsets: new Int32Array(length + 1), validity: new Uint8Array(length) };
  return { type, length, values: allocateValues(type, length), validity: new Uint8Array(length) };
}

/** Replaces dictionary codes with the strings they stand for. */
export function decodeDictionary(col: ColumnVector): ColumnVector {
  if (!col.dictionary) return col;
  return takeStrings(col.dictionary, col.values as Int32Array, col.length, col.validity);
}

/**
 * Gathers rows: output row `k` is input row `indices[k]`; an index of -1
 * gives NULL (the unmatched side of an outer join).
 */
export function take(col: ColumnVector, indices: Int32Array | Uint32Array, count = indices.length): ColumnVector {
  let validity: Uint8Array | null = null;
  let hasMissing = false;
  for (let k = 0; k < count; k++) if ((indices[k]! | 0) < 0) { hasMissing = true; break; }
  if (col.validity || hasMissing) {
    validity = new Uint8Array(count);
    const src = col.validity;
    for (let k = 0; k < count; k++) {
      const i = indices[k]! | 0;
      validity[k] = i < 0 ? 0 : src === null ? 1 : src[i]!;
    }
  }
  if (col.type.kind === "utf8" && !col.dictionary) return takeStrings(col, indices, count, validity);
  const src = col.values;
  const out = new (src.constructor as new (n: number) => NumericArray)(count);
  if (hasMissing) {
    for (let k = 0; k < count; k++) { const i = indices[k]! | 0; out[k] = i < 0 ? 0 : src[i]!; }
  } else {
    for (let k = 0; k < count; k++) out[k] = src[indices[k]!]!;
  }
  const result: ColumnVector = { type: col.type, length: count, values: out, validity };
  return col.dictionary ? { ...result, dictionary: col.dictionary } : result;
}

/** Gathers strings; `validity` is already the output rows' validity. */
function takeStrings(col: ColumnVector, indices: ArrayLike<number>, count: number, validity: Uint8Array | null): ColumnVector {
  const srcOffsets = col.offsets!, bytes = col.values as Uint8Array;
  const offsets = new Int32Array(count + 1);
  let total = 0;
  for (let k = 0; k < count; k++) {
    const i = indices[k]! | 0;
    if (i >= 0) total += srcOffsets[i + 1]! - srcOffsets[i]!;
    offsets[k + 1] = total;
  }
  const out = new Uint8Array(total);
  for (let k = 0; k < count; k++) {
    const i = indices[k]! | 0;
    if (i < 0) continue;
    const start = srcOffsets[i]!, end = srcOffsets[i + 1]!;
    if (end - start < 16) {
      for (let b = start, o = offsets[k]!; b < end; b++, o++) out[o] = bytes[b]!;
    } else {
      out.set(bytes.subarray(start, end), offsets[k]!);
    }
  }
  return { type: col.type, length: count, values: out, offsets, validity };
}

/** Rows `start` to `end` (exclusive), sharing memory where the layout allows. */
export function slice(col: ColumnVector, start: number, end: number): ColumnVector {
  const length = end - start;
  const validity = col.validity ? col.validity.subarray(start, end) : null;
  if (col.type.kind === "utf8" && !col.dictionary) {
    const src = col.offsets!;
    const base = src[start]!;
    const offsets = new Int32Array(length + 1);
    for (let k = 0; k <= length; k++) offsets[k] = src[start + k]! - base;
    return { type: col.type, length, values: (col.values as Uint8Array).subarray(base, src[end]!), offsets, validity };
  }
  const result: ColumnVector = { type: col.type, length, values: col.values.subarray(start, end), validity };
  return col.dictionary ? { ...result, dictionary: col.dictionary } : result;
}

/** One vector holding the rows of `cols` in order. */
export function concat(cols: ColumnVector[]): ColumnVector {
  if (cols.length === 1) return cols[0]!;
  const type = cols[0]!.type;
  const length = cols.reduce((n, c) => n + c.length, 0);
  const dict = cols[0]!.dictionary;
  if (dict && cols.every((c) => c.dictionary === dict)) {
    const values = new Int32Array(length);
    let at = 0;
    for (const c of cols) { values.set(c.values as Int32Array, at); at += c.length; }
    return { type, length, values, validity: concatValidity(cols, length), dictionary: dict };
  }
  const plain = cols.map(decodeDictionary);
  if (type.kind === "utf8") {
    const totalBytes = plain.reduce((n, c) => n + c.offsets![c.length]!, 0);
    const values = new Uint8Array(totalBytes);
    const offsets = new Int32Array(length + 1);
    let row = 0, byte = 0;
    for (const c of plain) {
      const o = c.offsets!;
      values.set((c.values as Uint8Array).subarray(0, o[c.length]!), byte);
      for (let i = 0; i < c.length; i++) offsets[row + i + 1] = byte + o[i + 1]!;
      row += c.length;
      byte += o[c.length]!;
    }
    return { type, length, values, offsets, validity: concatValidity(plain, length) };
  }
  const values = allocateValues(type, length);
  let at = 0;
  for (const c of plain) { values.set(c.values as never, at); at += c.length; }
  return { type, length, values, validity: concatValidity(plain, length) };
}

function concatValidity(cols: ColumnVector[], length: number): Uint8Array | null {
  if (cols.every((c) => c.validity === null)) return null;
  const validity = new Uint8Array(length);
  let at = 0;
  for (const c of cols) {
    if (c.validity) validity.set(c.validity, at);
    else validity.fill(1, at, at + c.length);
    at += c.length;
  }
  return validity;
}

export function concatBatches(batches: Batch[], width: number): Batch {
  if (batches.length === 1) return batches[0]!;
  const numRows = batches.reduce((n, b) => n + b.numRows, 0);
  const columns: ColumnVector[] = [];
  for (let c = 0; c < width; c++) columns.push(concat(batches.map((b) => b.columns[c]!)));
  return { columns, numRows };
}

export function takeBatch(batch: Batch, indices: Int32Array | Uint32Array, count = indices.length): Batch {
  return { columns: batch.columns.map((c) => take(c, indices, count)), numRows: count };
}

/** The batch's columns at `projection` (the batch itself when there is none); shares the vectors. */
export function projectBatch(batch: Batch, projection: readonly number[] | null): Batch {
  return projection ? { numRows: batch.numRows, columns: projection.map((i) => batch.columns[i]!) } : batch;
}

export function sliceBatch(batch: Batch, start: number, end: number): Batch {
  return { columns: batch.columns.map((c) => slice(c, start, end)), numRows: end - start };
}

/** Builds a utf8 vector from JS strings (null for NULL). */
export function utf8FromStrings(strings: readonly (string | null)[], type: DataType = { kind: "utf8" }): ColumnVector {
  const length = strings.length;
  const offsets = new Int32Array(length + 1);
  let validity: Uint8Array | null = null;
  const encoded: Uint8Array[] = new Array(length);
  let total = 0;
  for (let i = 0; i < length; i++) {
    const s = strings[i];
    if (s === null || s === undefined) {
      validity ??= new Uint8Array(length).fill(1);
      validity[i] = 0;
      encoded[i] = EMPTY;
    } else {
      encoded[i] = utf8Encoder.encode(s);
      total += encoded[i]!.length;
    }
    offsets[i + 1] = total;
  }
  const values = new Uint8Array(total);
  for (let i = 0; i < length; i++) values.set(encoded[i]!, offsets[i]!);
  return { type, length, values, offsets, validity };
}
const EMPTY = new Uint8Array(0);

/** Grows a utf8 vector one value at a time, for kernels that produce strings. */
export class Utf8Builder {
  private bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly validity: Uint8Array;
  private size = 0;
  private row = 0;
  private anyNull = false;

  constructor(private readonly length: number, byteHint = length * 8) {
    this.bytes = new Uint8Array(Math.max(16, byteHint));
    this.offsets = new Int32Array(length + 1);
    this.validity = new Uint8Array(length);
  }

  private reserve(n: number): void {
    if (this.size + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.size + n));
    grown.set(this.bytes.subarray(0, this.size));
    this.bytes = grown;
  }

  appendBytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    if (n < 16) for (let b = start; b < end; b++) this.bytes[this.size++] = src[b]!;
    else { this.bytes.set(src.subarray(start, end), this.size); this.size += n; }
    this.validity[this.row++] = 1;
    this.offsets[this.row] = this.size;
  }

  appendString(s: string): void {
    const encoded = utf8Encoder.encode(s);
    this.appendBytes(encoded, 0, encoded.length);
  }

  appendNull(): void {
    this.anyNull = true;
    this.validity[this.row++] = 0;
    this.offsets[this.row] = this.size;
  }

  finish(type: DataType = { kind: "utf8" }): ColumnVector {
    if (this.row !== this.length) throw new InternalError(`Utf8Builder expected ${this.length} values, got ${this.row}`);
    return { type, length: this.length, values: this.bytes.subarray(0, this.size), offsets: this.offsets, validity: this.anyNull ? this.validity : null };
  }
}

/** Approximate bytes held by a batch, for result-size limits and broadcast decisions. */
export function batchByteSize(batch: Batch): number {
  let n = 0;
  for (const c of batch.columns) {
    n += c.values.byteLength + (c.offsets?.byteLength ?? 0) + (c.validity?.byteLength ?? 0);
    if (c.dictionary) n += c.dictionary.values.byteLength + (c.dictionary.offsets?.byteLength ?? 0);
  }
  return n;
}
