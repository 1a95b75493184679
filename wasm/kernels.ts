/**
 * Per-row loops in WebAssembly (wasm/kernels.wat): the shuffle map side's
 * hash partition ids and counting-sort scatter, and the sort-merge join's
 * radix sort. They give exactly the ids and the row orders of the JS loops
 * in src/executor/ and src/exec/join/key-sort.ts, two to three times as fast
 * (SIMD hashing, no per-element typed-array checks, one destination pass for
 * all the columns).
 *
 * One instance per thread (page, Web Worker, worker thread). Columns are copied
 * into its memory and results copied out, so blocks stay in the executor's own
 * shared memory. Memory only grows in WebAssembly, so an instance that grew past
 * `KEEP_BYTES` for a large task is dropped afterwards and a fresh one starts
 * small. Where WebAssembly may not be compiled from bytes (workerd, or a page
 * whose CSP lacks 'wasm-unsafe-eval'), `wasmKernels()` is null and callers
 * keep to the JS loops.
 *
 * @example
 * const kernels = wasmKernels();
 * const ids = kernels?.partitionIds(keyValues, null, rows, 8, counts) ?? jsIds();
 */
import { wasmBase64 } from "./kernels.wasm.ts";

type NumericArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

interface Exports {
  memory: WebAssembly.Memory;
  idsI32(keys: number, valid: number, rows: number, n: number, out: number): void;
  idsF64(keys: number, valid: number, rows: number, n: number, out: number): void;
  countIds(ids: number, rows: number, n: number, counts: number): void;
  destinations(ids: number, rows: number, cursor: number, out: number): void;
  place64(src: number, dest: number, rows: number, out: number): void;
  place32(src: number, dest: number, rows: number, out: number): void;
  place8(src: number, dest: number, rows: number, out: number): void;
  radixSort(keys: number, order: number, n: number, passes: number, bits: number, keys2: number, order2: number, counts: number): number;
}

const PAGE = 65536;
/** Memory an instance may keep between tasks; a larger one is dropped after use. */
const KEEP_BYTES = 64 << 20;
/** Beyond this a task's columns are left to the JS loops (a 32-bit memory, and memory that cannot shrink). */
const MAX_BYTES = 1 << 30;

const align = (bytes: number): number => (bytes + 15) & ~15;

function byteWidth(a: NumericArray): 1 | 4 | 8 | 0 {
  if (a instanceof Float64Array) return 8;
  if (a instanceof Int32Array || a instanceof Uint32Array || a instanceof Float32Array) return 4;
  if (a instanceof Uint8Array || a instanceof Int8Array) return 1;
  return 0;
}

/** A typed array of `a`'s class over `length` elements of `buffer` at `offset`. */
function viewLike<T extends NumericArray>(a: T, buffer: ArrayBuffer, offset: number, length: number): T {
  const ctor = a.constructor as new (b: ArrayBuffer, offset: number, length: number) => T;
  return new ctor(buffer, offset, length);
}

/** The counting-sort scatter of one map task's batches, with their ids loaded once for every column. */
export interface WasmScatter {
  /**
   * Writes row i of batch b of `values` (one array per batch, all of one class;
   * null for "all ones", as a validity without NULLs) to `out[cursor[ids[b][i]]++]`,
   * the cursors starting at `starts`. False when the class has no kernel
   * (2-byte values): the caller scatters those itself.
   */
  scatter(values: readonly (NumericArray | null)[], out: NumericArray): boolean;
}

export class WasmKernels {
  #exports: Exports;

  private constructor(exports: Exports) {
    this.#exports = exports;
  }

  static #module: WebAssembly.Module | null | undefined;
  static #current: WasmKernels | null = null;

