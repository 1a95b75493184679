/**
 * Adaptive "demote to broadcast": a join planned as a sort-merge join (its
 * filtered side estimated large) whose side measured under
 * autoBroadcastJoinThreshold once the map stages ran becomes a hash join
 * building that side whole in every task; the StageSubmitted event says so
 * and names the operators the tasks now run; answers are unchanged. A full
 * outer join, which would emit the build side's unmatched rows once per
 * task, stays a sort-merge join; so does everything with adaptive off.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { assertRowsEqual } from "../support/compare.ts";

function tables(session: Session) {
  const big = session.createDataFrame(Array.from({ length: 60_000 }, (_, i) => ({ k: i % 5000, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 4 });
  const other = session.createDataFrame(Array.from({ length: 60_000 }, (_, i) => ({ k: (i * 7) % 5000, w: i })), { schema: { k: "int", w: "bigint" }, numPartitions: 4 });
  // The planner cannot know this keeps 0.1% of the rows: it plans a shuffle of both sides.
  const small = other.filter(col("w").mod(1000).eq(0));
  return { big, small };
}

async function run(adaptive: boolean, join: (big: DataFrame, small: DataFrame) => DataFrame) {
  const session = new Session({ "shuffle.partitions": 4, autoBroadcastJoinThreshold: 64 * 1024, "adaptive.enabled": adaptive ? 1 : 0 });
  const { big, small } = tables(session);
  const expected = await join(big, small).collectArrays();
  const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
  const log = new EventLog(cluster.bus);
  session.backend = cluster.backend();
  try {
    const plan = join(big, small).explain(false);
    const rows = await join(big, small).collectArrays();
    assertRowsEqual(rows, expected);
    const stages = log.of("StageSubmitted");
    return { plan, stages, analyzed: await join(big, small).explain("analyze") };
  } finally { await cluster.stop(); }
}

const inner = (big: DataFrame, small: DataFrame) => big.join(small, "k").select("k", "v", "w");
const left = (big: DataFrame, small: DataFrame) => big.join(small, big.col("k").eq(small.col("k")), "left").select(big.col("v"), small.col("w"));
const full = (big: DataFrame, small: DataFrame) => big.join(small, big.col("k").eq(small.col("k")), "full").select(big.col("v"), small.col("w"));

describe("adaptive demotion of a join to a hash join over a small side", () => {
  for (const [name, join] of [["inner", inner], ["left outer", left]] as const) {
    it(`${name}: planned as a sort-merge join, run as a hash join building the small side`, async () => {
      const { plan, stages, analyzed } = await run(true, join);
      // explain("analyze") shows the stages as they ran, with the change.
      assert.match(analyzed, /== Stages \(as run\) ==[\s\S]*adaptive: .*SortMergeJoinExec demoted to a hash join building the right side \(\d+ bytes measured\)/);
      assert.match(plan, /SortMergeJoin/, "the plan before running is a sort-merge join");
      const joinStage = stages.find((s) => s.demotedJoins?.length);
      assert.ok(joinStage, JSON.stringify(stages.map((s) => s.operators)));
      assert.deepEqual(joinStage.demotedJoins!.map((d) => [d.from, d.buildSide]), [["SortMergeJoinExec", "right"]]);
      assert.ok(joinStage.demotedJoins![0]!.buildBytes <= 64 * 1024);
      assert.ok(joinStage.operators[0]!.startsWith("ShuffledHashJoinExec") && !joinStage.operators.some((o) => o.includes("SortMerge")), JSON.stringify(joinStage.operators));
    });
  }

  it("a full outer join stays a sort-merge join, and nothing is demoted with adaptive execution off", async () => {
    assert.ok((await run(true, full)).stages.every((s) => !s.demotedJoins));
    assert.ok((await run(false, inner)).stages.every((s) => !s.demotedJoins));
  });
});
