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
import { isSharedBuffer, sharedMemoryAvailable } from "../exec/shared-memory.ts";

export { sharedMemoryAvailable };

/** How a shared copy is made: where its memory comes from, and which shared buffers must be copied anyway. */
export interface ShareOptions {
  allocate?: (bytes: number) => SharedArrayBuffer;
  /** True for a shared buffer whose memory may be reused (a pooled shuffle buffer): it is copied too. */
  mustCopy?: (buffer: ArrayBufferLike) => boolean;
}

function toShared<T extends NumericArray>(a: T, options: ShareOptions): T {
  if (isSharedBuffer(a.buffer) && !options.mustCopy?.(a.buffer)) return a;
  const ctor = a.constructor as unknown as new (b: SharedArrayBuffer, offset: number, length: number) => T;
  const buffer = options.allocate ? options.allocate(a.byteLength) : new SharedArrayBuffer(a.byteLength);
  const out = new ctor(buffer, 0, a.length);
  out.set(a as never);
  return out;
}

export function shareColumn(c: ColumnVector, opts: ShareOptions = {}): ColumnVector {
  const plainUtf8 = c.type.kind === "utf8" && !c.dictionary;
  const out: { -readonly [K in keyof ColumnVector]: ColumnVector[K] } = {
    type: c.type, length: c.length,
    values: plainUtf8 ? c.values : toShared(c.values, opts),
    validity: c.validity ? toShared(c.validity, opts) : null,
  };
  if (c.offsets) out.offsets = toShared(c.offsets, opts);
  if (c.dictionary) out.dictionary = shareColumn(c.dictionary, opts);
  return out;
}

/** The batch with its large buffers in shared memory (a no-op without SharedArrayBuffer). */
export function shareBatch(batch: Batch, options: ShareOptions = {}): Batch {
  if (!sharedMemoryAvailable()) return batch;
  return { numRows: batch.numRows, columns: batch.columns.map((c) => shareColumn(c, options)) };
}

/** True when every numeric buffer of the batch is shared (tests check zero-copy with it). */
export function isSharedBatch(batch: Batch): boolean {
  return batch.columns.every((c) => (c.type.kind === "utf8" && !c.dictionary ? true : isSharedBuffer(c.values.buffer))
    && (c.validity === null || isSharedBuffer(c.validity.buffer)));
}
