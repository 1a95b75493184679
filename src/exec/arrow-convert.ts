/**
 * Conversion between Apache Arrow JS (`Table`, `RecordBatch`, `Data`) and
 * Cinder's `ColumnVector`s. Numeric buffers are shared, not copied, when
 * the layouts agree (same typed array, no slice offset); int64, decimal and
 * timestamp values are converted to the exact-double forms described in
 * `column-vector.ts`, and bit-packed validity becomes bytes.
 */
import * as arrow from "apache-arrow";
import type { DataType, Field } from "../types/data-types.ts";
import { decimal } from "../types/data-types.ts";
import { UnsupportedError, ExecutionError } from "../common/errors.ts";
import type { Batch, ColumnVector, NumericArray } from "./column-vector.ts";
import { decodeDictionary } from "./column-vector.ts";

const MAX_EXACT = 2 ** 53;

/** Cinder's type for an Arrow type; throws `UnsupportedError` naming the column for types Cinder cannot hold. */
export function dataTypeFromArrow(t: arrow.DataType, column = "?"): DataType {
  switch (t.typeId) {
    case arrow.Type.Null: return { kind: "null" };
    case arrow.Type.Bool: return { kind: "boolean" };
    case arrow.Type.Int: {
      const it = t as arrow.Int;
      return { kind: `${it.isSigned ? "int" : "uint"}${it.bitWidth}` as "int32" };
    }
    case arrow.Type.Float: {
      const ft = t as arrow.Float;
      return ft.precision === arrow.Precision.DOUBLE ? { kind: "float64" } : { kind: "float32" };
    }
    case arrow.Type.Decimal: {
      const dt = t as arrow.Decimal;
      return decimal(dt.precision, dt.scale);
    }
    case arrow.Type.Utf8: case arrow.Type.LargeUtf8: return { kind: "utf8" };
    case arrow.Type.Date: return { kind: "date32" };
    case arrow.Type.Timestamp: return { kind: "timestamp", timezone: (t as arrow.Timestamp).timezone ?? null };
    case arrow.Type.Dictionary: return dataTypeFromArrow((t as arrow.Dictionary).dictionary, column);
    default:
      throw new UnsupportedError(`column '${column}' has Arrow type ${t.toString()}, which Cinder does not support yet; cast it to a supported type (numbers, decimal, string, date, timestamp, boolean) before loading`, { column, type: t.toString() });
  }
}

export function arrowTypeOf(t: DataType): arrow.DataType {
  switch (t.kind) {
    case "null": return new arrow.Null();
    case "boolean": return new arrow.Bool();
    case "int8": return new arrow.Int8();
    case "int16": return new arrow.Int16();
    case "int32": return new arrow.Int32();
    case "int64": return new arrow.Int64();
    case "uint8": return new arrow.Uint8();
    case "uint16": return new arrow.Uint16();
    case "uint32": return new arrow.Uint32();
    case "uint64": return new arrow.Uint64();
    case "float32": return new arrow.Float32();
    case "float64": return new arrow.Float64();
    case "decimal": return new arrow.Decimal(t.scale, t.precision, 128);
    case "utf8": return new arrow.Utf8();
    case "date32": return new arrow.DateDay();
    case "timestamp": return new arrow.TimestampMicrosecond(t.timezone);
  }
}

/** A byte per row (1 = valid) from an Arrow validity bitmap; null when every row is valid. */
export function validityOf(data: arrow.Data): Uint8Array | null {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return null;
  const bits = data.nullBitmap, offset = data.offset, n = data.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = offset + i;
    out[i] = (bits[b >> 3]! >> (b & 7)) & 1;
  }
  return out;
}

function validityFromBitmap(data: arrow.Data): Uint8Array | null {
  if (data.typeId === arrow.Type.Null && (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0)) return new Uint8Array(data.length);
  return validityOf(data);
}

/** An Arrow validity bitmap from a byte per row; undefined when every row is valid. */
export function bitmapFromValidity(validity: Uint8Array | null, length: number): Uint8Array | undefined {
  if (!validity) return undefined;
  const bits = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) if (validity[i]) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

function outOfRange(column: string, value: bigint | number, what: string): never {
  throw new ExecutionError("ARITHMETIC_OVERFLOW",
    `column '${column}' holds ${what} ${value}, beyond ±2^53, which Cinder cannot hold exactly; cast it to string or float64 before loading`,
    { details: { column, value: String(value) } });
}

