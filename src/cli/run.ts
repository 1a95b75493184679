/**
 * The `cinder` command line: `cinder sql "SELECT ..."` or `cinder sql -f
 * file.sql`, over Parquet tables given with `--tables DIR` (every
 * `*.parquet` in DIR, named by file stem) and `--table NAME=PATH`
 * (repeatable), printing `--format table|json|csv`. `--conf KEY=VALUE` sets
 * any session config key; `--explain` prints the plans instead of running;
 * `--allow-full-download` reads Parquet URLs from servers that ignore Range.
 * An in-process run uses one shuffle partition unless `--conf` says otherwise.
 * `--workers N` runs the query on a cluster of N worker-thread executors
 * (0, the default, runs it in-process); with workers and a terminal on
 * stderr, a progress line shows stages and tasks done. `--executors
 * URL,URL,...` runs it on running edge executors instead (`npm run edge`
 * starts some), signing job tokens with `--secret` or `CINDER_EDGE_SECRET`;
 * a URL that does not answer is reported and left out. An error is one
 * line on stderr, `error CODE: message` (a SQL syntax error adds its caret
 * excerpt), never a stack trace, with a non-zero exit code (2 for a usage
 * mistake); with `--format json` it is `{"error": {"code", "message"}}` on
 * stdout instead. stdout otherwise carries only the result. `--stats`
 * writes, after the result, one JSON object `{"stats": ...}` on stderr:
 * the query's stages, tasks, shuffle bytes and adaptive changes (stats.ts).
 */
import { parseArgs } from "node:util";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { Session } from "../api/session.ts";
import { CinderError } from "../common/errors.ts";
import type { OutputFormat } from "./format.ts";
import { errorJson, errorLine, formatCsv, formatJson } from "./format.ts";
import { formatShow } from "../api/show.ts";
import { Cluster } from "../cluster/cluster.ts";
import { runShell } from "./shell.ts";
import type { CinderEvent } from "../common/events.ts";
import { gatherStats } from "./stats.ts";
import type { QueryStats } from "./stats.ts";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** What `cinder shell` reads statements from. */
  stdin?: NodeJS.ReadableStream;
  /** True when stdin is a terminal: the shell then prompts and keeps history. */
  stdinIsTTY?: boolean;
  /** True when stderr is a terminal: only then is a progress line drawn. */
  stderrIsTTY?: boolean;
  /** Aborted on Ctrl-C: the running query fails with JOB_ABORTED and the CLI exits 130. */
  interrupt?: AbortSignal;
}

const USAGE = `usage: cinder sql ("SELECT ..." | -f FILE) [--tables DIR] [--table NAME=PATH]... [--format table|json|csv]
                  [--conf KEY=VALUE]... [--workers N | --executors URL,URL,... [--secret S]] [--explain] [--stats]
                  [--allow-full-download]
       cinder shell [--tables DIR] [--table NAME=PATH]... [--format table|json|csv] [--conf KEY=VALUE]... [--workers N | --executors URL,...]
(with --workers 0, the default, shuffle.partitions defaults to 1: one thread gains nothing from more;
 --allow-full-download reads a Parquet URL whose server ignores Range by downloading it once, as io.allowFullDownload=true)`;

/** `shuffle.partitions` of an in-process run (`--workers 0`) unless `--conf` sets it. */
export const IN_PROCESS_SHUFFLE_PARTITIONS = 1;

/** A usage or input mistake: printed as one line with exit code 2. */
class UsageError extends Error {}

