/** rewrite_subqueries: the joins each kind of subquery becomes, printed as plans. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { optimizeWithStats } from "../../src/optimizer/optimizer.ts";
import { rewriteSubqueries } from "../../src/optimizer/rewrite-subqueries.ts";
import { printed, tree } from "./plan-text.ts";

describe("rewrite_subqueries", () => {
  const s = new Session();
  s.createDataFrame([{ k: 1, v: 2.5 }], { schema: { k: "int", v: "double" } }).createOrReplaceTempView("t");
  s.createDataFrame([{ k: 1, w: 2 }], { schema: { k: "int", w: "int" } }).createOrReplaceTempView("u");
  const rewritten = (sql: string): string => {
    const result = optimizeWithStats(s.sql(sql).plan, [rewriteSubqueries]);
    assert.ok(result.converged);
    assert.equal(optimizeWithStats(result.plan, [rewriteSubqueries]).plan, result.plan, "not idempotent");
    return printed(result.plan).replace(/memory:t\d+/g, "memory");
  };

  it("correlated EXISTS becomes a left semi join on the correlation predicate", () => {
    assert.equal(rewritten("SELECT k FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k AND u.w > 1)"), tree(`
      Project [t.k#1]
      +- Join left_semi, (u.k#2 = t.k#1)
         +- SubqueryAlias t
            +- Scan memory [k#1, v#3]
         +- Project [1 AS 1#4, u.k#2]
            +- Filter (u.w#5 > 1)
               +- SubqueryAlias u
                  +- Scan memory [k#2, w#5]`));
  });

  it("NOT IN becomes a null-aware left anti join", () => {
    assert.equal(rewritten("SELECT k FROM t WHERE k NOT IN (SELECT w FROM u)"), tree(`
      Project [t.k#1]
      +- Join left_anti, (((t.k#1 = u.w#2) OR t.k#1 IS NULL) OR u.w#2 IS NULL)
         +- SubqueryAlias t
            +- Scan memory [k#1, v#3]
         +- Project [u.w#2]
            +- SubqueryAlias u
               +- Scan memory [k#4, w#2]`));
  });

  it("a correlated scalar aggregate is grouped by the correlation column and left-joined", () => {
    assert.equal(rewritten("SELECT k FROM t WHERE v > (SELECT avg(w) FROM u WHERE u.k = t.k)"), tree(`
      Project [t.k#1]
      +- Project [t.k#1, t.v#2]
         +- Filter (t.v#2 > avg(w)#3)
            +- Join left, (t.k#1 = __corr0#4)
               +- SubqueryAlias t
                  +- Scan memory [k#1, v#2]
               +- Aggregate [u.k#5], [avg(u.w#6) AS avg(w)#3, u.k#5 AS __corr0#4]
                  +- SubqueryAlias u
                     +- Scan memory [k#5, w#6]`));
  });

  it("an uncorrelated global aggregate is joined as its one row", () => {
    assert.equal(rewritten("SELECT k FROM t WHERE v > (SELECT avg(w) FROM u)"), tree(`
      Project [t.k#1]
      +- Project [t.k#1, t.v#2]
         +- Filter (t.v#2 > avg(w)#3)
            +- Join inner
               +- SubqueryAlias t
                  +- Scan memory [k#1, v#2]
               +- Aggregate [], [avg(u.w#4) AS avg(w)#3]
                  +- SubqueryAlias u
                     +- Scan memory [k#5, w#4]`));
  });

  it("a correlated count reads 0, not NULL, where no group matched", async () => {
    const rows = await s.sql("SELECT k, (SELECT count(*) FROM u WHERE u.w = t.k) AS n FROM t").collectArrays();
    assert.deepEqual(rows, [[1, 0]]);
  });
});
