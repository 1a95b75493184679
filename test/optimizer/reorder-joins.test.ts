/** reorder_joins: join order from estimated sizes, predicate placement, OR factoring, fixed point. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { optimizeWithStats } from "../../src/optimizer/optimizer.ts";
import { reorderJoins } from "../../src/optimizer/reorder-joins.ts";
import { outputSchema } from "../../src/plan/logical-plan.ts";
import { printed, tree } from "./plan-text.ts";

describe("reorder_joins", () => {
  const s = new Session();
  s.range(0, 100000).selectExpr("id AS a").createOrReplaceTempView("big");
  s.range(0, 10).selectExpr("id AS b").createOrReplaceTempView("small");
  s.range(0, 1000).selectExpr("id AS c", "id % 10 AS cb").createOrReplaceTempView("mid");

  it("starts from the largest table, follows predicates (no cross join), and restores the column order", async () => {
    const df = s.sql("SELECT * FROM small, mid, big WHERE a = c AND cb = b");
    const result = optimizeWithStats(df.plan, [reorderJoins]);
    assert.ok(result.converged);
    assert.equal(optimizeWithStats(result.plan, [reorderJoins]).plan, result.plan, "not idempotent");
    assert.equal(printed(result.plan), tree(`
      Project [small.b#1, mid.c#2, mid.cb#3, big.a#4]
      +- Project [small.b#1, mid.c#2, mid.cb#3, big.a#4]
         +- Join inner, (mid.cb#3 = small.b#1)
            +- Join inner, (big.a#4 = mid.c#2)
               +- SubqueryAlias big
                  +- Project [a#5 AS a#4]
                     +- Project [id#6 AS a#5]
                        +- Scan range(0, 100000, 1) [id#6]
               +- SubqueryAlias mid
                  +- Project [c#7 AS c#2, cb#8 AS cb#3]
                     +- Project [id#9 AS c#7, (id#9 % CAST(10 AS int64)) AS cb#8]
                        +- Scan range(0, 1000, 1) [id#9]
            +- SubqueryAlias small
               +- Project [b#10 AS b#1]
                  +- Project [id#11 AS b#10]
                     +- Scan range(0, 10, 1) [id#11]`));
    assert.deepEqual(outputSchema(result.plan).map((f) => f.id), outputSchema(df.plan).map((f) => f.id));
    assert.equal(await s.sql("SELECT count(*) FROM small, mid, big WHERE a = c AND cb = b").collectArrays().then((r) => r[0]![0]), 1000);
  });

  it("factors a join key common to every OR branch so it can be a hash key (TPC-H Q19)", () => {
    const df = s.sql("SELECT count(*) FROM small, mid, big WHERE (a = c AND b = 1 AND cb = b) OR (a = c AND b = 2 AND cb = b)");
    const text = printed(optimizeWithStats(df.plan, [reorderJoins]).plan);
    assert.match(text, /Join inner, \(big\.a#\d+ = mid\.c#\d+\)/);
    assert.doesNotMatch(text, /Join cross/);
  });

  it("rewrites (a AND x) OR (a AND y) as a AND (x OR y), so the optimizer converges with each filter once (TPC-H Q19)", async () => {
    const sql = "SELECT count(*) FROM small JOIN mid ON (b = cb AND c > 5 AND b < 3) OR (b = cb AND c > 5 AND b > 7)";
    const result = optimizeWithStats(s.sql(sql).plan);
    assert.ok(result.converged, `did not converge: ${result.applied.slice(0, 12).join(", ")}`);
    const text = printed(result.plan);
    assert.match(text, /Join inner, \(small\.b#\d+ = mid\.cb#\d+\)\n/);
    assert.equal(text.match(/Filter /g)?.length, 2, text);
    assert.match(text, /Filter \(\(id#\d+ < 3\) OR \(id#\d+ > 7\)\)/);
    // b in {0, 1, 2} meets 99 values of c in 6..999 with c % 10 = b, b in {8, 9} meets 100.
    assert.equal((await s.sql(sql).collectArrays())[0]![0], 3 * 99 + 2 * 100);
  });

  it("leaves a join of two tables as written", () => {
    const df = s.sql("SELECT * FROM small JOIN big ON a = b");
    assert.equal(optimizeWithStats(df.plan, [reorderJoins]).plan, df.plan);
  });
});