/** Runs the command line; returns the process exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  // Known before parsing, so even a mistake in the other arguments is reported in the format asked for.
  const json = argv.some((a, i) => a === "--format=json" || (a === "--format" && argv[i + 1] === "json"));
  const report = (e: unknown) => (json ? io.stdout(errorJson(e)) : io.stderr(errorLine(e)));
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      report(new CinderError("WRONG_ARGUMENT", `${e.message} (cinder --help shows the usage)`));
      return 2;
    }
    report(e);
    // 128 + SIGINT, as shells expect of a command stopped by Ctrl-C.
    return io.interrupt?.aborted && CinderError.is(e) && e.code === "JOB_ABORTED" ? 130 : 1;
  }
}

async function run(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: "string", short: "f" },
        tables: { type: "string", multiple: true },
        table: { type: "string", multiple: true },
        format: { type: "string", default: "table" },
        conf: { type: "string", multiple: true },
        workers: { type: "string", default: "0" },
        executors: { type: "string" },
        secret: { type: "string" },
        explain: { type: "boolean", default: false },
        stats: { type: "boolean", default: false },
        "allow-full-download": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) { io.stdout(`${USAGE}\n`); return 0; }
  const [command, ...rest] = positionals;
  if (command !== "sql" && command !== "shell") throw new UsageError(command ? `unknown command '${command}'; the commands are 'sql' and 'shell'` : "missing command");
  let text = "";
  if (command === "shell") {
    if (values.file || rest.length) throw new UsageError("'shell' reads statements from its input; give no query or -f");
    if (values.explain) throw new UsageError("--explain is for 'sql'; in the shell, type EXPLAIN SELECT ...;");
  } else if (values.file) {
    if (rest.length) throw new UsageError("give the query either as an argument or with -f, not both");
    try { text = readFileSync(values.file, "utf8"); } catch (e) { throw new UsageError(`cannot read query file '${values.file}': ${(e as Error).message}`); }
  } else {
    if (rest.length !== 1) throw new UsageError(rest.length ? "put the query in one quoted argument" : "missing the query text (or -f FILE)");
    text = rest[0]!;
  }
  const format = values.format as OutputFormat;
  if (!["table", "json", "csv"].includes(format)) throw new UsageError(`unknown --format '${values.format}'; use table, json or csv`);
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers must be a whole number >= 0, got '${values.workers}'`);
  const edgeUrls = values.executors ? values.executors.split(",").map((u) => u.trim()).filter(Boolean) : [];
  if (values.executors !== undefined) {
    if (edgeUrls.length === 0) throw new UsageError("--executors expects URL,URL,... of running edge executors");
    if (workers > 0) throw new UsageError("give either --workers or --executors, not both");
    for (const u of edgeUrls) if (!/^https?:\/\//.test(u)) throw new UsageError(`--executors: '${u}' is not an http(s) URL`);
  }
  const secret = values.secret ?? process.env.CINDER_EDGE_SECRET;
  if (edgeUrls.length && !secret) throw new UsageError("--executors needs the executors' secret: --secret S or CINDER_EDGE_SECRET");
  const backend: BackendChoice = edgeUrls.length ? { edge: edgeUrls, secret: secret! } : { workers };

  const session = new Session();
  // In-process (no workers) every task runs on this one thread, so reduce
  // partitions buy no parallelism, and Cinder has no adaptive coalescing of
  // small shuffle partitions yet (Spark's AQE): with the default 200, each
  // shuffled batch is cut into 200 slivers and TPC-H SF 1 queries spent 2-3x
  // the CPU. A --conf value still wins.
  if (workers === 0 && !edgeUrls.length) session.conf.set("shuffle.partitions", IN_PROCESS_SHUFFLE_PARTITIONS);
  if (values["allow-full-download"]) session.conf.set("io.allowFullDownload", true);
  for (const kv of values.conf ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--conf expects KEY=VALUE, got '${kv}'`);
    session.conf.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  const tables: [string, string][] = [];
  for (const dir of values.tables ?? []) {
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new Error("not a directory");
      names = readdirSync(dir).filter((n) => extname(n).toLowerCase() === ".parquet").sort();
    } catch (e) {
      throw new UsageError(`--tables '${dir}': ${(e as Error).message}`);
    }
    for (const n of names) tables.push([basename(n, extname(n)), join(dir, n)]);
  }
  for (const kv of values.table ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--table expects NAME=PATH, got '${kv}'`);
    tables.push([kv.slice(0, eq), kv.slice(eq + 1)]);
  }
  for (const [name, path] of tables) (await session.read.parquet(path)).createOrReplaceTempView(name);

  if (command === "shell") {
    if (!io.stdin) throw new UsageError("'shell' needs an input stream");
    const stdin = io.stdin;
    // No progress line: it would be drawn over the prompt.
    return withBackend(session, backend, { ...io, stderrIsTTY: false }, () =>
      runShell(session, (s, t) => runStatement(s, t, format), { input: stdin, interactive: io.stdinIsTTY === true, stdout: io.stdout, stderr: io.stderr }));
  }
  const df = session.sql(text);
  if (values.explain) { io.stdout(`${df.explain(true)}\n`); return 0; }
  let stats: QueryStats | null = null;
  const out = await withBackend(session, backend, io, async (cluster) => {
    const options = io.interrupt ? { signal: io.interrupt } : {};
    // In-process there are no jobs or stages, only the query's time, rows and scans.
    const gathering = values.stats ? gatherStats(cluster ? (l) => cluster.bus.on(l) : () => () => undefined) : null;
    let text: string;
    if (format === "table") text = formatShow(df.schema, await df.collectBatches(options), Infinity, false);
    else {
      const rows = await df.collectArrays(options);
      text = format === "json" ? formatJson(df.schema, rows) : formatCsv(df.schema, rows);
    }
    const last = session.lastQueryMetrics;
    if (gathering && last) stats = gathering.finish({ durationMs: last.durationMs, rows: last.rows, scans: last.scans });
    return text;
  });
  io.stdout(`${out}\n`);
  if (stats) io.stderr(`${JSON.stringify({ stats })}\n`);
  return 0;
}

/** Where the CLI runs queries: in-process (0 workers), on worker threads, or on running edge executors. */
type BackendChoice = { workers: number } | { edge: string[]; secret: string };

