/**
 * The selection kernel: a boolean mask to the row indices where it is TRUE,
 * the step every filter, join residual and lazy CASE takes before `take`.
 */
import type { ColumnVector } from "./column-vector.ts";

/** Row indices where a boolean column is TRUE (NULL and FALSE drop the row). */
export function selectTrue(mask: ColumnVector): { indices: Int32Array; count: number } {
  const n = mask.length, v = mask.values, valid = mask.validity;
  const indices = new Int32Array(n);
  let count = 0;
  if (valid) {
    for (let i = 0; i < n; i++) { indices[count] = i; count += v[i]! & valid[i]!; }
  } else if (v instanceof Uint8Array) {
    count = selectBytes(v, n, indices);
  } else {
    for (let i = 0; i < n; i++) { indices[count] = i; count += v[i]!; }
  }
  return { indices, count };
}

/**
 * selectTrue over 0/1 bytes, four rows a load where the bytes are 4-aligned:
 * a word of four FALSE rows is skipped with one compare, so a selective
 * filter (most rows dropped) costs a quarter of the row-by-row loop.
 */
function selectBytes(v: Uint8Array, n: number, indices: Int32Array): number {
  let count = 0, i = 0;
  const head = Math.min(n, (4 - (v.byteOffset & 3)) & 3);
  for (; i < head; i++) { indices[count] = i; count += v[i]!; }
  const wordCount = (n - head) >> 2;
  // (With fewer than four rows past the head, `head` may stop short of alignment: no words then.)
  const words = wordCount > 0 ? new Uint32Array(v.buffer, v.byteOffset + head, wordCount) : new Uint32Array(0);
  for (let w = 0; w < wordCount; w++) {
    if (words[w] === 0) continue;
    const base = head + (w << 2);
    indices[count] = base; count += v[base]!;
    indices[count] = base + 1; count += v[base + 1]!;
    indices[count] = base + 2; count += v[base + 2]!;
    indices[count] = base + 3; count += v[base + 3]!;
  }
  for (i = head + (wordCount << 2); i < n; i++) { indices[count] = i; count += v[i]!; }
  return count;
}
