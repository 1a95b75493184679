/**
 * The executor proper, whatever hosts it (the driver's thread, a Node
 * worker thread, a Web Worker): a BlockManager plus the code that runs one
 * task — a map task writes shuffle blocks and returns its MapStatus sizes, a
 * result task returns its partition's batches. Backends in `src/cluster/`
 * wrap this class; the scheduler only sees the `Executor` interface.
 */
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize, projectBatch } from "../exec/column-vector.ts";
import { ResultTooLargeError } from "../common/errors.ts";
import type { TaskMetricsSnapshot } from "../common/events.ts";
import type { DataSource } from "../plan/logical-plan.ts";
import type { Field } from "../types/data-types.ts";
import type { Expr } from "../plan/expressions.ts";
import { execute } from "../physical/execute.ts";
import type { TaskContext } from "../physical/task-context.ts";
import type { TaskMetrics } from "../types/task-metrics.ts";
import type { SourceReader } from "../io/source-reader.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import { newTaskMetrics } from "../types/task-metrics.ts";
import { SourceRegistry } from "../io/source-registry.ts";
import { registerShippedInput } from "../io/parquet-footers.ts";
import { parquetFormatReader } from "../io/parquet-reader.ts";
import { TaskScanRecorder } from "../io/scan-metrics.ts";
import { FetchFailedError, IOError } from "../common/errors.ts";
import { BlockManager } from "./block-manager.ts";
import { DiskBlocks } from "./disk-blocks.ts";
import { ShuffleReader } from "./shuffle-reader.ts";
import type { BlockFetcher } from "./shuffle-reader.ts";
import { sampleRangeKeys, writeShuffle } from "./shuffle-writer.ts";
import { shareBatch } from "./shared-batch.ts";
import { ShuffleMemoryPool } from "./shuffle-memory-pool.ts";
import { CONFIG_DEFAULTS } from "../common/config.ts";
import { MemoryManager, defaultExecutorMemory, executorMemoryOf } from "./memory-manager.ts";
import type { ExecutorHeartbeat, TaskDescription, TaskResult } from "./task.ts";
import { broadcastBlockId, cachedRddOf, cachedRddPartitions, rddBlockId, tableBlockId } from "./task.ts";

/**
 * Scan splits on an executor: memory tables from shipped blocks, file
 * sources (Parquet from a path or URL) reopened here from their plain-data
 * description, each file's footer read once per executor and cached.
 */
class ExecutorSources {
  readonly registry = new SourceRegistry();
  constructor(private readonly blocks: BlockManager) {
    this.registry.ensureFormat("parquet", parquetFormatReader);
  }

  /** The sources one task reads, charging file scans to `scans` (reported back in the task's metrics). */
  forTask(scans: TaskScanRecorder): SourceReader {
    return {
      numPartitions: (source) => this.registry.numPartitions(source),
      read: (source, schema, projection, filters, partition, limit, metrics) => {
        if (source.kind !== "memory") {
          return this.registry.read(source, schema, projection, filters, partition, limit, metrics, scans.sinkFor(source, projection, filters, partition));
        }
        const batches = this.blocks.get(tableBlockId(source.tableId, partition));
        if (!batches) {
          throw new IOError("IO_ERROR", `memory table ${source.tableId} partition ${partition} was not shipped to this executor; run the job through the cluster backend, which ships tables`, { details: { tableId: source.tableId, partition } });
        }
        return (async function* () {
          for (const b of batches) yield projectBatch(b, projection);
        })();
      },
    };
  }
}

/**
 * One task's view of the scan sources: cached RDD partitions come from this
 * executor's BlockManager or disk tier, or from the executor the driver says holds them;
 * one held nowhere fails the read with a FetchFailed naming the RDD, so the
 * driver recomputes it from lineage. Everything else goes to `base`.
 */
class TaskSources implements SourceReader {
  constructor(
    private readonly base: SourceReader, private readonly blocks: BlockManager, private readonly disk: DiskBlocks, private readonly fetcher: BlockFetcher,
    private readonly executorId: string, private readonly cached: Record<number, (string | null)[]>,
    private readonly touch: (blockId: string) => void,
  ) {}

