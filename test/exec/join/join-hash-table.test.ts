/**
 * The join hash table's two indexings: direct (`key - min`, for a single
 * integer key whose build values span a narrow range) and hashed. The
 * kernel is checked against a nested-loop enumeration of equal-key pairs,
 * with duplicates, NULLs, negative keys, probe keys outside the build range
 * and double keys that are not integers; then every join type over a dense
 * int and a dense bigint key, with a tiny `batch.size` so probing stops and
 * resumes mid-chain, is checked against DuckDB on the same data.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../../src/index.ts";
import type { DataFrame } from "../../../src/index.ts";
import { FLOAT64, INT32 } from "../../../src/types/data-types.ts";
import type { ColumnVector } from "../../../src/exec/column-vector.ts";
import { hashRows } from "../../../src/exec/hash.ts";
import { JoinHashTable } from "../../../src/exec/join/join-hash-table.ts";
import { keysNullMask } from "../../../src/exec/join/join-keys.ts";
import { dataFrameFromParquet } from "../../support/datasets.ts";
import { duckRows, duckRun, duckToParquet } from "../../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../../support/compare.ts";
import { drainProbe } from "../../support/join-probe.ts";

function column(type: typeof INT32 | typeof FLOAT64, values: (number | null)[]): ColumnVector {
  const validity = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null;
  const data = type === INT32 ? Int32Array.from(values, (v) => v ?? 0) : Float64Array.from(values, (v) => v ?? 0);
  return { type, length: values.length, values: data, validity };
}

function drain(table: JoinHashTable, keys: ColumnVector[], cap: number, firstOnly = false): [number, number][] {
  return drainProbe(table, keys, keys[0]!.length, cap, firstOnly);
}

/** The pairs a nested loop finds: probe order, then build order; NULLs and NaN never match. */
function expectedPairs(build: ColumnVector, probe: ColumnVector, firstOnly = false): [number, number][] {
  const out: [number, number][] = [];
  const valid = (c: ColumnVector, i: number) => c.validity === null || c.validity[i] === 1;
  for (let p = 0; p < probe.length; p++) {
    for (let b = 0; b < build.length; b++) {
      if (valid(probe, p) && valid(build, b) && probe.values[p] === build.values[b]) {
        out.push([p, b]);
        if (firstOnly) break;
      }
    }
  }
  return out;
}

function assertLikeNestedLoop(build: ColumnVector, probe: ColumnVector, direct: boolean): void {
  const table = new JoinHashTable([build], build.length);
  assert.equal(table.isDirect, direct, "indexing");
  for (const cap of [1, 2, 3, 1000]) {
    assert.deepEqual(drain(table, [probe], cap), expectedPairs(build, probe), `cap ${cap}`);
    assert.deepEqual(drain(table, [probe], cap, true), expectedPairs(build, probe, true), `cap ${cap}, first match only`);
  }
  // A counted join (count(*) over an inner join) only counts the pairs.
  const n = probe.length;
  assert.equal(table.countMatches([probe], hashRows([probe], n), keysNullMask([probe], n), n), expectedPairs(build, probe).length, "countMatches");
}

describe("JoinHashTable indexing", () => {
  it("dense int keys with duplicates, NULLs and negatives are indexed directly", () => {
    const build = column(INT32, [-3, 4, null, 0, 4, -3, 2, 4, null, 1]);
    const probe = column(INT32, [4, -3, null, 5, -4, 0, 2, 100, -100, 1, 4, 3]);
    assertLikeNestedLoop(build, probe, true);
  });

  it("dense unique int keys (the one-match-per-row loop) are indexed directly", () => {
    const build = column(INT32, [7, 3, 5, 4, 6, null, 8]);
    const probe = column(INT32, [3, 9, 8, null, 2, 5, 5, 7, -1]);
    assertLikeNestedLoop(build, probe, true);
    assertLikeNestedLoop(build, column(INT32, [3, 9, 8, 2, 5, 5, 7, -1]), true);
  });

  it("integral double keys are indexed directly; fractional, NaN and out-of-range probes match nothing, -0 matches 0", () => {
    const build = column(FLOAT64, [2, 0, 1e15 - 1e15 + 3, 2, 1]);
    const probe = column(FLOAT64, [2.5, -0, NaN, 3, 1, 2, -1, 4, Infinity, null, 0.0000001]);
    assertLikeNestedLoop(build, probe, true);
    const big = column(FLOAT64, [2 ** 52, 2 ** 52 + 1, 2 ** 52 + 2]);
    assertLikeNestedLoop(big, column(FLOAT64, [2 ** 52 + 1, 2 ** 52 + 0.5, 2 ** 52 + 3]), true);
  });

  it("sparse keys, fractional build keys and all-NULL builds are hashed", () => {
    assertLikeNestedLoop(column(INT32, [1, 1_000_000, -2_000_000, 1, null]), column(INT32, [1, 1_000_000, 5, null, -2_000_000]), false);
    assertLikeNestedLoop(column(FLOAT64, [0.5, 1, 2, 0.5]), column(FLOAT64, [0.5, 2, 1.5, NaN]), false);
    assertLikeNestedLoop(column(INT32, [null, null]), column(INT32, [0, null]), false);
  });
});

