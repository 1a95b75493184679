import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

// `id` as the last key makes every order fully determined, so rows are compared in order.
const CASES: { name: string; cinder: (df: DataFrame) => DataFrame; sql: string }[] = [
  { name: "int asc nulls first", cinder: (df) => df.orderBy(col("k").ascNullsFirst(), "id"), sql: "ORDER BY k ASC NULLS FIRST, id" },
  { name: "int asc nulls last", cinder: (df) => df.orderBy(col("k").ascNullsLast(), "id"), sql: "ORDER BY k ASC NULLS LAST, id" },
  { name: "int desc nulls first", cinder: (df) => df.orderBy(col("k").descNullsFirst(), "id"), sql: "ORDER BY k DESC NULLS FIRST, id" },
  { name: "int desc nulls last", cinder: (df) => df.orderBy(col("k").descNullsLast(), "id"), sql: "ORDER BY k DESC NULLS LAST, id" },
  { name: "double asc", cinder: (df) => df.orderBy(col("v").ascNullsLast(), "id"), sql: "ORDER BY v ASC NULLS LAST, id" },
  { name: "double desc nulls first", cinder: (df) => df.orderBy(col("v").descNullsFirst(), col("id").desc()), sql: "ORDER BY v DESC NULLS FIRST, id DESC" },
  { name: "string asc", cinder: (df) => df.orderBy("s", "id"), sql: "ORDER BY s ASC NULLS FIRST, id" },
  { name: "string desc", cinder: (df) => df.orderBy(col("s").desc(), "id"), sql: "ORDER BY s DESC NULLS LAST, id" },
  { name: "date desc", cinder: (df) => df.orderBy(col("d").desc(), "id"), sql: "ORDER BY d DESC, id" },
  { name: "decimal asc", cinder: (df) => df.orderBy("p", col("id").desc()), sql: "ORDER BY p, id DESC" },
  { name: "multi-key", cinder: (df) => df.orderBy(col("g").desc(), col("k").ascNullsLast(), col("s").desc(), "id"), sql: "ORDER BY g DESC, k ASC NULLS LAST, s DESC, id" },
  { name: "id alone (radix path)", cinder: (df) => df.orderBy(col("id").desc()), sql: "ORDER BY id DESC" },
  { name: "bigint key (radix path)", cinder: (df) => df.orderBy("g", "id"), sql: "ORDER BY g, id" },
];

const COLUMNS = "id, k, v, s, d, p, g";

function orderByTests(label: string, session: Session, partitions: number): void {
  describe(label, () => {
    let facts: DataFrame;
    before(async () => { ({ facts } = await loadTables(session, ["facts"], partitions)) as { facts: DataFrame }; });

    for (const c of CASES) {
      it(`orders by ${c.name} like DuckDB`, async () => {
        const rows = await c.cinder(facts!).collectArrays();
        assertRowsEqual(rows, await duckRows(`SELECT ${COLUMNS} FROM facts ${c.sql}`), { ordered: true, message: c.name });
      });
    }

    it("keeps ties in input order when keys are not unique (stable)", async () => {
      const rows = await facts!.orderBy(col("g").desc()).select("g").collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT g FROM facts ORDER BY g DESC"), { ordered: true });
    });

    it("takes the top N after orderBy", async () => {
      const df = facts!.orderBy(col("v").descNullsLast(), "id").limit(25);
      assert.match(df.explain(), /TakeOrderedAndProjectExec limit=25/);
      assertRowsEqual(await df.collectArrays(), await duckRows(`SELECT ${COLUMNS} FROM facts ORDER BY v DESC NULLS LAST, id LIMIT 25`), { ordered: true });
    });

    it("takes the top N with a projection over the sort", async () => {
      const df = facts!.orderBy(col("s").desc(), col("k").ascNullsFirst(), "id").select("id", "s").limit(1500);
      assert.match(df.explain(), /TakeOrderedAndProjectExec limit=1500/);
      assertRowsEqual(await df.collectArrays(), await duckRows("SELECT id, s FROM facts ORDER BY s DESC, k ASC NULLS FIRST, id LIMIT 1500"), { ordered: true });
    });

    it("skips rows with offset after orderBy", async () => {
      const rows = await facts!.orderBy(col("d"), "id").offset(1990).collectArrays();
      assertRowsEqual(rows, await duckRows(`SELECT ${COLUMNS} FROM facts ORDER BY d, id OFFSET 1990`), { ordered: true });
      const page = await facts!.orderBy(col("p").desc(), "id").offset(5).limit(10).collectArrays();
      assertRowsEqual(page, await duckRows(`SELECT ${COLUMNS} FROM facts ORDER BY p DESC, id LIMIT 10 OFFSET 5`), { ordered: true });
    });

    it("top N larger than the input returns everything in order", async () => {
      const rows = await facts!.orderBy(col("k").descNullsFirst(), "id").limit(5000).collectArrays();
      assertRowsEqual(rows, await duckRows(`SELECT ${COLUMNS} FROM facts ORDER BY k DESC NULLS FIRST, id`), { ordered: true });
    });
  });
}

describe("orderBy", () => {
  orderByTests("single partition", new Session(), 1);

  const multi = new Session({ "shuffle.partitions": 3 });
  orderByTests("four input partitions, three range partitions", multi, 4);

  it("plans a multi-partition sort as range partitioning, not a gather", async () => {
    const { facts } = await loadTables(multi, ["facts"], 4);
    const plan = facts!.orderBy(col("k").desc(), "id").explain(false);
    assert.match(plan, /rangepartitioning\(#1 DESC NULLS LAST, #0 ASC NULLS FIRST, 3\)/);
    assert.doesNotMatch(plan, /SinglePartition/);
  });

  it("sorts empty and single-row inputs", async () => {
    const session = new Session({ "shuffle.partitions": 3 });
    const { empty, single } = await loadTables(session, ["empty", "single"], 2);
    assert.deepEqual(await empty!.orderBy(col("k").desc()).collectArrays(), []);
    assert.deepEqual(await empty!.orderBy("s").limit(3).collectArrays(), []);
    assertRowsEqual(await single!.orderBy(col("v").desc(), "s").collectArrays(), await duckRows("SELECT * FROM single ORDER BY v DESC, s"), { ordered: true });
    assertRowsEqual(await single!.orderBy("k").limit(1).collectArrays(), await duckRows("SELECT * FROM single ORDER BY k LIMIT 1"), { ordered: true });
  });

  it("limit 0 after orderBy returns no rows", async () => {
    const session = new Session();
    const { facts } = await loadTables(session, ["facts"]);
    assert.deepEqual(await facts!.orderBy("k").limit(0).collectArrays(), []);
  });
});
