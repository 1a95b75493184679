/** CASE WHEN and IN kernels. (Being written.) */
import type { DataType } from "../plan/types.ts";
import { UnsupportedError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";

export function caseWhen(branches: { when: ColumnVector; then: ColumnVector }[], otherwise: ColumnVector | null, type: DataType, length: number): ColumnVector {
  throw new UnsupportedError(`case ${branches.length} ${otherwise?.length} ${type.kind} ${length}`);
}
export function inList(value: ColumnVector, list: ColumnVector[], negated: boolean): ColumnVector {
  throw new UnsupportedError(`in ${value.length} ${list.length} ${negated}`);
}