const TABLES: Record<string, string> = {
  // Dense keys (int, and bigint past 2^32) with repeats and NULLs on both sides, and probe keys past the build range.
  dl: `SELECT i::INTEGER AS id, CASE WHEN i % 17 = 0 THEN NULL ELSE (i % 73)::INTEGER - 5 END AS k,
      CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 61)::BIGINT + 5000000000 END AS big FROM range(400) t(i)`,
  dr: `SELECT i::INTEGER AS rid, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 60)::INTEGER END AS k,
      CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 50)::BIGINT + 5000000003 END AS big FROM range(150) t(i)`,
  // Unique dimension keys 0..99, every other one missing from the facts' range.
  du: `SELECT (i * 2)::INTEGER AS k, (i * 3)::INTEGER AS attr FROM range(100) t(i)`,
};

const SQL_JOIN = { inner: "JOIN", left: "LEFT JOIN", right: "RIGHT JOIN", full: "FULL JOIN" } as const;
const TYPES = ["inner", "left", "right", "full", "left_semi", "left_anti"] as const;

function duckJoin(how: (typeof TYPES)[number], left: string, right: string, on: string, cols: string): string {
  if (how === "left_semi" || how === "left_anti") return `SELECT l.id FROM ${left} l WHERE ${how === "left_anti" ? "NOT " : ""}EXISTS (SELECT 1 FROM ${right} r WHERE ${on})`;
  return `SELECT ${cols} FROM ${left} l ${SQL_JOIN[how]} ${right} r ON ${on}`;
}

describe("hash joins on dense keys (direct indexing) with batch.size 5, against DuckDB", () => {
  const session = new Session({ "batch.size": 5 });
  const dfs: Record<string, DataFrame> = {};
  before(async () => {
    for (const [name, sql] of Object.entries(TABLES)) {
      const { path, bytes } = await duckToParquet(name, sql);
      await duckRun(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${path}')`);
      dfs[name] = dataFrameFromParquet(session, bytes);
    }
  });

  it("many-to-many int key, every join type", async () => {
    const { dl, dr } = dfs as { dl: DataFrame; dr: DataFrame };
    for (const how of TYPES) {
      const joined = dl.join(dr, dl.col("k").eq(dr.col("k")), how);
      assert.match(joined.explain(false), /HashJoinExec/);
      const picked = how === "left_semi" || how === "left_anti" ? joined.select(dl.col("id")) : joined.select(dl.col("id"), dr.col("rid"));
      assertRowsEqual(await picked.collectArrays(), await duckRows(duckJoin(how, "dl", "dr", "l.k = r.k", "l.id, r.rid")), { message: how });
    }
  });

  it("many-to-many bigint key (held as doubles), every join type", async () => {
    const { dl, dr } = dfs as { dl: DataFrame; dr: DataFrame };
    for (const how of TYPES) {
      const joined = dl.join(dr, dl.col("big").eq(dr.col("big")), how);
      const picked = how === "left_semi" || how === "left_anti" ? joined.select(dl.col("id")) : joined.select(dl.col("id"), dr.col("rid"));
      assertRowsEqual(await picked.collectArrays(), await duckRows(duckJoin(how, "dl", "dr", "l.big = r.big", "l.id, r.rid")), { message: how });
    }
  });

  it("unique dimension keys, every join type", async () => {
    const { dl, du } = dfs as { dl: DataFrame; du: DataFrame };
    for (const how of TYPES) {
      const joined = dl.join(du, dl.col("k").eq(du.col("k")), how);
      const picked = how === "left_semi" || how === "left_anti" ? joined.select(dl.col("id")) : joined.select(dl.col("id"), du.col("attr"));
      assertRowsEqual(await picked.collectArrays(), await duckRows(duckJoin(how, "dl", "du", "l.k = r.k", "l.id, r.attr")), { message: how });
    }
  });
});