/** One Arrow `Data` (a single chunk) as a ColumnVector of `type`. */
export function vectorFromArrowData(data: arrow.Data, type: DataType, column = "?"): ColumnVector {
  const n = data.length, off = data.offset;
  const validity = validityFromBitmap(data);
  switch (data.typeId) {
    case arrow.Type.Null: return { type, length: n, values: new Uint8Array(n), validity: new Uint8Array(n) };
    case arrow.Type.Bool: {
      const bits = data.values as Uint8Array;
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) { const b = off + i; values[i] = (bits[b >> 3]! >> (b & 7)) & 1; }
      return { type, length: n, values, validity };
    }
    case arrow.Type.Utf8: case arrow.Type.LargeUtf8: {
      const srcOffsets = data.valueOffsets as Int32Array | BigInt64Array;
      const offsets = new Int32Array(n + 1);
      const base = Number(srcOffsets[off]!);
      for (let i = 0; i <= n; i++) offsets[i] = Number(srcOffsets[off + i]!) - base;
      const bytes = (data.values as Uint8Array).subarray(base, base + offsets[n]!);
      return { type, length: n, values: bytes, offsets, validity };
    }
    case arrow.Type.Dictionary: {
      const dictVector = data.dictionary!;
      const dictionary = vectorFromArrowData(dictVector.data.length === 1 ? dictVector.data[0]! : concatData(dictVector), type, column);
      const src = data.values as ArrayLike<number | bigint>;
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = Number(src[off + i]!);
      return { type, length: n, values: codes, validity, dictionary };
    }
    case arrow.Type.Decimal: {
      const words = data.values as Uint32Array;
      const stride = ((data.type as arrow.Decimal).bitWidth ?? 128) / 32;
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const w = (off + i) * stride;
        const lo = words[w]!, hi = words[w + 1]!;
        const top = stride > 2 ? words[w + 2]! : (hi & 0x80000000 ? 0xffffffff : 0);
        if (top === 0 && (stride <= 2 || words[w + 3] === 0) && hi < 0x200000) values[i] = hi * 4294967296 + lo;
        else if (top === 0xffffffff && (stride <= 2 || words[w + 3] === 0xffffffff) && hi >= 0xffe00000) values[i] = (hi - 4294967296) * 4294967296 + lo;
        else if (validity === null || validity[i]) outOfRange(column, hi * 4294967296 + lo, "a decimal with unscaled value");
      }
      return { type, length: n, values, validity };
    }
    case arrow.Type.Timestamp: {
      const unit = (data.type as arrow.Timestamp).unit;
      const scale = [1e6, 1e3, 1, 1e-3][unit]!;
      const src = data.values as unknown as ArrayLike<bigint | number>;
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const raw = src[off + i]!;
        values[i] = unit === arrow.TimeUnit.NANOSECOND ? Number((raw as bigint) / 1000n) : Number(raw) * scale;
      }
      return { type, length: n, values, validity };
    }
    case arrow.Type.Date: {
      const unit = (data.type as arrow.Date_).unit;
      if (unit === arrow.DateUnit.DAY) return { type, length: n, values: sharedOrCopy(data.values as Int32Array, off, n), validity };
      const src = data.values as unknown as ArrayLike<bigint | number>;
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = Math.floor(Number(src[off + i]!) / 86400000);
      return { type, length: n, values, validity };
    }
    case arrow.Type.Int: {
      const src = data.values as NumericArray | BigInt64Array | BigUint64Array;
      if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = src[off + i]!;
          const x = Number(v);
          if ((x > MAX_EXACT || x < -MAX_EXACT) && (validity === null || validity[i])) outOfRange(column, v, "an integer");
          values[i] = x;
        }
        return { type, length: n, values, validity };
      }
      return { type, length: n, values: sharedOrCopy(src, off, n), validity };
    }
    case arrow.Type.Float: {
      const src = data.values as NumericArray;
      if (src instanceof Uint16Array) { // half floats: widen
        const values = new Float32Array(n);
        for (let i = 0; i < n; i++) values[i] = arrow.util.uint16ToFloat64(src[off + i]!);
        return { type: { kind: "float32" }, length: n, values, validity };
      }
      return { type, length: n, values: sharedOrCopy(src, off, n), validity };
    }
    default:
      throw new UnsupportedError(`column '${column}': Arrow type ${data.type.toString()} is not supported`, { column });
  }
}