async function startCluster(session: Session, backend: BackendChoice, io: CliIO): Promise<Cluster | null> {
  if ("edge" in backend) {
    const cluster = await Cluster.connect({ executors: backend.edge, secret: backend.secret });
    for (const u of cluster.unreachable) io.stderr(`warning: executor ${u.url} did not answer its health check (${u.reason}); running on the others\n`);
    return cluster;
  }
  return backend.workers > 0 ? Cluster.start({ executors: backend.workers, kind: "worker-thread", cores: session.conf.get("executor.cores") }) : null;
}

/** Draws "stages a/b, tasks c/d" on one stderr line as the cluster's events arrive; returns a function that clears it. */
function showProgress(cluster: Cluster, io: CliIO): () => void {
  let stages = 0, stagesDone = 0, tasks = 0, tasksDone = 0, drawn = false;
  const off = cluster.bus.on((e: CinderEvent) => {
    if (e.type === "StageSubmitted") { stages++; tasks += e.numTasks; }
    else if (e.type === "StageCompleted") stagesDone++;
    else if (e.type === "TaskEnd") tasksDone++;
    else return;
    io.stderr(`\rstages ${stagesDone}/${stages}, tasks ${tasksDone}/${tasks}\x1b[K`);
    drawn = true;
  });
  return () => {
    off();
    if (drawn) { io.stderr("\r\x1b[K"); drawn = false; }
  };
}

/** Runs `body` with the session on the chosen backend, stopping (or leaving) its executors after. */
async function withBackend<T>(session: Session, backend: BackendChoice, io: CliIO, body: (cluster: Cluster | null) => Promise<T>): Promise<T> {
  const cluster = await startCluster(session, backend, io);
  const stopProgress = cluster && io.stderrIsTTY ? showProgress(cluster, io) : () => undefined;
  try {
    if (cluster) session.backend = cluster.backend() as Session["backend"];
    return await body(cluster);
  } finally {
    stopProgress();
    await cluster?.stop();
  }
}

/** One shell statement's printed result: EXPLAIN as its plan text, a statement with no columns (CREATE VIEW) as "OK". */
async function runStatement(session: Session, text: string, format: OutputFormat): Promise<string> {
  const df = session.sql(text);
  const schema = df.schema;
  if (schema.length === 0) return "OK\n";
  if (/^\s*explain\b/i.test(text) && schema.length === 1 && schema[0]!.name === "plan") {
    const [[plan]] = await df.collectArrays();
    return `${String(plan)}\n`;
  }
  if (format === "table") return `${formatShow(schema, await df.collectBatches(), Infinity, false)}\n`;
  const rows = await df.collectArrays();
  return `${format === "json" ? formatJson(schema, rows) : formatCsv(schema, rows)}\n`;
}
