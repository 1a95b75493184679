/**
 * Reuses the shared memory of removed shuffles for the next map tasks'
 * output. Every fresh SharedArrayBuffer is mapped anew by the engine and
 * touched page by page (V8 never recycles one), so a job that writes 200 MB
 * of shuffle blocks paid ~50K page faults, about a fifth of its CPU time on
 * two executors; a buffer returned here is reused already mapped. Spark's
 * executors likewise keep their shuffle memory (Tungsten pages) in a pool.
 *
 * The catch is aliasing: a reduce task may hand a shuffle block's memory on
 * unchanged (a projection of what it read), and if that reached a job's
 * result or a cached block, reusing the memory would overwrite it. So every
 * buffer the pool hands out is remembered, and `ExecutorCore` copies any
 * such buffer (or one read from another executor's shuffle blocks) before a
 * batch leaves the task as a result or a cached partition.
 */

/** Buffers smaller than this are not worth keeping: few pages, and many of them. */
const MIN_POOLED_BYTES = 64 * 1024;

/**
 * The size a request is rounded up to: four classes per power of two
 * (1, 1.25, 1.5, 1.75 times it), so a reused buffer wastes under a quarter.
 */
export function sizeClass(bytes: number): number {
  if (bytes < MIN_POOLED_BYTES) return bytes;
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / step) * step;
}

export class ShuffleMemoryPool {
  /** Released buffers by byte length. */
  private readonly free = new Map<number, SharedArrayBuffer[]>();
  /** The pooled buffers each shuffle's blocks live in, given back when the shuffle is removed. */
  private readonly inUse = new Map<number, SharedArrayBuffer[]>();
  /** Every buffer the pool ever handed out (its memory may be reused). */
  private readonly pooled = new WeakSet<ArrayBufferLike>();
  private freeBytes = 0;

  /** `maxFreeBytes`: released memory kept for reuse (`shuffle.memoryPool`); more is left to the garbage collector. */
  constructor(public maxFreeBytes: number) {}

  /** An allocator for shuffle `shuffleId`'s output: a shared buffer of at least `bytes`, possibly reused. */
  allocator(shuffleId: number): (bytes: number) => SharedArrayBuffer {
    return (bytes) => {
      const size = sizeClass(bytes);
      if (size < MIN_POOLED_BYTES || this.maxFreeBytes <= 0) return new SharedArrayBuffer(bytes);
      let buffer = this.free.get(size)?.pop();
      if (buffer) this.freeBytes -= size;
      else {
        buffer = new SharedArrayBuffer(size);
        this.pooled.add(buffer);
      }
      let owned = this.inUse.get(shuffleId);
      if (!owned) this.inUse.set(shuffleId, owned = []);
      owned.push(buffer);
      return buffer;
    };
  }

  /** The shuffle's blocks are gone: its buffers may be reused (up to `maxFreeBytes` of them). */
  releaseShuffle(shuffleId: number): void {
    const owned = this.inUse.get(shuffleId);
    if (!owned) return;
    this.inUse.delete(shuffleId);
    for (const buffer of owned) {
      if (this.freeBytes + buffer.byteLength > this.maxFreeBytes) continue;
      let list = this.free.get(buffer.byteLength);
      if (!list) this.free.set(buffer.byteLength, list = []);
      list.push(buffer);
      this.freeBytes += buffer.byteLength;
    }
  }

  /** True when `buffer`'s memory may be handed out again (a task must copy it before it escapes). */
  isPooled(buffer: ArrayBufferLike): boolean {
    return this.pooled.has(buffer);
  }

  /** Released bytes kept for reuse. */
  get retainedBytes(): number { return this.freeBytes; }

  /** Forgets everything (the executor stops or is killed). */
  clear(): void {
    this.free.clear();
    this.inUse.clear();
    this.freeBytes = 0;
  }
}
