import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { collapseProject } from "../../src/optimizer/collapse-project.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

describe("collapse project", () => {
  const session = new Session();
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"])) as { facts: DataFrame }; });

  it("merges a Project over a Project by substituting the inner aliases", () => {
    const df = facts.select(col("k").plus(1).alias("k1"), col("id")).select(col("k1").multiply(2).alias("k2"), col("id"));
    assertRewrite(df, [collapseProject], `
      Project [(k1#1 * 2) AS k2#2, id#3]
      +- Project [(k#4 + 1) AS k1#1, id#3]
         +- Scan memory:t1 [id#3, k#4, v#5, s#6, d#7, p#8, g#9]
    `, `
      Project [((k#1 + 1) * 2) AS k2#2, id#3]
      +- Scan memory:t1 [id#3, k#1, v#4, s#5, d#6, p#7, g#8]
    `);
  });

  it("keeps the id of an alias the outer Project only forwards, and renames through aliases", () => {
    const df = facts.withColumn("k1", col("k").plus(1)).withColumnRenamed("k1", "kk").select("kk", "s");
    assertRewrite(df, [collapseProject], `
      Project [kk#1, s#2]
      +- Project [id#3, k#4, v#5, s#2, d#6, p#7, g#8, k1#9 AS kk#1]
         +- Project [id#3, k#4, v#5, s#2, d#6, p#7, g#8, (k#4 + 1) AS k1#9]
            +- Scan memory:t1 [id#3, k#4, v#5, s#2, d#6, p#7, g#8]
    `, `
      Project [(k#1 + 1) AS kk#2, s#3]
      +- Scan memory:t1 [id#4, k#1, v#5, s#3, d#6, p#7, g#8]
    `);
  });

  it("does not merge when a non-trivial expression would be computed twice", () => {
    const df = facts.select(col("v").multiply(col("v")).alias("sq")).select(col("sq").plus(col("sq")).alias("twice"), col("sq"));
    const plan = df.plan;
    assert.equal(collapseProject.rewrite(plan), plan);
  });

  it("removes a Project that passes its input through unchanged", () => {
    const df = facts.select(...facts.columns);
    assertRewrite(df, [collapseProject], `
      Project [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
      +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `, `
      Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `);
  });

  it("gives the same results as DuckDB", async () => {
    assertRowsEqual(
      await facts.withColumn("k1", col("k").plus(1)).withColumn("k2", col("k1").multiply(2)).select("id", "k2").collectArrays(),
      await duckRows("SELECT id, (k + 1) * 2 FROM facts"));
    assertRowsEqual(
      await facts.select(col("v").multiply(col("v")).alias("sq"), col("id")).select(col("sq").plus(col("sq")).alias("t"), col("id")).filter(col("id").lt(50)).collectArrays(),
      await duckRows("SELECT v * v + v * v, id FROM facts WHERE id < 50"));
  });
});
