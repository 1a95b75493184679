import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { pushDownLimit } from "../../src/optimizer/push-down-limit.ts";
import { optimize } from "../../src/optimizer/optimizer.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

const RULES = [pushDownLimit];

describe("push down limit", () => {
  const session = new Session();
  let facts: DataFrame, dims: DataFrame;
  before(async () => { ({ facts, dims } = await loadTables(session, ["facts", "dims"]) as { facts: DataFrame; dims: DataFrame }); });

  it("moves a Limit below a Project and tells the scan how many rows are enough", () => {
    assertRewrite(facts.select(col("id"), col("k").plus(1).alias("k1")).limit(5), RULES, `
      Limit 5
      +- Project [id#1, (k#2 + 1) AS k1#3]
         +- Scan memory:t1 [id#1, k#2, v#4, s#5, d#6, p#7, g#8]
    `, `
      Project [id#1, (k#2 + 1) AS k1#3]
      +- Limit 5
         +- Scan memory:t1 [id#1, k#2, v#4, s#5, d#6, p#7, g#8] Limit: 5
    `);
  });

  it("limits every Union input and keeps the outer Limit", () => {
    assertRewrite(facts.select("id").union(dims.select("k")).limit(3), RULES, `
      Limit 3
      +- Union
         +- Project [id#1]
            +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
         +- Project [k#8]
            +- Scan memory:t2 [k#8, name#9, grp#10]
    `, `
      Limit 3
      +- Union
         +- Project [id#1]
            +- Limit 3
               +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7] Limit: 3
         +- Project [k#8]
            +- Limit 3
               +- Scan memory:t2 [k#8, name#9, grp#10] Limit: 3
    `);
  });

  it("does not pass a Filter or a Sort", () => {
    for (const df of [facts.filter(col("k").gt(1)).limit(3), facts.orderBy("v").limit(3)]) {
      assert.equal(optimize(df.plan, RULES), df.plan);
    }
  });

  it("merges consecutive limits, offsets included, and turns LIMIT 0 into an empty relation", () => {
    assertRewrite(facts.limit(10).offset(3).limit(4), RULES, `
      Limit 4
      +- Limit 9007199254740991 OFFSET 3
         +- Limit 10
            +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `, `
      Limit 4 OFFSET 3
      +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7] Limit: 7
    `);
    assertRewrite(facts.select("id").limit(0), RULES, `
      Limit 0
      +- Project [id#1]
         +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `, `
      Project [NULL AS id#1]
      +- Scan range(0, 0, 1) [id#2]
    `);
  });

  it("keeps a Limit right above a Sort so the planner can use a top-N", () => {
    assertRewrite(facts.orderBy("id").select(col("id"), col("v")).limit(5), RULES, `
      Limit 5
      +- Project [id#1, v#2]
         +- Sort [id#1 ASC NULLS FIRST]
            +- Scan memory:t1 [id#1, k#3, v#2, s#4, d#5, p#6, g#7]
    `, `
      Project [id#1, v#2]
      +- Limit 5
         +- Sort [id#1 ASC NULLS FIRST]
            +- Scan memory:t1 [id#1, k#3, v#2, s#4, d#5, p#6, g#7]
    `);
  });

  it("gives the same results as DuckDB", async () => {
    assertRowsEqual(
      await facts.orderBy("id").select(col("id"), col("v")).limit(5).collectArrays(),
      await duckRows("SELECT id, v FROM facts ORDER BY id LIMIT 5"), { ordered: true });
    assertRowsEqual(
      await facts.orderBy("id").select(col("id"), col("s")).offset(3).limit(4).collectArrays(),
      await duckRows("SELECT id, s FROM facts ORDER BY id LIMIT 4 OFFSET 3"), { ordered: true });
    assertRowsEqual(
      await facts.limit(10).offset(3).limit(4).select("id").collectArrays(),
      await duckRows("SELECT id FROM (SELECT * FROM facts LIMIT 10) LIMIT 4 OFFSET 3"));
    assert.equal((await facts.select("id").union(dims.select("k")).limit(3).collectArrays()).length, 3);
    assert.equal((await facts.select("id").union(dims.select("k")).limit(2010).collectArrays()).length, 2010);
    assert.deepEqual(await facts.select("id").limit(0).collectArrays(), []);
    const ids = (await facts.select(col("id"), col("k").plus(1).alias("k1")).limit(5).collectArrays()).map((r) => r[0]);
    assert.equal(ids.length, 5);
  });
});
