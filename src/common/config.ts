/**
 * Session configuration: Spark-style keys with their defaults. Keys are plain
 * strings so that `--conf KEY=VALUE` and `session.conf.set` take the same
 * names a Spark user knows (`shuffle.partitions` is Spark's
 * `spark.sql.shuffle.partitions`).
 */
import { CinderError, closestNames } from "./errors.ts";

export interface ConfigValues {
  /** Partitions an Exchange produces. Spark's default; small data wants fewer. */
  "shuffle.partitions": number;
  /** Largest estimated size (bytes) of a join side that is broadcast instead of shuffled. */
  autoBroadcastJoinThreshold: number;
  /** Milliseconds a task waits for a slot on its preferred executor. */
  "locality.wait": number;
  /** Attempts of one task before its job fails. */
  "task.maxFailures": number;
  /** Attempts of one stage before its job fails. */
  "stage.maxConsecutiveAttempts": number;
  /** Largest result (bytes) a job may bring back to the driver. */
  maxResultSize: number;
  /** Task slots per executor. */
  "executor.cores": number;
  /** Executors to start; 0 runs every task in-process. */
  "executor.instances": number;
  /** Rows per batch that scans and operators aim for. */
  "batch.size": number;
  /**
   * 1: equi-joins that are not broadcast use a sort-merge join; 0: a shuffled hash join; -1 (default): the
   * backend decides: hash joins on the local engine (faster on one thread), sort-merge on a cluster, as Spark does.
   */
  "join.preferSortMerge": number;
  /**
   * At most this many partitions per file scan; more are read one after another (0: as many as the
   * source has splits). -1 (default): 1 on the local engine with `shuffle.partitions` 1 (the CLI
   * in-process, a page without executors), where one thread gains nothing from splits and each would
   * cost an exchange, a partial aggregate and a merge; otherwise 0.
   */
  "scan.maxPartitions": number;
  /**
   * Bytes of a removed shuffle's shared memory each executor keeps to reuse for later map outputs (0: none).
   * Fresh shared memory costs a page fault per page; reused memory is already mapped.
   */
  "shuffle.memoryPool": number;
  /**
   * 1 (default): a cluster's stage that reads shuffles reads neighbouring shuffle partitions together once
   * the map stages show their sizes (Spark's adaptive coalescing of shuffle partitions), down to one task per core.
   */
  "adaptive.enabled": number;
  /**
   * The size a coalesced partition aims for (Spark's spark.sql.adaptive.advisoryPartitionSizeInBytes). 8 MiB,
   * not Spark's 64: a task's sorts and hash tables work in one thread's cache, and a 2M-row sort-merge join
   * ran 1.5x slower merged into 64 MB partitions than at 8 (bench/shuffle.bench.ts setup, 1 and 2 executors).
   */
  "adaptive.advisoryPartitionSizeInBytes": number;
  /**
   * 1 (default): with adaptive execution on, a join stage splits a skewed shuffle partition into tasks that
   * each read a run of its map outputs (Spark's spark.sql.adaptive.skewJoin.enabled).
   */
  "adaptive.skewJoin.enabled": number;
  /** A join partition is skewed when over this many times the median partition of its side (Spark's default, 5)... */
  "adaptive.skewJoin.skewedPartitionFactor": number;
  /**
   * ...and over this many bytes. 32 MiB: four advisory partitions (Spark's 256 MB is four of its 64 MB).
   */
  "adaptive.skewJoin.skewedPartitionThresholdInBytes": number;
  /**
   * A partial aggregation whose first `aggregate.skipPartialProbeRows` rows made more than this many groups
   * per row stops grouping: its table's states go out and later rows pass through as one-row states
   * (DataFusion's skip_partial_aggregation_probe_ratio_threshold; 1 or more never skips). 0.5: with 200K keys
   * over 2M rows (0.85 groups a row at the probe) the group-by took 140 ms instead of 340 on one executor,
   * while at 20K keys (0.3) grouping first stays faster.
   */
  "aggregate.skipPartialRatio": number;
  /** Rows a partial aggregation reads before deciding whether to keep grouping (see aggregate.skipPartialRatio). */
  "aggregate.skipPartialProbeRows": number;
  /** Milliseconds between the driver's heartbeat requests to each executor on a cluster. */
  "executor.heartbeatInterval": number;
  /** Milliseconds without a heartbeat after which an executor is declared lost (Spark's spark.network.timeout). */
  "network.timeout": number;
  /**
   * 1 (default, as in Spark 4): a CAST that cannot succeed (`CAST('abc' AS INT)`, `CAST(300 AS TINYINT)`) is an
   * error. 0: it gives NULL, as Spark without ANSI mode does for bad text (where Spark would wrap a number
   * that does not fit, Cinder gives NULL too). TRY_CAST gives NULL either way; arithmetic overflow is an error either way.
   */
  "ansi.enabled": number;
  /**
   * 1: a task running much longer than the rest of its stage is launched again on another executor, and the
   * first copy to succeed wins (Spark's spark.speculation). 0 (default): off.
   */
  speculation: number;
  /** A task is a straggler when it has run this many times the median of its stage's successful tasks... */
  "speculation.multiplier": number;
  /** ...once this fraction of the stage's tasks have succeeded... */
  "speculation.quantile": number;
  /** ...and for at least this many ms (Spark's spark.speculation.minTaskRuntime). */
  "speculation.minTaskRuntime": number;
  /** How often (ms) the scheduler looks for stragglers (and tasks past task.timeout). */
  "speculation.interval": number;
  /**
   * Milliseconds a task may run before it is killed and counted as failed (retried up to task.maxFailures);
   * an executor that does not stop it (a user function in an endless loop) is killed and replaced. 0 (default): no limit.
   */
  "task.timeout": number;
  /**
   * Bytes of memory per executor (`512m`, `2g` or a number; Spark's spark.executor.memory). 0 (default): a
   * share of what the runtime has (see defaultExecutorMemory in src/executor/memory-manager.ts).
   */
  "executor.memory": number;
  /** Share of executor.memory that execution (sorts, hash tables) and storage (cached blocks) use; the rest is headroom. */
  "memory.fraction": number;
  /** Share of that which cached blocks keep from execution once they hold it. */
  "memory.storageFraction": number;
  /**
   * 1 (default): an operator over its memory share writes sorted runs to a spill store (a temp directory on
   * Node, OPFS in a browser). 0: it fails with RESOURCES_EXHAUSTED instead, as it must where there is no store.
   */
  "spill.enabled": number;
  /**
   * 1: a Parquet file whose server ignores HTTP Range requests is downloaded whole once and read from
   * memory; 0 (default): such a read fails with an IOError, as it would download the whole file.
   * `session.read.option("allowFullDownload", …)` decides for one read.
   */
  "io.allowFullDownload": number;
}

