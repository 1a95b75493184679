/** LIKE / RLIKE kernels. (Being written.) */
import { UnsupportedError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";

export function like(value: ColumnVector, pattern: ColumnVector, negated: boolean, regex: boolean): ColumnVector {
  throw new UnsupportedError(`like ${value.length} ${pattern.length} ${negated} ${regex}`);
}
