/**
 * DAGScheduler: turns a job's physical plan into stages (stage.ts), submits
 * a stage once its parents' shuffle outputs are all available, and reacts
 * to a closed set of events handled one at a time in one loop (Spark's
 * DAGSchedulerEventProcessLoop): JobSubmitted, TaskCompleted, TaskFailed,
 * FetchFailed, ExecutorLost, cancellations, CachedPartitionRecomputed. Only
 * this loop changes scheduling state. A fetch failure forgets the lost map
 * output, reruns the parent stage for its missing partitions only, then the
 * child; a stage that keeps failing aborts its job after
 * `stage.maxConsecutiveAttempts`. A lost cached block is recomputed by a
 * job of its own while the task that missed it waits.
 * Beside it: where tasks prefer to run (task-locality.ts), what a task is
 * told (task-description.ts), adaptive re-planning of a stage's reads
 * (adaptive-reads.ts), shipping memory tables (table-shipper.ts) and which
 * errors end a job (job-errors.ts).
 */
import type { ConfigValues } from "../common/config.ts";
import { CinderError, ExecutorLostError, FetchFailedError, ResultTooLargeError } from "../common/errors.ts";
import type { CinderEvent, TaskMetricsSnapshot } from "../common/events.ts";
import type { Batch, ColumnVector } from "../exec/column-vector.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import type { Executor } from "../executor/executor.ts";
import type { TaskResult } from "../executor/task.ts";
import { ListenerBus } from "./listener-bus.ts";
import { MapOutputTracker } from "./map-output-tracker.ts";
import { SplitTracker } from "./split-tracker.ts";
import { CacheTracker } from "./cache-tracker.ts";
import type { Stage } from "./stage.ts";
import { allStages, buildStages, stageSubmittedEvent } from "./stage.ts";
import { TaskScheduler } from "./task-scheduler.ts";
import type { TaskLaunch } from "./task-scheduler.ts";
import { TaskSetManager, speculationOf } from "./task-set-manager.ts";
import { replanStage } from "./adaptive-stage.ts";
import { preferredLocations } from "./task-locality.ts";
import { describeTask } from "./task-description.ts";
import type { TableProvider } from "./table-shipper.ts";
import { TableShipper } from "./table-shipper.ts";
import { DETERMINISTIC, JobAbortedError, cancellationOf, reason, serialize } from "./job-errors.ts";
import { RangeSampling } from "./range-sampling.ts";
import { abortReason } from "../common/cancellation.ts";
import type { ActiveJob, DAGEvent, JobRunOptions } from "./active-job.ts";
import { countCacheRecompute } from "./active-job.ts";

export class DAGScheduler {
  readonly bus: ListenerBus;
  readonly tracker = new MapOutputTracker();
  /** Which executor holds each cached partition of every persisted RDD. */
  readonly cacheTracker = new CacheTracker();
  /** Executors holding file-scan splits they read before (src/cluster/executor-scans.ts records them). */
  readonly splitTracker = new SplitTracker();
  readonly taskScheduler: TaskScheduler;
  private readonly queue: DAGEvent[] = [];
  private draining = false;
  private nextJobId = 0;
  private nextStageId = 0;
  private nextShuffleId = 0;
  private readonly jobs = new Map<number, ActiveJob>();
  private readonly running = new Set<Stage>();
  private readonly waiting = new Set<Stage>();
  private readonly taskSets = new Map<Stage, TaskSetManager>();
  /** Pending map partitions of each running ShuffleMapStage. */
  private readonly pendingMaps = new Map<Stage, Set<number>>();
  private readonly sampling = new RangeSampling();
  private readonly executors = new Map<string, Executor>();
  private readonly tableShipper = new TableShipper();
  private localityWaitMs = 0;
  private speculationIntervalMs = 100;
  /**
   * Called when an executor does not stop a task killed for its timeout; the cluster kills (and, where the
   * pool can grow, replaces) it. The task's failure is handled as any other.
   */
  onExecutorHung: (executorId: string, reason: string) => void = () => undefined;

