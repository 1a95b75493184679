/**
 * Scatters the rows of a map task's batches into their reduce partitions
 * with a counting sort: one pass counts rows per partition (or the id pass
 * did), the first column's scatter gives every row its destination index
 * as it goes, and each further fixed-width column (numbers,
 * dates, booleans, validity) is then written with one tight loop per batch
 * into ONE preallocated shared-memory array for all partitions; each
 * partition's block column is a view of its slice (no per-partition
 * allocations, no per-row objects, no concat). The loops are specialised
 * per typed-array class so V8 keeps them monomorphic. Strings and
 * dictionary columns, whose byte sizes are not known up front, are
 * gathered with `take` and concatenated, then shared. Shared memory comes
 * from `allocate` (the executor's pool of removed shuffles' memory).
 * Where WebAssembly runs, fixed-width columns go through its scatter
 * kernel (wasm/kernels.ts), which places rows in the same order
 * without a destination array; these loops are the fallback.
 */
import type { Batch, ColumnVector, NumericArray } from "../exec/column-vector.ts";
import { concat, take } from "../exec/column-vector.ts";
import { shareColumn, sharedMemoryAvailable } from "./shared-batch.ts";
import type { WasmKernels, WasmScatter } from "../../wasm/kernels.ts";
import { wasmKernels } from "../../wasm/kernels.ts";

/** Where a map task's shared output memory comes from (a `ShuffleMemoryPool`'s allocator; it may be larger than asked). */
export type SharedAllocator = (bytes: number) => SharedArrayBuffer;

const freshShared: SharedAllocator = (bytes) => new SharedArrayBuffer(bytes);

function allocLike(values: NumericArray, length: number, alloc: SharedAllocator | null): NumericArray {
  const ctor = values.constructor as unknown as { new (b: ArrayBufferLike, offset: number, length: number): NumericArray; new (n: number): NumericArray; BYTES_PER_ELEMENT: number };
  return alloc ? new ctor(alloc(length * ctor.BYTES_PER_ELEMENT), 0, length) : new ctor(length);
}

function scatterF64(src: Float64Array, dest: Int32Array, out: Float64Array): void {
  for (let i = 0; i < dest.length; i++) out[dest[i]!] = src[i]!;
}
function scatterI32(src: Int32Array, dest: Int32Array, out: Int32Array): void {
  for (let i = 0; i < dest.length; i++) out[dest[i]!] = src[i]!;
}
function scatterU8(src: Uint8Array, dest: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < dest.length; i++) out[dest[i]!] = src[i]!;
}
function scatterAny(src: NumericArray, dest: Int32Array, out: NumericArray): void {
  for (let i = 0; i < dest.length; i++) out[dest[i]!] = src[i]!;
}
function fillOnes(dest: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < dest.length; i++) out[dest[i]!] = 1;
}

function countIds(id: Int32Array, counts: Int32Array): void {
  for (let i = 0; i < id.length; i++) counts[id[i]!]!++;
}

function destinations(id: Int32Array, cursor: Int32Array): Int32Array {
  const dest = new Int32Array(id.length);
  for (let i = 0; i < id.length; i++) dest[i] = cursor[id[i]!]!++;
  return dest;
}

/**
 * The destination pass fused with the first fixed-width column's scatter
 * (one fewer pass over the ids): each row's index in the partition-ordered
 * output, written out as the value is placed, for the other columns to reuse.
 */
function placeF64(src: Float64Array, id: Int32Array, cursor: Int32Array, out: Float64Array): Int32Array {
  const dest = new Int32Array(id.length);
  for (let i = 0; i < id.length; i++) { const d = cursor[id[i]!]!++; dest[i] = d; out[d] = src[i]!; }
  return dest;
}
function placeI32(src: Int32Array, id: Int32Array, cursor: Int32Array, out: Int32Array): Int32Array {
  const dest = new Int32Array(id.length);
  for (let i = 0; i < id.length; i++) { const d = cursor[id[i]!]!++; dest[i] = d; out[d] = src[i]!; }
  return dest;
}
function placeValues(src: NumericArray, id: Int32Array, cursor: Int32Array, out: NumericArray): Int32Array {
  if (src instanceof Float64Array && out instanceof Float64Array) return placeF64(src, id, cursor, out);
  if (src instanceof Int32Array && out instanceof Int32Array) return placeI32(src, id, cursor, out);
  const dest = destinations(id, cursor);
  scatterValues(src, dest, out);
  return dest;
}