  numPartitions(source: DataSource): number {
    const rddId = cachedRddOf(source);
    return rddId === null ? this.base.numPartitions(source) : cachedRddPartitions(source as { options?: Record<string, unknown> });
  }

  read(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[], partition: number, limit?: number, metrics?: TaskMetrics): BatchStream {
    const rddId = cachedRddOf(source);
    if (rddId === null) return this.base.read(source, schema, projection, filters, partition, limit, metrics);
    const { blocks, disk, fetcher, executorId, touch } = this;
    const holder = this.cached[rddId]?.[partition] ?? null;
    return (async function* () {
      const blockId = rddBlockId(rddId, partition);
      let batches = blocks.get(blockId) ?? null;
      if (batches) touch(blockId);
      else if (disk.has(blockId)) batches = await disk.get(blockId);
      if (!batches && holder && holder !== executorId) batches = await fetcher.fetchBlocks(holder, [blockId]).then((b) => b[0] ?? null, () => null);
      if (!batches) {
        throw new FetchFailedError("FETCH_FAILED", `cached block ${blockId} is not on executor ${holder ?? executorId} any more; the driver recomputes it from its lineage`,
          { details: { rddId, partition, executorId: holder } });
      }
      for (const b of batches) yield projectBatch(b, projection);
    })();
  }
}

export interface ExecutorCoreOptions {
  /**
   * Return each map task's blocks with its MapStatus, for a driver-side proxy to serve (worker executors
   * with shared memory: handing over the handles copies nothing, and a fetch no longer waits for this
   * thread to finish the task it is running).
   */
  publishShuffleBlocks?: boolean;
}

export class ExecutorCore {
  readonly blocks = new BlockManager();
  /** MEMORY_AND_DISK cached blocks evicted from memory, and map outputs that spilled. */
  private readonly disk = new DiskBlocks();
  /** Cached blocks of MEMORY_AND_DISK RDDs: eviction writes them to `disk` instead of dropping them. */
  private readonly keepOnDisk = new Set<string>();
  private readonly sources = new ExecutorSources(this.blocks);
  /** Execution and storage memory (executor.memory), shared by the running tasks. */
  readonly memory = new MemoryManager(defaultExecutorMemory(), CONFIG_DEFAULTS["memory.fraction"], CONFIG_DEFAULTS["memory.storageFraction"]);
  /** Bytes of each cached block (`rdd_<id>_<p>`) counted in storage memory, least recently used first. */
  private readonly cachedBytes = new Map<string, number>();
  /** Each running task's kill switch, by task id. */
  private readonly running = new Map<number, AbortController>();
  /** Memory of removed shuffles, reused for new map outputs (see shuffle-memory-pool.ts). */
  readonly shuffleMemory = new ShuffleMemoryPool(CONFIG_DEFAULTS["shuffle.memoryPool"]);
  /** Buffers of blocks read from other executors: their memory may be reused there once the shuffle is removed. */
  private readonly borrowed = new WeakSet<ArrayBufferLike>();
  /** A batch leaving a task (result, cached partition) gets its own copy of any buffer whose memory may be reused. */
  private readonly escape = { mustCopy: (b: ArrayBufferLike) => this.shuffleMemory.isPooled(b) || this.borrowed.has(b) };

  constructor(readonly executorId: string, private readonly fetcher: BlockFetcher, private readonly options: ExecutorCoreOptions = {}) {
    this.memory.evictor = (bytes, keepRdd) => this.evictCached(bytes, keepRdd);
  }

