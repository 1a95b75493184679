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
import type { BackendRunOptions, RunOptions } from "../common/cancellation.ts";
import type { StorageLevel } from "../executor/task.ts";
import { CONFIG_DEFAULTS } from "../common/config.ts";
import { ExecutorLostError, CinderError } from "../common/errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { physicalChildren } from "../physical/physical-plan.ts";
import { cachedRddOf } from "../executor/task.ts";
import type { Executor } from "../executor/executor.ts";
import type { BlockFetcher } from "../executor/shuffle-reader.ts";
import { DAGScheduler } from "../scheduler/dag-scheduler.ts";
import type { TableProvider } from "../scheduler/table-shipper.ts";
import { ListenerBus } from "../scheduler/listener-bus.ts";
import { InProcessExecutor } from "./in-process-executor.ts";
import { DriverScans } from "./driver-scans.ts";
import { trackExecutorScans } from "./executor-scans.ts";
import type { DriverSources } from "./driver-scans.ts";
import { HeartbeatReceiver } from "../scheduler/heartbeat-receiver.ts";
import { DYNAMIC_ALLOCATION_DEFAULTS, ExecutorAllocationManager } from "./executor-allocation.ts";
import type { DynamicAllocationOptions } from "./executor-allocation.ts";
import { HttpExecutor } from "./http-executor.ts";
import { BlockTransport } from "./http/block-transport.ts";
import type { TransportOptions } from "./http/block-transport.ts";
import { JobTokenSigner } from "./http/job-token.ts";
import type { HeartbeatOptions } from "../scheduler/heartbeat-receiver.ts";

export type ExecutorKind = "in-process" | "worker-thread" | "web-worker";

export interface ConnectOptions {
  /** Base URLs of running edge executors (`npm run edge` prints them). */
  executors: readonly string[];
  /** The secret the executors were started with; job tokens are signed with it. */
  secret: string;
  transport?: TransportOptions;
  heartbeat?: Partial<HeartbeatOptions>;
  /** Called when `kill` drops an executor (a harness that started it may stop it there). */
  onKill?: (url: string, reason: string) => void;
}

/** An executor URL `Cluster.connect` left out, and why. */
export interface UnreachableExecutor {
  url: string;
  reason: string;
}

export interface ClusterOptions {
  /** Executors to start (default: the machine's parallelism for thread kinds, 2 in-process). */
  executors?: number;
  /** Task slots per executor (`executor.cores`, default 1). */
  cores?: number;
  kind?: ExecutorKind;
  /** Heartbeat requests and the silence after which an executor is declared lost (defaults: 10 s and 120 s, as Spark). */
  heartbeat?: Partial<HeartbeatOptions>;
  /**
   * Grow the pool while tasks wait and release idle executors (Spark's spark.dynamicAllocation.*); the
   * cluster starts with `minExecutors` (or `executors`, when given). Off unless `enabled`.
   * @example Cluster.start({ kind: "worker-thread", dynamicAllocation: { enabled: true, maxExecutors: 4 } })
   */
  dynamicAllocation?: Partial<DynamicAllocationOptions> & { enabled: boolean };
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
  /**
   * Jobs run distributed: with `join.preferSortMerge` at -1 (auto), equi-joins
   * too big to broadcast run as shuffle + sort-merge join, as in Spark (a hash
   * table per reduce task is the local engine's faster choice; sorted runs are
   * the one that can spill later).
   */
  readonly distributed: true;
  run(plan: PhysicalPlan, session: SessionLike, options?: BackendRunOptions): Promise<Batch[][]>;
  /** Caches every partition of `plan` on the executors as RDD `rddId` (only the missing ones are computed). */
  persist(rddId: number, plan: PhysicalPlan, session: SessionLike, level: StorageLevel): Promise<{ rddId: number; numPartitions: number; rowCount: number; sizeBytes: number }>;
  /** Drops RDD `rddId`'s cached blocks on every executor. */
  unpersist(rddId: number): Promise<void>;
}

/** Times a job is run again after a cached block it read vanished (its executor died mid-job). */
const CACHE_LOSS_RETRIES = 3;

