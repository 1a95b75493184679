/**
 * Reading a whole join input into one batch: the build side of a hash or
 * nested-loop join, and both sides of a sort-merge join. An input with no
 * rows still yields a batch of the right column types, so output columns
 * can be NULL-extended from it.
 */
import type { Field } from "../../types/data-types.ts";
import type { Batch } from "../column-vector.ts";
import { concatBatches, nullVector } from "../column-vector.ts";

/** A batch with no rows of `schema`'s types. */
export function emptyBatch(schema: readonly Field[]): Batch {
  return { columns: schema.map((f) => nullVector(f.type, 0)), numRows: 0 };
}

/** Every batch of `input`, concatenated. */
export async function collectSide(input: AsyncIterable<Batch>, schema: readonly Field[]): Promise<Batch> {
  const batches: Batch[] = [];
  for await (const b of input) if (b.numRows > 0) batches.push(b);
  return batches.length === 0 ? emptyBatch(schema) : concatBatches(batches, schema.length);
}
