/**
 * How a cluster reads each file scan of a job. Parquet from a Node path or
 * an http(s) URL is described by plain data (paths, options, the
 * footer-derived split list), so executors reopen it themselves and each
 * task reads one split; executors in the driver's thread can also read
 * bytes and Blobs registered on the driver, and executors in worker
 * threads or Web Workers are shipped them once each (bytes in a
 * SharedArrayBuffer, shared rather than copied; a Blob by structured
 * clone). Everything else an executor cannot reopen (a ByteSource of the
 * caller's own, `opfs:` files, other formats, a server that ignored Range)
 * is read on the driver once, kept as
 * a memory table (one per source, projection, filters and limit, reused by
 * later jobs) and shipped: slower, never wrong. Which path ran is noted on
 * the source (`explain("analyze")` and QueryEnd notes show it). Scans of
 * cached RDDs are read by executors from their BlockManagers.
 */
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize } from "../exec/column-vector.ts";
import type { DataSource } from "../plan/logical-plan.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { physicalChildren, withPhysicalChildren } from "../physical/physical-plan.ts";
import type { SourceReader } from "../io/source-reader.ts";
import { cachedRddOf } from "../executor/task.ts";
import { isOpfsPath } from "../io/opfs.ts";
import { noteScanPath } from "../io/scan-metrics.ts";
import { shippableInput } from "../io/parquet-footers.ts";
import type { Executor } from "../executor/executor.ts";

/** The driver's source registry, as far as this module needs it. */
export interface DriverSources extends SourceReader {
  registerTable(partitions: Batch[][]): string;
}

/** Paths that name bytes held only by the process that registered them (see parquet-source.ts). */
const DRIVER_ONLY = /^(memory:|blob:cinder|source:cinder)/;

/**
 * Why executors cannot reopen `source` themselves, or null when they can.
 * `sharesDriverMemory`: the executors run in the driver's thread and see its registered bytes.
 */
export function whyDriverReads(source: DataSource, sharesDriverMemory: boolean, canShip: (path: string) => boolean = () => false): string | null {
  if (source.kind !== "parquet") return `${source.kind} sources are read on the driver`;
  if (source.warnings?.length) return "the server ignored Range, so the file was downloaded whole once on the driver";
  for (const path of source.paths) {
    if (DRIVER_ONLY.test(path) && !sharesDriverMemory && !canShip(path)) return `${path} is held by the driver and cannot be shipped to these executors`;
    if (isOpfsPath(path) && !sharesDriverMemory) return `${path} is an OPFS file opened on the driver`;
  }
  return null;
}

export class DriverScans {
  private readonly tables = new Map<string, Promise<{ tableId: string; rows: number; bytes: number }>>();

  /** Driver-held inputs shipped to each executor, by executor id then path. */
  private readonly shipped = new Map<string, Map<string, Promise<void>>>();

  constructor(private readonly sharesDriverMemory = false, private readonly executors: () => readonly Executor[] = () => []) {}

  private canShip(path: string): boolean {
    const alive = this.executors().filter((e) => e.isAlive);
    return alive.length > 0 && alive.every((e) => e.putSource) && shippableInput(path) !== null;
  }

  /** Ships the driver-held inputs of `source` to every live executor that lacks them. */
  private async ship(source: Extract<DataSource, { kind: "parquet" }>): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const path of source.paths.filter((p) => DRIVER_ONLY.test(p))) {
      const data = shippableInput(path)!;
      for (const e of this.executors().filter((x) => x.isAlive)) {
        let done = this.shipped.get(e.id);
        if (!done) this.shipped.set(e.id, done = new Map());
        let p = done.get(path);
        if (!p) {
          // An executor lost while receiving runs none of the job's tasks; forget it so a retry ships again.
          p = e.putSource!(path, data).catch(() => { done!.delete(path); });
          done.set(path, p);
        }
        waits.push(p);
      }
    }
    await Promise.all(waits);
  }

  /** `plan` with every scan an executor cannot run replaced by a scan of a driver-read memory table. */
  async rewrite(plan: PhysicalPlan, sources: DriverSources): Promise<PhysicalPlan> {
    if (plan.type === "ScanExec" && plan.source.kind !== "memory" && plan.source.kind !== "range" && cachedRddOf(plan.source) === null) {
      const node = plan;
      const why = whyDriverReads(node.source, this.sharesDriverMemory, (path) => this.canShip(path));
      if (why === null) {
        if (node.source.kind === "parquet" && !this.sharesDriverMemory) await this.ship(node.source);
        const shipped = !this.sharesDriverMemory && node.source.kind === "parquet" && node.source.paths.some((path) => DRIVER_ONLY.test(path));
        noteScanPath(node.source, `read by executors: one task per split, ${node.numPartitions} split${node.numPartitions === 1 ? "" : "s"}${shipped ? " (driver-held input shipped to each executor once)" : ""}`);
        return plan;
      }
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
      noteScanPath(node.source, `read on the driver and shipped to executors (${why})`);
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
