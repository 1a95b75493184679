/**
 * CollapseRepartition: the upper of two repartitions decides; a hash or
 * range repartition drops a Sort under it; a coalesce over a shuffle stays
 * unless it would do nothing. Results equal DuckDB's either way.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { collapseRepartition } from "../../src/optimizer/collapse-repartition.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

describe("collapse repartition", () => {
  const session = new Session({ "shuffle.partitions": 4 });
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"], 3)) as { facts: DataFrame }; });

  it("a shuffling repartition drops the repartition and the coalesce under it", () => {
    assertRewrite(facts.select("id", "k").repartition(8).coalesce(2).repartition(5, "k"), [collapseRepartition], `
      RepartitionByExpression [k#1], 5
      +- Repartition 2, false
         +- Repartition 8, true
            +- Project [id#2, k#1]
               +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
    `, `
      RepartitionByExpression [k#1], 5
      +- Project [id#2, k#1]
         +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
    `);
  });

  it("a hash or range repartition drops a sort under it; a round robin keeps it", () => {
    assertRewrite(facts.select("id").orderBy("id").repartitionByRange(3, "id"), [collapseRepartition], `
      RepartitionByExpression [id#1 ASC NULLS FIRST], 3
      +- Sort [id#1 ASC NULLS FIRST]
         +- Project [id#1]
            +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `, `
      RepartitionByExpression [id#1 ASC NULLS FIRST], 3
      +- Project [id#1]
         +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `);
    const roundRobin = facts.orderBy("id").repartition(3).plan;
    assert.equal(collapseRepartition.rewrite(roundRobin), roundRobin);
  });

  it("a coalesce over a shuffle stays when it cuts partitions and goes when it would not", () => {
    const cutting = facts.repartition(6).coalesce(2).plan;
    assert.equal(collapseRepartition.rewrite(cutting), cutting);
    const unknown = facts.repartition("k").coalesce(2).plan; // shuffle.partitions is not known before planning
    assert.equal(collapseRepartition.rewrite(unknown), unknown);
    const idle = facts.repartition(3, "k").coalesce(5);
    assert.equal(collapseRepartition.rewrite(idle.plan), (idle.plan as { input: unknown }).input);
    assert.equal(idle.numPartitions, 3);
  });

  it("two coalesces become one, to the smaller count", () => {
    const df = facts.coalesce(1).coalesce(2);
    assert.equal(df.numPartitions, 1);
    assert.match(df.explain(), /== Optimized Logical Plan ==\nRepartition 1, false\n\+- Scan/);
  });

  it("gives the same results as DuckDB", async () => {
    const df = facts.orderBy("v").repartition(8).repartition(5, "k").filter(col("k").lt(10)).select("id", "k");
    assert.equal(df.numPartitions, 5);
    assert.equal(df.explain(false).match(/Exchange/g)?.length, 1, df.explain(false));
    assertRowsEqual(await df.collectArrays(), await duckRows("SELECT id, k FROM facts WHERE k < 10"));
  });
});
