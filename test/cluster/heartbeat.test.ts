/**
 * Heartbeats: an executor whose thread never answers again (a user function
 * in an endless loop) is declared lost after `network.timeout`, so its job
 * fails with a typed error naming the missing heartbeat instead of hanging;
 * an executor that is merely busy for a while is left alone. The receiver's
 * bookkeeping is also checked on its own, with a clock the test drives.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, CinderError } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { HeartbeatReceiver } from "../../src/scheduler/heartbeat-receiver.ts";
import type { Executor } from "../../src/executor/executor.ts";

describe("heartbeats", () => {
  it("declares a hung worker-thread executor lost, and its job fails with a typed error instead of hanging", async () => {
    const cluster = await Cluster.start({ executors: 2, kind: "worker-thread", heartbeat: { intervalMs: 100, timeoutMs: 1500 } });
    const log = new EventLog(cluster.bus);
    const session = new Session();
    session.backend = cluster.backend();
    try {
      const hang = session.parallelize([1, 2, 3, 4], 2).map((x: number) => { for (;;) { if (x < 0) return x; } });
      await assert.rejects(hang.collect(), (e: unknown) => {
        assert.ok(CinderError.is(e), String(e));
        assert.equal(e.code, "EXECUTOR_LOST");
        assert.match(e.message, /no heartbeat for \d+ ms \(network\.timeout is 1500 ms\)/);
        return true;
      });
      const removed = log.of("ExecutorRemoved");
      assert.equal(removed.length, 2, "both hung executors are removed");
      assert.ok(removed.every((r) => /heartbeat/.test(r.reason)), JSON.stringify(removed));
    } finally { await cluster.stop(); }
  });

  it("leaves an executor that is busy for less than the timeout alone", async () => {
    const cluster = await Cluster.start({ executors: 1, kind: "worker-thread", heartbeat: { intervalMs: 50, timeoutMs: 5000 } });
    const log = new EventLog(cluster.bus);
    const session = new Session();
    session.backend = cluster.backend();
    try {
      // Each task keeps the worker's thread busy (no heartbeat answered) for 300 ms.
      const busy = session.parallelize([1, 2, 3], 3).map((x: number) => { const end = Date.now() + 300; while (Date.now() < end); return x * 10; });
      assert.deepEqual((await busy.collect()).sort((a, b) => a - b), [10, 20, 30]);
      assert.equal(log.of("ExecutorRemoved").length, 0);
      assert.ok(cluster.executors.every((e) => e.isAlive));
    } finally { await cluster.stop(); }
  });

  it("expires an executor once, only after the timeout, and only while no answer came", async () => {
    let answer: () => void = () => undefined;
    const executor = {
      id: "e", isAlive: true,
      heartbeat: () => new Promise((resolve) => { answer = () => resolve({}); }),
    } as unknown as Executor;
    const expired: string[] = [];
    const receiver = new HeartbeatReceiver(() => [executor], (id) => expired.push(id), { intervalMs: 10, timeoutMs: 100 });
    receiver.check(0);
    receiver.check(90);
    assert.deepEqual(expired, []);
    answer();
    await new Promise((r) => setImmediate(r));
    receiver.check(Date.now() + 50);
    assert.deepEqual(expired, [], "an answer resets the clock");
    receiver.check(Date.now() + 500);
    assert.deepEqual(expired, ["e"]);
    receiver.check(Date.now() + 510);
    assert.deepEqual(expired, ["e"], "expired once, not again on the next round");
  });
});