  constructor(bus = new ListenerBus()) {
    this.bus = bus;
    this.taskScheduler = new TaskScheduler({
      describe: (l) => describeTask(l, this.jobs.get(l.taskSet.stage.jobId)!, this.tracker, this.cacheTracker),
      prepare: (e, t) => { const job = this.jobs.get(t.jobId); return job ? this.tableShipper.ship(e, t, job.tables) : Promise.resolve(); },
      started: (l) => this.bus.post({
        type: "TaskStart", jobId: l.taskSet.stage.jobId, stageId: l.taskSet.stage.id, stageAttempt: l.taskSet.stageAttempt,
        taskId: l.taskId, partition: l.partition, attempt: l.attempt, executorId: l.executorId, time: Date.now(),
        ...(l.speculative ? { speculative: true } : {}),
      }),
      ended: (launch, outcome) => {
        if (outcome.ok) this.post({ type: "TaskCompleted", launch, result: outcome.result });
        else if (CinderError.is(outcome.error) && outcome.error.code === "FETCH_FAILED") this.post({ type: "FetchFailed", launch, error: outcome.error as FetchFailedError });
        else this.post({ type: "TaskFailed", launch, error: outcome.error });
      },
      executorHung: (executorId, why) => this.onExecutorHung(executorId, why),
    }, () => this.localityWaitMs, () => this.speculationIntervalMs);
  }

  addExecutor(executor: Executor): void {
    this.executors.set(executor.id, executor);
    this.bus.post({ type: "ExecutorAdded", executorId: executor.id, cores: executor.cores, kind: executor.kind, time: Date.now() });
    void executor.lost.then((why) => this.post({ type: "ExecutorLost", executorId: executor.id, reason: why }));
    this.taskScheduler.addExecutor(executor);
  }

  executor(id: string): Executor | undefined {
    return this.executors.get(id);
  }

