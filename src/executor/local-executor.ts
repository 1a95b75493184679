/**
 * Runs a whole physical plan on the current thread: every partition in
 * turn, with each Exchange materialized in memory the first time a reducer
 * asks for it. This is the engine without the scheduler: what tests,
 * `executor.instances = 0` and small notebook queries use.
 */
import { throwIfAborted } from "../common/cancellation.ts";
import { MemoryManager, executorMemoryOf } from "./memory-manager.ts";
import type { ConfigValues } from "../common/config.ts";
import type { Batch } from "../exec/column-vector.ts";
import { evaluate } from "../physical/expressions/evaluate.ts";
import { roundRobinPartitionIds, splitByPartition } from "../exec/partition.ts";
import { partitionIds } from "./partition-ids.ts";
import { scatterToPartitions } from "./shuffle-scatter.ts";
import { rangeBounds, rangePartitionIds, sampleKeys } from "../exec/range-partition.ts";
import type { Partitioning, PhysicalOf, PhysicalPlan } from "../physical/physical-plan.ts";
import { numPartitions } from "../physical/physical-plan.ts";
import { collectPartition, execute } from "../physical/execute.ts";
import type { ExchangeReader, TaskContext } from "../physical/task-context.ts";
import type { TaskMetrics } from "../types/task-metrics.ts";
import type { SourceReader } from "../io/source-reader.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import { newTaskMetrics } from "../types/task-metrics.ts";

/** Exchange outputs of one job, computed once and kept until the job ends. */
class InMemoryExchanges implements ExchangeReader {
  private readonly shuffles = new Map<number, Promise<Batch[][]>>();
  private readonly broadcasts = new Map<number, Promise<Batch[]>>();

  readShuffle(node: PhysicalOf<"ShuffleExchangeExec">, partition: number, ctx: TaskContext): BatchStream {
    let outputs = this.shuffles.get(node.exchangeId);
    if (!outputs) {
      outputs = this.materialize(node, ctx);
      this.shuffles.set(node.exchangeId, outputs);
    }
    return (async function* () { yield* (await outputs)[partition] ?? []; })();
  }

  readBroadcast(node: PhysicalOf<"BroadcastExchangeExec">, ctx: TaskContext): Promise<Batch[]> {
    let value = this.broadcasts.get(node.exchangeId);
    if (!value) {
      value = (async () => {
        const all: Batch[] = [];
        for (let p = 0; p < numPartitions(node.input); p++) all.push(...await collectPartition(node.input, p, ctx));
        return all;
      })();
      this.broadcasts.set(node.exchangeId, value);
    }
    return value;
  }

  private async materialize(node: PhysicalOf<"ShuffleExchangeExec">, ctx: TaskContext): Promise<Batch[][]> {
    const part = node.partitioning;
    const n = part.kind === "single" ? 1 : part.numPartitions;
    const buckets: Batch[][] = Array.from({ length: n }, () => []);
    for (let p = 0; p < numPartitions(node.input); p++) {
      let rr = p; // where a cluster's map task p starts its round robin (shuffle-writer.ts), so both engines agree
      // Hash partitioning: one counting-sort scatter per input partition, as a cluster's map task does.
      const mapBatches: Batch[] = [], mapIds: Int32Array[] = [], counts = new Int32Array(n);
      for await (const batch of execute(node.input, p, ctx)) {
        if (part.kind === "single") { buckets[0]!.push(batch); continue; }
        if (part.kind === "roundRobin") {
          if (batch.numRows === 0) continue;
          mapBatches.push(batch);
          mapIds.push(roundRobinPartitionIds(batch.numRows, n, rr, counts));
          rr += batch.numRows;
          continue;
        }
        if (part.kind === "range") { buckets[0]!.push(batch); continue; } // split below, once the bounds are known
        if (batch.numRows === 0) continue;
        mapBatches.push(batch);
        mapIds.push(partitionIds(part.keys.map((k) => evaluate(k, batch)), batch.numRows, n, counts));
      }
      // Plain memory: these buckets never leave the thread, and shared memory costs a page fault per page.
      if (mapBatches.length) scatterToPartitions(mapBatches, mapIds, n, node.input.schema.length, counts, null).forEach((b, i) => { if (b) buckets[i]!.push(b); });
    }
    if (part.kind === "range") return rangeSplit(buckets[0]!, part, n);
    return buckets;
  }
}

/** Range partitioning needs the bounds before any row is placed: sample every batch's keys, then split. */
function rangeSplit(batches: Batch[], part: Extract<Partitioning, { kind: "range" }>, n: number): Batch[][] {
  const buckets: Batch[][] = Array.from({ length: n }, () => []);
  const keys = batches.map((b) => part.orders.map((o) => evaluate(o.expr, b)));
  const bounds = rangeBounds(sampleKeys(keys, n), part.orders, n);
  batches.forEach((batch, k) => {
    const ids = rangePartitionIds(keys[k]!, bounds, part.orders, batch.numRows);
    splitByPartition(batch, ids, n).forEach((b, i) => { if (b) buckets[i]!.push(b); });
  });
  return buckets;
}

export interface LocalRunResult {
  partitions: Batch[][];
  metrics: TaskMetrics;
}

/**
 * Runs every partition of `plan` and returns their batches.
 *
 * @example
 * const { partitions } = await runLocally(physicalPlan, sources, config);
 */
export async function runLocally(plan: PhysicalPlan, sources: SourceReader, config: ConfigValues, signal?: AbortSignal): Promise<LocalRunResult> {
  // Always a signal: besides stopping at the next batch when aborted, the pipeline then gives way to the event
  // loop every few tens of ms, so a query on a page's main thread does not freeze it (see interruptible.ts).
  const memory = new MemoryManager(executorMemoryOf(config), config["memory.fraction"], config["memory.storageFraction"]).forTask(0);
  const ctx: TaskContext = { config, sources, exchanges: new InMemoryExchanges(), metrics: newTaskMetrics(), signal: signal ?? new AbortController().signal, memory };
  const partitions: Batch[][] = [];
  for (let p = 0; p < numPartitions(plan); p++) {
    throwIfAborted(signal);
    partitions.push(await collectPartition(plan, p, ctx));
  }
  return { partitions, metrics: ctx.metrics };
}
