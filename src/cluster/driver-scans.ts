/**
 * Scans executors cannot run themselves. Memory tables are shipped to
 * executors and `range` is computed anywhere, but a file source opened on
 * the driver (Parquet from bytes, a Blob, a path or a URL) lives in the
 * driver's reader state. Until executors can reopen such sources, the
 * cluster reads them on the driver once, keeps the result as a memory
 * table (one per source, projection, filters and limit, reused by later
 * jobs), and ships that: slower than executor-side reads, never wrong.
 * Scans of cached RDDs are read by executors from their BlockManagers.
 */
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize } from "../exec/column-vector.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { physicalChildren, withPhysicalChildren } from "../physical/physical-plan.ts";
import type { SourceReader } from "../physical/task-context.ts";
import { cachedRddOf } from "../executor/task.ts";

/** The driver's source registry, as far as this module needs it. */
export interface DriverSources extends SourceReader {
  registerTable(partitions: Batch[][]): string;
}

export class DriverScans {
  private readonly tables = new Map<string, Promise<{ tableId: string; rows: number; bytes: number }>>();

  /** `plan` with every scan an executor cannot run replaced by a scan of a driver-read memory table. */
  async rewrite(plan: PhysicalPlan, sources: DriverSources): Promise<PhysicalPlan> {
    if (plan.type === "ScanExec" && plan.source.kind !== "memory" && plan.source.kind !== "range" && cachedRddOf(plan.source) === null) {
      const node = plan;
      const key = JSON.stringify([node.source, node.projection, node.filters, node.limit ?? null]);
      let table = this.tables.get(key);
      if (!table) {
        table = (async () => {
          const partitions: Batch[][] = [];
          for (let p = 0; p < node.numPartitions; p++) {
            const batches: Batch[] = [];
            for await (const b of sources.read(node.source, node.sourceSchema, node.projection, node.filters, p, node.limit)) batches.push(b);
            partitions.push(batches);
          }
          const all = partitions.flat();
          return { tableId: sources.registerTable(partitions), rows: all.reduce((n, b) => n + b.numRows, 0), bytes: all.reduce((n, b) => n + batchByteSize(b), 0) };
        })();
        this.tables.set(key, table);
        table.catch(() => this.tables.delete(key));
      }
      const { tableId, rows, bytes } = await table;
      return {
        type: "ScanExec", schema: node.schema, sourceSchema: node.schema, projection: null, filters: [], numPartitions: node.numPartitions,
        source: { kind: "memory", tableId, numPartitions: node.numPartitions, rowCount: rows, sizeBytes: bytes },
      };
    }
    const children = physicalChildren(plan);
    if (children.length === 0) return plan;
    return withPhysicalChildren(plan, await Promise.all(children.map((c) => this.rewrite(c, sources))));
  }
}