  /**
   * Drops cached blocks, least recently used first, until `bytes` are freed: a MEMORY_AND_DISK block
   * moves to the disk tier; a MEMORY_ONLY one is recomputed from its lineage when next read, as a lost one is.
   */
  private evictCached(bytes: number, keepRdd?: number): number {
    let freed = 0;
    for (const [id, size] of this.cachedBytes) {
      if (freed >= bytes) break;
      if (keepRdd !== undefined && id.startsWith(`rdd_${keepRdd}_`)) continue;
      this.cachedBytes.delete(id);
      const batches = this.blocks.get(id);
      if (batches && this.keepOnDisk.delete(id)) this.disk.put(id, batches);
      this.blocks.remove(id);
      this.memory.releaseStorage(size);
      this.evictions++;
      freed += size;
    }
    return freed;
  }

  /** Cached blocks dropped to make room (reported by heartbeat). */
  private evictions = 0;

  /** Marks a cached block as just read (the end of the LRU order). */
  private touchCached(blockId: string): void {
    const size = this.cachedBytes.get(blockId);
    if (size === undefined) return;
    this.cachedBytes.delete(blockId);
    this.cachedBytes.set(blockId, size);
  }

  async runTask(task: TaskDescription): Promise<TaskResult> {
    const started = Date.now();
    const kill = new AbortController();
    this.running.set(task.taskId, kill);
    try {
      this.shuffleMemory.maxFreeBytes = task.config["shuffle.memoryPool"];
      this.memory.configure(executorMemoryOf(task.config), task.config["memory.fraction"], task.config["memory.storageFraction"]);
      const memory = this.memory.forTask(task.taskId);
      const reader = new ShuffleReader(this.executorId, task.shuffles, this.blocks, this.disk, this.fetcher, this.borrowed, task.reduceRange, task.mapRanges, task.wholeExchanges);
      const scans = new TaskScanRecorder();
      const base = this.sources.forTask(scans);
      const sources = task.cached ? new TaskSources(base, this.blocks, this.disk, this.fetcher, this.executorId, task.cached, (id) => this.touchCached(id)) : base;
      const ctx: TaskContext = { config: task.config, sources, exchanges: reader, metrics: newTaskMetrics(), signal: kill.signal, memory };
      const metrics = (written: number, resultBytes: number, recordsWritten: number): TaskMetricsSnapshot => ({
        durationMs: Date.now() - started, recordsRead: reader.metrics.recordsRead + ctx.metrics.rowsScanned,
        recordsWritten, shuffleBytesRead: reader.metrics.bytesRead, shuffleBytesWritten: written, resultBytes,
        peakExecutionMemory: memory.peak, spillBytes: memory.spillBytes, spillFiles: memory.spillFiles,
        ...(scans.size ? { scans: scans.reports() } : {}),
      });
      if (task.output.kind === "shuffle") {
        const { shuffleId } = task.output;
        const w = await writeShuffle(task.plan, task.partition, shuffleId, task.output.partitioning, ctx, this.blocks, this.disk, task.output.rangeBounds, this.shuffleMemory.allocator(shuffleId));
        const status = { kind: "mapStatus" as const, sizes: w.sizes, metrics: metrics(w.sizes.reduce((a, b) => a + b, 0), 0, w.recordsWritten) };
        return this.options.publishShuffleBlocks && w.blocks ? { ...status, blocks: w.blocks } : status;
      }
      if (task.output.kind === "sample") {
        const { keys, rows } = await sampleRangeKeys(task.plan, task.partition, task.output.partitioning, ctx);
        return { kind: "sample", keys, metrics: metrics(0, 0, rows) };
      }
      if (task.output.kind === "cache") {
        const batches: Batch[] = [];
        let bytes = 0, rows = 0;
        for await (const b of execute(task.plan, task.partition, ctx)) { bytes += batchByteSize(b); rows += b.numRows; batches.push(shareBatch(b, this.escape)); }
        const blockId = rddBlockId(task.output.rddId, task.partition);
        // Room is made by evicting other RDDs' least recently used blocks; a partition larger than all of
        // storage is kept over budget rather than recomputed at every read.
        if (!this.memory.acquireStorage(bytes, task.output.rddId)) this.memory.chargeStorage(bytes);
        this.cachedBytes.set(blockId, bytes);
        if (task.output.useDisk) this.keepOnDisk.add(blockId);
        this.disk.remove(blockId);
        this.blocks.put(blockId, batches);
        return { kind: "cached", rddId: task.output.rddId, bytes, rows, metrics: { ...metrics(0, 0, rows), cachedBlocks: [blockId] } };
      }
      const limit = task.config.maxResultSize;
      const batches: Batch[] = [];
      let bytes = 0, rows = 0;
      for await (const b of execute(task.plan, task.partition, ctx)) {
        bytes += batchByteSize(b);
        rows += b.numRows;
        // Checked here, before anything is sent, so an oversized result never reaches the driver.
        if (bytes > limit) {
          throw new ResultTooLargeError("RESULT_TOO_LARGE",
            `partition ${task.partition} of stage ${task.stageId} alone is larger than maxResultSize (${limit} bytes); add a limit or an aggregate, or raise maxResultSize`,
            { details: { maxResultSize: limit, bytesSoFar: bytes, partition: task.partition } });
        }
        batches.push(shareBatch(b, this.escape));
      }
      return { kind: "result", batches, metrics: metrics(0, bytes, rows) };
    } finally {
      this.running.delete(task.taskId);
      this.memory.releaseTask(task.taskId);
    }
  }

