/**
 * The Arrow data parquet-wasm decodes, as Cinder column vectors: fast paths
 * for the layouts Parquet scans produce most (64-bit integers, decimals and
 * timestamps converted to doubles in place, UTF-8 offsets shared), and the
 * general converter (src/exec/arrow-convert.ts) for the rest.
 */
import * as arrow from "apache-arrow";
import type { DataType } from "../types/data-types.ts";
import type { ColumnVector } from "../exec/column-vector.ts";
import { validityOf, vectorFromArrowData } from "../exec/arrow-convert.ts";

/**
 * Signed 64-bit integers and 128-bit decimals (`stride` 2 or 4 int32 words
 * per value) without a BigInt per row: the low two words make an exact
 * double when the value is within ±2^53. Returns null when some valid value
 * is not, so the general converter raises its exact overflow error.
 *
 * The doubles are written over the integers, in place: the buffer is the
 * IPC stream this scan just decoded, which nothing else holds, and value i
 * is written only after it and every value before it were read (its 8
 * bytes lie at or before its own words). That saves allocating and
 * faulting in a fresh array per column per batch, the largest cost a
 * Cinder scan adds to parquet-wasm's decoding.
 */
function fastWide(data: arrow.Data, type: DataType, stride: 2 | 4): ColumnVector | null {
  const src = data.values as ArrayBufferView;
  const n = data.length;
  const byteOffset = src.byteOffset + data.offset * stride * 4;
  if (byteOffset % 8 !== 0) return fastWideCopy(data, type, stride);
  const words = new Int32Array(src.buffer, byteOffset, n * stride);
  const values = new Float64Array(src.buffer, byteOffset, n);
  // Stops at the first value outside ±2^53 (a high word outside ±2^21, or top words that are not its sign).
  let i = 0;
  if (stride === 2) {
    for (; i < n; i++) {
      const lo = words[2 * i]! >>> 0, hi = words[2 * i + 1]!;
      if ((hi + 0x200000) >>> 22) break;
      values[i] = hi * 4294967296 + lo;
    }
  } else {
    for (; i < n; i++) {
      const w = 4 * i, lo = words[w]! >>> 0, hi = words[w + 1]!, sign = hi >> 31;
      if (((hi + 0x200000) >>> 22) | (words[w + 2]! ^ sign) | (words[w + 3]! ^ sign)) break;
      values[i] = hi * 4294967296 + lo;
    }
  }
  if (i < n) {
    // Rare: put the integers converted so far back (exact: each was within ±2^53), then take the careful path.
    restoreWide(words, values, i, stride);
    return fastWideCopy(data, type, stride);
  }
  return { type, length: n, values, validity: validityOf(data) };
}

/** Undoes the first `count` in-place conversions of `fastWide`. */
function restoreWide(words: Int32Array, values: Float64Array, count: number, stride: 2 | 4): void {
  const done = values.slice(0, count);
  for (let k = 0; k < count; k++) {
    const v = done[k]!, hi = Math.floor(v / 4294967296);
    words[stride * k] = (v - hi * 4294967296) | 0;
    words[stride * k + 1] = hi;
    if (stride === 4) words[4 * k + 2] = words[4 * k + 3] = hi >> 31;
  }
}

/** `fastWide` into a new array: for unaligned buffers and for values beyond ±2^53 (allowed only in NULL slots). */
function fastWideCopy(data: arrow.Data, type: DataType, stride: 2 | 4): ColumnVector | null {
  const src = data.values as ArrayBufferView;
  const n = data.length;
  const words = new Int32Array(src.buffer.slice(src.byteOffset + data.offset * stride * 4, src.byteOffset + (data.offset + n) * stride * 4));
  const validity = validityOf(data);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = stride * i, hi = words[w + 1]!, sign = hi >> 31;
    const out = ((hi + 0x200000) >>> 22) !== 0 || (stride === 4 && (words[w + 2] !== sign || words[w + 3] !== sign));
    if (out) {
      if (validity === null || validity[i]) return null;
      values[i] = 0;
    } else {
      values[i] = hi * 4294967296 + (words[w]! >>> 0);
    }
  }
  return { type, length: n, values, validity };
}

/** Arrow data as a Cinder vector, with fast paths for the layouts Parquet scans produce most. */
export function vectorOf(data: arrow.Data, type: DataType, column: string): ColumnVector {
  const t = data.type;
  if (type.kind === "int64" && data.typeId === arrow.Type.Int && (t as arrow.Int).bitWidth === 64 && (t as arrow.Int).isSigned) {
    return fastWide(data, type, 2) ?? vectorFromArrowData(data, type, column);
  }
  if (type.kind === "decimal" && data.typeId === arrow.Type.Decimal && ((t as arrow.Decimal).bitWidth ?? 128) === 128) {
    return fastWide(data, type, 4) ?? vectorFromArrowData(data, type, column);
  }
  if (type.kind === "decimal" && data.typeId === arrow.Type.Int && (t as arrow.Int).isSigned) {
    // An INT32/INT64 decimal read without its annotation (buildMiniFile's plainDecimals): unscaled integers already.
    if ((t as arrow.Int).bitWidth === 64) return fastWide(data, type, 2) ?? vectorFromArrowData(data, type, column);
    const src = (data.values as Int32Array).subarray(data.offset, data.offset + data.length);
    return { type, length: data.length, values: Float64Array.from(src), validity: validityOf(data) };
  }
  if (type.kind === "timestamp" && data.typeId === arrow.Type.Timestamp && (t as arrow.Timestamp).unit !== arrow.TimeUnit.NANOSECOND) {
    // Microseconds (Cinder's unit) or coarser: the same int64 words, without a BigInt per row.
    const unit = (t as arrow.Timestamp).unit;
    const v = fastWide(data, type, 2);
    if (v) {
      const scale = unit === arrow.TimeUnit.SECOND ? 1e6 : unit === arrow.TimeUnit.MILLISECOND ? 1e3 : 1;
      if (scale !== 1) { const values = v.values as Float64Array; for (let i = 0; i < values.length; i++) values[i] = values[i]! * scale; }
      return v;
    }
  }
  if (data.typeId === arrow.Type.Utf8 && data.offset === 0 && data.valueOffsets instanceof Int32Array && data.valueOffsets[0] === 0) {
    // Offsets already start at 0: share them instead of copying.
    const offsets = data.valueOffsets.subarray(0, data.length + 1);
    return { type, length: data.length, values: (data.values as Uint8Array).subarray(0, offsets[data.length]!), offsets, validity: validityOf(data) };
  }
  if (data.typeId === arrow.Type.Dictionary && data.values instanceof Int32Array && data.dictionary?.data.length === 1) {
    // Codes read for a dictionary hint (parquet-dictionary-hint.ts): shared, not copied.
    const dictionary = vectorOf(data.dictionary.data[0]!, type, column);
    return { type, length: data.length, values: data.values.subarray(data.offset, data.offset + data.length), validity: validityOf(data), dictionary };
  }
  return vectorFromArrowData(data, type, column);
}
