/**
 * Reduce-partition ids for a shuffle map task, in one pass per batch. The
 * common shapes — one integer or double key column, with or without NULLs —
 * hash and take the modulo in a single monomorphic loop over the typed
 * array, with no intermediate hash array; anything else (several keys,
 * strings, dictionaries) goes through `hashPartitionIds`. Both give the
 * same ids for the same values (the same mix32 of the same words), so a
 * row lands in the same reduce partition whichever path computed it.
 * Where WebAssembly runs, those shapes go to its kernel
 * (wasm/kernels.ts), which computes the same ids again.
 */
import type { ColumnVector } from "../exec/column-vector.ts";
import { hashPartitionIds } from "../exec/partition.ts";
import type { WasmKernels } from "../../wasm/kernels.ts";
import { wasmKernels } from "../../wasm/kernels.ts";

const NULL_HASH = 0x9e3779b9 >>> 0;

/** mix32 without the final `>>> 0`: a signed int32 with the same bits, so V8 keeps it a small integer. */
function mixInt(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * `(h >>> 0) % n` for a signed int32 `h`, without a floating-point modulo:
 * a mask for a power of two, else the two 16-bit halves (all small integers).
 */
function modulo(h: number, n: number, mask: number): number {
  return mask >= 0 ? h & mask : ((((h >>> 16) % n) << 16) + (h & 0xffff)) % n;
}

function intIds(v: Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array, validity: Uint8Array | null, rows: number, n: number, out: Int32Array, counts: Int32Array): void {
  const nullId = NULL_HASH % n;
  const mask = (n & (n - 1)) === 0 ? n - 1 : -1;
  if (validity === null) {
    for (let i = 0; i < rows; i++) { const p = modulo(mixInt(v[i]! | 0), n, mask); out[i] = p; counts[p]!++; }
  } else {
    for (let i = 0; i < rows; i++) { const p = validity[i] ? modulo(mixInt(v[i]! | 0), n, mask) : nullId; out[i] = p; counts[p]!++; }
  }
}

function doubleIds(v: Float64Array, validity: Uint8Array | null, rows: number, n: number, out: Int32Array, counts: Int32Array): void {
  const nullId = NULL_HASH % n;
  const mask = (n & (n - 1)) === 0 ? n - 1 : -1;
  const scratch = new Float64Array(1);
  const words = new Int32Array(scratch.buffer);
  for (let i = 0; i < rows; i++) {
    let p: number;
    const x = v[i]!;
    if (validity !== null && !validity[i]) p = nullId;
    // As hashColumn: integral values hash like integers (int64, decimals, timestamps are doubles here).
    else if (x === (x | 0)) p = modulo(mixInt(x | 0), n, mask);
    else {
      scratch[0] = x === x ? x : NaN;
      p = modulo(mixInt(words[0]! ^ (mixInt(words[1]!) >>> 0)), n, mask);
    }
    out[i] = p;
    counts[p]!++;
  }
}

/**
 * The reduce partition of every row, hashing `keys` (Spark's HashPartitioner
 * over the key columns). With `counts` (length `n`), also adds each
 * partition's row count to it in the same pass, which saves the scatter a
 * counting pass over the ids. `kernels` null keeps to the JS loops.
 */
export function partitionIds(
  keys: readonly ColumnVector[], rows: number, n: number, counts: Int32Array = new Int32Array(n),
  kernels: WasmKernels | null = wasmKernels(),
): Int32Array {
  if (keys.length === 1 && !keys[0]!.dictionary && keys[0]!.type.kind !== "utf8") {
    const k = keys[0]!;
    const fast = kernels?.partitionIds(k.values, k.validity, rows, n, counts);
    if (fast) return fast;
    const out = new Int32Array(rows);
    const v = k.values;
    if (v instanceof Float64Array) { doubleIds(v, k.validity, rows, n, out, counts); return out; }
    if (v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof Uint8Array || v instanceof Uint16Array) {
      intIds(v, k.validity, rows, n, out, counts);
      return out;
    }
  }
  const out = hashPartitionIds(keys, rows, n);
  for (let i = 0; i < rows; i++) counts[out[i]!]!++;
  return out;
}
