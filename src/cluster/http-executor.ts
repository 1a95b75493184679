/**
 * The driver's side of an edge executor (edge/executor-app.ts) reached over
 * HTTP, behind the same `Executor` interface as the thread backends. Each
 * call carries a job token signed for this executor; tasks carry the URL of
 * every executor of the cluster, so reducers fetch shuffle blocks straight
 * from the executor that wrote them, never through the driver.
 *
 * An executor that cannot be reached (the connection is refused or cut) is
 * lost, as a dead worker thread is; so is one whose health check answers
 * with another id: it was restarted at the same URL and holds none of the
 * old one's blocks.
 */
import type { Batch } from "../exec/column-vector.ts";
import { encodeBlock } from "../exec/block-ipc.ts";
import { CinderError, ExecutorLostError } from "../common/errors.ts";
import type { SerializedError } from "../common/errors.ts";
import type { Executor } from "../executor/executor.ts";
import type { ExecutorHeartbeat, TaskDescription, TaskResult } from "../executor/task.ts";
import type { BlockTransport } from "./http/block-transport.ts";
import { TOKEN_HEADER } from "./http/block-transport.ts";
import type { JobClaims, JobTokenSigner } from "./http/job-token.ts";
import { TOKEN_TTL_MS } from "./http/protocol.ts";
import type { TaskRequest } from "./http/protocol.ts";
import { decodeMessage, encodeMessage } from "./http/wire.ts";
import { Lifeline } from "./lifeline.ts";

/** What `GET /v1/health` answers. */
export interface EdgeHealth {
  id: string;
  runtime: string;
  cores: number;
  memoryBytes: number | null;
  blocks: number;
  blockBytes: number;
  runningTasks: number;
  tasksRun: number;
  shuffleMemoryRetained: number;
  shuffleBlocks: number;
}

export interface HttpExecutorOptions {
  signer: JobTokenSigner;
  /** Executor id -> URL of every executor of the cluster (shared by its HttpExecutors). */
  peers: Map<string, string>;
  transport: BlockTransport;
  /** Ms before a request other than a task gives up (default 30 s). */
  requestTimeoutMs?: number;
  /** Ms before a task request gives up (default 10 minutes). */
  taskTimeoutMs?: number;
  /** Called by `kill` (a test harness stops the process there). */
  onKill?: (reason: string) => void;
}

