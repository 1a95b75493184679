/**
 * The driver's side of an executor that lives in another thread (a Node
 * worker thread or a Web Worker), reached through comlink. Every call is
 * guarded by the executor's Lifeline, so when the worker dies or is
 * terminated the calls in flight fail with `ExecutorLostError` instead of
 * hanging. The transport (how to start and kill the thread) is the
 * backend's business.
 *
 * It also serves the worker's shuffle blocks itself, as Spark's executors
 * serve blocks from threads of their own: with shared memory a map task
 * hands its blocks' handles over with its MapStatus, and another
 * executor's fetch is answered here at once instead of queueing behind the
 * task the worker is busy with (a sort-merge join's reduce tasks took twice
 * as long on two executors, each waiting out the other's task). The
 * blocks are dropped with the shuffle or the executor, as the worker's are.
 */
import * as Comlink from "comlink";
import "./comlink-errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import type { Executor } from "../executor/executor.ts";
import type { BlockFetcher } from "../executor/shuffle-reader.ts";
import type { ExecutorHeartbeat, TaskDescription, TaskResult } from "../executor/task.ts";
import { shuffleBlockId } from "../executor/task.ts";
import type { ExecutorEndpoint } from "./executor-endpoint.ts";
import { Lifeline } from "./lifeline.ts";

export class RemoteExecutor implements Executor {
  readonly life: Lifeline;
  /** Shuffle blocks the worker handed over, by block id. */
  private readonly served = new Map<string, Batch[]>();

  constructor(
    readonly id: string, readonly cores: number, readonly kind: string,
    private readonly remote: Comlink.Remote<ExecutorEndpoint>,
    private readonly terminate: () => void,
  ) {
    this.life = new Lifeline(id);
    // However the worker goes (killed, crashed, stopped), the blocks it handed over go with it.
    void this.life.lost.then(() => this.served.clear());
  }

  /** Hands the worker its id and the driver's block router. */
  async init(fetcher: BlockFetcher): Promise<void> {
    await this.life.guard(() => this.remote.init(this.id, Comlink.proxy(fetcher)));
  }

  get lost(): Promise<string> { return this.life.lost; }
  get isAlive(): boolean { return this.life.isAlive; }

  async runTask(task: TaskDescription): Promise<TaskResult> {
    const result = await this.life.guard(() => this.remote.runTask(task) as Promise<TaskResult>);
    if (result.kind !== "mapStatus" || !result.blocks || task.output.kind !== "shuffle") return result;
    const { shuffleId } = task.output;
    result.blocks.forEach((block, reduce) => this.served.set(shuffleBlockId(shuffleId, task.partition, reduce), block));
    const { blocks: _handedOver, ...status } = result;
    return status;
  }

  killTask(taskId: number, reason: string): Promise<void> {
    return this.life.guard(() => this.remote.killTask(taskId, reason));
  }

  fetchBlock(blockId: string): Promise<Batch[] | null> {
    return this.fetchBlocks([blockId]).then((b) => b[0] ?? null);
  }

  /** Blocks served here at once; only the others are asked of the worker (in one call). */
  fetchBlocks(blockIds: string[]): Promise<(Batch[] | null)[]> {
    return this.life.guard(async () => {
      const out = blockIds.map((id) => this.served.get(id) ?? null);
      const missing = blockIds.filter((_, k) => out[k] === null);
      if (missing.length === 0) return out;
      const fetched = await this.remote.fetchBlocks(missing);
      let k = 0;
      return out.map((b) => b ?? fetched[k++] ?? null);
    });
  }
  putTable(tableId: string, partitions: Batch[][]): Promise<void> { return this.life.guard(() => this.remote.putTable(tableId, partitions)); }
  putSource(path: string, data: Uint8Array | Blob): Promise<void> { return this.life.guard(() => this.remote.putSource(path, data)); }
  removeShuffle(shuffleId: number): Promise<void> {
    const prefix = `shuffle_${shuffleId}_`;
    for (const id of [...this.served.keys()]) if (id.startsWith(prefix)) this.served.delete(id);
    return this.life.guard(() => this.remote.removeShuffle(shuffleId));
  }
  removeRdd(rddId: number): Promise<void> { return this.life.guard(() => this.remote.removeRdd(rddId)); }
  heartbeat(): Promise<ExecutorHeartbeat> {
    return this.life.guard(async () => {
      const beat = await this.remote.heartbeat();
      return { ...beat, shuffleBlocks: beat.shuffleBlocks + this.served.size };
    });
  }

  async stop(): Promise<void> {
    this.kill("stopped");
  }

  /** Terminates the worker now, as a crash would. */
  kill(reason = "killed"): void {
    if (!this.life.isAlive) return;
    this.life.die(reason);
    this.remote[Comlink.releaseProxy]();
    this.terminate();
  }
}