/** A view of the chunk's rows: zero-copy, since Cinder never writes into input buffers. */
function sharedOrCopy<T extends NumericArray>(src: T, off: number, n: number): T {
  return src.subarray(off, off + n) as T;
}

function concatData(v: arrow.Vector): arrow.Data {
  const whole = arrow.makeVector(v.toArray() as never);
  return whole.data[0]!;
}

/** The batches of an Arrow table, one per record batch, and the fields (with fresh ids from `nextId`). */
export function batchesFromArrowTable(table: arrow.Table, fields: readonly Field[]): Batch[] {
  return table.batches.map((rb) => ({
    numRows: rb.numRows,
    columns: fields.map((f, c) => vectorFromArrowData(rb.getChildAt(c)!.data[0]!, f.type, f.name)),
  }));
}

/** An Arrow `Data` holding the rows of `col`. */
export function arrowDataOf(col: ColumnVector): arrow.Data {
  const type = arrowTypeOf(col.type);
  const length = col.length;
  const nullBitmap = bitmapFromValidity(col.validity, length);
  const nullCount = col.validity ? length - col.validity.reduce((a, b) => a + b, 0) : 0;
  switch (col.type.kind) {
    case "null": return arrow.makeData({ type: type as arrow.Null, length, nullCount: length });
    case "boolean": {
      const bits = new Uint8Array((length + 7) >> 3);
      const v = col.values;
      for (let i = 0; i < length; i++) if (v[i]) bits[i >> 3]! |= 1 << (i & 7);
      return arrow.makeData({ type: type as arrow.Bool, length, nullCount, nullBitmap, data: bits });
    }
    case "utf8": {
      if (col.dictionary) {
        const dictionary = arrow.makeVector(arrowDataOf(col.dictionary) as arrow.Data<arrow.Utf8>);
        const dictType = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
        return arrow.makeData({ type: dictType, length, nullCount, nullBitmap, data: col.values as Int32Array, dictionary });
      }
      return arrow.makeData({ type: type as arrow.Utf8, length, nullCount, nullBitmap, valueOffsets: col.offsets!, data: col.values as Uint8Array });
    }
    case "int64": case "uint64": case "timestamp": {
      const out = col.type.kind === "uint64" ? new BigUint64Array(length) : new BigInt64Array(length);
      const v = col.values;
      for (let i = 0; i < length; i++) out[i] = BigInt(Math.trunc(v[i]!)) as never;
      return arrow.makeData({ type: type as arrow.Int64, length, nullCount, nullBitmap, data: out as BigInt64Array });
    }
    case "decimal": {
      const words = new Uint32Array(length * 4);
      const v = col.values;
      for (let i = 0; i < length; i++) {
        const x = Math.round(v[i]!);
        const neg = x < 0;
        const lo = (x >>> 0) >>> 0;
        const hi = Math.floor(x / 4294967296) >>> 0;
        words[i * 4] = lo;
        words[i * 4 + 1] = hi;
        words[i * 4 + 2] = neg ? 0xffffffff : 0;
        words[i * 4 + 3] = neg ? 0xffffffff : 0;
      }
      return arrow.makeData({ type: type as arrow.Decimal, length, nullCount, nullBitmap, data: words });
    }
    default:
      return arrow.makeData({ type: type as arrow.Int32, length, nullCount, nullBitmap, data: col.values as Int32Array });
  }
}

/** An Arrow table of the given batches. */
export function arrowTableOf(batches: Batch[], fields: readonly Field[]): arrow.Table {
  // Dictionary-encoded strings stay dictionaries only when every batch has them, so all batches share one schema.
  const plain = batches.map((b) => b.columns.map((c, i) => (c.dictionary && !batches.every((o) => o.columns[i]!.dictionary) ? decodeDictionary(c) : c)));
  const children = plain.map((cols) => cols.map(arrowDataOf));
  const schema = new arrow.Schema(fields.map((f, i) => new arrow.Field(f.name, children[0]?.[i]?.type ?? arrowTypeOf(f.type), f.nullable)));
  const recordBatches = batches.map((b, k) => new arrow.RecordBatch(schema, arrow.makeData({
    type: new arrow.Struct(schema.fields), length: b.numRows, nullCount: 0, children: children[k]!,
  })));
  return recordBatches.length ? new arrow.Table(schema, recordBatches) : new arrow.Table(schema);
}
