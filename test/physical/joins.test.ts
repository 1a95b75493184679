/**
 * The join operators and their kernels: the typed-array hash table and its
 * resumable probe, the key sort of the sort-merge join, and every join
 * operator run with a tiny `batch.size` so that pair generation stops and
 * resumes mid-chain, mid-run and mid-cross-product. Many-to-many keys over
 * an int and a string column, with NULLs in both, are checked against
 * DuckDB on the same data.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { ConfigValues, DataFrame } from "../../src/index.ts";
import { INT32 } from "../../src/types/data-types.ts";
import type { ColumnVector } from "../../src/exec/column-vector.ts";
import { utf8FromStrings } from "../../src/exec/column-vector.ts";
import { JoinHashTable } from "../../src/exec/join/join-hash-table.ts";
import { compareKeyRows } from "../../src/exec/join/join-keys.ts";
import { sortRowsByKeys } from "../../src/exec/join/key-sort.ts";
import { runLocally } from "../../src/executor/local-executor.ts";
import { dataFrameFromParquet } from "../support/datasets.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { drainProbe } from "../support/join-probe.ts";

function ints(values: (number | null)[]): ColumnVector {
  const validity = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null;
  return { type: INT32, length: values.length, values: Int32Array.from(values, (v) => v ?? 0), validity };
}

const drain = drainProbe;

describe("JoinHashTable", () => {
  const build = [ints([1, 2, 1, null, 3, 1]), utf8FromStrings(["a", "b", "a", "a", null, "b"])];
  const probe = [ints([1, 1, 3, null, 2, 7]), utf8FromStrings(["a", "b", null, "a", "b", "a"])];

  it("finds every equal-key pair, never NULL keys, with any chunk size", () => {
    const table = new JoinHashTable(build, 6);
    const expected: [number, number][] = [[0, 0], [0, 2], [1, 5], [4, 1]];
    for (const cap of [1, 2, 3, 100]) assert.deepEqual(drain(table, probe, 6, cap), expected, `cap ${cap}`);
  });

  it("single numeric key fast path matches the general path", () => {
    const table = new JoinHashTable([build[0]!], 6);
    assert.deepEqual(drain(table, [probe[0]!], 6, 2), [[0, 0], [0, 2], [0, 5], [1, 0], [1, 2], [1, 5], [2, 4], [4, 1]]);
    assert.deepEqual(drain(table, [probe[0]!], 6, 1, true), [[0, 0], [1, 0], [2, 4], [4, 1]]);
  });

  it("an empty build side matches nothing", () => {
    const table = new JoinHashTable([ints([])], 0);
    assert.deepEqual(drain(table, [probe[0]!], 6, 4), []);
  });
});

describe("join keys", () => {
  it("sortRowsByKeys drops NULL keys and orders by every key column, stably", () => {
    const keys = [ints([3, null, 1, 3, 1, 2]), utf8FromStrings(["b", "a", "z", "a", "z", null])];
    assert.deepEqual([...sortRowsByKeys(keys, 6).rows], [2, 4, 3, 0]);
    assert.deepEqual([...sortRowsByKeys([keys[0]!], 6).rows], [2, 4, 5, 0, 3]);
  });

  it("compareKeyRows compares across sides and dictionary-encoded strings", () => {
    const dict = utf8FromStrings(["m", "n"]);
    const coded: ColumnVector = { type: dict.type, length: 2, values: Int32Array.from([1, 0]), validity: null, dictionary: dict };
    const plain = utf8FromStrings(["n", "mm"]);
    assert.equal(compareKeyRows([coded], 0, [plain], 0), 0);
    assert.equal(compareKeyRows([coded], 1, [plain], 1), -1);
    assert.equal(compareKeyRows([ints([5])], 0, [ints([4])], 0), 1);
  });
});

const TABLES: Record<string, string> = {
  jl: `SELECT i::INTEGER AS id, CASE WHEN i % 19 = 0 THEN NULL ELSE (i % 37)::INTEGER END AS a,
      CASE WHEN i % 23 = 0 THEN NULL ELSE 'x' || (i % 5) END::VARCHAR AS b, (i * 3 % 101)::INTEGER AS v FROM range(500) t(i)`,
  jr: `SELECT i::INTEGER AS rid, CASE WHEN i % 29 = 0 THEN NULL ELSE (i % 41)::INTEGER END AS a,
      ('x' || (i % 7))::VARCHAR AS b, (i * 7 % 97)::INTEGER AS w FROM range(300) t(i)`,
};

async function load(session: Session, partitions: number): Promise<{ jl: DataFrame; jr: DataFrame }> {
  const out: Record<string, DataFrame> = {};
  for (const [name, sql] of Object.entries(TABLES)) {
    const { path, bytes } = await duckToParquet(name, sql);
    await duckRun(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${path}')`);
    out[name] = dataFrameFromParquet(session, bytes, partitions);
  }
  return out as { jl: DataFrame; jr: DataFrame };
}

/** Runs the physical plan itself (Session.execute merges result batches) and checks each batch's size. */
async function assertBatchesAtMost(df: DataFrame, max: number): Promise<void> {
  const session = df.session;
  const { partitions } = await runLocally(session.planPhysical(session.optimize(df.plan)), session.sources, session.conf.toJSON());
  for (const part of partitions) for (const b of part) assert.ok(b.numRows <= max, `a batch of ${b.numRows} rows`);
}

