import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, sum, first } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { eliminateSorts } from "../../src/optimizer/eliminate-sorts.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

const RULES = [eliminateSorts];

describe("eliminate sorts", () => {
  const session = new Session();
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"])) as { facts: DataFrame }; });

  it("drops a Sort directly below another Sort", () => {
    assertRewrite(facts.orderBy("v").orderBy(col("id").desc()), RULES, `
      Sort [id#1 DESC NULLS LAST]
      +- Sort [v#2 ASC NULLS FIRST]
         +- Scan memory:t1 [id#1, k#3, v#2, s#4, d#5, p#6, g#7]
    `, `
      Sort [id#1 DESC NULLS LAST]
      +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `);
  });

  it("drops a Sort below an order-insensitive Aggregate or a Distinct, not below first()", () => {
    assertRewrite(facts.orderBy("v").groupBy("k").agg(sum("v").alias("sv")), RULES, `
      Aggregate [k#1], [k#1, sum(v#2) AS sv#3]
      +- Sort [v#2 ASC NULLS FIRST]
         +- Scan memory:t1 [id#4, k#1, v#2, s#5, d#6, p#7, g#8]
    `, `
      Aggregate [k#1], [k#1, sum(v#2) AS sv#3]
      +- Scan memory:t1 [id#4, k#1, v#2, s#5, d#6, p#7, g#8]
    `);
    assertRewrite(facts.select("k").orderBy("k").distinct(), RULES, `
      Distinct
      +- Sort [k#1 ASC NULLS FIRST]
         +- Project [k#1]
            +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
    `, `
      Distinct
      +- Project [k#1]
         +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
    `);
    const ordered = facts.orderBy("id").groupBy("k").agg(first("s").alias("fs")).plan;
    assert.equal(eliminateSorts.rewrite(ordered), ordered);
  });

  it("gives the same results as DuckDB", async () => {
    assertRowsEqual(
      await facts.orderBy("v").orderBy(col("id").desc()).select("id").limit(7).collectArrays(),
      await duckRows("SELECT id FROM facts ORDER BY id DESC LIMIT 7"), { ordered: true });
    assertRowsEqual(
      await facts.orderBy("v").groupBy("k").agg(sum("v").alias("sv")).collectArrays(),
      await duckRows("SELECT k, sum(v) FROM facts GROUP BY k"));
  });
});
