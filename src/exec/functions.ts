/** Scalar function kernels by canonical name. (Being written.) */
import type { DataType } from "../plan/types.ts";
import { UnsupportedError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";

export function callFunction(name: string, args: ColumnVector[], resultType: DataType, length: number): ColumnVector {
  throw new UnsupportedError(`function ${name}/${args.length} ${resultType.kind} ${length}`);
}
