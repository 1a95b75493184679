/**
 * DataFrame joins against DuckDB on the same data: every join type, in the
 * USING style (`facts.join(dims, "k", how)`) and the condition style
 * (`facts.join(dims, facts.col("k").eq(dims.col("k")), how)`), under each
 * physical strategy (single partition, shuffled hash, broadcast hash,
 * sort-merge), checking that `explain()` names the join that ran. `facts`
 * and `dims` both have NULL keys and keys without a partner.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, count, sum, avg, AnalysisError, UnsupportedError } from "../../src/index.ts";
import type { ConfigValues, DataFrame } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

type How = "inner" | "left" | "right" | "full" | "left_semi" | "left_anti";
const JOIN_TYPES: How[] = ["inner", "left", "right", "full", "left_semi", "left_anti"];

interface Variant {
  name: string;
  partitions: number;
  conf: Partial<ConfigValues>;
  expected: (how: How) => string;
}

const VARIANTS: Variant[] = [
  { name: "single partition", partitions: 1, conf: {}, expected: () => "ShuffledHashJoinExec" },
  { name: "shuffled hash", partitions: 4, conf: { "shuffle.partitions": 3, autoBroadcastJoinThreshold: 0 }, expected: () => "ShuffledHashJoinExec" },
  // A full join cannot broadcast either side, so it stays shuffled.
  { name: "broadcast hash", partitions: 4, conf: { "shuffle.partitions": 3 }, expected: (how) => (how === "full" ? "ShuffledHashJoinExec" : "BroadcastHashJoinExec") },
  { name: "sort-merge", partitions: 4, conf: { "shuffle.partitions": 3, autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 1 }, expected: () => "SortMergeJoinExec" },
  { name: "sort-merge, single partition", partitions: 1, conf: { "join.preferSortMerge": 1 }, expected: () => "SortMergeJoinExec" },
];

/** The DuckDB query for a condition-style join of facts f and dims d on `on`, selecting `cols`. */
function duckJoin(how: How, on: string, leftCols: string, rightCols: string): string {
  if (how === "left_semi") return `SELECT ${leftCols} FROM facts f WHERE EXISTS (SELECT 1 FROM dims d WHERE ${on})`;
  if (how === "left_anti") return `SELECT ${leftCols} FROM facts f WHERE NOT EXISTS (SELECT 1 FROM dims d WHERE ${on})`;
  const kw = { inner: "JOIN", left: "LEFT JOIN", right: "RIGHT JOIN", full: "FULL OUTER JOIN" }[how];
  return `SELECT ${leftCols}, ${rightCols} FROM facts f ${kw} dims d ON ${on}`;
}

const semiOrAnti = (how: How) => how === "left_semi" || how === "left_anti";

/** Like `duckJoin`, selecting the aggregate list `select` (which may read both sides) instead of columns. */
function duckAgg(how: How, on: string, select: string): string {
  const sql = duckJoin(how, on, "", "");
  return semiOrAnti(how) ? sql.replace("SELECT ", `SELECT ${select}`) : sql.replace("SELECT , ", `SELECT ${select} `);
}