  /**
   * Runs `plan` on the executors; resolves with every partition's batches.
   * `options.partitions` limits the job to some result partitions (the
   * others resolve empty); `options.persistAs` makes it a persist job whose
   * result tasks keep their partitions as cached blocks of that RDD id
   * (see CacheTracker) and return nothing.
   */
  runJob(plan: PhysicalPlan, tables: TableProvider, config: ConfigValues, options: JobRunOptions = {}): Promise<Batch[][]> {
    this.localityWaitMs = config["locality.wait"];
    this.speculationIntervalMs = config["speculation.interval"];
    return new Promise<Batch[][]>((resolve, reject) => {
      const id = this.nextJobId++;
      const finalStage = buildStages(plan, id, { nextStageId: () => this.nextStageId++, nextShuffleId: () => this.nextShuffleId++ });
      const stages = allStages(finalStage);
      for (const s of stages) if (s.shuffle) this.tracker.registerShuffle(s.shuffle.shuffleId, s.numTasks);
      const wanted = options.partitions ? new Set(options.partitions) : null;
      const results: (Batch[] | undefined)[] = Array.from({ length: finalStage.numTasks }, (_, p) => (wanted && !wanted.has(p) ? [] : undefined));
      // Aborting fails the job at once and launches none of its remaining tasks (Spark's cancelJobGroup).
      const signal = options.signal;
      const onAbort = () => this.post({ type: "JobCancelled", jobId: id, reason: abortReason(signal!) });
      const watching = options.onStageSubmitted;
      const stopWatching = watching ? this.bus.on((e) => { if (e.type === "StageSubmitted" && e.jobId === id) watching(e); }) : () => undefined;
      const settle = <T>(f: (v: T) => void) => (v: T) => { signal?.removeEventListener("abort", onAbort); stopWatching(); f(v); };
      const job: ActiveJob = {
        id, finalStage, stages, config, tables, results,
        remaining: results.filter((r) => r === undefined).length, resultBytes: 0, done: false, resolve: settle(resolve), reject: settle(reject),
      };
      if (options.persistAs !== undefined) {
        job.persistAs = options.persistAs;
        if (options.storageLevel) job.storageLevel = options.storageLevel;
        this.cacheTracker.register(options.persistAs, finalStage.numTasks);
      }
      if (options.recomputeCached) job.recomputeCached = options.recomputeCached;
      this.post({ type: "JobSubmitted", job });
      if (signal?.aborted) onAbort(); else if (!job.done) signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Cancels the job running `stageId`. */
  cancelStage(stageId: number, reason = "cancelled by the user"): void {
    this.post({ type: "StageCancelled", stageId, reason });
  }

  /** Cancels every running job (Spark's cancelAllJobs): each fails with JOB_ABORTED and launches no more tasks. */
  cancelAllJobs(reason = "cancelled by the user"): void {
    this.post({ type: "AllJobsCancelled", reason });
  }

  stop(): void {
    this.taskScheduler.stop();
    for (const job of this.jobs.values()) this.failJob(job, new JobAbortedError("JOB_ABORTED", `job ${job.id} was aborted because the cluster stopped`));
  }

  private post(event: DAGEvent): void {
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length) {
        const e = this.queue.shift()!;
        try { this.handle(e); } catch (err) { console.error("cinder: DAGScheduler failed while handling", e.type, err); }
      }
    } finally { this.draining = false; }
  }

  private handle(e: DAGEvent): void {
    switch (e.type) {
      case "JobSubmitted": return this.onJobSubmitted(e.job);
      case "TaskCompleted": return this.onTaskCompleted(e.launch, e.result);
      case "TaskFailed": return this.onTaskFailed(e.launch, e.error);
      case "FetchFailed": return this.onFetchFailed(e.launch, e.error);
      case "ExecutorLost": return this.onExecutorLost(e.executorId, e.reason);
      case "CachedPartitionRecomputed": return this.onCachedPartitionRecomputed(e.launch, e.error);
      case "StageCancelled": case "JobCancelled": case "AllJobsCancelled":
        for (const job of [...this.jobs.values()]) { const error = cancellationOf(job, e); if (error) this.failJob(job, error); }
    }
  }

  private onJobSubmitted(job: ActiveJob): void {
    this.jobs.set(job.id, job);
    this.bus.post({ type: "JobStart", jobId: job.id, stageIds: job.stages.map((s) => s.id), time: Date.now() });
    if (job.remaining === 0) return this.finishJob(job);
    if (this.executors.size === 0 || this.taskScheduler.aliveExecutors().length === 0) {
      return this.failJob(job, new ExecutorLostError("EXECUTOR_LOST", "no executor is alive to run the job; start the cluster again"));
    }
    this.submitStage(job.finalStage);
  }

  private isAlive(executorId: string): boolean {
    return this.taskScheduler.aliveExecutors().some((e) => e.id === executorId);
  }

  private isAvailable(stage: Stage): boolean {
    return this.tracker.isAvailable(stage.shuffle!.shuffleId);
  }

  private submitStage(stage: Stage): void {
    const job = this.jobs.get(stage.jobId);
    if (!job || job.done || this.running.has(stage) || this.waiting.has(stage)) return;
    const missing = stage.parents.filter((p) => !this.isAvailable(p));
    if (missing.length === 0) return this.submitMissingTasks(stage, job);
    this.waiting.add(stage);
    for (const p of missing) this.submitStage(p);
  }

  private submitMissingTasks(stage: Stage, job: ActiveJob): void {
    if (stage.attempt === -1) this.replan(stage, job);
    if (stage.shuffle?.partitioning.kind === "range" && !stage.rangeBounds) return this.submitSampling(stage);
    const partitions = stage.kind === "result"
      ? job.results.flatMap((r, i) => (r === undefined ? [i] : []))
      : this.tracker.missing(stage.shuffle!.shuffleId);
    stage.attempt++;
    this.bus.post(stageSubmittedEvent(stage, partitions));
    if (partitions.length === 0) { this.markStageDone(stage); return this.afterStageDone(stage, job); }
    this.running.add(stage);
    if (stage.kind === "shuffleMap") this.pendingMaps.set(stage, new Set(partitions));
    const ts = new TaskSetManager(stage, stage.attempt, partitions, (p) => preferredLocations(stage, p, this), job.config["locality.wait"], Date.now(), false, speculationOf(job.config), job.config["task.timeout"]);
    this.taskSets.set(stage, ts);
    this.taskScheduler.submit(ts);
  }

  /**
   * Adaptive execution re-plans a stage from its parents' map output sizes (adaptive-stage.ts). A map
   * stage so merged writes fewer map outputs (its shuffle is registered again, before any reader exists);
   * persist jobs and jobs for chosen partitions keep their partitions.
   */
  private replan(stage: Stage, job: ActiveJob): void {
    const keep = stage.kind === "result" && (job.persistAs !== undefined || job.results.some((r) => r !== undefined));
    const cores = this.taskScheduler.aliveExecutors().reduce((c, e) => c + e.cores, 0);
    const count = replanStage(stage, job.config, this.tracker, cores, keep);
    if (count === null) return;
    if (stage.kind === "result") {
      job.results = new Array<Batch[] | undefined>(count).fill(undefined);
      job.remaining = count;
    } else {
      this.tracker.unregisterShuffle(stage.shuffle!.shuffleId);
      this.tracker.registerShuffle(stage.shuffle!.shuffleId, count);
    }
  }

  /** Runs the sampling pass of a range shuffle; the stage proper is submitted once every partition reported. */
  private submitSampling(stage: Stage): void {
    this.running.add(stage);
    const ts = this.sampling.start(stage);
    this.taskSets.set(stage, ts);
    this.taskScheduler.submit(ts);
  }

  private onSample(stage: Stage, job: ActiveJob, partition: number, keys: ColumnVector[]): void {
    const bounds = this.sampling.add(stage, partition, keys);
    if (!bounds) return;
    stage.rangeBounds = bounds;
    const ts = this.taskSets.get(stage);
    if (ts) { ts.zombie = true; this.taskScheduler.remove(ts); this.taskSets.delete(stage); }
    this.running.delete(stage);
    this.submitMissingTasks(stage, job);
  }

  private taskEnd(l: TaskLaunch, result: Extract<CinderEvent, { type: "TaskEnd" }>["result"], extra: { error?: unknown; metrics?: TaskMetricsSnapshot }): void {
    const s = l.taskSet.stage;
    this.bus.post({
      type: "TaskEnd", jobId: s.jobId, stageId: s.id, stageAttempt: l.taskSet.stageAttempt, taskId: l.taskId, partition: l.partition,
      attempt: l.attempt, executorId: l.executorId, result, time: Date.now(),
      ...(extra.error !== undefined ? { error: serialize(extra.error), failureReason: reason(extra.error) } : {}),
      ...(extra.metrics ? { metrics: extra.metrics } : {}),
    });
  }

  private onTaskCompleted(l: TaskLaunch, result: TaskResult): void {
    const stage = l.taskSet.stage;
    const losers = l.taskSet.taskSucceeded(l.partition, l.attempt, Date.now());
    // The first copy of a speculated task to succeed wins; the others are stopped.
    if (losers.length) this.taskScheduler.killAttempts(l.taskSet, l.partition, losers, `another attempt of partition ${l.partition} succeeded first`);
    this.taskEnd(l, "success", { metrics: result.metrics });
    const job = this.jobs.get(stage.jobId);
    if (!job || job.done) {
      // A map task that ended after its job did wrote blocks nobody will read or remove: drop them there.
      if (result.kind === "mapStatus" && stage.shuffle) {
        const holder = this.taskScheduler.aliveExecutors().find((e) => e.id === l.executorId);
        holder?.removeShuffle(stage.shuffle.shuffleId).catch(() => undefined);
      }
      return;
    }
    if (result.kind === "sample") return this.onSample(stage, job, l.partition, result.keys);
    if (result.kind === "cached") {
      if (job.results[l.partition] !== undefined) return;
      // A block on an executor that died meanwhile is gone: run the partition again.
      if (!this.isAlive(l.executorId)) { l.taskSet.requeue(l.partition); this.taskScheduler.reviveOffers(); return; }
      this.cacheTracker.put(result.rddId, l.partition, { executorId: l.executorId, bytes: result.bytes, rows: result.rows });
      return this.resultPartitionDone(job, stage, l.partition, []);
    }
    if (result.kind === "result") {
      if (job.results[l.partition] !== undefined) return;
      job.resultBytes += result.metrics.resultBytes;
      const limit = job.config.maxResultSize;
      if (job.resultBytes > limit) {
        return this.failJob(job, new ResultTooLargeError("RESULT_TOO_LARGE",
          `the result of job ${job.id} is larger than maxResultSize (${limit} bytes) after ${job.finalStage.numTasks - job.remaining + 1} of ${job.finalStage.numTasks} partitions; add a limit or an aggregate, or raise maxResultSize`,
          { details: { maxResultSize: limit, bytesSoFar: job.resultBytes } }));
      }
      return this.resultPartitionDone(job, stage, l.partition, result.batches);
    }
    // A map output counts only while its executor lives; one lost meanwhile reruns later.
    if (this.isAlive(l.executorId)) {
      this.tracker.registerMapOutput(stage.shuffle!.shuffleId, l.partition, { executorId: l.executorId, sizes: result.sizes });
      this.pendingMaps.get(stage)?.delete(l.partition);
    } else {
      l.taskSet.requeue(l.partition);
      this.taskScheduler.reviveOffers();
    }
    const pending = this.pendingMaps.get(stage);
    if (this.running.has(stage) && pending && pending.size === 0) {
      this.markStageDone(stage);
      if (!this.isAvailable(stage)) this.submitStage(stage); // an output was lost while the stage ran
      else this.afterStageDone(stage, job);
    }
  }

  private resultPartitionDone(job: ActiveJob, stage: Stage, partition: number, batches: Batch[]): void {
    job.results[partition] = batches;
    job.remaining--;
    if (job.remaining === 0) { this.markStageDone(stage); this.finishJob(job); }
  }

  private afterStageDone(stage: Stage, job: ActiveJob): void {
    if (stage.kind === "result") return this.finishJob(job);
    stage.failedAttempts = 0;
    this.submitWaitingStages(job);
  }

  /**
   * Submits waiting stages whose parents are all available; a parent that
   * lost outputs after it finished (its executor died) is submitted again,
   * or its children would wait forever.
   */
  private submitWaitingStages(job: ActiveJob): void {
    for (const w of [...this.waiting]) {
      if (w.jobId !== job.id) continue;
      if (w.parents.every((p) => this.isAvailable(p))) {
        this.waiting.delete(w);
        this.submitStage(w);
        continue;
      }
      for (const p of w.parents) if (!this.isAvailable(p) && !this.running.has(p) && !this.waiting.has(p)) this.submitStage(p);
    }
  }

  private markStageDone(stage: Stage, failureReason?: string): void {
    this.running.delete(stage);
    const ts = this.taskSets.get(stage);
    if (ts) { ts.zombie = true; this.taskScheduler.remove(ts); this.taskSets.delete(stage); }
    this.pendingMaps.delete(stage);
    this.sampling.forget(stage);
    this.bus.post({ type: "StageCompleted", jobId: stage.jobId, stageId: stage.id, attempt: stage.attempt, kind: stage.kind, time: Date.now(), ...(failureReason ? { failureReason } : {}) });
  }

  private onTaskFailed(l: TaskLaunch, error: unknown): void {
    const lost = CinderError.is(error) && error.code === "EXECUTOR_LOST";
    const killed = CinderError.is(error) && error.code === "TASK_KILLED";
    this.taskEnd(l, lost ? "executorLost" : killed ? "killed" : "failed", { error });
    const ts = l.taskSet;
    const failures = ts.taskFailed(l.partition, l.attempt, l.executorId);
    const job = this.jobs.get(ts.stage.jobId);
    // A losing copy of a speculated task, or one of a job that ended: nothing to retry.
    if (!job || job.done || ts.zombie || ts.succeeded.has(l.partition)) return;
    if (CinderError.is(error) && DETERMINISTIC.has(error.code)) return this.failJob(job, error);
    const max = Math.max(1, job.config["task.maxFailures"]);
    if (!lost && failures >= max) {
      return this.failJob(job, new JobAbortedError("JOB_ABORTED",
        `job ${job.id} aborted: task for partition ${l.partition} of stage ${ts.stage.id} failed ${failures} times (task.maxFailures = ${max}); last error: ${reason(error)}`,
        { details: { stageId: ts.stage.id, partition: l.partition, failures }, cause: error }));
    }
    ts.requeue(l.partition);
    this.taskScheduler.reviveOffers();
  }

  private onFetchFailed(l: TaskLaunch, error: FetchFailedError): void {
    this.taskEnd(l, "fetchFailed", { error });
    const ts = l.taskSet;
    ts.abandon(l.partition, l.attempt);
    const failed = ts.stage;
    const job = this.jobs.get(failed.jobId);
    if (!job || job.done) return;
    const d = error.details as { shuffleId?: number; mapIndex?: number; executorId?: string | null; rddId?: number; partition?: number };
    if (d.rddId !== undefined) return this.onCachedBlockLost(job, l, d.rddId, d.partition, error);
    const mapStage = job.stages.find((s) => s.shuffle?.shuffleId === d.shuffleId);
    // Like Spark, a failed fetch from an executor means its outputs of that shuffle are gone, not just one block.
    if (d.shuffleId !== undefined && d.mapIndex !== undefined) {
      this.tracker.unregisterMapOutput(d.shuffleId, d.mapIndex, d.executorId);
      if (d.executorId) this.tracker.locations(d.shuffleId).forEach((e, m) => { if (e === d.executorId) this.tracker.unregisterMapOutput(d.shuffleId!, m, e); });
    }
    if (d.executorId && !this.isAlive(d.executorId)) this.tracker.removeOutputsOnExecutor(d.executorId);
    // Only the first fetch failure of a stage attempt fails the attempt; later ones just forget outputs.
    if (!this.running.has(failed) || ts.stageAttempt !== failed.attempt) {
      if (mapStage && !this.running.has(mapStage) && !this.waiting.has(mapStage) && !this.isAvailable(mapStage) && (this.waiting.has(failed))) this.submitStage(mapStage);
      return;
    }
    this.markStageDone(failed, `fetch failed: ${error.message}`);
    failed.failedAttempts++;
    const max = Math.max(1, job.config["stage.maxConsecutiveAttempts"]);
    if (failed.failedAttempts >= max) {
      return this.failJob(job, new JobAbortedError("JOB_ABORTED",
        `job ${job.id} aborted: stage ${failed.id} failed ${failed.failedAttempts} consecutive attempts on fetch failures (stage.maxConsecutiveAttempts = ${max}); last: ${error.message}`,
        { details: { stageId: failed.id, attempts: failed.failedAttempts }, cause: error }));
    }
    this.submitStage(failed);
  }

  /**
   * A cached block that vanished (its executor died or evicted it): like Spark's getOrCompute, only
   * that partition is computed again from lineage, by a job of its own, while the rest of this job
   * goes on; the task that missed it waits, then runs again. Without a way to recompute (a backend
   * that gave none), the job fails and the backend reruns it.
   */
  private onCachedBlockLost(job: ActiveJob, l: TaskLaunch, rddId: number, partition: number | undefined, error: FetchFailedError): void {
    if (partition !== undefined) this.cacheTracker.forget(rddId, partition);
    if (!job.recomputeCached || !countCacheRecompute(job, rddId, partition)) return this.failJob(job, error);
    job.recomputeCached(rddId).then(
      () => this.post({ type: "CachedPartitionRecomputed", launch: l }),
      (e: unknown) => this.post({ type: "CachedPartitionRecomputed", launch: l, error: e }));
  }

  private onCachedPartitionRecomputed(l: TaskLaunch, error: unknown): void {
    const job = this.jobs.get(l.taskSet.stage.jobId);
    if (!job || job.done) return;
    if (error !== undefined) return this.failJob(job, error);
    if (l.taskSet.zombie) return;
    l.taskSet.requeue(l.partition);
    this.taskScheduler.reviveOffers();
  }

  private onExecutorLost(executorId: string, why: string): void {
    if (!this.executors.has(executorId)) return;
    this.executors.delete(executorId);
    this.tableShipper.forget(executorId);
    this.taskScheduler.removeExecutor(executorId);
    this.bus.post({ type: "ExecutorRemoved", executorId, reason: why, time: Date.now() });
    const lost = this.tracker.removeOutputsOnExecutor(executorId);
    this.cacheTracker.removeExecutor(executorId);
    // Running map stages rerun the partitions whose finished outputs just vanished.
    for (const stage of this.running) {
      if (!stage.shuffle) continue;
      const ts = this.taskSets.get(stage);
      for (const { shuffleId, mapIndex } of lost) {
        if (shuffleId !== stage.shuffle.shuffleId) continue;
        this.pendingMaps.get(stage)?.add(mapIndex);
        ts?.requeue(mapIndex);
      }
    }
    if (this.taskScheduler.aliveExecutors().length === 0) {
      for (const job of [...this.jobs.values()]) this.failJob(job, new ExecutorLostError("EXECUTOR_LOST", `every executor is lost (last: ${executorId}, ${why}); job ${job.id} cannot continue`));
      return;
    }
    for (const job of [...this.jobs.values()]) if (!job.done) this.submitWaitingStages(job);
    this.taskScheduler.reviveOffers();
  }

  private finishJob(job: ActiveJob): void {
    if (job.done) return;
    job.done = true;
    this.cleanup(job);
    this.bus.post({ type: "JobEnd", jobId: job.id, result: "succeeded", time: Date.now() });
    job.resolve(job.results.map((r) => r ?? []));
  }

  private failJob(job: ActiveJob, error: unknown): void {
    if (job.done) return;
    job.done = true;
    const why = reason(error);
    for (const s of job.stages) {
      if (!this.running.has(s)) continue;
      // Its tasks' work is wasted now: stop them instead of letting them run on (Spark's interruptOnCancel).
      const ts = this.taskSets.get(s);
      if (ts) this.taskScheduler.killRunning(ts, `job ${job.id} ended: ${why}`);
      this.markStageDone(s, why);
    }
    this.cleanup(job);
    this.bus.post({ type: "JobEnd", jobId: job.id, result: "failed", error: serialize(error), time: Date.now() });
    job.reject(error);
  }

  private cleanup(job: ActiveJob): void {
    this.jobs.delete(job.id);
    for (const s of job.stages) {
      this.waiting.delete(s);
      this.running.delete(s);
      const ts = this.taskSets.get(s);
      if (ts) { ts.zombie = true; this.taskScheduler.remove(ts); this.taskSets.delete(s); }
      this.pendingMaps.delete(s);
      if (s.shuffle) {
        this.tracker.unregisterShuffle(s.shuffle.shuffleId);
        for (const e of this.taskScheduler.aliveExecutors()) e.removeShuffle(s.shuffle.shuffleId).catch(() => undefined);
      }
    }
  }
}