export class Cluster {
  readonly scheduler: DAGScheduler;
  private readonly pool: Executor[] = [];
  private readonly driverScans: DriverScans;
  /** The plan that computes each persisted RDD, to recompute lost partitions from. */
  private readonly lineage = new Map<number, { plan: PhysicalPlan; level: StorageLevel }>();
  private nextExecutorId = 0;
  private readonly heartbeats: HeartbeatReceiver;

  /** URLs `connect` could not reach (reported and left out). */
  readonly unreachable: UnreachableExecutor[] = [];

  private constructor(readonly kind: ExecutorKind | "edge", readonly cores: number, readonly bus: ListenerBus, heartbeat: Partial<HeartbeatOptions> = {}) {
    this.scheduler = new DAGScheduler(bus);
    this.scheduler.onExecutorHung = (id, why) => {
      // A thread pool starts the replacement first, so the retry has somewhere to run even when every
      // executor hangs (the job would otherwise fail as having none left); an edge pool cannot grow.
      if (this.kind === "edge") { this.kill(id, why); return; }
      this.addExecutor().then(() => this.kill(id, why), () => this.kill(id, why));
    };
    this.driverScans = new DriverScans(kind === "in-process", () => this.pool);
    trackExecutorScans(bus, this.scheduler.splitTracker);
    this.heartbeats = new HeartbeatReceiver(() => this.pool, (id, why) => this.kill(id, why), {
      intervalMs: heartbeat.intervalMs ?? CONFIG_DEFAULTS["executor.heartbeatInterval"],
      timeoutMs: heartbeat.timeoutMs ?? CONFIG_DEFAULTS["network.timeout"],
    });
  }

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const kind = options.kind ?? "in-process";
    const cores = Math.max(1, options.cores ?? 1);
    const cluster = new Cluster(kind, cores, new ListenerBus(), options.heartbeat);
    const dynamic = options.dynamicAllocation?.enabled ? { ...DYNAMIC_ALLOCATION_DEFAULTS, ...options.dynamicAllocation } : null;
    const n = Math.max(1, options.executors ?? (dynamic ? dynamic.minExecutors : await defaultExecutors(kind)));
    try {
      await Promise.all(Array.from({ length: n }, () => cluster.addExecutor()));
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    // In-process executors share the driver's thread: when one hangs, so does the driver, and nothing could expire it.
    if (kind !== "in-process") cluster.heartbeats.start();
    if (dynamic) cluster.startAllocation(dynamic);
    return cluster;
  }

  /**
   * Connects to edge executors already running (edge/executor-app.ts on
   * Node or workerd). A URL whose health check does not answer is reported
   * in `unreachable` and left out; the jobs run on the others.
   *
   * @example
   * const cluster = await Cluster.connect({ executors: ["http://127.0.0.1:8787", "http://127.0.0.1:8788"], secret });
   * session.backend = cluster.backend();
   */
  static async connect(options: ConnectOptions): Promise<Cluster> {
    const signer = await JobTokenSigner.create(options.secret);
    const cluster = new Cluster("edge", 1, new ListenerBus(), options.heartbeat);
    const peers = new Map<string, string>();
    const transport = new BlockTransport(options.transport);
    const connected = await Promise.all(options.executors.map(async (url) => {
      try {
        return await HttpExecutor.connect(url, { signer, peers, transport, onKill: (reason) => options.onKill?.(url, reason) });
      } catch (e) {
        cluster.unreachable.push({ url, reason: e instanceof Error ? e.message : String(e) });
        return null;
      }
    }));
    for (const executor of connected) if (executor) cluster.adopt(executor);
    if (cluster.pool.length === 0) {
      throw new ExecutorLostError("EXECUTOR_LOST", `no edge executor answered: ${cluster.unreachable.map((u) => `${u.url} (${u.reason})`).join(", ")}; start them with \`npm run edge\` and pass the URLs it prints`,
        { details: { unreachable: cluster.unreachable } });
    }
    cluster.heartbeats.start();
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
    const cluster = await Cluster.start({
      kind, cores: conf["executor.cores"], ...(instances > 0 ? { executors: instances } : {}),
      heartbeat: { intervalMs: conf["executor.heartbeatInterval"], timeoutMs: conf["network.timeout"] },
    });
    session.backend = cluster.backend() as AttachableSession["backend"];
    return cluster;
  }

