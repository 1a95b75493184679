/**
 * The 22 TPC-H queries through `session.sql`, each equal to DuckDB's result
 * on the same generated Parquet data (scale factor 0.1 by default;
 * `TPCH_SF=0.01` for a quick run). Every query must return rows, so a
 * filter that wrongly drops everything cannot pass.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { loadTpch } from "../support/tpch/generate.ts";
import { TPCH_QUERIES } from "../support/tpch/queries.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const SF = Number(process.env.TPCH_SF ?? "0.1");

describe(`TPC-H at scale factor ${SF}`, () => {
  const session = new Session();
  before(async () => { await loadTpch(session, SF, 2); });

  for (const q of TPCH_QUERIES) {
    it(`Q${q.id} equals DuckDB`, async () => {
      const expected = await duckRows(q.sql);
      assert.ok(expected.length > 0, `Q${q.id} returns no rows on the generated data; the generator must be fixed`);
      const actual = await session.sql(q.sql).collectArrays();
      assertRowsEqual(actual, expected, { ordered: q.ordered, message: `Q${q.id}` });
    });
  }
});
