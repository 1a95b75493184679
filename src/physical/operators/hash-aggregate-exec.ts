/**
 * HashAggregateExec: groups one partition's rows by key and folds each
 * aggregate per group. The mode says what goes in and out (see
 * `PhysicalPlanner.planAggregate`): `complete` turns rows into
 * [keys..., results...]; `partial` turns rows into [keys..., states...];
 * `final` merges partial states (keys at ordinals 0..k-1, then each
 * aggregate's state columns in order) into [keys..., results...]. The whole
 * input is consumed before the first output batch, which is then emitted in
 * slices of at most `batch.size` rows. Over its memory share it flushes
 * (partial) or spills by key (final, complete): see `aggregate`.
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
import { spillStoreFor } from "../spill-store-for.ts";
import { PartitionedSpill, SPILL_PARTITIONS } from "./partitioned-spill.ts";

/** Rows mapped to group ids and folded at a time: 64 KiB of ids. */
const CHUNK_ROWS = 1 << 14;

export async function* hashAggregateExec(node: PhysicalOf<"HashAggregateExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  yield* aggregate(node, execute(node.input, partition), ctx, node.mode, 0);
}

/** Memory a group is taken to hold: its keys' and states' values and the table's slot. */
const groupBytes = (node: PhysicalOf<"HashAggregateExec">) => 16 * (node.groupBy.length + node.aggregates.reduce((n, a) => n + a.stateTypes.length, 0)) + 32;

/** The spill recursion stops here: a partition that still does not fit after this many splits fails. */
const MAX_SPILL_DEPTH = 3;

/**
 * Aggregates `input` in `mode`. With a memory share, the table reserves memory as it grows; refused, a
 * partial aggregation sends its states on and starts a new table (the final one merges them), while a
 * final or complete one spills by key (aggregate-spill.ts) and aggregates each spilled partition alone.
 */
