/**
 * Values at the edges, each first found by the differential fuzzer: dates
 * before the year 100 (JS's Date.UTC reads 0001 as 1901), the largest
 * float32 (which is above FLOAT32_MAX as a double until rounded), and NaN
 * in a filter on a Parquet scan (NaN is above every number, so row-group
 * statistics cannot rule it out). Each result equals DuckDB's.
 */
import { describe, it, before } from "node:test";
import { Session } from "../../src/index.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

describe("edge values agree with DuckDB", () => {
  const session = new Session();
  before(async () => {
    const { path, bytes } = await duckToParquet("edge_values", `SELECT * FROM (VALUES
      (1, -6::SMALLINT, 'NaN'::DOUBLE, DATE '0001-01-01'),
      (2, 4::SMALLINT, 1.5::DOUBLE, DATE '0099-12-31'),
      (3, NULL, 1e308::DOUBLE, DATE '9999-12-31')) t(id, s, d, day)`);
    await duckRun(`CREATE OR REPLACE TABLE edge_values AS SELECT * FROM read_parquet('${path}')`);
    (await session.read.parquet(bytes)).createOrReplaceTempView("edge_values");
  });

  const cases: [string, string?][] = [
    ["SELECT DATE '0001-01-01', DATE '0099-05-01', CAST(DATE '0050-02-03' AS STRING), datediff(DATE '0001-01-01', DATE '1970-01-01')", "SELECT DATE '0001-01-01', DATE '0099-05-01', CAST(DATE '0050-02-03' AS VARCHAR), datediff('day', DATE '1970-01-01', DATE '0001-01-01')"],
    ["SELECT id, day, year(day) FROM edge_values"],
    ["SELECT id FROM edge_values WHERE day < DATE '0100-01-01'"],
    ["SELECT CAST('3.4028235e38' AS FLOAT) = CAST('3.4028235e38' AS FLOAT)"],
    ["SELECT id FROM edge_values WHERE s <> CAST('NaN' AS DOUBLE)"],
    ["SELECT id FROM edge_values WHERE s < CAST('NaN' AS DOUBLE)"],
    ["SELECT id FROM edge_values WHERE d > 1e300"],
    ["SELECT id FROM edge_values WHERE d = CAST('NaN' AS DOUBLE)"],
  ];
  for (const [sql, duckSql] of cases) {
    it(sql, async () => {
      assertRowsEqual(await session.sql(sql).collectArrays(), await duckRows(duckSql ?? sql));
    });
  }
});
