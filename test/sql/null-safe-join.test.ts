/**
 * Null-safe equality (`<=>`, what INTERSECT and EXCEPT join on) as a
 * hash-join key: on tables with NULLs in integer, string, date, decimal and
 * boolean columns, INTERSECT, EXCEPT and explicit `<=>` joins equal DuckDB's
 * `IS NOT DISTINCT FROM`, in one and in several partitions, with hash and
 * sort-merge joins, and the physical plan has no nested-loop join.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { dataFrameFromParquet } from "../support/datasets.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

// Two overlapping tables: rows i of `na` and i + 40 of `nb` come from the same formulas, so they share rows,
// including rows whose values are NULL (a NULL in every column type, and all-NULL rows).
const row = (i: string) => `${i}::INTEGER AS id,
  CASE WHEN ${i} % 7 = 0 THEN NULL ELSE (${i} % 13)::INTEGER END AS k,
  CASE WHEN ${i} % 5 = 0 THEN NULL ELSE 's' || (${i} % 11)::VARCHAR END AS s,
  CASE WHEN ${i} % 6 = 0 THEN NULL ELSE DATE '2024-01-01' + (${i} % 9)::INTEGER END AS d,
  CASE WHEN ${i} % 4 = 0 THEN NULL ELSE ((${i} % 8) / 4.0)::DECIMAL(10,2) END AS p,
  CASE WHEN ${i} % 9 = 0 THEN NULL ELSE ${i} % 2 = 0 END AS b`;
const TABLES = {
  na: `SELECT ${row("i")} FROM range(300) t(i)`,
  nb: `SELECT ${row("i + 40")} FROM range(300) t(i) UNION ALL SELECT 1000, NULL, NULL, NULL, NULL, NULL`,
};

const QUERIES: [string, string?][] = [
  // [Cinder query, DuckDB's spelling when it differs]
  ["SELECT k FROM na INTERSECT SELECT k FROM nb"],
  ["SELECT k, s, d, p, b FROM na INTERSECT SELECT k, s, d, p, b FROM nb"],
  ["SELECT k, s, d, p, b FROM na EXCEPT SELECT k, s, d, p, b FROM nb"],
  ["SELECT s, p FROM nb EXCEPT SELECT s, p FROM na WHERE id < 200"],
  ["SELECT k, s FROM na WHERE id < 50 INTERSECT SELECT k, s FROM nb"],
  ["SELECT a.id, b.id FROM na a JOIN nb b ON a.k <=> b.k AND a.s <=> b.s AND a.d <=> b.d",
    "SELECT a.id, b.id FROM na a JOIN nb b ON a.k IS NOT DISTINCT FROM b.k AND a.s IS NOT DISTINCT FROM b.s AND a.d IS NOT DISTINCT FROM b.d"],
  ["SELECT a.id, b.id FROM na a LEFT JOIN nb b ON a.p <=> b.p AND a.b <=> b.b AND a.id <=> b.id",
    "SELECT a.id, b.id FROM na a LEFT JOIN nb b ON a.p IS NOT DISTINCT FROM b.p AND a.b IS NOT DISTINCT FROM b.b AND a.id IS NOT DISTINCT FROM b.id"],
  // A mix of = and <=> keys plus a residual condition.
  ["SELECT a.id, b.id FROM na a JOIN nb b ON a.id = b.id AND a.k <=> b.k AND a.p < b.p + 1",
    "SELECT a.id, b.id FROM na a JOIN nb b ON a.id = b.id AND a.k IS NOT DISTINCT FROM b.k AND a.p < b.p + 1"],
  ["SELECT count(*) FROM na a FULL JOIN nb b ON a.s <=> b.s AND a.k <=> b.k",
    "SELECT count(*) FROM na a FULL JOIN nb b ON a.s IS NOT DISTINCT FROM b.s AND a.k IS NOT DISTINCT FROM b.k"],
];

describe("null-safe equality as a hash-join key", () => {
  const bytes: Record<string, Uint8Array> = {};
  before(async () => {
    for (const [name, sql] of Object.entries(TABLES)) {
      const out = await duckToParquet(name, sql);
      await duckRun(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${out.path}')`);
      bytes[name] = out.bytes;
    }
  });

  const setups: [string, number, Record<string, string | number>][] = [
    ["one partition", 1, {}],
    ["three partitions, shuffled hash joins", 3, { autoBroadcastJoinThreshold: 0, "shuffle.partitions": 4 }],
    ["three partitions, sort-merge joins", 3, { autoBroadcastJoinThreshold: 0, "shuffle.partitions": 4, "join.preferSortMerge": 1 }],
    ["three partitions, broadcast joins", 3, {}],
  ];
  for (const [label, partitions, conf] of setups) {
    it(`equals DuckDB (${label}) with no nested-loop join`, async () => {
      const session = new Session();
      for (const [k, v] of Object.entries(conf)) session.conf.set(k, v);
      for (const name of Object.keys(TABLES)) dataFrameFromParquet(session, bytes[name]!, partitions).createOrReplaceTempView(name);
      for (const [sql, duckSql] of QUERIES) {
        const df = session.sql(sql);
        const physical = df.explain(true).split("== Physical Plan ==")[1] ?? "";
        assert.doesNotMatch(physical, /NestedLoopJoin/, `${sql} still plans a nested-loop join:\n${physical}`);
        assert.match(physical, /(HashJoin|SortMergeJoin)Exec/, `${sql}: no equi-join in\n${physical}`);
        const expected = await duckRows(duckSql ?? sql);
        assert.ok(expected.length > 0, `${sql} returns no rows`);
        assertRowsEqual(await df.collectArrays(), expected, { message: `${label}: ${sql}` });
      }
    });
  }
});