const SQL_JOIN = { inner: "JOIN", left: "LEFT JOIN", right: "RIGHT JOIN", full: "FULL JOIN" } as const;
const TYPES = ["inner", "left", "right", "full", "left_semi", "left_anti"] as const;

function duck(how: (typeof TYPES)[number], on: string): string {
  if (how === "left_semi" || how === "left_anti") return `SELECT l.id FROM jl l WHERE ${how === "left_anti" ? "NOT " : ""}EXISTS (SELECT 1 FROM jr r WHERE ${on})`;
  return `SELECT l.id, r.rid FROM jl l ${SQL_JOIN[how]} jr r ON ${on}`;
}

const OPERATORS: { name: string; partitions: number; conf: Partial<ConfigValues>; plan: RegExp }[] = [
  { name: "hash join, one partition", partitions: 1, conf: { "batch.size": 7 }, plan: /ShuffledHashJoinExec/ },
  { name: "shuffled hash join", partitions: 3, conf: { "batch.size": 7, "shuffle.partitions": 4, autoBroadcastJoinThreshold: 0 }, plan: /ShuffledHashJoinExec/ },
  { name: "broadcast hash join", partitions: 3, conf: { "batch.size": 7, "shuffle.partitions": 4 }, plan: /BroadcastHashJoinExec|ShuffledHashJoinExec full/ },
  { name: "sort-merge join", partitions: 3, conf: { "batch.size": 7, "shuffle.partitions": 4, autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 1 }, plan: /SortMergeJoinExec/ },
];

for (const op of OPERATORS) {
  describe(`${op.name} with batch.size 7`, () => {
    const session = new Session(op.conf);
    let jl: DataFrame, jr: DataFrame;
    before(async () => { ({ jl, jr } = await load(session, op.partitions)); });

    const pick = (df: DataFrame, how: string) => (how === "left_semi" || how === "left_anti" ? df.select(jl.col("id")) : df.select(jl.col("id"), jr.col("rid")));

    it("many-to-many int + string keys, every join type", async () => {
      for (const how of TYPES) {
        const joined = jl.join(jr, jl.col("a").eq(jr.col("a")).and(jl.col("b").eq(jr.col("b"))), how);
        assert.match(joined.explain(false), op.plan);
        await assertBatchesAtMost(joined, 7);
        assertRowsEqual(await pick(joined, how).collectArrays(), await duckRows(duck(how, "l.a = r.a AND l.b = r.b")), { message: how });
      }
    });

    it("int key with a residual condition, every join type", async () => {
      for (const how of TYPES) {
        const joined = jl.join(jr, jl.col("a").eq(jr.col("a")).and(jl.col("v").lt(jr.col("w"))), how);
        assertRowsEqual(await pick(joined, how).collectArrays(), await duckRows(duck(how, "l.a = r.a AND l.v < r.w")), { message: how });
      }
    });

    it("string key alone", async () => {
      const left = jl.filter(col("id").lt(40));
      for (const how of ["inner", "full", "left_anti"] as const) {
        const joined = left.join(jr, left.col("b").eq(jr.col("b")), how);
        const picked = how === "left_anti" ? joined.select(left.col("id")) : joined.select(left.col("id"), jr.col("rid"));
        const sql = duck(how, "l.b = r.b").replace("FROM jl l", "FROM (SELECT * FROM jl WHERE id < 40) l");
        assertRowsEqual(await picked.collectArrays(), await duckRows(sql), { message: how });
      }
    });
  });
}

describe("nested-loop join with batch.size 7", () => {
  const session = new Session({ "batch.size": 7, "shuffle.partitions": 2 });
  let jl: DataFrame, jr: DataFrame;
  before(async () => { ({ jl, jr } = await load(session, 2)); });

  it("a non-equi condition, every join type, output never above batch.size", async () => {
    const left = jl.filter(col("id").lt(60)), right = jr.filter(col("rid").lt(50));
    for (const how of TYPES) {
      const joined = left.join(right, left.col("v").gt(right.col("w")).and(left.col("a").lt(right.col("a"))), how);
      assert.match(joined.explain(false), /BroadcastNestedLoopJoinExec/);
      const picked = how === "left_semi" || how === "left_anti" ? joined.select(left.col("id")) : joined.select(left.col("id"), right.col("rid"));
      await assertBatchesAtMost(joined, 7);
      const sql = duck(how, "l.v > r.w AND l.a < r.a").replace("FROM jl l", "FROM (SELECT * FROM jl WHERE id < 60) l").replace(/jr r/g, "(SELECT * FROM jr WHERE rid < 50) r");
      assertRowsEqual(await picked.collectArrays(), await duckRows(sql), { message: how });
    }
  });
});
