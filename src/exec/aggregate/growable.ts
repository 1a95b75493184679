/**
 * Sizing helpers shared by the group tables and accumulators, whose
 * per-group state lives in typed arrays grown by doubling.
 */

/** Smallest power of two at least `n` (and at least 16). */
export function tableSize(n: number): number {
  let size = 16;
  while (size < n) size *= 2;
  return size;
}

/** A copy of `src` in a typed array of `length` (zero-filled past the old end). */
export function grow<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(src: T, length: number): T {
  const out = new (src.constructor as new (n: number) => T)(length);
  out.set(src.subarray(0, Math.min(src.length, length)) as never);
  return out;
}

/** The capacity to grow to so that `needed` entries fit (doubling from `current`). */
export function nextCapacity(current: number, needed: number): number {
  let c = Math.max(16, current);
  while (c < needed) c *= 2;
  return c;
}
