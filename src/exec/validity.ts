/** Validity (NULL) masks: combining the masks of a kernel's inputs. */
import type { ColumnVector } from "./column-vector.ts";

/** Valid where every input is valid; null when all inputs are fully valid. */
export function mergeValidity(cols: readonly ColumnVector[], length: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const c of cols) {
    if (!c.validity) continue;
    if (!out) { out = c.validity.slice(0, length); continue; }
    const v = c.validity;
    for (let i = 0; i < length; i++) out[i] = out[i]! & v[i]!;
  }
  return out;
}
