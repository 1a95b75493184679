/**
 * What an edge executor refuses, tested on a real Node executor process on
 * 127.0.0.1 with raw HTTP: no route but health answers without a job
 * token; a missing, forged, expired, wrong-executor or wrong-job token gets
 * 401 and runs nothing; a shuffle block is served only to its own job; an
 * oversized body gets 413 and stores nothing; errors are JSON with a code
 * and no stack; CORS is off; RDD functions run only where code is allowed.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { CONFIG_DEFAULTS } from "../../src/common/config.ts";
import type { TaskDescription } from "../../src/executor/task.ts";
import type { PhysicalPlan } from "../../src/physical/physical-plan.ts";
import { encodeBlock } from "../../src/exec/block-ipc.ts";
import { JobTokenSigner } from "../../src/cluster/http/job-token.ts";
import type { JobClaims } from "../../src/cluster/http/job-token.ts";
import { encodeMessage } from "../../src/cluster/http/wire.ts";
import { CHECKSUM_HEADER } from "../../src/cluster/http/block-transport.ts";
import { startLocalExecutors, stopLocalExecutors } from "../../edge/local-executors.ts";
import type { LocalExecutor } from "../../edge/local-executors.ts";
import { TEST_SECRET } from "./support/edge-cluster.ts";

const MAX_BODY = 64 * 1024;

describe("edge executor security (a Node executor on 127.0.0.1)", { timeout: 60_000 }, () => {
  let executor: LocalExecutor;
  let signer: JobTokenSigner;
  const session = new Session();
  const df = session.createDataFrame(Array.from({ length: 100 }, (_, i) => ({ k: i % 5, v: i })), { schema: { k: "int", v: "double" } });
  const scan = session.planPhysical(session.optimize(df.plan));
  const tableId = (scan as Extract<PhysicalPlan, { type: "ScanExec" }>).source.kind === "memory" ? (scan as { source: { tableId: string } }).source.tableId : "";

  const token = (claims: Partial<JobClaims> = {}, by = signer) =>
    by.sign({ job: "driver", executor: executor.id, exp: Date.now() + 60_000, ...claims });
  const call = async (method: string, path: string, auth: string | null, body?: Uint8Array, headers: Record<string, string> = {}) => {
    const response = await fetch(new URL(path, executor.url), {
      method, headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers }, ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
    });
    return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as { error?: { code: string; message: string; stack?: string } };
  const health = async () => (await (await fetch(new URL("/v1/health", executor.url))).json()) as { tasksRun: number; blocks: number };
  const mapTask = (jobId: number, shuffleId: number, plan: PhysicalPlan = scan): TaskDescription => ({
    jobId, stageId: 1, stageAttempt: 0, taskId: 1, attempt: 0, partition: 0, plan, shuffles: {}, config: { ...CONFIG_DEFAULTS },
    output: { kind: "shuffle", shuffleId, partitioning: { kind: "hash", numPartitions: 2, keys: [{ type: "boundRef", index: 0, dataType: { kind: "int32" }, nullable: false }] } },
  });
  const taskBody = (task: TaskDescription) => encodeMessage({ task, peers: {} });

  before(async () => {
    [executor] = await startLocalExecutors({ executors: 1, runtime: "node", secret: TEST_SECRET, nodeArgs: ["--max-body-bytes", String(MAX_BODY)] });
    signer = await JobTokenSigner.create(TEST_SECRET);
    const shipped = await call("PUT", `/v1/tables/${tableId}`, await token(), encodeMessage({ partitions: [encodeBlock(session.sources.tablePartitions(tableId)![0]!)] }));
    assert.equal(shipped.status, 200);
  });
  after(async () => { await stopLocalExecutors(executor ? [executor] : []); });

  it("answers health without a token, and nothing else", async () => {
    assert.equal((await call("GET", "/v1/health", null)).status, 200);
    const before = await health();
    for (const [method, path, body] of [
      ["POST", "/v1/tasks", taskBody(mapTask(1, 10))], ["GET", "/v1/blocks/shuffle_10_0_0", undefined], ["POST", "/v1/blocks/fetch", encodeMessage({ blockIds: ["x"] })],
      ["PUT", "/v1/tables/t9", encodeMessage({ partitions: [] })], ["PUT", "/v1/sources?path=memory:x", new Uint8Array(4)], ["DELETE", "/v1/shuffles/10", undefined], ["DELETE", "/v1/rdds/1", undefined],
    ] as const) {
      const r = await call(method, path, null, body);
      assert.equal(r.status, 401, `${method} ${path} without a token`);
      assert.equal(json(r.bytes).error?.code, "UNAUTHORIZED");
    }
    assert.equal((await health()).tasksRun, before.tasksRun, "no task ran");
  });

  it("refuses forged, expired, wrong-executor and wrong-job tokens, and runs nothing", async () => {
    const before = (await health()).tasksRun;
    const other = await JobTokenSigner.create("another secret");
    const cases: [string, string][] = [
      ["forged", await token({ job: 1 }, other)],
      ["expired", await token({ job: 1, exp: Date.now() - 1 })],
      ["wrong executor", await token({ job: 1, executor: "edge-someone-else" })],
      ["wrong job", await token({ job: 2 })],
      ["malformed", "not-a-token"],
      ["tampered", (await token({ job: 1 })).replace(/^./, "x")],
    ];
    for (const [what, t] of cases) {
      const r = await call("POST", "/v1/tasks", t, taskBody(mapTask(1, 11)));
      assert.equal(r.status, 401, what);
      assert.equal(json(r.bytes).error?.code, "UNAUTHORIZED", what);
    }
    assert.equal((await health()).tasksRun, before, "none of them ran a task");
    const ok = await call("POST", "/v1/tasks", await token({ job: 1 }), taskBody(mapTask(1, 11)));
    assert.equal(ok.status, 200, "the right token runs the task");
    assert.equal((await health()).tasksRun, before + 1);
  });

  it("serves a shuffle block only to its own job (and the driver), with a checksum", async () => {
    assert.equal((await call("POST", "/v1/tasks", await token({ job: 5 }), taskBody(mapTask(5, 77)))).status, 200);
    const block = "/v1/blocks/shuffle_77_0_0";
    assert.equal((await call("GET", block, await token({ job: 6 }))).status, 401, "another job's token");
    const mine = await call("GET", block, await token({ job: 5 }));
    assert.equal(mine.status, 200);
    assert.match(mine.headers.get(CHECKSUM_HEADER) ?? "", /^sha1-[0-9a-f]{40}$/);
    assert.equal(Number(mine.headers.get("content-length")), mine.bytes.length);
    assert.equal((await call("GET", block, await token())).status, 200, "the driver's token");
    assert.equal((await call("DELETE", "/v1/shuffles/77", await token({ job: 6 }))).status, 401, "another job cannot drop it");
    const missing = await call("GET", "/v1/blocks/shuffle_999_0_0", await token());
    assert.equal(missing.status, 404);
    assert.equal(json(missing.bytes).error?.code, "BLOCK_NOT_FOUND");
  });

  it("answers an oversized body with 413 and stores nothing", async () => {
    const before = await health();
    const r = await call("PUT", "/v1/sources?path=memory:big", await token(), new Uint8Array(MAX_BODY + 1));
    assert.equal(r.status, 413);
    assert.equal(json(r.bytes).error?.code, "PAYLOAD_TOO_LARGE");
    assert.equal((await health()).blocks, before.blocks);
  });

  it("answers errors as JSON with a code and no stack trace", async () => {
    const bad = mapTask(8, 12, { ...scan, source: { kind: "memory", tableId: "never-shipped", numPartitions: 1, rowCount: 1, sizeBytes: 1 } } as PhysicalPlan);
    const r = await call("POST", "/v1/tasks", await token({ job: 8 }), taskBody(bad));
    assert.ok(r.status >= 400 && r.status < 600, `status ${r.status}`);
    const text = new TextDecoder().decode(r.bytes);
    const body = json(r.bytes);
    assert.equal(body.error?.code, "IO_ERROR");
    assert.match(body.error!.message, /was not shipped/);
    assert.equal(body.error?.stack, undefined);
    assert.doesNotMatch(text, /\n\s+at /, "no stack frames");
    const unknown = await call("GET", "/v1/nothing", await token());
    assert.equal(unknown.status, 404);
    assert.equal(json(unknown.bytes).error?.code, "NOT_FOUND");
  });

  it("has CORS off unless origins are configured", async () => {
    const r = await call("OPTIONS", "/v1/health", null, undefined, { origin: "https://evil.example", "access-control-request-method": "GET" });
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    const g = await call("GET", "/v1/health", null, undefined, { origin: "https://evil.example" });
    assert.equal(g.headers.get("access-control-allow-origin"), null);
  });

  it("refuses RDD functions unless code is allowed", async () => {
    const mapPartitions: PhysicalPlan = {
      type: "MapPartitionsExec", schema: scan.schema, input: scan, steps: [], inputLayout: "value", outputLayout: "value", broadcasts: [],
    } as unknown as PhysicalPlan;
    const before = (await health()).tasksRun;
    const r = await call("POST", "/v1/tasks", await token({ job: 9 }), taskBody(mapTask(9, 13, mapPartitions)));
    assert.equal(r.status, 422);
    const body = json(r.bytes) as { error?: { name?: string; code: string; message: string } };
    assert.equal(body.error?.name, "CodeGenerationError");
    assert.match(body.error!.message, /does not run RDD functions/);
    assert.equal((await health()).tasksRun, before);
  });
});
