/**
 * `Window` and `WindowSpec`: PySpark's builder for `OVER (PARTITION BY ...
 * ORDER BY ... ROWS/RANGE BETWEEN ...)`.
 *
 * @example
 * const w = Window.partitionBy("dept").orderBy(col("salary").desc());
 * df.withColumn("rank", rank().over(w));
 */
import type { SortOrder, WindowSpec as WindowSpecData } from "../plan/expressions.ts";
import type { FrameBound, WindowFrame } from "../types/operations.ts";
import { Column, columnOf } from "./column.ts";

export function orderOf(c: Column | string): SortOrder {
  const column = columnOf(c);
  return column.sortOrder ?? { expr: column.expr, ascending: true, nullsFirst: true };
}

function bound(value: number): FrameBound {
  if (value <= Window.unboundedPreceding) return { kind: "unboundedPreceding" };
  if (value >= Window.unboundedFollowing) return { kind: "unboundedFollowing" };
  if (value === 0) return { kind: "currentRow" };
  return { kind: "offset", value };
}

export class WindowSpec {
  constructor(
    private readonly partitions: Column[] = [],
    private readonly orders: SortOrder[] = [],
    private readonly frame: WindowFrame | null = null,
  ) {}

  partitionBy(...cols: (Column | string)[]): WindowSpec {
    return new WindowSpec(cols.map(columnOf), this.orders, this.frame);
  }

  orderBy(...cols: (Column | string)[]): WindowSpec {
    return new WindowSpec(this.partitions, cols.map(orderOf), this.frame);
  }

  /** Frame by row offsets. @example w.rowsBetween(Window.unboundedPreceding, Window.currentRow) */
  rowsBetween(start: number, end: number): WindowSpec {
    return new WindowSpec(this.partitions, this.orders, { unit: "rows", start: bound(start), end: bound(end) });
  }

  /** Frame by the ORDER BY value's distance from the current row's. */
  rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec(this.partitions, this.orders, { unit: "range", start: bound(start), end: bound(end) });
  }

  /** @internal */
  toSpec(): WindowSpecData {
    return { partitionBy: this.partitions.map((c) => c.expr), orderBy: this.orders, frame: this.frame };
  }
}

export const Window = {
  unboundedPreceding: Number.MIN_SAFE_INTEGER,
  unboundedFollowing: Number.MAX_SAFE_INTEGER,
  currentRow: 0,
  partitionBy: (...cols: (Column | string)[]): WindowSpec => new WindowSpec().partitionBy(...cols),
  orderBy: (...cols: (Column | string)[]): WindowSpec => new WindowSpec().orderBy(...cols),
  rowsBetween: (start: number, end: number): WindowSpec => new WindowSpec().rowsBetween(start, end),
  rangeBetween: (start: number, end: number): WindowSpec => new WindowSpec().rangeBetween(start, end),
};