export const CONFIG_DEFAULTS: Readonly<ConfigValues> = Object.freeze({
  "shuffle.partitions": 200,
  autoBroadcastJoinThreshold: 10 * 1024 * 1024,
  "locality.wait": 3000,
  "task.maxFailures": 4,
  "stage.maxConsecutiveAttempts": 4,
  maxResultSize: 1024 * 1024 * 1024,
  "executor.cores": 1,
  "executor.instances": 0,
  "batch.size": 65536,
  "join.preferSortMerge": -1,
  "scan.maxPartitions": -1,
  "shuffle.memoryPool": 256 * 1024 * 1024,
  "adaptive.enabled": 1,
  "adaptive.advisoryPartitionSizeInBytes": 8 * 1024 * 1024,
  "adaptive.skewJoin.enabled": 1,
  "adaptive.skewJoin.skewedPartitionFactor": 5,
  "adaptive.skewJoin.skewedPartitionThresholdInBytes": 32 * 1024 * 1024,
  "aggregate.skipPartialRatio": 0.5,
  "aggregate.skipPartialProbeRows": 65_536,
  "executor.heartbeatInterval": 10_000,
  "network.timeout": 120_000,
  "ansi.enabled": 1,
  speculation: 0,
  "speculation.multiplier": 1.5,
  "speculation.quantile": 0.75,
  "speculation.minTaskRuntime": 100,
  "speculation.interval": 100,
  "task.timeout": 0,
  "executor.memory": 0,
  "memory.fraction": 0.6,
  "memory.storageFraction": 0.5,
  "spill.enabled": 1,
  "io.allowFullDownload": 0,
});

export type ConfigKey = keyof ConfigValues;

/** Settings as a caller may write them: numbers, or the text and switches `set` takes (`"512m"`, `true`). */
export type ConfigInput = { [K in ConfigKey]?: ConfigValues[K] | string | boolean };

/** What values a key takes: whole numbers from `min`, any number from `min`, or one of `values`. */
type Rule = { kind: "integer"; min: number } | { kind: "number"; min: number; max?: number } | { kind: "choice"; values: readonly number[]; meaning: string }
  /** A byte count, also written `512m`, `2g`, `64k`. */
  | { kind: "bytes" };

