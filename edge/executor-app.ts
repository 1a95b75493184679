/**
 * An edge executor: an ExecutorCore behind versioned HTTP routes, as a hono
 * app that runs unchanged on Node (`node-executor.ts`) and on workerd
 * (`workerd-executor.ts`). The driver's HttpExecutor calls it; other
 * executors fetch their shuffle inputs from it directly.
 *
 * Every route but `GET /v1/health` needs a job token (src/cluster/http/
 * job-token.ts) naming this executor: a task's token names its job, a
 * shuffle block is served only to a token of the job that wrote it, and the
 * driver's own calls carry a `"driver"` token. Bodies over `maxBodyBytes`
 * get 413; errors are JSON `{ error: { name, code, message } }`, never a
 * stack; CORS is off unless origins are listed.
 *
 * Routes:
 *   GET    /v1/health              id, runtime, cores, memory, blocks and bytes held, tasks run (no token)
 *   GET    /v1/auth                200 when the token is good (the driver checks its secret on connect)
 *   POST   /v1/tasks               run one task: body and reply are wire messages (src/cluster/http/wire.ts)
 *   GET    /v1/blocks/:blockId     one block as Arrow IPC streams, with Content-Length and a checksum header
 *   POST   /v1/blocks/fetch        several blocks in one reply, each batch with its checksum (block-frames.ts)
 *   PUT    /v1/tables/:tableId     a driver's memory table (all partitions)
 *   PUT    /v1/sources?path=P      a driver-held file input (Parquet bytes)
 *   DELETE /v1/shuffles/:id        drop a shuffle's blocks
 *   DELETE /v1/rdds/:id            drop a cached RDD's blocks
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { CinderError } from "../src/common/errors.ts";
import type { Batch } from "../src/exec/column-vector.ts";
import { decodeBlock, encodeBlock } from "../src/exec/block-ipc.ts";
import { ExecutorCore } from "../src/executor/executor-core.ts";
import type { BlockFetcher } from "../src/executor/shuffle-reader.ts";
import type { TaskDescription } from "../src/executor/task.ts";
import type { PhysicalPlan } from "../src/physical/physical-plan.ts";
import { physicalChildren } from "../src/physical/physical-plan.ts";
import { BlockTransport, CHECKSUM_HEADER, checksumOf } from "../src/cluster/http/block-transport.ts";
import { blockFrames } from "../src/cluster/http/block-frames.ts";
import type { TransportOptions } from "../src/cluster/http/block-transport.ts";
import type { JobClaims } from "../src/cluster/http/job-token.ts";
import { JobTokenSigner } from "../src/cluster/http/job-token.ts";
import { decodeMessage, encodeMessage } from "../src/cluster/http/wire.ts";
import type { TaskRequest } from "../src/cluster/http/protocol.ts";
import { TOKEN_TTL_MS, errorBody, statusOf } from "../src/cluster/http/protocol.ts";

export interface EdgeExecutorOptions {
  /** The secret job tokens are signed with (shared with the driver and the other executors). */
  secret: string;
  runtime: "node" | "workerd";
  /** Task slots (default 1). */
  cores?: number;
  /** What the host gives this executor, reported by health (bytes; null when unknown). */
  memoryBytes?: number | null;
  /** Request bodies above this get 413 (default 256 MiB). */
  maxBodyBytes?: number;
  /** Run RDD functions (source text compiled at run time); off by default. */
  allowCode?: boolean;
  /** Origins allowed by CORS; none by default. */
  corsOrigins?: readonly string[];
  transport?: TransportOptions;
  /** This executor's id; a fresh random one by default, so a restart is a new executor. */
  id?: string;
}

