/**
 * A column of one repeated value, for literals. Strings are held as a
 * one-entry dictionary, so a long constant column costs 4 bytes a row.
 */
import type { LiteralValue } from "../types/operations.ts";
import type { DataType } from "../types/data-types.ts";
import type { ColumnVector } from "./column-vector.ts";
import { allocateValues, nullVector, utf8FromStrings } from "./column-vector.ts";

export function constantVector(value: LiteralValue, type: DataType, length: number): ColumnVector {
  if (value === null || type.kind === "null") return nullVector(type, length);
  if (type.kind === "utf8") {
    return { type, length, values: new Int32Array(length), validity: null, dictionary: utf8FromStrings([String(value)]) };
  }
  const values = allocateValues(type, length);
  values.fill(typeof value === "boolean" ? (value ? 1 : 0) : Number(value));
  return { type, length, values, validity: null };
}