const count = (min: number): Rule => ({ kind: "integer", min });
const SWITCH: Rule = { kind: "choice", values: [0, 1], meaning: "0 / false (off) or 1 / true (on)" };
const RULES: Record<ConfigKey, Rule> = {
  "shuffle.partitions": count(1),
  autoBroadcastJoinThreshold: count(0),
  "locality.wait": count(0),
  "task.maxFailures": count(1),
  "stage.maxConsecutiveAttempts": count(1),
  maxResultSize: count(0),
  "executor.cores": count(1),
  "executor.instances": count(0),
  "batch.size": count(1),
  "join.preferSortMerge": { kind: "choice", values: [-1, 0, 1], meaning: "-1 (auto), 0 (shuffled hash join) or 1 (sort-merge join)" },
  "scan.maxPartitions": { kind: "integer", min: -1 },
  "shuffle.memoryPool": count(0),
  "adaptive.enabled": SWITCH,
  "adaptive.advisoryPartitionSizeInBytes": count(1),
  "adaptive.skewJoin.enabled": SWITCH,
  "adaptive.skewJoin.skewedPartitionFactor": { kind: "number", min: 1 },
  "adaptive.skewJoin.skewedPartitionThresholdInBytes": count(0),
  "aggregate.skipPartialRatio": { kind: "number", min: 0 },
  "aggregate.skipPartialProbeRows": count(1),
  "executor.heartbeatInterval": count(1),
  "network.timeout": count(1),
  "ansi.enabled": SWITCH,
  speculation: SWITCH,
  "speculation.multiplier": { kind: "number", min: 1 },
  "speculation.quantile": { kind: "number", min: 0, max: 1 },
  "speculation.minTaskRuntime": count(0),
  "speculation.interval": count(1),
  "task.timeout": count(0),
  "executor.memory": { kind: "bytes" },
  "memory.fraction": { kind: "number", min: 0.01 },
  "memory.storageFraction": { kind: "number", min: 0 },
  "spill.enabled": SWITCH,
  "io.allowFullDownload": SWITCH,
};

/** Why `value` is not a valid value of `key`, or null when it is. */
function invalidValue(key: ConfigKey, value: number): string | null {
  const rule = RULES[key];
  if (rule.kind === "choice") return rule.values.includes(value) ? null : `must be ${rule.meaning}`;
  if (rule.kind === "bytes") return Number.isInteger(value) && value >= 0 ? null : BYTES_MEANING;
  if (rule.kind === "integer" && !Number.isInteger(value)) return `must be a whole number${rule.min > 0 ? ` of at least ${rule.min}` : " (0 or more)"}`;
  if (value < rule.min) return `must be at least ${rule.min}`;
  if (rule.kind === "number" && rule.max !== undefined && value > rule.max) return `must be at most ${rule.max}`;
  return null;
}

/** The error for a key Cinder does not know, naming the closest ones (and Spark's prefixes dropped). */
function unknownKey(key: string): CinderError {
  const keys = Object.keys(CONFIG_DEFAULTS);
  const bare = key.replace(/^spark\.(sql\.)?/, "");
  const near = bare !== key && keys.includes(bare) ? [bare] : closestNames(bare, keys, 1);
  const hint = near.length ? `did you mean ${near.map((k) => `'${k}'`).join(" or ")}?` : `the keys are: ${keys.join(", ")}`;
  return new CinderError("INVALID_CONFIG", `unknown config key '${key}'; ${hint}${bare !== key ? " (Cinder's keys drop Spark's spark. / spark.sql. prefix)" : ""}`, { details: { key, suggestions: near } });
}

const BYTES_MEANING = "must be a byte count such as 536870912, 512m or 2g";

/** `512m`, `2g`, `64k` or a plain byte count, as Spark writes sizes; NaN otherwise. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*$/i.exec(text);
  if (!m) return NaN;
  const unit = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t"];
  return Math.round(Number(m[1]) * unit);
}

function parseSetting(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "true") return 1;
  if (t === "false") return 0;
  return t === "" ? NaN : Number(t);
}

/**
 * A session's configuration.
 *
 * @example
 * session.conf.set("shuffle.partitions", 8);
 */
export class Config {
  private readonly values: ConfigValues;

  constructor(overrides: ConfigInput = {}) {
    this.values = { ...CONFIG_DEFAULTS };
    for (const [key, value] of Object.entries(overrides)) this.set(key, value as number | string | boolean);
  }

  get<K extends ConfigKey>(key: K): ConfigValues[K] {
    return this.values[key];
  }

  /**
   * Sets a key; string values (from a command line) are parsed as numbers,
   * and `true` / `false` (as Spark writes switches) are 1 and 0.
   * An unknown key or a value the key cannot take throws INVALID_CONFIG
   * naming the closest keys or the values allowed, and changes nothing.
   */
  set(key: string, value: number | string | boolean): void {
    if (!(key in CONFIG_DEFAULTS)) throw unknownKey(key);
    const rule = RULES[key as ConfigKey];
    const parsed = typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : rule.kind === "bytes" ? parseByteSize(value) : parseSetting(value);
    const why = Number.isFinite(parsed) ? invalidValue(key as ConfigKey, parsed) : rule.kind === "choice" ? `must be ${rule.meaning}` : rule.kind === "bytes" ? BYTES_MEANING : "must be a number";
    if (why) {
      throw new CinderError("INVALID_CONFIG", `config '${key}' ${why}, got '${value}'; its default is ${CONFIG_DEFAULTS[key as ConfigKey]}`, { details: { key, value } });
    }
    (this.values as unknown as Record<string, number>)[key] = parsed;
  }

  toJSON(): ConfigValues {
    return { ...this.values };
  }
}