for (const variant of VARIANTS) {
  describe(`joins (${variant.name})`, () => {
    const session = new Session(variant.conf);
    let facts: DataFrame, dims: DataFrame;
    before(async () => {
      ({ facts, dims } = (await loadTables(session, ["facts", "dims"], variant.partitions)) as { facts: DataFrame; dims: DataFrame });
    });

    for (const how of JOIN_TYPES) {
      it(`${how}, condition style`, async () => {
        const joined = facts.join(dims, facts.col("k").eq(dims.col("k")), how);
        assert.match(joined.explain(false), new RegExp(`${variant.expected(how)} ${how}`));
        const leftCols = [facts.col("id"), facts.col("k"), facts.col("v")];
        const picked = semiOrAnti(how) ? joined.select(...leftCols) : joined.select(...leftCols, dims.col("k"), dims.col("name"), dims.col("grp"));
        assertRowsEqual(await picked.collectArrays(), await duckRows(duckJoin(how, "f.k = d.k", "f.id, f.k, f.v", "d.k, d.name, d.grp")), { message: how });
      });

      it(`${how}, USING style`, async (t) => {
        const joined = facts.join(dims, "k", how);
        assert.match(joined.explain(false), new RegExp(variant.expected(how)));
        const picked = semiOrAnti(how) ? joined.select("id", "k", "v") : joined.select("k", "id", "v", "name", "grp");
        const key = how === "right" ? "d.k" : how === "full" ? "COALESCE(f.k, d.k)" : "f.k";
        const expected = semiOrAnti(how)
          ? await duckRows(duckJoin(how, "f.k = d.k", "f.id, f.k, f.v", ""))
          : await duckRows(duckJoin(how, "f.k = d.k", `${key}, f.id, f.v`, "d.name, d.grp"));
        let rows: unknown[][];
        try {
          rows = await picked.collectArrays();
        } catch (e) {
          // USING full joins project coalesce(l.k, r.k); skip only while the scalar function kernels are not written.
          if (how === "full" && e instanceof UnsupportedError && /coalesce/.test(e.message)) { t.skip("coalesce kernel not implemented yet"); return; }
          throw e;
        }
        assertRowsEqual(rows, expected, { message: how });
      });
    }

    it("equi-join with a residual condition (inner, left, full)", async () => {
      for (const how of ["inner", "left", "full"] as const) {
        const cond = facts.col("k").eq(dims.col("k")).and(facts.col("v").gt(dims.col("grp").multiply(10)));
        const joined = facts.join(dims, cond, how);
        assert.match(joined.explain(false), new RegExp(`${variant.expected(how)} ${how} .*condition=`));
        const rows = await joined.select(facts.col("id"), facts.col("v"), dims.col("k"), dims.col("grp")).collectArrays();
        assertRowsEqual(rows, await duckRows(duckJoin(how, "f.k = d.k AND f.v > d.grp * 10", "f.id, f.v", "d.k, d.grp")), { message: how });
      }
    });

    it("residual condition with semi and anti joins", async () => {
      for (const how of ["left_semi", "left_anti"] as const) {
        const cond = facts.col("k").eq(dims.col("k")).and(facts.col("v").gt(dims.col("grp").multiply(30)));
        const rows = await facts.join(dims, cond, how).select("id", "k").collectArrays();
        assertRowsEqual(rows, await duckRows(duckJoin(how, "f.k = d.k AND f.v > d.grp * 30", "f.id, f.k", "")), { message: how });
      }
    });

    it("multi-column keys", async () => {
      // dims' grp against facts' g (bigint): the analyzer widens grp, so the keys are cast expressions.
      for (const how of ["inner", "left", "left_anti"] as const) {
        const cond = facts.col("k").eq(dims.col("k")).and(facts.col("g").eq(dims.col("grp")));
        const joined = facts.join(dims, cond, how);
        assert.match(joined.explain(false), /\[#\d+, #\d+\] = \[#\d+, CAST\(#\d+ AS int64\)\]/);
        const picked = semiOrAnti(how) ? joined.select("id") : joined.select(facts.col("id"), dims.col("name"));
        assertRowsEqual(await picked.collectArrays(), await duckRows(duckJoin(how, "f.k = d.k AND f.g = d.grp", "f.id", "d.name")), { message: how });
      }
    });

    it("string keys", async () => {
      // Two slices of facts joined on their string column s (13 distinct values, so many matches per key).
      const left = facts.filter(col("id").lt(60));
      const right = facts.filter(col("id").geq(1900)).select(col("id").alias("rid"), col("s").alias("rs"));
      for (const how of ["inner", "left", "full", "left_semi", "left_anti"] as const) {
        const joined = left.join(right, left.col("s").eq(right.col("rs")), how);
        const picked = semiOrAnti(how) ? joined.select("id", "s") : joined.select("id", "s", "rid", "rs");
        const sql = duckJoin(how, "f.s = d.s", "f.id, f.s", "d.id, d.s")
          .replace("FROM facts f", "FROM (SELECT * FROM facts WHERE id < 60) f")
          .replace("dims d", "(SELECT * FROM facts WHERE id >= 1900) d");
        assertRowsEqual(await picked.collectArrays(), await duckRows(sql), { message: how });
      }
    });

    it("a pure non-equi join is a nested-loop join", async () => {
      for (const how of ["inner", "left", "right", "full", "left_semi", "left_anti"] as const) {
        const cond = facts.col("k").lt(dims.col("grp")).and(facts.col("id").lt(300));
        const joined = facts.join(dims, cond, how);
        assert.match(joined.explain(false), new RegExp(`BroadcastNestedLoopJoinExec ${how}`));
        const picked = semiOrAnti(how) ? joined.select("id") : joined.select(facts.col("id"), facts.col("k"), dims.col("k"), dims.col("grp"));
        const sql = duckJoin(how, "f.k < d.grp AND f.id < 300", semiOrAnti(how) ? "f.id" : "f.id, f.k", "d.k, d.grp");
        assertRowsEqual(await picked.collectArrays(), await duckRows(sql), { message: how });
      }
    });

    it("cross join", async () => {
      const small = facts.filter(col("id").lt(40));
      const joined = small.crossJoin(dims);
      // The optimizer may restate a condition-less cross join as an inner join; either way it is a nested loop.
      assert.match(joined.explain(false), /BroadcastNestedLoopJoinExec (cross|inner) build=/);
      const rows = await joined.select(small.col("id"), dims.col("k"), dims.col("name")).collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT f.id, d.k, d.name FROM facts f CROSS JOIN dims d WHERE f.id < 40"));
    });

    it("aggregates over a join: only the columns read are gathered (none for count(*))", async () => {
      for (const how of JOIN_TYPES) {
        const joined = facts.join(dims, facts.col("k").eq(dims.col("k")), how);
        const counted = joined.agg(count("*").alias("n"));
        // The join (hash or sort-merge) folds the empty Project above it and emits rows with no columns.
        assert.match(counted.explain(false), /JoinExec .* output=\[\]/, how);
        assertRowsEqual(await counted.collectArrays(), await duckRows(duckAgg(how, "f.k = d.k", "count(*)")), { message: how });
        if (semiOrAnti(how)) continue;
        // A narrow projection: grp from the dimension (NULL-extended in left/full joins) and v from the facts.
        const grouped = joined.groupBy(dims.col("grp")).agg(count("*"), sum(facts.col("v")), count(facts.col("v")), avg(facts.col("v")));
        assert.match(grouped.explain(false), /JoinExec .* output=\[#\d+, #\d+\]/, how);
        assertRowsEqual(await grouped.collectArrays(), await duckRows(duckAgg(how, "f.k = d.k", "d.grp, count(*), sum(f.v), count(f.v), avg(f.v)") + " GROUP BY d.grp"), { message: how });
      }
    });

    it("double keys: NaN joins NaN, -0 joins 0, NULL joins nothing, as in DuckDB", async () => {
      const xs = [1.5, NaN, 2, NaN, -0, null, 3, 0.1 + 0.2];
      const ys = [NaN, 2, 1.5, 0, null, 7, 0.3, NaN];
      const left = session.createDataFrame(xs.map((x, i) => ({ i, x })), { schema: { i: "int", x: "double" }, numPartitions: variant.partitions });
      const right = session.createDataFrame(ys.map((y, j) => ({ j, y })), { schema: { j: "int", y: "double" }, numPartitions: variant.partitions });
      const values = (name: string, idx: string, vs: (number | null)[]) =>
        `(VALUES ${vs.map((v, k) => `(${k}, ${v === null ? "NULL" : Number.isNaN(v) ? "'nan'::DOUBLE" : Object.is(v, -0) ? "'-0.0'::DOUBLE" : `${v}::DOUBLE`})`).join(", ")}) ${name}(${idx}, v)`;
      for (const how of ["inner", "full", "left_semi"] as How[]) {
        const joined = left.join(right, left.col("x").eq(right.col("y")), how);
        assert.match(joined.explain(false), new RegExp(variant.expected(how)));
        const got = await (semiOrAnti(how) ? joined.select("i") : joined.select("i", "j")).collectArrays();
        const on = "l.v = r.v";
        const sql = how === "left_semi" ? `SELECT l.i FROM ${values("l", "i", xs)} WHERE EXISTS (SELECT 1 FROM ${values("r", "j", ys)} WHERE ${on})`
          : `SELECT l.i, r.j FROM ${values("l", "i", xs)} ${how === "full" ? "FULL OUTER JOIN" : "JOIN"} ${values("r", "j", ys)} ON ${on}`;
        assertRowsEqual(got, await duckRows(sql), { message: how });
      }
    });

    it("count over a join with duplicate keys on both sides, NULL keys and a residual condition", async () => {
      // Both sides are slices of facts: k repeats (23 values over 2000 rows) and is sometimes NULL.
      const left = facts.filter(col("id").lt(400));
      const right = facts.filter(col("id").geq(1500)).select(col("k").alias("rk"), col("v").alias("rv"), col("s").alias("rs"));
      const slices = (sql: string) => sql.replace("FROM facts f", "FROM (SELECT * FROM facts WHERE id < 400) f")
        .replace("dims d", "(SELECT k AS rk, v AS rv, s AS rs FROM facts WHERE id >= 1500) d");
      for (const how of JOIN_TYPES) {
        for (const [name, cond, on] of [
          ["int key", left.col("k").eq(right.col("rk")), "f.k = d.rk"],
          ["string key", left.col("s").eq(right.col("rs")), "f.s = d.rs"],
          ["int key and residual", left.col("k").eq(right.col("rk")).and(left.col("v").gt(right.col("rv"))), "f.k = d.rk AND f.v > d.rv"],
        ] as const) {
          const joined = left.join(right, cond, how);
          const n = await joined.agg(count("*")).collectArrays();
          assertRowsEqual(n, await duckRows(slices(duckAgg(how, on, "count(*)"))), { message: `${how} ${name}` });
          if (semiOrAnti(how)) continue;
          const byS = await joined.groupBy(left.col("s")).agg(count("*"), sum(right.col("rv")), count(right.col("rk"))).collectArrays();
          assertRowsEqual(byS, await duckRows(slices(duckAgg(how, on, "f.s, count(*), sum(d.rv), count(d.rk)") + " GROUP BY f.s")), { message: `${how} ${name} grouped` });
        }
      }
    });

    it("self-join through df.col", async () => {
      // Both sides carry facts' attribute ids; other.col() must still mean the right side.
      const other = facts.filter(col("id").lt(100));
      for (const how of ["inner", "left_semi"] as const) {
        const joined = facts.join(other, facts.col("id").eq(other.col("k")), how);
        assert.match(joined.explain(false), new RegExp(`HashJoinExec ${how}|SortMergeJoinExec ${how}`));
        const expected = how === "inner"
          ? "SELECT a.*, b.* FROM facts a JOIN (SELECT * FROM facts WHERE id < 100) b ON a.id = b.k"
          : "SELECT a.* FROM facts a WHERE EXISTS (SELECT 1 FROM facts b WHERE b.id < 100 AND a.id = b.k)";
        assertRowsEqual(await joined.collectArrays(), await duckRows(expected), { message: how });
      }
    });
  });
}

describe("join edge cases", () => {
  const session = new Session({ "shuffle.partitions": 3, autoBroadcastJoinThreshold: 0 });
  let facts: DataFrame, dims: DataFrame, empty: DataFrame, single: DataFrame;
  before(async () => {
    ({ facts, dims, empty, single } = (await loadTables(session, ["facts", "dims", "empty", "single"], 2)) as Record<string, DataFrame> as
      { facts: DataFrame; dims: DataFrame; empty: DataFrame; single: DataFrame });
  });

  it("an empty side gives no pairs but keeps the outer side's rows", async () => {
    for (const how of JOIN_TYPES) {
      for (const [l, r, ls, rs] of [[facts, empty, "facts", "empty"], [empty, facts, "empty", "facts"]] as const) {
        const joined = l.join(r, l.col("k").eq(r.col("k")), how);
        const picked = semiOrAnti(how) ? joined.select(l.col("k")) : joined.select(l.col("k"), r.col("k"));
        const sql = semiOrAnti(how)
          ? `SELECT a.k FROM ${ls} a WHERE ${how === "left_anti" ? "NOT " : ""}EXISTS (SELECT 1 FROM ${rs} b WHERE a.k = b.k)`
          : `SELECT a.k, b.k FROM ${ls} a ${{ inner: "JOIN", left: "LEFT JOIN", right: "RIGHT JOIN", full: "FULL JOIN" }[how]} ${rs} b ON a.k = b.k`;
        assertRowsEqual(await picked.collectArrays(), await duckRows(sql), { message: `${ls} ${how} ${rs}` });
      }
    }
  });

  it("a single-row side", async () => {
    for (const how of JOIN_TYPES) {
      const joined = facts.join(single, facts.col("k").eq(single.col("k")), how);
      const picked = semiOrAnti(how) ? joined.select(facts.col("id")) : joined.select(facts.col("id"), single.col("s"));
      const sql = semiOrAnti(how)
        ? `SELECT f.id FROM facts f WHERE ${how === "left_anti" ? "NOT " : ""}EXISTS (SELECT 1 FROM single s WHERE f.k = s.k)`
        : `SELECT f.id, s.s FROM facts f ${{ inner: "JOIN", left: "LEFT JOIN", right: "RIGHT JOIN", full: "FULL JOIN" }[how]} single s ON f.k = s.k`;
      assertRowsEqual(await picked.collectArrays(), await duckRows(sql), { message: how });
    }
  });

  it("joining an int column with a string column is a typed DATATYPE_MISMATCH naming both columns", () => {
    const check = (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.equal(e.code, "DATATYPE_MISMATCH");
      assert.match(e.message, /\bk#\d+/);
      assert.match(e.message, /\bname#\d+/);
      assert.match(e.message, /int32 and string/);
      return true;
    };
    assert.throws(() => facts.join(dims, facts.col("k").eq(dims.col("name"))), check);
    const named = dims.select(col("name").alias("k"));
    assert.throws(() => facts.join(named, "k"), (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.equal(e.code, "DATATYPE_MISMATCH");
      assert.match(e.message, /k#\d+ = k#\d+/);
      return true;
    });
  });
});
