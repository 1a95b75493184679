/**
 * Ships the driver's memory tables (createDataFrame, parallelize,
 * broadcasts) to the executors whose tasks scan them, once per executor:
 * later tasks there wait on the same upload.
 */
import type { Batch } from "../exec/column-vector.ts";
import type { Executor } from "../executor/executor.ts";
import type { TaskDescription } from "../executor/task.ts";
import { memoryTablesOf } from "./stage.ts";

/** Where a job's memory tables come from (the driver's SourceRegistry). */
export interface TableProvider {
  tablePartitions(tableId: string): Batch[][] | undefined;
}

export class TableShipper {
  private readonly shipped = new Map<string, Map<string, Promise<void>>>();

  /** Resolves once every memory table `task` scans is on `executor`. */
  ship(executor: Executor, task: TaskDescription, tables: TableProvider): Promise<void> {
    let shipped = this.shipped.get(executor.id);
    if (!shipped) this.shipped.set(executor.id, shipped = new Map());
    const waits: Promise<void>[] = [];
    for (const tableId of memoryTablesOf(task.plan)) {
      let p = shipped.get(tableId);
      if (!p) {
        const partitions = tables.tablePartitions(tableId);
        p = partitions ? executor.putTable(tableId, partitions) : Promise.resolve();
        shipped.set(tableId, p);
        p.catch(() => shipped!.delete(tableId));
      }
      waits.push(p);
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Forgets what a lost executor held. */
  forget(executorId: string): void {
    this.shipped.delete(executorId);
  }
}
