/**
 * Faults between edge executors, on loopback, not assumed: an executor
 * process killed after the map stage (its outputs are recomputed on the
 * survivors and the answer is right); a block fetch that times out,
 * answers 500, is cut off half-way or fails its checksum (retried, then a
 * FETCH_FAILED, and never a hang); an executor restarted at the same URL
 * (a new executor, not the old one).
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Session, sum, count, lit, CinderError } from "../../src/index.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import type { Batch } from "../../src/exec/column-vector.ts";
import { BlockTransport } from "../../src/cluster/http/block-transport.ts";
import { blockFrames } from "../../src/cluster/http/block-frames.ts";
import { startLocalExecutors, stopLocalExecutors } from "../../edge/local-executors.ts";
import { makeTables, assertSameRows } from "../cluster/executor-conformance.ts";
import { TEST_SECRET, startEdgeCluster } from "./support/edge-cluster.ts";

describe("an edge executor killed after the map stage", { timeout: 120_000 }, () => {
  it("the reduce stage fails its fetches, the lost map outputs rerun on the survivors, and the answer is right", async () => {
    const session = new Session({ "shuffle.partitions": 4, "adaptive.enabled": 0 });
    const local = session.backend;
    const { facts } = makeTables(session, 6000);
    const query = () => facts.groupBy("k").agg(sum("v").alias("sv"), count(lit(1)).alias("n"));
    const expected = await query().collectArrays();
    const { cluster, executors } = await startEdgeCluster(3, "node");
    const log = new EventLog(cluster.bus);
    try {
      session.backend = cluster.backend();
      let victim = "";
      const off = cluster.bus.on((e) => {
        // Once the map stage is done, SIGKILL a process that holds map outputs, before any reducer fetched them.
        if (victim || e.type !== "StageCompleted" || e.kind !== "shuffleMap") return;
        victim = log.of("TaskEnd").find((t) => t.stageId === e.stageId && t.result === "success")!.executorId;
        executors.find((x) => x.id === victim)!.kill();
      });
      const rows = await query().collectArrays();
      off();
      assertSameRows(rows, expected, false, "after a kill between the stages");
      const mapStage = log.of("StageSubmitted")[0]!;
      const reruns = log.of("StageSubmitted").filter((s) => s.stageId === mapStage.stageId && s.attempt > 0);
      assert.ok(reruns.length >= 1, "the map stage was resubmitted for the lost outputs");
      const lost = log.of("TaskEnd").filter((t) => t.stageId === mapStage.stageId && t.stageAttempt === 0 && t.executorId === victim).map((t) => t.partition).sort();
      assert.deepEqual([...new Set(reruns.flatMap((s) => s.partitions))].sort(), lost, "only the killed executor's map partitions rerun");
      assert.ok(log.of("TaskEnd").some((t) => t.result === "fetchFailed" || t.result === "executorLost"), "a reducer saw the loss");
      assert.ok(log.of("TaskStart").filter((t) => t.stageId === mapStage.stageId && t.stageAttempt > 0).every((t) => t.executorId !== victim), "reruns ran on survivors");
    } finally {
      session.backend = local;
      await cluster.stop();
    }
  });
});

type Fault = "timeout" | "500" | "cut" | "checksum" | "none";

describe("block fetches that go wrong (a misbehaving server on 127.0.0.1)", { timeout: 60_000 }, () => {
  let server: Server;
  let url: string;
  let faults: Fault[] = [];
  let requests = 0;
  const block: Batch[] = [{ numRows: 3, columns: [{ type: { kind: "int32" }, length: 3, values: new Int32Array([7, 8, 9]), validity: null }] }];

  before(async () => {
    const body = new Uint8Array(await new Response(blockFrames([block, null])).arrayBuffer());
    const corrupt = body.slice();
    corrupt[body.length >> 1] ^= 0xff;
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        requests++;
        const fault = faults.shift() ?? "none";
        if (fault === "timeout") return; // never answers; the client's AbortSignal ends it
        if (fault === "500") { res.writeHead(500, { "content-type": "application/json" }); res.end('{"error":{"code":"INTERNAL"}}'); return; }
        if (fault === "cut") {
          res.writeHead(200, { "content-length": String(body.length) });
          res.write(body.subarray(0, body.length >> 1));
          setTimeout(() => res.socket?.destroy(), 10);
          return;
        }
        res.writeHead(200, { "content-length": String(body.length) });
        res.end(fault === "checksum" ? corrupt : body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const transport = new BlockTransport({ timeoutMs: 300, retries: 2, backoffMs: 5 });

  for (const fault of ["timeout", "500", "cut", "checksum"] as const) {
    it(`${fault}: retried, and the block arrives when a later attempt succeeds`, async () => {
      faults = [fault, fault];
      requests = 0;
      const [got, missing] = await transport.fetchBlocks(url, "token", ["shuffle_1_0_0", "shuffle_1_1_0"]);
      assert.deepEqual(Array.from(got![0]!.columns[0]!.values), [7, 8, 9]);
      assert.equal(missing, null, "a block the holder lacks is null, not an error");
      assert.equal(requests, 3);
    });

    it(`${fault}: every attempt failing ends in FETCH_FAILED after the retries, within the timeouts`, async () => {
      faults = [fault, fault, fault];
      requests = 0;
      const started = Date.now();
      await assert.rejects(transport.fetchBlocks(url, "token", ["shuffle_1_0_0"]), (e: unknown) => {
        assert.ok(CinderError.is(e) && e.code === "FETCH_FAILED", String(e));
        assert.match((e as Error).message, /after 3 attempts/);
        return true;
      });
      assert.equal(requests, 3);
      assert.ok(Date.now() - started < 10_000, "no hang");
    });
  }
});

describe("an edge executor restarted at the same URL", { timeout: 60_000 }, () => {
  it("is a new executor: the driver drops the old one instead of trusting its blocks", async () => {
    const [first] = await startLocalExecutors({ executors: 1, runtime: "node", secret: TEST_SECRET });
    const port = new URL(first!.url).port;
    const cluster = await Cluster.connect({ executors: [first!.url], secret: TEST_SECRET, heartbeat: { intervalMs: 60_000 } });
    const old = cluster.executors[0]!;
    await first!.stop();
    const [second] = await startLocalExecutors({ executors: 1, runtime: "node", secret: TEST_SECRET, nodeArgs: ["--port", port] });
    try {
      assert.equal(second!.url, first!.url);
      assert.notEqual(second!.id, old.id);
      await assert.rejects(old.heartbeat(), (e: unknown) => CinderError.is(e) && e.code === "EXECUTOR_LOST");
      assert.equal(old.isAlive, false);
      assert.match(await old.lost, /restarted/);
    } finally {
      await cluster.stop();
      await stopLocalExecutors([second!]);
    }
  });

  it("a URL that does not answer is reported and left out; the job runs on the others", async () => {
    const [alive] = await startLocalExecutors({ executors: 1, runtime: "node", secret: TEST_SECRET });
    const dead = "http://127.0.0.1:9"; // the discard port: nothing listens there
    const cluster = await Cluster.connect({ executors: [alive!.url, dead], secret: TEST_SECRET });
    try {
      assert.equal(cluster.executors.length, 1);
      assert.equal(cluster.unreachable[0]?.url, dead);
      const session = new Session();
      session.backend = cluster.backend();
      assert.equal(await session.createDataFrame([{ a: 1 }, { a: 2 }]).count(), 2);
    } finally {
      await cluster.stop();
      await stopLocalExecutors([alive!]);
    }
  });
});