type Env = { Variables: { claims: JobClaims } };

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `edge-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function binary(c: Context, bytes: Uint8Array, extra: Record<string, string> = {}): Response {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/octet-stream", "content-length": String(bytes.length), ...extra });
}

function readsCode(plan: PhysicalPlan): boolean {
  return plan.type === "MapPartitionsExec" || physicalChildren(plan).some(readsCode);
}

/** Shuffle id of a `shuffle_<id>_<map>_<reduce>` or `broadcast_<id>` block; null for blocks no job owns. */
function shuffleOf(blockId: string): number | null {
  const m = /^(?:shuffle|broadcast)_(\d+)(?:_|$)/.exec(blockId);
  return m ? Number(m[1]) : null;
}

/**
 * The app and the executor it hosts.
 *
 * @example
 * const { app, id } = await createExecutorApp({ secret: "s3cret", runtime: "node" });
 * serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 8787 });
 */
export async function createExecutorApp(options: EdgeExecutorOptions): Promise<{ app: Hono<Env>; id: string; core: ExecutorCore }> {
  const id = options.id ?? randomId();
  const signer = await JobTokenSigner.create(options.secret);
  const transport = new BlockTransport(options.transport);
  /** Where every peer executor is (the driver sends the list with each task). */
  const peers = new Map<string, string>();
  /** The job each shuffle belongs to: its blocks are served to, and fetched with, that job's tokens. */
  const shuffleJobs = new Map<number, number>();
  let tasksRun = 0;

  const fetcher: BlockFetcher = {
    async fetchBlocks(executorId, blockIds) {
      const url = peers.get(executorId);
      if (!url) throw new CinderError("FETCH_FAILED", `executor ${id} does not know where executor ${executorId} is`, { details: { executorId } });
      const shuffle = shuffleOf(blockIds[0] ?? "");
      const job = shuffle !== null ? shuffleJobs.get(shuffle) : undefined;
      const token = await signer.sign({ job: job ?? "driver", executor: executorId, exp: Date.now() + TOKEN_TTL_MS });
      return transport.fetchBlocks(url, token, blockIds);
    },
  };
  const core = new ExecutorCore(id, fetcher);

  const app = new Hono<Env>();
  app.onError((err, c) => c.json(errorBody(err), statusOf(err)));
  app.notFound((c) => c.json({ error: { name: "CinderError", code: "NOT_FOUND", message: `no route ${c.req.method} ${new URL(c.req.url).pathname}; see GET /v1/health` } }, 404));
  if (options.corsOrigins?.length) app.use("/v1/*", cors({ origin: [...options.corsOrigins], credentials: false }));
  app.use("/v1/*", bodyLimit({
    maxSize: options.maxBodyBytes ?? 256 * 1024 * 1024,
    onError: (c) => c.json({ error: { name: "CinderError", code: "PAYLOAD_TOO_LARGE", message: `the request body is over this executor's limit of ${options.maxBodyBytes ?? 256 * 1024 * 1024} bytes; ship less at once or raise maxBodyBytes` } }, 413),
  }));

  app.get("/v1/health", (c) => {
    const beat = core.heartbeat();
    return c.json({
      id, runtime: options.runtime, cores: options.cores ?? 1, memoryBytes: options.memoryBytes ?? null,
      blocks: beat.blocks, blockBytes: beat.blockBytes, runningTasks: beat.runningTasks, shuffleBlocks: beat.shuffleBlocks, tasksRun, shuffleMemoryRetained: beat.shuffleMemoryRetained,
    });
  });

  app.use("/v1/*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    const claims = token ? await signer.verify(token) : null;
    if (!claims || claims.executor !== id) {
      const why = !token ? "no job token was sent" : !claims ? "the job token is forged, malformed or expired" : `the job token is for executor ${claims.executor}, not ${id}`;
      return c.json({ error: { name: "CinderError", code: "UNAUTHORIZED", message: `${why}; the driver signs tokens with the secret this executor was started with` } }, 401);
    }
    c.set("claims", claims);
    await next();
  });

  const forJob = (c: Context<Env>, job: number | undefined): Response | null => {
    const claims = c.get("claims");
    if (job === undefined || claims.job === "driver" || claims.job === job) return null;
    return c.json({ error: { name: "CinderError", code: "UNAUTHORIZED", message: `the job token is for job ${claims.job}, not job ${job}` } }, 401);
  };

  app.get("/v1/auth", (c) => c.json({ executor: id, job: c.get("claims").job }));

  app.post("/v1/tasks", async (c) => {
    const { task, peers: known } = decodeMessage(new Uint8Array(await c.req.arrayBuffer())) as TaskRequest;
    const refused = forJob(c, task.jobId) ?? (c.get("claims").job === "driver" ? c.json({ error: { name: "CinderError", code: "UNAUTHORIZED", message: "a task needs a token of its job" } }, 401) : null);
    if (refused) return refused;
    if (!options.allowCode && readsCode(task.plan)) {
      return c.json({ error: { name: "CodeGenerationError", code: "UNSUPPORTED", message: `executor ${id} does not run RDD functions (source text compiled at run time): start it with code allowed, or run the RDD on Node or Web Worker executors` } }, 422);
    }
    for (const [executorId, url] of Object.entries(known)) peers.set(executorId, url);
    rememberJob(task, shuffleJobs);
    tasksRun++;
    const result = await core.runTask(task);
    return binary(c, encodeMessage(result));
  });

  app.delete("/v1/tasks/:taskId", (c) => {
    if (c.get("claims").job !== "driver") return c.json({ error: { name: "CinderError", code: "UNAUTHORIZED", message: "only the driver kills tasks" } }, 401);
    core.killTask(Number(c.req.param("taskId")), c.req.query("reason") ?? "killed by the driver");
    return c.json({ ok: true });
  });

  app.get("/v1/blocks/:blockId", async (c) => {
    const blockId = c.req.param("blockId");
    const shuffle = shuffleOf(blockId);
    const refused = forJob(c, shuffle === null ? undefined : shuffleJobs.get(shuffle));
    if (refused) return refused;
    const batches = await core.fetchBlock(blockId);
    if (!batches) return c.json({ error: { name: "CinderError", code: "BLOCK_NOT_FOUND", message: `executor ${id} holds no block ${blockId}` } }, 404);
    const bytes = encodeBlock(batches);
    return binary(c, bytes, { [CHECKSUM_HEADER]: await checksumOf(bytes) });
  });

  app.post("/v1/blocks/fetch", async (c) => {
    const { blockIds } = decodeMessage(new Uint8Array(await c.req.arrayBuffer())) as { blockIds: string[] };
    for (const blockId of blockIds) {
      const shuffle = shuffleOf(blockId);
      const refused = forJob(c, shuffle === null ? undefined : shuffleJobs.get(shuffle));
      if (refused) return refused;
    }
    // Encoded, digested and sent one batch at a time (block-frames.ts).
    return c.body(blockFrames(await core.fetchBlocks(blockIds)), 200, { "content-type": "application/octet-stream" });
  });

  app.put("/v1/tables/:tableId", async (c) => {
    if (c.get("claims").job !== "driver") return c.json({ error: { name: "CinderError", code: "UNAUTHORIZED", message: "only the driver ships tables" } }, 401);
    const { partitions } = decodeMessage(new Uint8Array(await c.req.arrayBuffer())) as { partitions: Uint8Array[] };
    core.putTable(c.req.param("tableId"), partitions.map((p): Batch[] => decodeBlock(p)));
    return c.json({ ok: true });
  });

  app.put("/v1/sources", async (c) => {
    if (c.get("claims").job !== "driver") return c.json({ error: { name: "CinderError", code: "UNAUTHORIZED", message: "only the driver ships sources" } }, 401);
    const path = c.req.query("path");
    if (!path) return c.json({ error: { name: "CinderError", code: "WRONG_ARGUMENT", message: "PUT /v1/sources needs ?path=" } }, 400);
    core.putSource(path, new Uint8Array(await c.req.arrayBuffer()));
    return c.json({ ok: true });
  });

  app.delete("/v1/shuffles/:id", (c) => {
    const shuffleId = Number(c.req.param("id"));
    const refused = forJob(c, shuffleJobs.get(shuffleId));
    if (refused) return refused;
    core.removeShuffle(shuffleId);
    shuffleJobs.delete(shuffleId);
    return c.json({ ok: true });
  });

  app.delete("/v1/rdds/:id", (c) => {
    if (c.get("claims").job !== "driver") return c.json({ error: { name: "CinderError", code: "UNAUTHORIZED", message: "only the driver drops cached RDDs" } }, 401);
    core.removeRdd(Number(c.req.param("id")));
    return c.json({ ok: true });
  });

  return { app, id, core };
}

/** Records the job of every shuffle a task writes or reads. */
function rememberJob(task: TaskDescription, shuffleJobs: Map<number, number>): void {
  if (task.output.kind === "shuffle") shuffleJobs.set(task.output.shuffleId, task.jobId);
  for (const input of Object.values(task.shuffles)) shuffleJobs.set(input.shuffleId, task.jobId);
}