  /** Every executor started, alive or not. */
  get executors(): readonly Executor[] { return this.pool; }

  /** Starts one more executor of the cluster's kind. */
  async addExecutor(): Promise<Executor> {
    if (this.kind === "edge") throw new CinderError("WRONG_ARGUMENT", "an edge cluster connects to running executors; start another with `npm run edge` and connect to it");
    const id = `exec-${this.nextExecutorId++}`;
    return this.adopt(await startExecutor(this.kind, id, this.cores, this.router));
  }

  private adopt(executor: Executor): Executor {
    this.pool.push(executor);
    this.scheduler.addExecutor(executor);
    return executor;
  }

  /** The session backend: `session.backend = cluster.backend()`. */
  backend(): ClusterBackend {
    return {
      distributed: true,
      run: (plan, session, options = {}) => this.retryOnCacheLoss(async () => {
        const rewritten = await this.driverScans.rewrite(plan, session.sources);
        await this.ensureCached(rewritten, session);
        return this.scheduler.runJob(rewritten, session.sources, session.conf.toJSON(), { ...options, recomputeCached: (rddId) => this.ensureRdd(rddId, session) });
      }),
      persist: (rddId, plan, session, level) => this.retryOnCacheLoss(async () => {
        if (!this.lineage.has(rddId)) this.lineage.set(rddId, { plan: await this.driverScans.rewrite(plan, session.sources), level });
        await this.ensureRdd(rddId, session);
        const blocks = this.scheduler.cacheTracker.blocks(rddId);
        return {
          rddId, numPartitions: blocks.length,
          rowCount: blocks.reduce((n, b) => n + (b?.rows ?? 0), 0), sizeBytes: blocks.reduce((n, b) => n + (b?.bytes ?? 0), 0),
        };
      }),
      unpersist: async (rddId) => {
        this.lineage.delete(rddId);
        this.scheduler.cacheTracker.unregister(rddId);
        await Promise.all(this.pool.filter((e) => e.isAlive).map((e) => e.removeRdd(rddId).catch(() => undefined)));
      },
    };
  }

  /** Computes the missing partitions of every cached RDD `plan` scans (lost with an executor, or never computed here). */
  private async ensureCached(plan: PhysicalPlan, session: SessionLike): Promise<void> {
    const rdds = new Set<number>();
    const visit = (p: PhysicalPlan) => {
      if (p.type === "ScanExec") { const id = cachedRddOf(p.source); if (id !== null) rdds.add(id); }
      physicalChildren(p).forEach(visit);
    };
    visit(plan);
    for (const rddId of rdds) await this.ensureRdd(rddId, session);
  }

  /** Persist jobs under way, so concurrent queries over one cached DataFrame compute it once. */
  private readonly persisting = new Map<number, Promise<void>>();

  private ensureRdd(rddId: number, session: SessionLike): Promise<void> {
    let running = this.persisting.get(rddId);
    if (!running) {
      running = this.computeMissing(rddId, session).finally(() => this.persisting.delete(rddId));
      this.persisting.set(rddId, running);
    }
    return running;
  }

  private async computeMissing(rddId: number, session: SessionLike): Promise<void> {
    const lineage = this.lineage.get(rddId);
    if (!lineage) {
      throw new CinderError("INVALID_PLAN", `rdd_${rddId} is not cached on this cluster (unpersisted, or cached through another backend); cache the DataFrame again`, { details: { rddId } });
    }
    const tracker = this.scheduler.cacheTracker;
    const missing = tracker.has(rddId) ? tracker.missing(rddId) : null;
    if (missing && missing.length === 0) return;
    await this.ensureCached(lineage.plan, session);
    await this.scheduler.runJob(lineage.plan, session.sources, session.conf.toJSON(), {
      persistAs: rddId, storageLevel: lineage.level, ...(missing ? { partitions: missing } : {}), recomputeCached: (id) => this.ensureRdd(id, session),
    });
  }

