/**
 * The reduce side of a shuffle, as the `ExchangeReader` of a distributed
 * task: reads one reduce partition from every map output, local blocks
 * straight from this executor's BlockManager (or its disk tier, for a map
 * output that spilled) and remote ones through the
 * driver's block router. A block that is missing or whose executor is gone
 * fails the task with `FetchFailedError` naming the shuffle and map index,
 * so the DAGScheduler reruns just that map partition.
 */
import type { Batch, ColumnVector } from "../exec/column-vector.ts";
import { batchByteSize } from "../exec/column-vector.ts";
import { FetchFailedError, CinderError } from "../common/errors.ts";
import type { PhysicalOf } from "../physical/physical-plan.ts";
import type { ExchangeReader, TaskContext } from "../physical/task-context.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import type { BlockManager } from "./block-manager.ts";
import type { DiskBlocks } from "./disk-blocks.ts";
import type { ShuffleInput } from "./task.ts";
import { broadcastBlockId, shuffleBlockId } from "./task.ts";

/** Fetches blocks held by another executor (the driver routes the request); null for a block not there. */
export interface BlockFetcher {
  fetchBlocks(executorId: string, blockIds: string[]): Promise<(Batch[] | null)[]>;
}

export interface ShuffleReadMetrics {
  bytesRead: number;
  recordsRead: number;
}

export class ShuffleReader implements ExchangeReader {
  constructor(
    private readonly executorId: string,
    private readonly shuffles: Record<number, ShuffleInput>,
    private readonly blocks: BlockManager,
    private readonly disk: DiskBlocks,
    private readonly fetcher: BlockFetcher,
    /** Receives the buffers of every block read from another executor (their memory may be reused there). */
    private readonly borrowed?: WeakSet<ArrayBufferLike>,
    /** The shuffle partitions a coalesced task reads (see TaskDescription.reduceRange). */
    private readonly reduceRange?: [number, number],
    /** The map outputs a task of a split skewed partition reads, by exchange (see TaskDescription.mapRanges). */
    private readonly mapRanges?: Record<number, [number, number]>,
    /** Exchanges read whole (see TaskDescription.wholeExchanges). */
    private readonly wholeExchanges: readonly number[] = [],
    readonly metrics: ShuffleReadMetrics = { bytesRead: 0, recordsRead: 0 },
  ) {}

  readShuffle(node: PhysicalOf<"ShuffleExchangeExec">, partition: number): BatchStream {
    const input = this.input(node.exchangeId);
    const self = this;
    const whole = this.wholeExchanges.includes(node.exchangeId);
    const [start, end] = whole ? [0, node.partitioning.kind === "single" ? 1 : node.partitioning.numPartitions] : this.reduceRange ?? [partition, partition + 1];
    return (async function* () {
      const pending = self.fetchAll(input, start, end, whole ? undefined : self.mapRanges?.[node.exchangeId]);
      for (const p of pending) yield* await p;
    })();
  }

  /**
   * Every map output's blocks for reduce partitions [start, end) (one, unless adaptive coalescing merged
   * some), as Spark's ShuffleBlockFetcherIterator does it: all remote requests go out at once, one per
   * holder (a round trip reducer -> driver -> holder and back per block was most of a reduce task's time
   * with 34 map outputs), rather than one after another; the blocks are shared memory, so holding them
   * early costs no copy. Results are in reduce-partition, then map order; each fails on its own.
   * `maps` limits the read to map outputs [start, end) (a split skewed partition).
   */
  private fetchAll(input: ShuffleInput, start: number, end = start + 1, maps: [number, number] = [0, input.locations.length]): Promise<Batch[]>[] {
    const byHolder = new Map<string, [number, number][]>();
    const read = (m: number) => m >= maps[0] && m < maps[1];
    for (let r = start; r < end; r++) {
      input.locations.forEach((holder, m) => {
        if (!read(m) || holder === null || holder === this.executorId) return;
        let blocks = byHolder.get(holder);
        if (!blocks) byHolder.set(holder, blocks = []);
        blocks.push([m, r]);
      });
    }
    const remote = new Map<string, Promise<Batch[] | null>>();
    for (const [holder, blocks] of byHolder) {
      const ids = blocks.map(([m, r]) => shuffleBlockId(input.shuffleId, m, r));
      const request = this.fetcher.fetchBlocks(holder, ids);
      ids.forEach((id, k) => remote.set(id, request.then((got) => got[k] ?? null)));
    }
    const pending: Promise<Batch[]>[] = [];
    for (let r = start; r < end; r++) {
      input.locations.forEach((_, m) => { if (read(m)) pending.push(this.fetch(input, m, r, remote.get(shuffleBlockId(input.shuffleId, m, r)))); });
    }
    for (const p of pending) p.catch(() => undefined);
    return pending;
  }

  async readBroadcast(node: PhysicalOf<"BroadcastExchangeExec">, _ctx: TaskContext): Promise<Batch[]> {
    const input = this.input(node.exchangeId);
    const id = broadcastBlockId(input.shuffleId);
    // Fetched once per executor and kept: later tasks of the job read it locally.
    const cached = this.blocks.get(id);
    if (cached) return cached;
    const all: Batch[] = [];
    for (const p of this.fetchAll(input, 0)) all.push(...await p);
    this.blocks.put(id, all);
    return all;
  }

  private input(exchangeId: number): ShuffleInput {
    const input = this.shuffles[exchangeId];
    if (!input) throw new FetchFailedError("FETCH_FAILED", `no map output locations were sent for exchange ${exchangeId}`, { details: { exchangeId } });
    return input;
  }

  /** Map output `mapIndex`'s block: local, or the answer to the remote `request` made for it. */
  private async fetch(input: ShuffleInput, mapIndex: number, reduceIndex: number, request?: Promise<Batch[] | null>): Promise<Batch[]> {
    const holder = input.locations[mapIndex] ?? null;
    const blockId = shuffleBlockId(input.shuffleId, mapIndex, reduceIndex);
    const failed = (why: string, cause?: unknown) => new FetchFailedError("FETCH_FAILED",
      `could not fetch shuffle block ${blockId} from executor ${holder ?? "(none)"}: ${why}; the map stage will rerun that partition`,
      { details: { shuffleId: input.shuffleId, mapIndex, reduceIndex, executorId: holder }, cause });
    if (holder === null) throw failed("its map output is lost");
    let batches: Batch[] | null | undefined;
    if (holder === this.executorId) batches = this.blocks.get(blockId) ?? await this.disk.get(blockId);
    else {
      try { batches = await request; } catch (e) {
        throw failed(CinderError.is(e) || e instanceof Error ? e.message : String(e), e);
      }
      if (batches && this.borrowed) for (const b of batches) rememberBuffers(b.columns, this.borrowed);
    }
    if (!batches) throw failed("the block is not there");
    for (const b of batches) { this.metrics.bytesRead += batchByteSize(b); this.metrics.recordsRead += b.numRows; }
    return batches;
  }
}

function rememberBuffers(columns: readonly ColumnVector[], into: WeakSet<ArrayBufferLike>): void {
  for (const c of columns) {
    into.add(c.values.buffer);
    if (c.validity) into.add(c.validity.buffer);
    if (c.offsets) into.add(c.offsets.buffer);
    if (c.dictionary) rememberBuffers([c.dictionary], into);
  }
}
