/**
 * Moves a batch's large buffers (numbers, offsets, validity, dictionary
 * codes) into SharedArrayBuffers, so a block posted to another worker is
 * shared rather than copied. UTF-8 string bytes stay in ordinary memory:
 * Chromium's TextDecoder refuses views of shared memory (TOOLCHAIN.md), and
 * `stringAt` decodes straight from those bytes. Where SharedArrayBuffer is
 * missing (a page without cross-origin isolation) batches are returned as
 * they are and move by copy: slower, never wrong.
 */
import type { Batch, ColumnVector, NumericArray } from "../exec/column-vector.ts";

export function sharedMemoryAvailable(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer === "function" && g.crossOriginIsolated !== false;
}

function toShared<T extends NumericArray>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const ctor = a.constructor as unknown as new (b: SharedArrayBuffer) => T;
  const out = new ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

export function shareColumn(c: ColumnVector): ColumnVector {
  const plainUtf8 = c.type.kind === "utf8" && !c.dictionary;
  const out: { -readonly [K in keyof ColumnVector]: ColumnVector[K] } = {
    type: c.type, length: c.length,
    values: plainUtf8 ? c.values : toShared(c.values),
    validity: c.validity ? toShared(c.validity) : null,
  };
  if (c.offsets) out.offsets = toShared(c.offsets);
  if (c.dictionary) out.dictionary = shareColumn(c.dictionary);
  return out;
}

/** The batch with its large buffers in shared memory (a no-op without SharedArrayBuffer). */
export function shareBatch(batch: Batch): Batch {
  if (!sharedMemoryAvailable()) return batch;
  return { numRows: batch.numRows, columns: batch.columns.map(shareColumn) };
}

/** True when every numeric buffer of the batch is shared (tests check zero-copy with it). */
export function isSharedBatch(batch: Batch): boolean {
  return batch.columns.every((c) => (c.type.kind === "utf8" && !c.dictionary ? true : c.values.buffer instanceof SharedArrayBuffer)
    && (c.validity === null || c.validity.buffer instanceof SharedArrayBuffer));
}