  /** Stops task `taskId` at its next batch, if it is running here. */
  killTask(taskId: number, reason: string): void {
    this.running.get(taskId)?.abort(reason);
  }

  async fetchBlock(blockId: string): Promise<Batch[] | null> {
    return this.blocks.get(blockId) ?? (this.disk.has(blockId) ? this.disk.get(blockId) : null);
  }

  fetchBlocks(blockIds: string[]): Promise<(Batch[] | null)[]> {
    return Promise.all(blockIds.map((id) => this.fetchBlock(id)));
  }

  /** Keeps a driver's memory table here (shipped once per executor). */
  putTable(tableId: string, partitions: Batch[][]): void {
    partitions.forEach((batches, p) => this.blocks.put(tableBlockId(tableId, p), batches));
  }

  /** Keeps a file input shipped by the driver (bytes, a Blob) under the driver's id, for this executor's scans. */
  putSource(path: string, data: Uint8Array | Blob): void {
    registerShippedInput(path, data);
  }

  hasTable(tableId: string): boolean {
    return this.blocks.has(tableBlockId(tableId, 0));
  }

  removeShuffle(shuffleId: number): void {
    this.blocks.removeByPrefix(`shuffle_${shuffleId}_`);
    this.disk.removeByPrefix(`shuffle_${shuffleId}_`);
    // Exactly this id: a prefix would also drop broadcast_12 when removing broadcast_1.
    this.blocks.remove(broadcastBlockId(shuffleId));
    this.shuffleMemory.releaseShuffle(shuffleId);
  }

  /** Drops every cached partition of `rddId` (unpersist). */
  removeRdd(rddId: number): void {
    const prefix = `rdd_${rddId}_`;
    this.blocks.removeByPrefix(prefix);
    this.disk.removeByPrefix(prefix);
    for (const id of this.keepOnDisk) if (id.startsWith(prefix)) this.keepOnDisk.delete(id);
    for (const [id, size] of this.cachedBytes) if (id.startsWith(prefix)) { this.cachedBytes.delete(id); this.memory.releaseStorage(size); }
  }

  /** Drops every block and the pooled memory (the executor stops, or a simulated crash). */
  clear(): void {
    this.blocks.clear();
    this.disk.clear();
    this.keepOnDisk.clear();
    for (const size of this.cachedBytes.values()) this.memory.releaseStorage(size);
    this.cachedBytes.clear();
    this.shuffleMemory.clear();
  }

  heartbeat(): ExecutorHeartbeat {
    return { executorId: this.executorId, blocks: this.blocks.size, blockBytes: this.blocks.bytes, runningTasks: this.running.size, shuffleBlocks: this.blocks.countByPrefix("shuffle_", "broadcast_"), storageMemory: this.memory.storage, evictedBlocks: this.evictions, diskBlocks: this.disk.size, shuffleMemoryRetained: this.shuffleMemory.retainedBytes };
  }
}
