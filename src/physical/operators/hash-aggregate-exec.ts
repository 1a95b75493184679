/**
 * HashAggregateExec: groups one partition's rows by key and folds each
 * aggregate per group. The mode says what goes in and out (see
 * `PhysicalPlanner.planAggregate`): `complete` turns rows into
 * [keys..., results...]; `partial` turns rows into [keys..., states...];
 * `final` merges partial states (keys at ordinals 0..k-1, then each
 * aggregate's state columns in order) into [keys..., results...]. The whole
 * input is consumed before the first output batch, which is then emitted in
 * slices of at most `batch.size` rows.
 */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { evaluate } from "../expressions/evaluate.ts";
import type { Batch, ColumnVector } from "../../exec/column-vector.ts";
import { slice, sliceBatch } from "../../exec/column-vector.ts";
import type { GroupTable } from "../../exec/aggregate/group-table.ts";
import { GlobalGroupTable, createGroupTable } from "../../exec/aggregate/group-table.ts";
import type { Accumulator } from "../../exec/aggregate/accumulator.ts";
import { createAccumulators } from "../../exec/aggregate/accumulators.ts";
import { exprToString } from "../../plan/expressions.ts";

/** Rows mapped to group ids and folded at a time: 64 KiB of ids. */
const CHUNK_ROWS = 1 << 14;

export async function* hashAggregateExec(node: PhysicalOf<"HashAggregateExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const numKeys = node.groupBy.length;
  const table = createGroupTable(node.schema.slice(0, numKeys).map((f) => f.type));
  // Over raw rows, calls on the same argument may share state (avg(v) reads sum(v)'s sums); partial states never do.
  const argKeys = node.mode === "final" ? undefined : node.aggregates.map((a) => (a.arg ? exprToString(a.arg) : null));
  const accumulators = createAccumulators(node.aggregates, argKeys);
  // In final mode each aggregate reads its state columns, which follow the keys in order.
  const stateStart: number[] = [];
  let at = numKeys;
  for (const a of node.aggregates) { stateStart.push(at); at += a.stateTypes.length; }

  // A global count(*) (over a joined count, say) adds batch sizes instead of writing and reading a group id per row.
  const oneGroup = table instanceof GlobalGroupTable && node.mode !== "final" && accumulators.every((a) => a.updateOneGroup !== undefined);
  let ids = new Int32Array(0);
  // Partial aggregation that barely reduces its rows costs more than it saves (a random access into a large
  // table per row, then as many states to shuffle): once `aggregate.skipPartialProbeRows` rows made more than
  // `aggregate.skipPartialRatio` groups per row, the table's states go out and every later row passes
  // through as its own group's state (DataFusion's skip_partial_aggregation_probe_*).
  let probing = node.mode === "partial" && !oneGroup && accumulators.every((a) => a.rowStates !== undefined);
  let rowsSeen = 0, passThrough = false;
  for await (const batch of execute(node.input, partition)) {
    const n = batch.numRows;
    if (n === 0) continue;
    if (oneGroup) {
      (table as GlobalGroupTable).ensureGroup();
      for (let a = 0; a < accumulators.length; a++) {
        const call = node.aggregates[a]!;
        accumulators[a]!.resize(1);
        accumulators[a]!.updateOneGroup!(n, call.arg ? evaluate(call.arg, batch) : null);
      }
      continue;
    }
    const keys = node.groupBy.map((e) => evaluate(e, batch));
    // In final mode each aggregate reads its state columns; otherwise its argument (none for count(*)).
    const inputs: ColumnVector[][] = node.aggregates.map((call, a) => node.mode === "final"
      ? batch.columns.slice(stateStart[a]!, stateStart[a]! + call.stateTypes.length)
      : call.arg ? [evaluate(call.arg, batch)] : []);
    // A large batch (a whole in-memory table) goes through in chunks, so the group ids written by the
    // table and read back by every accumulator stay in cache instead of making a round trip to memory.
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const end = Math.min(n, start + CHUNK_ROWS), m = end - start;
      const part = (c: ColumnVector) => (start === 0 && end === n ? c : slice(c, start, end));
      if (ids.length < m) ids = new Int32Array(m);
      if (passThrough) {
        // Keys as views of the batch: the Exchange this feeds copies every row it writes.
        const columns = keys.map(part);
        accumulators.forEach((acc, a) => columns.push(...acc.rowStates!(inputs[a]!.length > 0 ? part(inputs[a]![0]!) : null, m)));
        yield { columns, numRows: m };
        continue;
      }
      table.findOrInsert(keys.map(part), m, ids);
      for (let a = 0; a < accumulators.length; a++) {
        const acc = accumulators[a]!, input = inputs[a]!;
        acc.resize(table.numGroups);
        if (node.mode === "final") acc.merge(ids, m, input.map(part));
        else acc.update(ids, m, input.length > 0 ? part(input[0]!) : null);
      }
      rowsSeen += m;
      if (probing && rowsSeen >= ctx.config["aggregate.skipPartialProbeRows"]) {
        probing = false;
        passThrough = table.numGroups > ctx.config["aggregate.skipPartialRatio"] * rowsSeen;
        if (passThrough) yield* emit(table, accumulators, "partial", ctx);
      }
    }
  }
  if (passThrough) return;

  // A global aggregate returns one row even over no input (count 0, the rest NULL); its partial side need not.
  if (table instanceof GlobalGroupTable && node.mode !== "partial") table.ensureGroup();
  yield* emit(table, accumulators, node.mode, ctx);
}

/** The groups' keys and states (partial) or results, in slices of at most `batch.size` rows. */
function* emit(table: GroupTable, accumulators: readonly Accumulator[], mode: PhysicalOf<"HashAggregateExec">["mode"], ctx: TaskContext): Generator<Batch> {
  const numGroups = table.numGroups;
  if (numGroups === 0) return;
  for (const acc of accumulators) acc.resize(numGroups);
  const columns: ColumnVector[] = [...table.keyColumns()];
  for (const acc of accumulators) {
    if (mode === "partial") columns.push(...acc.states(numGroups));
    else columns.push(acc.finish(numGroups));
  }
  const result: Batch = { columns, numRows: numGroups };
  const maxRows = Math.max(1, Math.floor(ctx.config["batch.size"]));
  if (numGroups <= maxRows) { yield result; return; }
  for (let start = 0; start < numGroups; start += maxRows) yield sliceBatch(result, start, Math.min(numGroups, start + maxRows));
}
