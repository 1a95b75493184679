/**
 * The names of what the kernels compute — operators, aggregate and ranking
 * functions, window frames, join types, literal values — as plain data.
 * Plans carry them and kernels switch on them, so they sit below both: the
 * kernels in src/exec/ read them here, never from the plans.
 */

/** Literal values in their in-memory form: dates are days since epoch, timestamps microseconds, decimals unscaled. */
export type LiteralValue = number | string | boolean | null;

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%";
export type ComparisonOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "<=>";
export type BinaryOp = ArithmeticOp | ComparisonOp | "and" | "or";

export type AggregateFn = "sum" | "avg" | "count" | "min" | "max" | "first" | "count_star";
export type RankingFn = "row_number" | "rank" | "dense_rank" | "lag" | "lead";

/** The join types, as Spark names them (semi and anti keep only left rows). */
export type JoinType = "inner" | "left" | "right" | "full" | "left_semi" | "left_anti" | "cross";

/** A frame bound: unbounded, the current row, or an offset (negative = preceding). */
export type FrameBound =
  | { kind: "unboundedPreceding" }
  | { kind: "unboundedFollowing" }
  | { kind: "currentRow" }
  | { kind: "offset"; value: number };

export interface WindowFrame {
  unit: "rows" | "range";
  start: FrameBound;
  end: FrameBound;
}
