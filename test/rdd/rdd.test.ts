/**
 * The RDD suite in Node on the local backend and on clusters of 2
 * executors (in-process, worker threads), plus checks that need Node:
 * word count equals DuckDB's GROUP BY on the same words, and local and
 * worker-thread results are identical element for element.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { rddSuite, makeLines } from "./rdd-suite.ts";

rddSuite({ describe, it, before, after }, { name: "the local backend", distributed: false, start: async () => null });
rddSuite({ describe, it, before, after }, { name: "an in-process cluster of 2", distributed: true, start: () => Cluster.start({ executors: 2, kind: "in-process" }) });
rddSuite({ describe, it, before, after }, { name: "a worker-thread cluster of 2", distributed: true, start: () => Cluster.start({ executors: 2, kind: "worker-thread" }) });

describe("RDD word count against DuckDB, local and on worker threads", () => {
  let cluster: Cluster;
  before(async () => { cluster = await Cluster.start({ executors: 2, kind: "worker-thread" }); });
  after(async () => { await cluster.stop(); });

  it("reduceByKey equals DuckDB's GROUP BY on the same words, and both backends agree element for element", async () => {
    // The words come from DuckDB, so both engines count exactly the same input.
    const words = (await duckRows("SELECT 'w' || ((i * 7919) % 997 % (1 + i % 53)) FROM range(30000) t(i) ORDER BY i")).map((r) => String(r[0]));
    const lines: string[] = [];
    for (let i = 0; i < words.length; i += 10) lines.push(words.slice(i, i + 10).join(" "));
    const expected = (await duckRows(`SELECT w, count(*)::INTEGER FROM (SELECT 'w' || ((i * 7919) % 997 % (1 + i % 53)) AS w FROM range(30000) t(i)) GROUP BY w ORDER BY w`))
      .map(([w, n]) => [String(w), Number(n)]);

    const count = async (session: Session) => (await session.parallelize(lines, 4)
      .flatMap((line) => line.split(" "))
      .map((w): [string, number] => [w, 1])
      .reduceByKey((a, b) => a + b, 3)
      .collect());
    const local = await count(new Session());
    const onCluster = new Session();
    onCluster.backend = cluster.backend();
    const distributed = await count(onCluster);
    const sorted = (r: [string, number][]) => [...r].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    assert.deepEqual(sorted(local), expected);
    assert.deepEqual(distributed, local, "same partitions, same order");
  });

  it("the suite's text gives the same groupByKey and join on both backends", async () => {
    const run = async (session: Session) => {
      const pairs = session.parallelize(makeLines(50), 3).flatMap((l) => l.split(" ")).map((w): [string, number] => [w, w.length]);
      return { groups: await pairs.groupByKey(2).mapValues((vs) => vs.length).collect(), joined: await pairs.reduceByKey((a, b) => a + b).join(pairs.mapValues((n) => -n)).count() };
    };
    const onCluster = new Session();
    onCluster.backend = cluster.backend();
    assert.deepEqual(await run(onCluster), await run(new Session()));
  });
});

describe("RDD plans", () => {
  const normalize = (text: string) => text.replace(/\[id=\d+\]/g, "[id=N]").replace(/memory:\S+/g, "memory:T");

  it("fuse narrow steps into one MapPartitionsExec per stage and shuffle by the key column", () => {
    const session = new Session();
    const pairs = session.parallelize(["a b", "b"], 2).flatMap((l) => l.split(" ")).map((w): [string, number] => [w, 1]);
    assert.equal(normalize(pairs.reduceByKey((a, b) => a + b, 3).filter(([, n]) => n > 1).explain()), [
      "MapPartitionsExec [reduceByKey, filter] pair->value",
      "+- Exchange hashpartitioning(#0, 3) [id=N]",
      "   +- MapPartitionsExec [flatMap, map, reduceByKey] value->pair",
      "      +- ScanExec memory:T [value] partitions=2",
    ].join("\n"));
  });

  it("join both sides by key into a shuffled hash join; a broadcast is a one-row scan under the node whose function reads it", () => {
    const session = new Session();
    const bc = session.broadcast(2);
    const left = session.parallelize([[1, "a"]] as [number, string][], 2);
    const right = session.parallelize([[1, 10]] as [number, number][], 1).mapValues((v) => v * bc.value, { bc });
    assert.equal(normalize(left.join(right).explain()), [
      "MapPartitionsExec [] joined->value",
      "+- ShuffledHashJoinExec inner [#0] = [#0] build=right",
      "   +- Exchange hashpartitioning(#0, 2) [id=N]",
      "      +- MapPartitionsExec [] value->pair",
      "         +- ScanExec memory:T [value] partitions=2",
      "   +- Exchange hashpartitioning(#0, 2) [id=N]",
      "      +- MapPartitionsExec [mapValues] value->pair",
      "         +- ScanExec memory:T [value] partitions=1",
      "         +- ScanExec memory:T [value] partitions=1",
    ].join("\n"));
  });
});
