/**
 * What the live job view shows, folded from the runtime's listener bus
 * (never polled): jobs, their stages and stage attempts, tasks per
 * executor, executors alive or lost. The store is mutable for speed (a
 * job posts an event per task) and announces changes through one signal,
 * bumped at most once per animation frame so a busy job never floods the
 * page's main thread with renders.
 */
import { signal } from "@preact/signals";
import type { CinderEvent } from "cinder";

export type StageState = "pending" | "running" | "succeeded" | "failed" | "resubmitted";

export interface TaskRecord {
  taskId: number;
  stageId: number;
  stageAttempt: number;
  partition: number;
  attempt: number;
  executorId: string;
  start: number;
  end?: number;
  result?: "success" | "failed" | "fetchFailed" | "executorLost" | "killed";
  durationMs?: number;
  recordsRead: number;
  recordsWritten: number;
  shuffleRead: number;
  shuffleWrite: number;
}

export interface StageRecord {
  stageId: number;
  jobId: number;
  kind: "shuffleMap" | "result";
  parentIds: number[];
  operators: string[];
  attempts: number;
  numTasks: number;
  tasksDone: number;
  tasksFailed: number;
  state: StageState;
  submitted: number;
  completed?: number;
  failureReason?: string;
  coalescedFrom?: number;
  skewedPartitions: { partition: number; splits: number }[];
  recordsRead: number;
  recordsWritten: number;
  shuffleRead: number;
  shuffleWrite: number;
}

export interface JobRecord {
  jobId: number;
  /** The notebook cell (or scenario) that ran it. */
  owner: string | null;
  stageIds: number[];
  state: "running" | "succeeded" | "failed";
  start: number;
  end?: number;
  error?: string;
}

export interface ExecutorRecord {
  executorId: string;
  kind: string;
  cores: number;
  state: "alive" | "lost";
  reason?: string;
  tasksRun: number;
  blocks: number;
  blockBytes: number;
}

export class JobStore {
  readonly jobs = new Map<number, JobRecord>();
  readonly stages = new Map<number, StageRecord>();
  readonly tasks: TaskRecord[] = [];
  readonly executors = new Map<string, ExecutorRecord>();
  /** Bumped (at most once a frame) whenever anything above changed; components read it to re-render. */
  readonly revision = signal(0);
  /** Who new jobs belong to (the running cell's id). */
  owner: string | null = null;
  private scheduled = false;
  private readonly running = new Map<number, TaskRecord>();

  post(e: CinderEvent): void {
    switch (e.type) {
      case "JobStart":
        this.jobs.set(e.jobId, { jobId: e.jobId, owner: this.owner, stageIds: e.stageIds, state: "running", start: e.time });
        break;
      case "JobEnd": {
        const job = this.jobs.get(e.jobId);
        if (job) {
          job.state = e.result;
          job.end = e.time;
          if (e.error) job.error = `${e.error.code}: ${e.error.message}`;
          // Stages a finished job never ran stay pending; a failed job's running stages failed with it.
          for (const id of job.stageIds) {
            const s = this.stages.get(id);
            if (s && s.state === "running" && e.result === "failed") s.state = "failed";
          }
        }
        break;
      }
      case "StageSubmitted": {
        const old = this.stages.get(e.stageId);
        const stage: StageRecord = {
          stageId: e.stageId, jobId: e.jobId, kind: e.kind, parentIds: e.parentIds, operators: e.operators,
          attempts: e.attempt + 1, numTasks: e.numTasks, tasksDone: 0, tasksFailed: 0,
          state: e.attempt > 0 ? "resubmitted" : "running", submitted: old?.submitted ?? e.time,
          skewedPartitions: e.skewedPartitions ?? [],
          recordsRead: old?.recordsRead ?? 0, recordsWritten: old?.recordsWritten ?? 0, shuffleRead: old?.shuffleRead ?? 0, shuffleWrite: old?.shuffleWrite ?? 0,
          ...(e.coalescedFrom !== undefined ? { coalescedFrom: e.coalescedFrom } : old?.coalescedFrom !== undefined ? { coalescedFrom: old.coalescedFrom } : {}),
        };
        this.stages.set(e.stageId, stage);
        break;
      }
      case "StageCompleted": {
        const s = this.stages.get(e.stageId);
        if (s && s.attempts === e.attempt + 1) {
          s.completed = e.time;
          if (e.failureReason) { s.state = "failed"; s.failureReason = e.failureReason; }
          else if (s.state !== "resubmitted") s.state = "succeeded";
          else s.state = "resubmitted";
        }
        break;
      }
      case "TaskStart": {
        const t: TaskRecord = {
          taskId: e.taskId, stageId: e.stageId, stageAttempt: e.stageAttempt, partition: e.partition, attempt: e.attempt,
          executorId: e.executorId, start: e.time, recordsRead: 0, recordsWritten: 0, shuffleRead: 0, shuffleWrite: 0,
        };
        this.running.set(e.taskId, t);
        this.tasks.push(t);
        break;
      }
      case "TaskEnd": {
        const t = this.running.get(e.taskId);
        this.running.delete(e.taskId);
        if (t) {
          t.end = e.time;
          t.result = e.result;
          const m = e.metrics;
          t.durationMs = m?.durationMs ?? e.time - t.start;
          if (m) { t.recordsRead = m.recordsRead; t.recordsWritten = m.recordsWritten; t.shuffleRead = m.shuffleBytesRead; t.shuffleWrite = m.shuffleBytesWritten; }
        }
        const s = this.stages.get(e.stageId);
        if (s && s.attempts === e.stageAttempt + 1) {
          if (e.result === "success") {
            s.tasksDone++;
            if (e.metrics) {
              s.recordsRead += e.metrics.recordsRead; s.recordsWritten += e.metrics.recordsWritten;
              s.shuffleRead += e.metrics.shuffleBytesRead; s.shuffleWrite += e.metrics.shuffleBytesWritten;
            }
          } else s.tasksFailed++;
        }
        const ex = this.executors.get(e.executorId);
        if (ex && e.result === "success") ex.tasksRun++;
        break;
      }
      case "ExecutorAdded":
        this.executors.set(e.executorId, { executorId: e.executorId, kind: e.kind, cores: e.cores, state: "alive", tasksRun: 0, blocks: 0, blockBytes: 0 });
        break;
      case "ExecutorRemoved": {
        const ex = this.executors.get(e.executorId);
        if (ex) { ex.state = "lost"; ex.reason = e.reason; }
        break;
      }
      case "QueryEnd": break;
    }
    this.changed();
  }

  /** Blocks and bytes an executor holds, from its heartbeat. */
  heartbeat(executorId: string, blocks: number, blockBytes: number): void {
    const ex = this.executors.get(executorId);
    if (!ex) return;
    ex.blocks = blocks;
    ex.blockBytes = blockBytes;
    this.changed();
  }

  jobsOf(owner: string): JobRecord[] {
    return [...this.jobs.values()].filter((j) => j.owner === owner);
  }

  tasksOf(jobId: number): TaskRecord[] {
    const job = this.jobs.get(jobId);
    if (!job) return [];
    const ids = new Set(job.stageIds);
    return this.tasks.filter((t) => ids.has(t.stageId));
  }

  clear(): void {
    this.jobs.clear(); this.stages.clear(); this.tasks.length = 0; this.running.clear();
    this.changed();
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => { this.scheduled = false; this.revision.value++; };
    if (typeof requestAnimationFrame === "function" && typeof document !== "undefined" && !document.hidden) requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  }
}
