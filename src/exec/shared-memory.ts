/**
 * Whether this thread may use shared memory, and whether a buffer is
 * shared. A page without cross-origin isolation has no `SharedArrayBuffer`
 * global at all, so even `x instanceof SharedArrayBuffer` would throw
 * there; every check goes through here so such a page keeps working, with
 * blocks moving by copy instead.
 */

/** True when SharedArrayBuffer exists and may be posted to workers (a cross-origin isolated page, Node, workerd). */
export function sharedMemoryAvailable(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer === "function" && g.crossOriginIsolated !== false;
}

/** True when `buffer` is a SharedArrayBuffer (false everywhere the type does not exist). */
export function isSharedBuffer(buffer: ArrayBufferLike): buffer is SharedArrayBuffer {
  return typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer;
}
