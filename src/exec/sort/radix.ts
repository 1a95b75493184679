/**
 * Linear-time building blocks of the sort: every key becomes an unsigned
 * 32-bit "digit" per row that orders rows the way the key does (direction
 * folded in), and a stable counting or two-pass radix pass reorders a
 * permutation by one such key. Sorting by several keys is then one pass per
 * key, least significant first (LSD), with no comparator calls: V8's
 * comparator sort costs about a microsecond a row, these passes a few
 * nanoseconds.
 */
import type { SortKey } from "./sort-keys.ts";

/** Per-row digits of one key, in [0, max]; NULL rows' digits are never read. */
export interface Digits {
  digits: Uint32Array;
  max: number;
}

/** Digits of a key: value offsets for integral keys spanning under 2^32, dense ranks otherwise. */
export function digitsOf(key: SortKey, n: number): Digits {
  const v = key.values, valid = key.validity;
  let min = Infinity, max = -Infinity, integral = !key.floating;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = v[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (key.floating && min >= -(2 ** 53) && max <= 2 ** 53) {
    integral = true;
    for (let i = 0; i < n; i++) if ((valid === null || valid[i] === 1) && !Number.isInteger(v[i]!)) { integral = false; break; }
  }
  const digits = new Uint32Array(n);
  if (min === Infinity) return { digits, max: 0 };
  if (integral && max - min < 2 ** 32) {
    if (key.ascending) for (let i = 0; i < n; i++) digits[i] = v[i]! - min;
    else for (let i = 0; i < n; i++) digits[i] = max - v[i]!;
    if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) digits[i] = 0;
    return { digits, max: max - min };
  }
  const ranks = floatRanks(key, n);
  if (!key.ascending) for (let i = 0; i < n; i++) ranks.digits[i] = ranks.max - ranks.digits[i]!;
  return ranks;
}

/**
 * Dense ascending ranks of any doubles: each value's IEEE bits are mapped
 * to an unsigned 64-bit integer that orders like the number (-0 as 0, every
 * NaN as one value after +Infinity), radix-sorted 16 bits at a time.
 */
function floatRanks(key: SortKey, n: number): Digits {
  const v = key.values, valid = key.validity;
  const rows = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) rows[m++] = i;
  const scratch = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    const x = v[rows[k]!]!;
    scratch[rows[k]!] = x === 0 ? 0 : x !== x ? NaN : x;
  }
  const words = new Uint32Array(scratch.buffer); // little-endian: [lo, hi] per double
  const hi = new Uint32Array(n), lo = new Uint32Array(n);
  for (let k = 0; k < m; k++) {
    const i = rows[k]!;
    let h = words[2 * i + 1]!, l = words[2 * i]!;
    if (h & 0x80000000) { h = ~h >>> 0; l = ~l >>> 0; } else h = (h | 0x80000000) >>> 0;
    hi[i] = h; lo[i] = l;
  }
  let order: Int32Array = rows.subarray(0, m);
  order = radix16(order, lo, 0);
  order = radix16(order, lo, 16);
  order = radix16(order, hi, 0);
  order = radix16(order, hi, 16);
  const digits = new Uint32Array(n);
  let rank = 0;
  for (let k = 0; k < m; k++) {
    const i = order[k]!;
    if (k > 0) { const p = order[k - 1]!; if (hi[p] !== hi[i] || lo[p] !== lo[i]) rank++; }
    digits[i] = rank;
  }
  return { digits, max: rank };
}

/** One stable counting pass of `order` by the 16-bit digit of `words` at `shift`. */
function radix16(order: Int32Array, words: Uint32Array, shift: number): Int32Array {
  const m = order.length;
  const counts = new Int32Array(65537);
  for (let k = 0; k < m; k++) counts[((words[order[k]!]! >>> shift) & 0xffff) + 1]!++;
  if (counts[1] === m) return order; // every digit is 0: nothing moves
  for (let b = 1; b <= 65536; b++) counts[b]! += counts[b - 1]!;
  const out = new Int32Array(m);
  for (let k = 0; k < m; k++) { const r = order[k]!; out[counts[(words[r]! >>> shift) & 0xffff]!++] = r; }
  return out;
}

/**
 * Stably reorders `order` (a permutation of rows) by one key's digits,
 * NULL rows (in their current order) first or last.
 */
export function stablePass(order: Int32Array, d: Digits, validity: Uint8Array | null, nullsFirst: boolean): Int32Array {
  const n = order.length;
  let valid = order;
  let nulls: Int32Array | null = null;
  if (validity !== null) {
    let nn = 0;
    for (let k = 0; k < n; k++) nn += validity[order[k]!]! ^ 1;
    if (nn > 0) {
      valid = new Int32Array(n - nn);
      nulls = new Int32Array(nn);
      let a = 0, b = 0;
      for (let k = 0; k < n; k++) { const r = order[k]!; if (validity[r] === 1) valid[a++] = r; else nulls[b++] = r; }
    }
  }
  let sorted: Int32Array;
  const m = valid.length;
  if (d.max < Math.max(m, 1 << 16)) {
    const counts = new Int32Array(d.max + 2);
    const digits = d.digits;
    for (let k = 0; k < m; k++) counts[digits[valid[k]!]! + 1]!++;
    for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
    sorted = new Int32Array(m);
    for (let k = 0; k < m; k++) { const r = valid[k]!; sorted[counts[digits[r]!]!++] = r; }
  } else {
    sorted = radix16(radix16(valid, d.digits, 0), d.digits, 16);
  }
  if (nulls === null) return sorted;
  const out = new Int32Array(n);
  if (nullsFirst) { out.set(nulls, 0); out.set(sorted, nulls.length); }
  else { out.set(sorted, 0); out.set(nulls, sorted.length); }
  return out;
}
