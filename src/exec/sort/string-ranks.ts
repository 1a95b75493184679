/**
 * Dense ranks of UTF-8 strings in byte order (which is code-point order, as
 * DuckDB and Spark sort). Strings are sorted by an MSD radix sort on 4-byte
 * big-endian chunks: each run of rows that share a chunk is refined by the
 * next chunk, so most rows are placed by two counting passes per chunk and
 * only small or ragged runs fall back to `compareBytes`. Runs of identical
 * strings are recognised without comparing them pairwise.
 */
import type { ColumnVector } from "../column-vector.ts";
import { compareBytes } from "../compare.ts";

/** Runs at most this long are finished with a comparator sort. */
const SMALL_RUN = 48;

/**
 * Dense rank (0-based) of each string of a plain utf8 vector in byte order;
 * equal strings get equal ranks. NULL rows get some rank that is never read.
 */
export function stringRanks(col: ColumnVector): Int32Array {
  const n = col.length;
  const bytes = col.values as Uint8Array, offsets = col.offsets!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const chunk = new Uint32Array(n);
  const scratch = new Int32Array(n);
  const counts = new Int32Array(65537);
  const cmp = (a: number, b: number): number => compareBytes(bytes, offsets[a]!, offsets[a + 1]!, bytes, offsets[b]!, offsets[b + 1]!);

  // Explicit stack of runs [lo, hi) whose rows agree on their first `depth` bytes.
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!, hi = stack.pop()!, lo = stack.pop()!;
    if (hi - lo <= SMALL_RUN) { sortRun(order, lo, hi, cmp); continue; }
    for (let k = lo; k < hi; k++) {
      const i = order[k]!, s = offsets[i]! + depth, e = offsets[i + 1]!;
      chunk[i] = ((s < e ? bytes[s]! : 0) << 24 | (s + 1 < e ? bytes[s + 1]! : 0) << 16 | (s + 2 < e ? bytes[s + 2]! : 0) << 8 | (s + 3 < e ? bytes[s + 3]! : 0)) >>> 0;
    }
    // Wide runs take two 16-bit passes; narrower ones four 8-bit passes, whose buckets are cheaper to clear.
    if (hi - lo >= 1 << 15) for (let shift = 0; shift < 32; shift += 16) pass(order, lo, hi, chunk, shift, 16, scratch, counts);
    else for (let shift = 0; shift < 32; shift += 8) pass(order, lo, hi, chunk, shift, 8, scratch, counts);
    for (let a = lo; a < hi;) {
      const c = chunk[order[a]!]!;
      let b = a + 1;
      let allLong = true, sameLength = true;
      const len0 = offsets[order[a]! + 1]! - offsets[order[a]!]!;
      if (len0 <= depth + 4) allLong = false;
      while (b < hi && chunk[order[b]!] === c) {
        const len = offsets[order[b]! + 1]! - offsets[order[b]!]!;
        if (len <= depth + 4) allLong = false;
        if (len !== len0) sameLength = false;
        b++;
      }
      if (b - a > 1) {
        // Same length and chunk, all ending here: identical strings, already in a stable order.
        if (allLong) stack.push(a, b, depth + 4);
        else if (!(sameLength && len0 <= depth + 4)) sortRun(order, a, b, cmp);
      }
      a = b;
    }
  }

  const ranks = new Int32Array(n);
  let rank = 0;
  for (let k = 1; k < n; k++) {
    if (cmp(order[k - 1]!, order[k]!) !== 0) rank++;
    ranks[order[k]!] = rank;
  }
  return ranks;
}

/** Stable sort of order[lo, hi): insertion sort for short runs (no call into the engine's sort). */
function sortRun(order: Int32Array, lo: number, hi: number, cmp: (a: number, b: number) => number): void {
  if (hi - lo > SMALL_RUN) { order.subarray(lo, hi).sort((a, b) => cmp(a, b) || a - b); return; }
  for (let k = lo + 1; k < hi; k++) {
    const r = order[k]!;
    let j = k - 1;
    while (j >= lo && cmp(order[j]!, r) > 0) { order[j + 1] = order[j]!; j--; }
    order[j + 1] = r;
  }
}

/** Stable counting pass of order[lo, hi) by `bits` bits of `keys` at `shift`. */
function pass(order: Int32Array, lo: number, hi: number, keys: Uint32Array, shift: number, bits: number, scratch: Int32Array, counts: Int32Array): void {
  const mask = (1 << bits) - 1;
  counts.fill(0, 0, mask + 2);
  for (let k = lo; k < hi; k++) counts[((keys[order[k]!]! >>> shift) & mask) + 1]!++;
  if (counts[((keys[order[lo]!]! >>> shift) & mask) + 1] === hi - lo) return; // one bucket: nothing moves
  for (let b = 1; b <= mask + 1; b++) counts[b]! += counts[b - 1]!;
  for (let k = lo; k < hi; k++) { const r = order[k]!; scratch[lo + counts[(keys[r]! >>> shift) & mask]!++] = r; }
  order.set(scratch.subarray(lo, hi), lo);
}
