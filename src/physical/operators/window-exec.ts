/**
 * WindowExec: computes window functions over one partition whose input is
 * clustered by PARTITION BY and sorted by PARTITION BY then ORDER BY (the
 * planner puts the Exchange and SortExec below it). It gathers the
 * partition, finds the window-partition and peer-group boundaries once,
 * computes each distinct frame once, runs each function as a column kernel
 * and emits the input columns followed by one column per window function.
 */
import type { SortOrder } from "../../plan/expressions.ts";
import type { FrameBound, WindowFrame } from "../../types/operations.ts";
import type { PhysicalOf, WindowCall } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { evaluate } from "../expressions/evaluate.ts";
import type { Batch, ColumnVector } from "../../exec/column-vector.ts";
import { concatBatches, sliceBatch } from "../../exec/column-vector.ts";
import type { GroupBounds } from "../../exec/window/boundaries.ts";
import { groupBounds, groupStarts } from "../../exec/window/boundaries.ts";
import type { FrameBounds, RangeKey } from "../../exec/window/frames.ts";
import { computeFrames } from "../../exec/window/frames.ts";
import { denseRank, rank, rowNumber, shifted } from "../../exec/window/ranking.ts";
import { windowAggregate } from "../../exec/window/aggregates.ts";
import { UnsupportedError } from "../../common/errors.ts";

export async function* windowExec(node: PhysicalOf<"WindowExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const batches: Batch[] = [];
  for await (const b of execute(node.input, partition)) if (b.numRows > 0) batches.push(b);
  if (batches.length === 0) return;
  const input = concatBatches(batches, node.input.schema.length);
  const out: Batch = { numRows: input.numRows, columns: [...input.columns, ...computeWindows(node, input)] };
  const step = Math.max(1, Math.floor(ctx.config["batch.size"]));
  for (let s = 0; s < out.numRows; s += step) yield s === 0 && out.numRows <= step ? out : sliceBatch(out, s, Math.min(out.numRows, s + step));
}

/** One output column per window call, over a batch sorted by partitionBy then orderBy. */
export function computeWindows(node: PhysicalOf<"WindowExec">, input: Batch): ColumnVector[] {
  const n = input.numRows;
  const partStarts = groupStarts(node.partitionBy.map((e) => evaluate(e, input)), n);
  const part = groupBounds(partStarts, n);
  const orderCols = node.orderBy.map((o) => evaluate(o.expr, input));
  const peers = groupBounds(groupStarts(orderCols, n, partStarts.slice()), n);
  const frames = new Map<string, FrameBounds>();
  const frameOf = (frame: WindowFrame): FrameBounds => {
    const key = JSON.stringify(frame);
    let f = frames.get(key);
    if (!f) {
      f = computeFrames(frame, part, peers, n, needsRangeKey(frame) ? rangeKeyOf(orderCols[0]!, node.orderBy[0]!) : null);
      frames.set(key, f);
    }
    return f;
  };
  return node.windows.map((w) => windowColumn(w, input, part, peers, frameOf, n));
}

function windowColumn(w: WindowCall, input: Batch, part: GroupBounds, peers: GroupBounds, frameOf: (f: WindowFrame) => FrameBounds, n: number): ColumnVector {
  switch (w.fn) {
    case "row_number": return rowNumber(part, n);
    case "rank": return rank(part, peers, n);
    case "dense_rank": return denseRank(part, peers, n);
    case "lag": case "lead": {
      const offsetArg = w.args[1];
      const offset = offsetArg && offsetArg.type === "literal" ? Number(offsetArg.value ?? 1) : 1;
      const fallback = w.args[2] ? evaluate(w.args[2], input) : null;
      return shifted(evaluate(w.args[0]!, input), w.fn === "lag" ? -offset : offset, fallback, part, n);
    }
    case "count": case "sum": case "avg": case "min": case "max": {
      const arg = w.args[0] ? evaluate(w.args[0], input) : null;
      return windowAggregate(w.fn, arg, frameOf(w.frame), w.resultType, n);
    }
    case "count_star": return windowAggregate("count", null, frameOf(w.frame), w.resultType, n);
    case "first":
      throw new UnsupportedError("first() over a window is not supported yet; use min/max, or lag/lead with an offset");
  }
}

function isOffset(b: FrameBound): boolean {
  return b.kind === "offset";
}

function needsRangeKey(frame: WindowFrame): boolean {
  return frame.unit === "range" && (isOffset(frame.start) || isOffset(frame.end));
}

function rangeKeyOf(col: ColumnVector, order: SortOrder): RangeKey {
  const unit = col.type.kind === "decimal" ? 10 ** col.type.scale : 1;
  return { values: col.values, validity: col.validity, ascending: order.ascending, nullsFirst: order.nullsFirst, unit };
}