function scatterValues(src: NumericArray, dest: Int32Array, out: NumericArray): void {
  if (src instanceof Float64Array && out instanceof Float64Array) scatterF64(src, dest, out);
  else if (src instanceof Int32Array && out instanceof Int32Array) scatterI32(src, dest, out);
  else if (src instanceof Uint8Array && out instanceof Uint8Array) scatterU8(src, dest, out);
  else scatterAny(src, dest, out);
}

/**
 * One batch per reduce partition (undefined where no row went), from
 * `batches` and each batch's partition ids. `rowCounts`, when given, is the
 * rows per partition over all batches (`partitionIds` counts as it goes).
 * `allocate` null keeps the output in plain (unshared) memory; `kernels`
 * null keeps to the JS loops.
 */
export function scatterToPartitions(
  batches: readonly Batch[], ids: readonly Int32Array[], n: number, width: number, rowCounts?: Int32Array,
  allocate: SharedAllocator | null = freshShared, kernels: WasmKernels | null = wasmKernels(),
): (Batch | undefined)[] {
  let counts = rowCounts;
  if (!counts) {
    counts = new Int32Array(n);
    for (let b = 0; b < batches.length; b++) countIds(ids[b]!, counts);
  }
  const starts = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) starts[r + 1] = starts[r]! + counts[r]!;
  const total = starts[n]!;
  // The counting sort: each row's index in the partition-ordered output, batch after batch (rows keep their order within a partition).
  const cursor = starts.slice(0, n);
  // Filled batch by batch by the first fixed-width column's JS scatter; later columns reuse them.
  const dests: Int32Array[] = [];
  const alloc = allocate && sharedMemoryAvailable() ? allocate : null;
  const columns: ColumnVector[][] = Array.from({ length: n }, () => []);
  let orders: { order: Int32Array; starts: Int32Array }[] | null = null;
  const scatterColumns = (wasm: WasmScatter | null): true => {
    for (let c = 0; c < width; c++) {
      const cols = batches.map((bt) => bt.columns[c]!);
      const first = cols[0]!;
      const fixed = cols.every((x) => x.type.kind !== "utf8" && !x.dictionary && x.values.constructor === first.values.constructor);
      if (!fixed) {
        orders ??= batches.map((_, b) => groupRows(ids[b]!, n));
        for (let r = 0; r < n; r++) {
          if (counts[r] === 0) continue;
          const parts = cols.map((x, b) => take(x, orders![b]!.order.subarray(orders![b]!.starts[r]!, orders![b]!.starts[r + 1]!)));
          const col = concat(parts);
          columns[r]!.push(alloc ? shareColumn(col, { allocate: alloc }) : col);
        }
        continue;
      }
      const values = allocLike(first.values, total, alloc);
      const hasNulls = cols.some((x) => x.validity !== null);
      const validity = hasNulls ? (allocLike(new Uint8Array(0), total, alloc) as Uint8Array) : null;
      const placed = wasm !== null && wasm.scatter(cols.map((x) => x.values), values)
        && (validity === null || wasm.scatter(cols.map((x) => x.validity), validity));
      if (!placed) {
        for (let b = 0; b < batches.length; b++) {
          if (dests.length === b) dests.push(placeValues(cols[b]!.values, ids[b]!, cursor, values));
          else scatterValues(cols[b]!.values, dests[b]!, values);
          if (validity) {
            const v = cols[b]!.validity;
            if (v === null) fillOnes(dests[b]!, validity);
            else scatterU8(v, dests[b]!, validity);
          }
        }
      }
      for (let r = 0; r < n; r++) {
        if (counts[r] === 0) continue;
        const from = starts[r]!, to = starts[r + 1]!;
        columns[r]!.push({ type: first.type, length: to - from, values: values.subarray(from, to) as NumericArray, validity: validity ? validity.subarray(from, to) : null });
      }
    }
    return true;
  };
  if (kernels === null || kernels.withScatter(ids, starts.subarray(0, n), scatterColumns) === null) scatterColumns(null);
  return Array.from({ length: n }, (_, r) => (counts[r] === 0 ? undefined : { numRows: counts[r]!, columns: columns[r]! }));
}

function groupRows(id: Int32Array, n: number): { order: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < id.length; i++) starts[id[i]! + 1]!++;
  for (let r = 0; r < n; r++) starts[r + 1]! += starts[r]!;
  const cursor = starts.slice(0, n);
  const order = new Int32Array(id.length);
  for (let i = 0; i < id.length; i++) order[cursor[id[i]!]!++] = i;
  return { order, starts };
}
