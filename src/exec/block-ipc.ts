/**
 * A block (a shuffle output, a cached partition, a shipped table) as Arrow
 * IPC, the form it takes between hosts. Each batch is one IPC stream and a
 * block is the streams one after another, which Arrow readers read as a
 * sequence (`RecordBatchReader.readAll`); one stream a batch because
 * batches of one block may carry different string dictionaries.
 *
 * Columns keep Cinder's own buffers rather than Arrow's logical types:
 * int64 and decimals stay the float64 values Cinder computes with,
 * booleans the 0/1 bytes, so encoding copies each buffer once and decoding
 * is a view into the received bytes. Each field's metadata names its
 * Cinder type (`cinder.type`), so the round trip is exact; any Arrow
 * reader still sees plain Int32/Float64/Utf8/Dictionary columns.
 *
 * @example
 * const bytes = encodeBlock(batches);
 * const same = decodeBlock(bytes);
 */
import * as arrow from "apache-arrow";
import type { DataType } from "../types/data-types.ts";
import { InternalError } from "../common/errors.ts";
import type { Batch, ColumnVector, NumericArray } from "./column-vector.ts";
import { bitmapFromValidity, validityOf } from "./arrow-convert.ts";

const TYPE_KEY = "cinder.type";

/** The Arrow type that holds `values` as they are. */
function physicalType(values: NumericArray): arrow.DataType {
  if (values instanceof Float64Array) return new arrow.Float64();
  if (values instanceof Int32Array) return new arrow.Int32();
  if (values instanceof Uint8Array) return new arrow.Uint8();
  if (values instanceof Float32Array) return new arrow.Float32();
  if (values instanceof Int16Array) return new arrow.Int16();
  if (values instanceof Int8Array) return new arrow.Int8();
  if (values instanceof Uint16Array) return new arrow.Uint16();
  return new arrow.Uint32();
}

function dataOf(col: ColumnVector): arrow.Data {
  const { length } = col;
  const nullBitmap = bitmapFromValidity(col.validity, length);
  let nullCount = 0;
  if (col.validity) for (let i = 0; i < length; i++) nullCount += col.validity[i]! ^ 1;
  if (col.dictionary) {
    const dictionary = arrow.makeVector(dataOf(col.dictionary) as arrow.Data<arrow.Utf8>);
    return arrow.makeData({ type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()), length, nullCount, nullBitmap, data: col.values as Int32Array, dictionary });
  }
  if (col.offsets) return arrow.makeData({ type: new arrow.Utf8(), length, nullCount, nullBitmap, valueOffsets: col.offsets, data: col.values as Uint8Array });
  return arrow.makeData({ type: physicalType(col.values) as arrow.Int32, length, nullCount, nullBitmap, data: col.values as Int32Array });
}

/** One batch as an Arrow record batch with Cinder's types in the field metadata. */
function recordBatchOf(batch: Batch): arrow.RecordBatch {
  const children = batch.columns.map(dataOf);
  const fields = batch.columns.map((c, i) => new arrow.Field(`c${i}`, children[i]!.type, c.validity !== null, new Map([[TYPE_KEY, JSON.stringify(c.type)]])));
  const schema = new arrow.Schema(fields);
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: batch.numRows, nullCount: 0, children }));
}

/** The batches of a block as concatenated Arrow IPC streams, one per batch. */
export function encodeBlock(batches: readonly Batch[]): Uint8Array {
  const streams = batches.map((b) => arrow.tableToIPC(new arrow.Table([recordBatchOf(b)]), "stream"));
  const out = new Uint8Array(streams.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of streams) { out.set(s, at); at += s.length; }
  return out;
}

function vectorOf(data: arrow.Data, type: DataType): ColumnVector {
  const n = data.length, off = data.offset, validity = validityOf(data);
  if (data.typeId === arrow.Type.Dictionary) {
    const dict = data.dictionary!.data[0]!;
    return { type, length: n, values: (data.values as Int32Array).subarray(off, off + n), validity, dictionary: vectorOf(dict, type) };
  }
  if (data.typeId === arrow.Type.Utf8) {
    const src = data.valueOffsets as Int32Array;
    const base = src[off]!;
    const offsets = base === 0 ? src.subarray(off, off + n + 1) : Int32Array.from(src.subarray(off, off + n + 1), (x) => x - base);
    return { type, length: n, values: (data.values as Uint8Array).subarray(base, base + offsets[n]!), offsets, validity };
  }
  return { type, length: n, values: (data.values as NumericArray).subarray(off, off + n) as NumericArray, validity };
}

/** The batches of a block encoded by `encodeBlock`. */
export function decodeBlock(bytes: Uint8Array): Batch[] {
  if (bytes.length === 0) return [];
  const out: Batch[] = [];
  for (const reader of arrow.RecordBatchReader.readAll(bytes)) {
    for (const rb of reader) {
      const columns = rb.schema.fields.map((f, c) => {
        const typeText = f.metadata.get(TYPE_KEY);
        if (!typeText) throw new InternalError(`block column ${f.name} has no ${TYPE_KEY} metadata; it was not written by encodeBlock`);
        return vectorOf(rb.getChildAt(c)!.data[0]!, JSON.parse(typeText) as DataType);
      });
      out.push({ numRows: rb.numRows, columns });
    }
  }
  return out;
}
