/**
 * The counters a task's operators and readers add to while it runs; the
 * executor reports them with the task's end (see TaskMetricsSnapshot).
 */

/** Counters an operator adds to while it runs (shown by explain/metrics and the listener bus). */
export interface TaskMetrics {
  rowsScanned: number;
  bytesRead: number;
  rowGroupsSkipped: number;
  rowGroupsRead: number;
}

export function newTaskMetrics(): TaskMetrics {
  return { rowsScanned: 0, bytesRead: 0, rowGroupsSkipped: 0, rowGroupsRead: 0 };
}