/** Reads the health of the executor at `url`; rejects when it does not answer in time. */
export async function edgeHealth(url: string, timeoutMs = 5000): Promise<EdgeHealth> {
  const response = await fetch(new URL("/v1/health", url), { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET /v1/health answered ${response.status}`);
  return await response.json() as EdgeHealth;
}

export class HttpExecutor implements Executor {
  readonly kind: string;
  readonly cores: number;
  private readonly life: Lifeline;

  constructor(readonly id: string, readonly url: string, health: EdgeHealth, private readonly options: HttpExecutorOptions) {
    this.kind = `edge-${health.runtime}`;
    this.cores = Math.max(1, health.cores);
    this.life = new Lifeline(id);
  }

  /**
   * Connects to the executor at `url`: its health check gives its id,
   * runtime and cores, and one signed request checks that it takes this
   * driver's secret.
   */
  static async connect(url: string, options: HttpExecutorOptions): Promise<HttpExecutor> {
    const health = await edgeHealth(url);
    const token = await options.signer.sign({ job: "driver", executor: health.id, exp: Date.now() + TOKEN_TTL_MS });
    const auth = await fetch(new URL("/v1/auth", url), { headers: { [TOKEN_HEADER]: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    if (!auth.ok) {
      const why = await auth.json().then((b: { error?: { message?: string } }) => b.error?.message, () => undefined);
      throw new CinderError("UNAUTHORIZED", `${url} refused this driver's job token (${why ?? `status ${auth.status}`})`, { details: { url } });
    }
    options.peers.set(health.id, url);
    return new HttpExecutor(health.id, url, health, options);
  }

  get lost(): Promise<string> { return this.life.lost; }
  get isAlive(): boolean { return this.life.isAlive; }

  private token(job: JobClaims["job"]): Promise<string> {
    return this.options.signer.sign({ job, executor: this.id, exp: Date.now() + TOKEN_TTL_MS });
  }

  /** One request; a refused or cut connection loses the executor, an error answer is rethrown as what it was. */
  private request(method: string, path: string, job: JobClaims["job"], body?: Uint8Array, timeoutMs = this.options.requestTimeoutMs ?? 30_000): Promise<Uint8Array> {
    return this.life.guard(async () => {
      let response: Response;
      try {
        response = await fetch(new URL(path, this.url), {
          method, signal: AbortSignal.timeout(timeoutMs),
          headers: { [TOKEN_HEADER]: `Bearer ${await this.token(job)}`, "content-type": "application/octet-stream" },
          ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
        });
      } catch (e) {
        const why = e instanceof Error && e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `unreachable (${e instanceof Error ? e.message : String(e)})`;
        this.life.die(`${this.url} ${why}`);
        throw new ExecutorLostError("EXECUTOR_LOST", `executor ${this.id} at ${this.url} is ${why}`, { details: { executorId: this.id, url: this.url }, cause: e });
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.ok) return bytes;
      let error: SerializedError | undefined;
      try { error = (JSON.parse(new TextDecoder().decode(bytes)) as { error?: SerializedError }).error; } catch { /* not JSON */ }
      if (response.status === 401 && error) {
        // A token this executor refuses although the driver signed it for this id: it is another executor now.
        this.life.die(`${this.url} refused the driver's token: ${error.message}`);
      }
      throw error ? CinderError.fromJSON(error) : new CinderError("TASK_FAILED", `executor ${this.id} answered ${method} ${path} with ${response.status}`, { details: { status: response.status } });
    });
  }

  async runTask(task: TaskDescription): Promise<TaskResult> {
    const body = encodeMessage({ task, peers: Object.fromEntries(this.options.peers) } satisfies TaskRequest);
    return decodeMessage(await this.request("POST", "/v1/tasks", task.jobId, body, this.options.taskTimeoutMs ?? 600_000)) as TaskResult;
  }

  async killTask(taskId: number, reason: string): Promise<void> {
    await this.request("DELETE", `/v1/tasks/${taskId}?reason=${encodeURIComponent(reason)}`, "driver");
  }

  fetchBlock(blockId: string): Promise<Batch[] | null> {
    return this.fetchBlocks([blockId]).then((b) => b[0] ?? null);
  }

  fetchBlocks(blockIds: string[]): Promise<(Batch[] | null)[]> {
    return this.life.guard(async () => this.options.transport.fetchBlocks(this.url, await this.token("driver"), blockIds));
  }

  async putTable(tableId: string, partitions: Batch[][]): Promise<void> {
    await this.request("PUT", `/v1/tables/${encodeURIComponent(tableId)}`, "driver", encodeMessage({ partitions: partitions.map((p) => encodeBlock(p)) }));
  }

  async putSource(path: string, data: Uint8Array | Blob): Promise<void> {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
    await this.request("PUT", `/v1/sources?path=${encodeURIComponent(path)}`, "driver", bytes);
  }

  removeShuffle(shuffleId: number): Promise<void> {
    return this.removal(this.request("DELETE", `/v1/shuffles/${shuffleId}`, "driver"));
  }

  removeRdd(rddId: number): Promise<void> {
    return this.removal(this.request("DELETE", `/v1/rdds/${rddId}`, "driver"));
  }

  /** Removals still in flight: a heartbeat after a removal waits for it, so what it reports includes it. */
  private readonly removals = new Set<Promise<unknown>>();

  private removal(request: Promise<unknown>): Promise<void> {
    const done = request.then(() => undefined);
    const tracked = done.catch(() => undefined).finally(() => this.removals.delete(tracked));
    this.removals.add(tracked);
    return done;
  }

  /** The health check as a heartbeat; another id at this URL means this executor is gone. */
  heartbeat(): Promise<ExecutorHeartbeat> {
    return this.life.guard(async () => {
      await Promise.all(this.removals);
      let health: EdgeHealth;
      try { health = await edgeHealth(this.url, this.options.requestTimeoutMs ?? 30_000); } catch (e) {
        this.life.die(`${this.url} does not answer its health check`);
        throw e;
      }
      if (health.id !== this.id) {
        this.life.die(`${this.url} now answers as executor ${health.id}: restarted, with none of this executor's blocks`);
        throw this.life.error();
      }
      return { executorId: this.id, blocks: health.blocks, blockBytes: health.blockBytes, runningTasks: health.runningTasks, shuffleBlocks: health.shuffleBlocks, shuffleMemoryRetained: health.shuffleMemoryRetained };
    });
  }

  /** Leaves the executor (it runs on; it is not this driver's to stop). */
  async stop(): Promise<void> {
    this.life.die("stopped");
  }

  /** Treats the executor as crashed; the harness that started it may stop it through `onKill`. */
  kill(reason = "killed"): void {
    if (!this.life.isAlive) return;
    this.life.die(reason);
    this.options.onKill?.(reason);
  }
}

