/**
 * `cinder sql --stats`: what the query's jobs did, gathered from the
 * cluster's events and written after the result as one JSON object on
 * stderr, so a script can read it without touching stdout. Per stage: its
 * tasks, attempts, time and shuffle bytes, and what adaptive execution
 * changed (partitions coalesced, skewed partitions split); per executor:
 * tasks run and shuffle bytes written; totals over the query.
 *
 * Spill and memory figures come from the operators that account memory
 * (sorts so far): `peakExecutionMemory` is the most one task on the
 * executor held at once.
 */
import type { CinderEvent, ScanMetricsSnapshot, StageKind } from "../common/events.ts";

export interface StageStats {
  stageId: number;
  kind: StageKind;
  attempts: number;
  tasks: number;
  failedTasks: number;
  killedTasks: number;
  speculativeTasks: number;
  /** Sum of its tasks' run times (ms). */
  taskTimeMs: number;
  recordsRead: number;
  shuffleBytesRead: number;
  shuffleBytesWritten: number;
  spillBytes: number;
  spillFiles: number;
  /** Adaptive execution: the shuffle partitions read by `tasks` tasks, and the skewed ones split. */
  coalescedFrom?: number;
  skewedPartitions?: number;
  failureReason?: string;
}

export interface QueryStats {
  durationMs: number;
  rows: number;
  jobs: number;
  stages: StageStats[];
  tasks: { launched: number; succeeded: number; failed: number; killed: number; speculative: number };
  shuffleBytesRead: number;
  shuffleBytesWritten: number;
  spillBytes: number;
  executors: { executorId: string; tasks: number; shuffleBytesWritten: number; spillBytes: number; peakExecutionMemory: number }[];
  executorsLost: { executorId: string; reason: string }[];
  scans: ScanMetricsSnapshot[];
}

/** Starts listening; `finish` stops and returns the stats (with the query's duration, rows and scans). */
export function gatherStats(on: (listener: (e: CinderEvent) => void) => () => void): { finish(query: { durationMs: number; rows: number; scans: ScanMetricsSnapshot[] }): QueryStats } {
  const stages = new Map<number, StageStats>();
  const executors = new Map<string, QueryStats["executors"][number]>();
  const lost: QueryStats["executorsLost"] = [];
  const tasks = { launched: 0, succeeded: 0, failed: 0, killed: 0, speculative: 0 };
  let jobs = 0;
  const stageOf = (id: number, kind: StageKind = "result"): StageStats => {
    let s = stages.get(id);
    if (!s) {
      s = { stageId: id, kind, attempts: 0, tasks: 0, failedTasks: 0, killedTasks: 0, speculativeTasks: 0, taskTimeMs: 0, recordsRead: 0, shuffleBytesRead: 0, shuffleBytesWritten: 0, spillBytes: 0, spillFiles: 0 };
      stages.set(id, s);
    }
    return s;
  };
  const off = on((e) => {
    switch (e.type) {
      case "JobStart": jobs++; break;
      case "StageSubmitted": {
        const s = stageOf(e.stageId, e.kind);
        s.attempts++;
        if (e.coalescedFrom !== undefined) s.coalescedFrom = e.coalescedFrom;
        if (e.skewedPartitions?.length) s.skewedPartitions = e.skewedPartitions.length;
        break;
      }
      case "StageCompleted": if (e.failureReason) stageOf(e.stageId, e.kind).failureReason = e.failureReason; break;
      case "TaskStart": {
        tasks.launched++;
        const s = stageOf(e.stageId);
        s.tasks++;
        if (e.speculative) { tasks.speculative++; s.speculativeTasks++; }
        break;
      }
      case "TaskEnd": {
        const s = stageOf(e.stageId);
        if (e.result === "success") tasks.succeeded++;
        else if (e.result === "killed") { tasks.killed++; s.killedTasks++; }
        else { tasks.failed++; s.failedTasks++; }
        const x = executors.get(e.executorId) ?? { executorId: e.executorId, tasks: 0, shuffleBytesWritten: 0, spillBytes: 0, peakExecutionMemory: 0 };
        x.tasks++;
        executors.set(e.executorId, x);
        if (e.metrics) {
          s.taskTimeMs += e.metrics.durationMs;
          s.recordsRead += e.metrics.recordsRead;
          s.shuffleBytesRead += e.metrics.shuffleBytesRead;
          s.shuffleBytesWritten += e.metrics.shuffleBytesWritten;
          x.shuffleBytesWritten += e.metrics.shuffleBytesWritten;
          s.spillBytes += e.metrics.spillBytes ?? 0;
          s.spillFiles += e.metrics.spillFiles ?? 0;
          x.spillBytes += e.metrics.spillBytes ?? 0;
          x.peakExecutionMemory = Math.max(x.peakExecutionMemory, e.metrics.peakExecutionMemory ?? 0);
        }
        break;
      }
      case "ExecutorRemoved": lost.push({ executorId: e.executorId, reason: e.reason }); break;
      default: break;
    }
  });
  return {
    finish(query) {
      off();
      const all = [...stages.values()].sort((a, b) => a.stageId - b.stageId);
      return {
        durationMs: query.durationMs, rows: query.rows, jobs, stages: all, tasks,
        shuffleBytesRead: all.reduce((n, s) => n + s.shuffleBytesRead, 0),
        shuffleBytesWritten: all.reduce((n, s) => n + s.shuffleBytesWritten, 0),
        spillBytes: all.reduce((n, s) => n + s.spillBytes, 0),
        executors: [...executors.values()].sort((a, b) => (a.executorId < b.executorId ? -1 : 1)),
        executorsLost: lost, scans: query.scans,
      };
    },
  };
}
