/** Boolean kernels with SQL's three-valued logic (NULL = unknown). */
import { BOOLEAN } from "../types/data-types.ts";
import type { ColumnVector } from "./column-vector.ts";

/** FALSE AND anything = FALSE; TRUE AND NULL = NULL. */
export function and(left: ColumnVector, right: ColumnVector): ColumnVector {
  const n = left.length, a = left.values, b = right.values;
  const out = new Uint8Array(n);
  if (!left.validity && !right.validity) {
    for (let i = 0; i < n; i++) out[i] = a[i]! & b[i]!;
    return { type: BOOLEAN, length: n, values: out, validity: null };
  }
  const va = left.validity, vb = right.validity;
  const validity = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pa = va ? va[i]! : 1, pb = vb ? vb[i]! : 1;
    const x = a[i]! & pa, y = b[i]! & pb; // known TRUE
    const fa = pa & (a[i]! ^ 1), fb = pb & (b[i]! ^ 1); // known FALSE
    out[i] = x & y;
    validity[i] = (pa & pb) | fa | fb;
  }
  return { type: BOOLEAN, length: n, values: out, validity };
}

/** TRUE OR anything = TRUE; FALSE OR NULL = NULL. */
export function or(left: ColumnVector, right: ColumnVector): ColumnVector {
  const n = left.length, a = left.values, b = right.values;
  const out = new Uint8Array(n);
  if (!left.validity && !right.validity) {
    for (let i = 0; i < n; i++) out[i] = a[i]! | b[i]!;
    return { type: BOOLEAN, length: n, values: out, validity: null };
  }
  const va = left.validity, vb = right.validity;
  const validity = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pa = va ? va[i]! : 1, pb = vb ? vb[i]! : 1;
    const ta = pa & a[i]!, tb = pb & b[i]!;
    out[i] = ta | tb;
    validity[i] = (pa & pb) | ta | tb;
  }
  return { type: BOOLEAN, length: n, values: out, validity };
}

export function not(col: ColumnVector): ColumnVector {
  const n = col.length, v = col.values;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = v[i]! ^ 1;
  return { type: BOOLEAN, length: n, values: out, validity: col.validity };
}

export function isNull(col: ColumnVector, negated: boolean): ColumnVector {
  const n = col.length;
  const out = new Uint8Array(n);
  const v = col.validity;
  if (!v) out.fill(negated ? 1 : 0);
  else if (negated) out.set(v);
  else for (let i = 0; i < n; i++) out[i] = v[i]! ^ 1;
  return { type: BOOLEAN, length: n, values: out, validity: null };
}
