/**
 * The partition-count arguments of repartition, coalesce and friends,
 * checked as Spark's overloads take them.
 */
import { AnalysisError } from "../common/errors.ts";

/** `numPartitions` checked: a positive integer, else a WRONG_ARGUMENT error naming `method`. */
export function checkNumPartitions(method: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new AnalysisError("WRONG_ARGUMENT", `${method}: numPartitions must be a positive integer, got ${String(n)}; pass e.g. df.${method}(8)`, { details: { numPartitions: n } });
  }
  return n;
}

/** `(numPartitions?, ...cols)` as Spark's overloads take them: a leading number, then columns (no other numbers). */
export function splitPartitionArgs<C>(method: string, args: readonly (number | C)[]): [number | null, C[]] {
  const first = args[0];
  const n = typeof first === "number" ? checkNumPartitions(method, first) : null;
  const cols = (n === null ? args : args.slice(1)).map((c) => {
    if (typeof c === "number") throw new AnalysisError("WRONG_ARGUMENT", `${method}: the number of partitions comes first and only once, got ${c} among the columns`);
    return c;
  });
  return [n, cols];
}