  /** This thread's kernels, or null where WebAssembly cannot be compiled here. */
  static get(): WasmKernels | null {
    if (WasmKernels.#module === undefined) {
      try {
        // Synchronous compilation: Chromium allows it on a page's main thread only for modules under 4 KB
        // (this one is about 1.7 KB); past that the catch below would leave the page on the JS loops.
        const bytes = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));
        WasmKernels.#module = new WebAssembly.Module(bytes);
      } catch {
        WasmKernels.#module = null;
      }
    }
    if (WasmKernels.#module === null) return null;
    WasmKernels.#current ??= new WasmKernels(new WebAssembly.Instance(WasmKernels.#module, {}).exports as unknown as Exports);
    return WasmKernels.#current;
  }

  /**
   * The memory, at least `bytes` long (growing detaches earlier views, so callers take views after this);
   * null when it cannot grow that far (the caller falls back to the JS loops rather than failing the task).
   */
  #reserve(bytes: number): ArrayBuffer | null {
    const memory = this.#exports.memory;
    const have = memory.buffer.byteLength;
    if (bytes > MAX_BYTES) return null;
    try {
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null;
    }
    return memory.buffer;
  }

  /** Drops this instance once it has grown past what a thread should keep. */
  #release(): void {
    if (this.#exports.memory.buffer.byteLength > KEEP_BYTES && WasmKernels.#current === this) WasmKernels.#current = null;
  }

  /**
   * The reduce partition of each of `rows` keys (`values`: an integer column,
   * hashed as int32, or float64), adding each partition's rows to `counts`.
   * Undefined for other key classes, which the caller hashes itself.
   */
  partitionIds(values: NumericArray, validity: Uint8Array | null, rows: number, n: number, counts: Int32Array): Int32Array | undefined {
    const float = values instanceof Float64Array;
    if (!float && (values instanceof Float32Array || values instanceof Uint32Array)) return undefined;
    const width = float ? 8 : 4;
    const countsAt = 0, keysAt = align(16 * n), validAt = align(keysAt + width * rows), idsAt = align(validAt + (validity ? rows : 0));
    const buffer = this.#reserve(idsAt + 4 * rows);
    if (buffer === null) return undefined;
    if (float) new Float64Array(buffer, keysAt, rows).set(values.subarray(0, rows));
    else new Int32Array(buffer, keysAt, rows).set(values.subarray(0, rows));
    if (validity) new Uint8Array(buffer, validAt, rows).set(validity.subarray(0, rows));
    const e = this.#exports;
    (float ? e.idsF64 : e.idsI32)(keysAt, validity ? validAt : 0, rows, n, idsAt);
    new Int32Array(buffer, countsAt, 4 * n).fill(0);
    e.countIds(idsAt, rows, n, countsAt);
    const found = new Int32Array(buffer, countsAt, n);
    for (let r = 0; r < n; r++) counts[r]! += found[r]!;
    const ids = new Int32Array(buffer, idsAt, rows).slice();
    this.#release();
    return ids;
  }

  /**
   * `keys` (uint32) and `order` (in the same positions) reordered by key, stably, by an LSD radix sort of
   * `passes` digits of `bits` (at most 11) each; null when the arrays are too large for one instance's memory.
   */
  radixSort(keys: Uint32Array, order: Int32Array, passes: number, bits = 11): { keys: Uint32Array; order: Int32Array } | null {
    const n = keys.length;
    const countsAt = 0, keysAt = align(passes * 2048 * 4), orderAt = keysAt + 4 * n, keys2At = orderAt + 4 * n, order2At = keys2At + 4 * n;
    const buffer = this.#reserve(order2At + 4 * n);
    if (buffer === null) return null;
    new Int32Array(buffer, countsAt, passes * 2048).fill(0);
    new Uint32Array(buffer, keysAt, n).set(keys);
    new Int32Array(buffer, orderAt, n).set(order);
    const inScratch = this.#exports.radixSort(keysAt, orderAt, n, passes, bits, keys2At, order2At, countsAt);
    const sorted = { keys: new Uint32Array(buffer, inScratch ? keys2At : keysAt, n).slice(), order: new Int32Array(buffer, inScratch ? order2At : orderAt, n).slice() };
    this.#release();
    return sorted;
  }

  /**
   * Loads a map task's partition ids (one array per batch) for `scatter`, and
   * runs `body` with it. Null, without calling `body`, when the task is too
   * large for one instance's memory (or memory cannot grow).
   */
  withScatter<T>(ids: readonly Int32Array[], starts: Int32Array, body: (s: WasmScatter) => T): T | null {
    const n = starts.length;
    let total = 0, widest = 0;
    for (const b of ids) { total += b.length; widest = Math.max(widest, b.length); }
    const cursorAt = 0, idsAt = align(4 * n), destAt = align(idsAt + 4 * widest), srcAt = align(destAt + 4 * total), outAt = align(srcAt + 8 * widest);
    const buffer = this.#reserve(outAt + 8 * total);
    if (buffer === null) return null;
    // Every row's slot, batch after batch, computed once for all the columns.
    new Int32Array(buffer, cursorAt, n).set(starts);
    let at = destAt;
    for (const b of ids) {
      new Int32Array(buffer, idsAt, b.length).set(b);
      this.#exports.destinations(idsAt, b.length, cursorAt, at);
      at += 4 * b.length;
    }
    const e = this.#exports;
    const scatter = (values: readonly (NumericArray | null)[], out: NumericArray): boolean => {
      const width = byteWidth(out);
      if (width === 0 || values.some((v) => v !== null && v.constructor !== out.constructor)) return false;
      const kernel = width === 8 ? e.place64 : width === 4 ? e.place32 : e.place8;
      const memory = e.memory.buffer;
      let dest = destAt;
      for (let b = 0; b < ids.length; b++) {
        const rows = ids[b]!.length, v = values[b]!;
        const src = viewLike(out, memory, srcAt, rows);
        if (v === null) src.fill(1); else src.set(v.subarray(0, rows) as never);
        kernel(srcAt, dest, rows, outAt);
        dest += 4 * rows;
      }
      out.set(viewLike(out, memory, outAt, total) as never);
      return true;
    };
    try {
      return body({ scatter });
    } finally {
      this.#release();
    }
  }
}

/** This thread's WebAssembly shuffle kernels, or null where WebAssembly may not be compiled. */
export function wasmKernels(): WasmKernels | null {
  return WasmKernels.get();
}
