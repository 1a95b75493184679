/**
 * A cluster: a DAGScheduler plus a pool of executors of one kind
 * (in-process, Node worker threads, or Web Workers), and the block router
 * executors use to read each other's shuffle blocks. Attach it to a session
 * with `session.backend = cluster.backend()`; every job of that session
 * then runs as stages and tasks on the pool.
 *
 * @example
 * const cluster = await Cluster.start({ executors: 2, kind: "worker-thread" });
 * session.backend = cluster.backend();
 * await df.groupBy("k").count().show();
 * await cluster.stop();
 */
import type { ConfigValues } from "../common/config.ts";
import { ExecutorLostError, CinderError } from "../common/errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import type { Executor } from "../executor/executor.ts";
import type { BlockFetcher } from "../executor/shuffle-reader.ts";
import { DAGScheduler } from "../scheduler/dag-scheduler.ts";
import type { TableProvider } from "../scheduler/dag-scheduler.ts";
import { ListenerBus } from "../scheduler/listener-bus.ts";
import { InProcessExecutor } from "./in-process-executor.ts";
import { DriverScans } from "./driver-scans.ts";
import type { DriverSources } from "./driver-scans.ts";

export type ExecutorKind = "in-process" | "worker-thread" | "web-worker";

export interface ClusterOptions {
  /** Executors to start (default: the machine's parallelism for thread kinds, 2 in-process). */
  executors?: number;
  /** Task slots per executor (`executor.cores`, default 1). */
  cores?: number;
  kind?: ExecutorKind;
}

/** What a cluster needs from a session: its memory tables and configuration. */
export interface SessionLike {
  readonly sources: TableProvider & DriverSources;
  readonly conf: { toJSON(): ConfigValues };
}

/** A session a cluster can attach itself to. */
export interface AttachableSession extends SessionLike {
  backend: { run(plan: PhysicalPlan, session: never): Promise<Batch[][]> };
}

export interface ClusterBackend {
  run(plan: PhysicalPlan, session: SessionLike): Promise<Batch[][]>;
}

export class Cluster {
  readonly scheduler: DAGScheduler;
  private readonly pool: Executor[] = [];
  private readonly driverScans = new DriverScans();
  private nextExecutorId = 0;

  private constructor(readonly kind: ExecutorKind, readonly cores: number, readonly bus: ListenerBus) {
    this.scheduler = new DAGScheduler(bus);
  }

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const kind = options.kind ?? "in-process";
    const cores = Math.max(1, options.cores ?? 1);
    const cluster = new Cluster(kind, cores, new ListenerBus());
    const n = Math.max(1, options.executors ?? await defaultExecutors(kind));
    try {
      await Promise.all(Array.from({ length: n }, () => cluster.addExecutor()));
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  /**
   * Starts a cluster sized by the session's `executor.instances` (0: the
   * machine's parallelism) and `executor.cores`, and makes it the session's
   * backend.
   *
   * @example const cluster = await Cluster.attach(session, "worker-thread");
   */
  static async attach(session: AttachableSession, kind: ExecutorKind = "in-process"): Promise<Cluster> {
    const conf = session.conf.toJSON();
    const instances = conf["executor.instances"];
    const cluster = await Cluster.start({ kind, cores: conf["executor.cores"], ...(instances > 0 ? { executors: instances } : {}) });
    session.backend = cluster.backend() as AttachableSession["backend"];
    return cluster;
  }

  /** Every executor started, alive or not. */
  get executors(): readonly Executor[] { return this.pool; }

  /** Starts one more executor of the cluster's kind. */
  async addExecutor(): Promise<Executor> {
    const id = `exec-${this.nextExecutorId++}`;
    const executor = await startExecutor(this.kind, id, this.cores, this.router);
    this.pool.push(executor);
    this.scheduler.addExecutor(executor);
    return executor;
  }

  /** The session backend: `session.backend = cluster.backend()`. */
  backend(): ClusterBackend {
    return {
      run: async (plan, session) => this.scheduler.runJob(await this.driverScans.rewrite(plan, session.sources), session.sources, session.conf.toJSON()),
    };
  }

  /** Kills one executor as a crash would (tests and the teaching demo use it). */
  kill(executorId: string, reason = "killed"): void {
    const e = this.pool.find((x) => x.id === executorId) as (Executor & { kill?: (r: string) => void }) | undefined;
    if (!e) throw new CinderError("WRONG_ARGUMENT", `no executor '${executorId}' in this cluster; executors: ${this.pool.map((x) => x.id).join(", ")}`);
    e.kill?.(reason);
  }

  /** Stops the scheduler and every executor (workers are terminated). */
  async stop(): Promise<void> {
    this.scheduler.stop();
    await Promise.all(this.pool.map((e) => e.stop().catch(() => undefined)));
  }

  /** Routes an executor's request for another executor's block. */
  private readonly router: BlockFetcher = {
    fetchBlock: async (executorId, blockId) => {
      const holder = this.pool.find((e) => e.id === executorId);
      if (!holder || !holder.isAlive) throw new ExecutorLostError("EXECUTOR_LOST", `executor ${executorId} is not alive`, { details: { executorId } });
      return holder.fetchBlock(blockId);
    },
  };
}

async function defaultExecutors(kind: ExecutorKind): Promise<number> {
  if (kind === "worker-thread") return (await import("./worker-thread-executor.ts")).defaultWorkerThreads();
  if (kind === "web-worker") return (await import("./web-worker-executor.ts")).defaultWebWorkers();
  return 2;
}

async function startExecutor(kind: ExecutorKind, id: string, cores: number, router: BlockFetcher): Promise<Executor> {
  switch (kind) {
    case "in-process": return new InProcessExecutor(id, cores, router);
    case "worker-thread": return (await import("./worker-thread-executor.ts")).startWorkerThreadExecutor(id, cores, router);
    case "web-worker": return (await import("./web-worker-executor.ts")).startWebWorkerExecutor(id, cores, router);
  }
}