  /**
   * Runs `fn` again when it failed because a cached block it read was lost and could not be recomputed
   * within the job (the lineage's own cached input was lost while recomputing): the next run starts over.
   */
  private async retryOnCacheLoss<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const lostBlock = CinderError.is(e) && e.code === "FETCH_FAILED" && (e.details as { rddId?: number } | undefined)?.rddId !== undefined;
        if (!lostBlock || attempt >= CACHE_LOSS_RETRIES) throw e;
      }
    }
  }

  /**
   * Cancels every job running on the cluster (a notebook's Cancel button): each fails with
   * JOB_ABORTED at once, starts no further task, and its running tasks are killed at their next batch.
   */
  cancelAllJobs(reason = "cancelled by the user"): void {
    this.scheduler.cancelAllJobs(reason);
  }

  private allocation: ExecutorAllocationManager | null = null;

  private startAllocation(options: DynamicAllocationOptions): void {
    const ts = this.scheduler.taskScheduler;
    this.allocation = new ExecutorAllocationManager({
      alive: () => this.pool.filter((e) => e.isAlive),
      pendingTasks: () => ts.pendingTasks,
      runningTasks: () => ts.runningTasks,
      runningOn: (id) => ts.runningOn(id),
      holdsState: (id) => this.scheduler.tracker.holdsOutputOn(id) || this.scheduler.cacheTracker.holdsBlockOn(id),
      add: () => this.addExecutor(),
      release: (id, why) => this.kill(id, why),
    }, options);
    this.allocation.start();
  }

  /** Kills one executor as a crash would (tests and the teaching demo use it). */
  kill(executorId: string, reason = "killed"): void {
    const e = this.pool.find((x) => x.id === executorId) as (Executor & { kill?: (r: string) => void }) | undefined;
    if (!e) throw new CinderError("WRONG_ARGUMENT", `no executor '${executorId}' in this cluster; executors: ${this.pool.map((x) => x.id).join(", ")}`);
    e.kill?.(reason);
  }

  /** Stops the scheduler and every executor (workers are terminated). */
  async stop(): Promise<void> {
    this.allocation?.stop();
    this.heartbeats.stop();
    this.scheduler.stop();
    await Promise.all(this.pool.map((e) => e.stop().catch(() => undefined)));
  }

  /** Routes an executor's request for another executor's block. */
  private readonly router: BlockFetcher = {
    fetchBlocks: async (executorId, blockIds) => {
      const holder = this.pool.find((e) => e.id === executorId);
      if (!holder || !holder.isAlive) throw new ExecutorLostError("EXECUTOR_LOST", `executor ${executorId} is not alive`, { details: { executorId } });
      return holder.fetchBlocks(blockIds);
    },
  };
}

type WorkerThreadBackend = typeof import("./worker-thread-executor.ts");

let providedWorkerThreads: WorkerThreadBackend | null = null;

/**
 * Hands the worker-thread backend to a bundle that includes it (the CLI's
 * Node bundle), where the specifier below would no longer resolve.
 */
export function provideWorkerThreads(backend: WorkerThreadBackend): void {
  providedWorkerThreads = backend;
}

/**
 * The worker-thread backend, loaded by a specifier bundlers do not follow:
 * it imports node:worker_threads, which a page or a workerd isolate (the
 * edge driver bundles this module) does not have, and would fail to load.
 * The extension follows this file's (.ts from source, .js in dist/).
 */
async function workerThreads(): Promise<WorkerThreadBackend> {
  if (providedWorkerThreads) return providedWorkerThreads;
  const specifier = `./worker-thread-executor${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`;
  return import(/* @vite-ignore */ specifier) as Promise<WorkerThreadBackend>;
}

async function defaultExecutors(kind: ExecutorKind): Promise<number> {
  if (kind === "worker-thread") return (await workerThreads()).defaultWorkerThreads();
  if (kind === "web-worker") return (await import("./web-worker-executor.ts")).defaultWebWorkers();
  return 2;
}

async function startExecutor(kind: ExecutorKind, id: string, cores: number, router: BlockFetcher): Promise<Executor> {
  switch (kind) {
    case "in-process": return new InProcessExecutor(id, cores, router);
    case "worker-thread": return (await workerThreads()).startWorkerThreadExecutor(id, cores, router);
    case "web-worker": return (await import("./web-worker-executor.ts")).startWebWorkerExecutor(id, cores, router);
  }
}
