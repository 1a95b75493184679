/**
 * push_semi_join_through_join: a LEFT SEMI / LEFT ANTI join moves below an
 * inner join onto the side its condition reads when that side is smaller
 * than the join, and stays on top when it is the join's largest input;
 * results are unchanged either way.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { optimizeWithStats } from "../../src/optimizer/optimizer.ts";
import { printed } from "./plan-text.ts";

describe("push_semi_join_through_join", () => {
  const s = new Session();
  s.range(0, 100000).selectExpr("id AS a").createOrReplaceTempView("big");
  s.range(0, 10).selectExpr("id AS b").createOrReplaceTempView("small");
  s.range(0, 5).selectExpr("id * 2 + 1 AS x").createOrReplaceTempView("odd"); // 1, 3, 5, 7, 9
  s.range(0, 50).selectExpr("id AS y").createOrReplaceTempView("first50");

  /** The optimized plan's text, the lines of its join nodes in order, and the query's single count. */
  async function run(sql: string): Promise<{ joins: string[]; count: unknown }> {
    const result = optimizeWithStats(s.sql(sql).plan);
    assert.ok(result.converged);
    const joins = printed(result.plan).split("\n").filter((l) => l.includes("Join ")).map((l) => l.trim().replace(/^\+- /, ""));
    return { joins, count: (await s.sql(sql).collectArrays())[0]![0] };
  }

  it("moves a semi join onto the smaller side of an inner join", async () => {
    const { joins, count } = await run("SELECT count(*) FROM big JOIN small ON a % 10 = b LEFT SEMI JOIN odd ON b = x");
    assert.match(joins[0]!, /^Join inner/);
    assert.match(joins[1]!, /^Join left_semi/);
    assert.equal(count, 5 * 10000);
  });

  it("moves an anti join (NOT EXISTS) the same way", async () => {
    const { joins, count } = await run("SELECT count(*) FROM big JOIN small ON a % 10 = b WHERE NOT EXISTS (SELECT 1 FROM odd WHERE x = b)");
    assert.match(joins[0]!, /^Join inner/);
    assert.match(joins[1]!, /^Join left_anti/);
    assert.equal(count, 5 * 10000);
  });

  it("leaves it on top when it reads the join's largest input", async () => {
    const { joins, count } = await run("SELECT count(*) FROM big JOIN small ON a % 10 = b LEFT SEMI JOIN first50 ON a = y");
    assert.match(joins[0]!, /^Join left_semi/);
    assert.equal(count, 50);
  });
});
