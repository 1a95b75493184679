/**
 * The notebook's engine: one `Session` whose jobs run on a cluster of Web
 * Worker executors in this page, the catalog of tables the notebook
 * registered, and the wiring from the cluster's listener bus to the job
 * store. It imports the engine exactly as a user would (`cinder`).
 */
import { Cluster, Session, CinderError, typeToString } from "cinder";
import type { DataFrame, ConfigKey, Field } from "cinder";
import { JobStore } from "./job-store.ts";

/** A table the notebook registered, as the tables list shows it. */
export interface TableInfo {
  name: string;
  fields: { name: string; type: string }[];
  bytes: number;
  origin: string;
}

/** The config keys the controls offer (the rest are reachable with `spark.conf.set` in a cell). */
export const COMMON_CONFIG: readonly ConfigKey[] = ["shuffle.partitions", "autoBroadcastJoinThreshold", "adaptive.enabled", "locality.wait", "maxResultSize"];

const HEARTBEAT_MS = 1000;

export class NotebookEngine {
  readonly session: Session;
  readonly store = new JobStore();
  cluster: Cluster | null = null;
  readonly tables = new Map<string, TableInfo>();
  private stopListening: (() => void) | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;

  constructor(config: Partial<Record<ConfigKey, number>> = {}) {
    // A notebook's data is small next to a cluster's: a handful of shuffle partitions, as the demo sets.
    this.session = new Session({ "shuffle.partitions": 8, ...config });
  }

  /** Starts (or restarts with a new size) the Web Worker executors jobs run on. */
  async startCluster(executors: number): Promise<void> {
    await this.stopCluster();
    const cluster = await Cluster.start({ executors: Math.max(1, executors), kind: "web-worker" });
    this.cluster = cluster;
    this.session.backend = cluster.backend();
    for (const e of cluster.executors) this.store.post({ type: "ExecutorAdded", executorId: e.id, cores: e.cores, kind: e.kind, time: Date.now() });
    this.stopListening = cluster.bus.on((event) => this.store.post(event));
    this.heartbeatTimer = setInterval(() => {
      for (const e of cluster.executors) {
        if (!e.isAlive) continue;
        e.heartbeat().then((h) => this.store.heartbeat(e.id, h.blocks, h.blockBytes), () => undefined);
      }
    }, HEARTBEAT_MS);
  }

  async stopCluster(): Promise<void> {
    this.stopListening?.();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.stopListening = null;
    const old = this.cluster;
    this.cluster = null;
    if (old) {
      for (const e of old.executors) this.store.post({ type: "ExecutorRemoved", executorId: e.id, reason: "cluster restarted", time: Date.now() });
      this.store.executors.clear();
      await old.stop();
    }
  }

  /** Stops every running query, in the page or on the cluster (the Cancel button), and any RDD job on the cluster. */
  cancel(): void {
    this.session.cancelAllJobs("cancelled from the notebook");
    this.cluster?.cancelAllJobs("cancelled from the notebook");
  }

  /** Registers `df` as temp view `name` and lists it. */
  register(name: string, df: DataFrame, origin: string, bytes = 0): TableInfo {
    df.createOrReplaceTempView(name);
    const info: TableInfo = { name, fields: df.schema.map((f: Field) => ({ name: f.name, type: typeToString(f.type) })), bytes, origin };
    this.tables.set(name, info);
    return info;
  }

  /** Reads a file's bytes by its extension (Parquet, CSV, Arrow IPC) and registers it. */
  async registerFile(fileName: string, bytes: Uint8Array, origin: string): Promise<TableInfo> {
    const name = tableNameOf(fileName);
    const ext = fileName.toLowerCase().split(".").pop() ?? "";
    const read = this.session.read;
    let df: DataFrame;
    if (ext === "parquet" || ext === "pq") df = await read.parquet(bytes);
    else if (ext === "csv") df = await read.csv(bytes);
    else if (ext === "arrow" || ext === "arrows" || ext === "feather" || ext === "ipc") df = await read.arrowIpc(bytes);
    else {
      throw new CinderError("WRONG_ARGUMENT", `'${fileName}' is not a Parquet, CSV or Arrow file (by its extension); rename it to .parquet, .csv or .arrow`, { details: { fileName } });
    }
    return this.register(name, df, origin, bytes.length);
  }

  /** Registers a remote Parquet file, read with range requests. */
  async registerUrl(url: string): Promise<TableInfo> {
    const df = await this.session.read.parquet(url);
    return this.register(tableNameOf(new URL(url).pathname.split("/").pop() || "remote"), df, url);
  }
}

/** A table name from a file name: its stem, made a SQL identifier. */
export function tableNameOf(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(stem) ? stem : `t_${stem}`;
}

