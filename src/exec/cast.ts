/** CAST kernels. Numeric-to-numeric for now; the full matrix is being written. */
import type { DataType } from "../plan/types.ts";
import { isNumeric, typeEquals } from "../plan/types.ts";
import { UnsupportedError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";
import { allocateValues } from "./column-vector.ts";

export function castVector(col: ColumnVector, to: DataType): ColumnVector {
  if (typeEquals(col.type, to)) return col;
  if (isNumeric(col.type) && isNumeric(to) && col.type.kind !== "decimal" && to.kind !== "decimal") {
    const out = allocateValues(to, col.length);
    const v = col.values;
    for (let i = 0; i < col.length; i++) out[i] = v[i]!;
    return { type: to, length: col.length, values: out, validity: col.validity };
  }
  throw new UnsupportedError(`cast from ${col.type.kind} to ${to.kind}`);
}