async function* aggregate(node: PhysicalOf<"HashAggregateExec">, input: BatchStream, ctx: TaskContext, mode: PhysicalOf<"HashAggregateExec">["mode"], depth: number): BatchStream {
  const numKeys = node.groupBy.length;
  let table = createGroupTable(node.schema.slice(0, numKeys).map((f) => f.type));
  // Over raw rows, calls on the same argument may share state (avg(v) reads sum(v)'s sums); partial states never do.
  const argKeys = mode === "final" ? undefined : node.aggregates.map((a) => (a.arg ? exprToString(a.arg) : null));
  let accumulators = createAccumulators(node.aggregates, argKeys);
  // In final mode each aggregate reads its state columns, which follow the keys in order.
  const stateStart: number[] = [];
  let at = numKeys;
  for (const a of node.aggregates) { stateStart.push(at); at += a.stateTypes.length; }
  const stateWidth = at;

  // A global count(*) (over a joined count, say) adds batch sizes instead of writing and reading a group id per row.
  const oneGroup = table instanceof GlobalGroupTable && mode !== "final" && accumulators.every((a) => a.updateOneGroup !== undefined);
  let ids = new Int32Array(0);
  // Partial aggregation that barely reduces its rows costs more than it saves (a random access into a large
  // table per row, then as many states to shuffle): once `aggregate.skipPartialProbeRows` rows made more than
  // `aggregate.skipPartialRatio` groups per row, the table's states go out and every later row passes
  // through as its own group's state (DataFusion's skip_partial_aggregation_probe_*).
  let probing = mode === "partial" && !oneGroup && accumulators.every((a) => a.rowStates !== undefined);
  let rowsSeen = 0, passThrough = false;
  const memory = oneGroup || numKeys === 0 ? undefined : ctx.memory;
  const perGroup = groupBytes(node);
  let accounted = 0;
  // Spilled: the table's states ([keys..., states...]) and, in complete mode, the raw rows that came after.
  let spill: PartitionedSpill | null = null, rawSpill: PartitionedSpill | null = null;
  const freshTable = () => {
    table = createGroupTable(node.schema.slice(0, numKeys).map((f) => f.type));
    accumulators = createAccumulators(node.aggregates, argKeys);
    memory!.release(accounted * perGroup);
    accounted = 0;
  };
  try {
    for await (const batch of input) {
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
      const keys = mode === "final" ? batch.columns.slice(0, numKeys) : node.groupBy.map((e) => evaluate(e, batch));
      // In final mode each aggregate reads its state columns; otherwise its argument (none for count(*)).
      const inputs: ColumnVector[][] = node.aggregates.map((call, a) => mode === "final"
        ? batch.columns.slice(stateStart[a]!, stateStart[a]! + call.stateTypes.length)
        : call.arg ? [evaluate(call.arg, batch)] : []);
      if (spill) {
        // Spilling: every later row goes to its key's partition.
        if (rawSpill) await rawSpill.add(batch, keys); else await spill.add({ numRows: n, columns: batch.columns.slice(0, stateWidth) }, keys);
        continue;
      }
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
          if (mode === "final") acc.merge(ids, m, input.map(part));
          else acc.update(ids, m, input.length > 0 ? part(input[0]!) : null);
        }
        rowsSeen += m;
        if (probing && rowsSeen >= ctx.config["aggregate.skipPartialProbeRows"]) {
          probing = false;
          passThrough = table.numGroups > ctx.config["aggregate.skipPartialRatio"] * rowsSeen;
          if (passThrough) yield* emit(table, accumulators, "partial", ctx);
        }
        if (memory && !passThrough && table.numGroups > accounted) {
          const grow = (table.numGroups - accounted) * perGroup;
          if (memory.tryReserve(grow)) { accounted = table.numGroups; continue; }
          if (mode === "partial") { yield* emit(table, accumulators, "partial", ctx); freshTable(); continue; }
          const what = `a ${mode} aggregation of ${table.numGroups} groups`;
          if (depth >= MAX_SPILL_DEPTH) throw memory.exhausted(`${what}, split ${depth} times already,`, grow);
          const store = await spillStoreFor(ctx, memory, what, grow);
          spill = new PartitionedSpill(store, memory, stateWidth, depth);
          if (mode === "complete") rawSpill = new PartitionedSpill(store, memory, batch.columns.length, depth);
          for (const b of emit(table, accumulators, "partial", ctx)) await spill.add(b, b.columns.slice(0, numKeys));
          freshTable();
          // The rest of this batch goes to the spill as well.
          if (end < n) {
            const rest = (c: ColumnVector) => slice(c, end, n);
            const tail: Batch = { numRows: n - end, columns: batch.columns.map(rest) };
            if (rawSpill) await rawSpill.add(tail, keys.map(rest)); else await spill.add({ numRows: n - end, columns: tail.columns.slice(0, stateWidth) }, keys.map(rest));
          }
          break;
        }
      }
    }
    if (passThrough) return;
    if (spill) {
      await spill.flush();
      await rawSpill?.flush();
      const states = spill, raw = rawSpill;
      // A partition's states, then its raw rows (complete mode) folded into states, merged into results.
      const partitionStates = async function* (p: number): BatchStream {
        yield* states.partition(p);
        if (raw) yield* aggregate(node, raw.partition(p), ctx, "partial", depth + 1);
      };
      for (let p = 0; p < SPILL_PARTITIONS; p++) yield* aggregate(node, partitionStates(p), ctx, "final", depth + 1);
      return;
    }
    // A global aggregate returns one row even over no input (count 0, the rest NULL); its partial side need not.
    if (table instanceof GlobalGroupTable && mode !== "partial") table.ensureGroup();
    yield* emit(table, accumulators, mode, ctx);
  } finally {
    memory?.release(accounted * perGroup);
    await spill?.remove();
    await rawSpill?.remove();
  }
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
