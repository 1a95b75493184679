/**
 * `df.repartition`, `df.repartitionByRange` and `df.coalesce` on the local
 * engine and on a two-executor in-process cluster: the rows are DuckDB's,
 * the partition count is the one asked for (seen in the partitions the
 * backend returns and, on the cluster, in the StageSubmitted events), hash
 * partitioning keeps a key in one partition, range partitions do not
 * overlap, coalesce adds no shuffle, `explain()` shows the Exchange, the
 * optimizer moves filters and pruned columns through the node, and bad
 * arguments are typed errors.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { CinderError } from "../../src/common/errors.ts";
import type { Batch } from "../../src/exec/column-vector.ts";
import { columnValues } from "../../src/exec/values.ts";
import type { CellValue } from "../../src/exec/values.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const INPUT_PARTITIONS = 3;
const SHUFFLE_PARTITIONS = 6;
const ALL_FACTS = "SELECT id, k, v, s, d, p, g FROM facts";

/** The result's rows partition by partition, as the session's backend returns them. */
async function partitionsOf(df: DataFrame): Promise<CellValue[][][]> {
  const session = df.session;
  const physical = session.planPhysical(session.optimize(df.plan));
  const partitions: Batch[][] = await session.backend.run(physical, session);
  return partitions.map((batches) => batches.flatMap((b) => {
    const cols = b.columns.map(columnValues);
    return Array.from({ length: b.numRows }, (_, i) => cols.map((c) => c[i] as CellValue));
  }));
}

/** The typed error `f` throws. */
function errorOf(f: () => unknown): CinderError {
  try { f(); } catch (e) { if (CinderError.is(e)) return e; throw e; }
  assert.fail("expected a CinderError");
}

function backendTests(label: string, useCluster: boolean): void {
  describe(`repartition, repartitionByRange and coalesce (${label})`, () => {
    // Partition counts are what these tests check: adaptive coalescing (tested in test/scheduler/adaptive-coalescing.test.ts) stays off.
    const session = new Session({ "shuffle.partitions": SHUFFLE_PARTITIONS, "adaptive.enabled": 0 });
    let facts: DataFrame;
    let cluster: Cluster | null = null;
    let log: EventLog | null = null;
    before(async () => {
      ({ facts } = await loadTables(session, ["facts"], INPUT_PARTITIONS) as { facts: DataFrame });
      if (useCluster) {
        cluster = await Cluster.start({ executors: 2, kind: "in-process" });
        session.backend = cluster.backend();
        log = new EventLog(cluster.bus);
      }
    });
    after(async () => { await cluster?.stop(); });

    /** numTasks of each stage the last job submitted, map stages first (cluster only). */
    const stageTasks = (): { kind: string; numTasks: number }[] => log!.of("StageSubmitted").map((s) => ({ kind: s.kind, numTasks: s.numTasks }));

    it("repartition(n) spreads rows round robin into n partitions, evenly", async () => {
      const df = facts.repartition(5);
      assert.equal(df.numPartitions, 5);
      log?.clear();
      const parts = await partitionsOf(df);
      assert.equal(parts.length, 5);
      const sizes = parts.map((p) => p.length);
      // Each map task deals its rows out one by one, so partitions differ by at most one row per map task.
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= INPUT_PARTITIONS, `sizes ${sizes.join(", ")}`);
      assertRowsEqual(parts.flat(), await duckRows(ALL_FACTS));
      if (log) assert.deepEqual(stageTasks(), [{ kind: "shuffleMap", numTasks: INPUT_PARTITIONS }, { kind: "result", numTasks: 5 }]);
    });

    it("repartition(n) gives the same partitions every time", async () => {
      const df = facts.repartition(4);
      assert.deepEqual(await partitionsOf(df), await partitionsOf(df));
    });

    it("repartition(n, col) puts every row of a key (NULL too) in one partition", async () => {
      const df = facts.repartition(4, "k");
      assert.equal(df.numPartitions, 4);
      log?.clear();
      const parts = await partitionsOf(df);
      assert.equal(parts.length, 4);
      const k = df.columns.indexOf("k");
      const home = new Map<CellValue, number>();
      parts.forEach((rows, p) => rows.forEach((r) => {
        const seen = home.get(r[k]!);
        assert.ok(seen === undefined || seen === p, `key ${String(r[k])} in partitions ${seen} and ${p}`);
        home.set(r[k]!, p);
      }));
      assert.ok(home.has(null), "the NULL key is there");
      assert.ok(parts.filter((p) => p.length > 0).length > 1, "23 keys do not all hash to one partition");
      assertRowsEqual(parts.flat(), await duckRows(ALL_FACTS));
      if (log) assert.deepEqual(stageTasks(), [{ kind: "shuffleMap", numTasks: INPUT_PARTITIONS }, { kind: "result", numTasks: 4 }]);
    });

    it("repartition(cols) without a number uses shuffle.partitions; several keys by name or Column", async () => {
      const df = facts.repartition(col("g"), "s");
      assert.equal(df.numPartitions, SHUFFLE_PARTITIONS);
      const parts = await partitionsOf(df);
      assert.equal(parts.length, SHUFFLE_PARTITIONS);
      const g = df.columns.indexOf("g"), s = df.columns.indexOf("s");
      const home = new Map<string, number>();
      parts.forEach((rows, p) => rows.forEach((r) => {
        const key = `${String(r[g])}|${String(r[s])}`;
        assert.ok((home.get(key) ?? p) === p, `key ${key} in two partitions`);
        home.set(key, p);
      }));
      assertRowsEqual(parts.flat(), await duckRows(ALL_FACTS));
    });

    it("repartitionByRange(n, col) gives n partitions of key ranges that do not overlap, in order", async () => {
      const df = facts.repartitionByRange(4, "id");
      assert.equal(df.numPartitions, 4);
      log?.clear();
      const parts = await partitionsOf(df);
      assert.equal(parts.length, 4);
      const id = df.columns.indexOf("id");
      const ranges = parts.filter((p) => p.length > 0).map((rows) => {
        const ids = rows.map((r) => r[id] as number);
        return [Math.min(...ids), Math.max(...ids)] as const;
      });
      assert.ok(ranges.length >= 3, `2000 distinct ids fill most of 4 ranges (got ${ranges.length})`);
      for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i - 1]![1] < ranges[i]![0], `ranges ${JSON.stringify(ranges)}`);
      assertRowsEqual(parts.flat(), await duckRows(ALL_FACTS));
      // The sampling pass and the map stage run over the 3 input partitions, then 4 result tasks.
      if (log) assert.deepEqual(stageTasks().at(-1), { kind: "result", numTasks: 4 });
    });

    it("repartitionByRange(col.desc()) puts larger keys first; without a number, shuffle.partitions", async () => {
      const df = facts.repartitionByRange(col("id").desc());
      assert.equal(df.numPartitions, SHUFFLE_PARTITIONS);
      const parts = await partitionsOf(df);
      const id = df.columns.indexOf("id");
      const ranges = parts.filter((p) => p.length > 0).map((rows) => {
        const ids = rows.map((r) => r[id] as number);
        return [Math.min(...ids), Math.max(...ids)] as const;
      });
      for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i - 1]![0] > ranges[i]![1], `ranges ${JSON.stringify(ranges)}`);
      assertRowsEqual(parts.flat(), await duckRows(ALL_FACTS));
    });

    it("coalesce(n) merges neighbouring partitions without a shuffle", async () => {
      const df = facts.coalesce(2);
      assert.equal(df.numPartitions, 2);
      const plan = df.explain(false);
      assert.match(plan, /Coalesce 2/);
      assert.doesNotMatch(plan, /Exchange/);
      log?.clear();
      const parts = await partitionsOf(df);
      assert.equal(parts.length, 2);
      if (log) assert.deepEqual(stageTasks(), [{ kind: "result", numTasks: 2 }]);
      // Partition 0 reads input partition 0, partition 1 reads input partitions 1 and 2.
      const inputs = await partitionsOf(facts);
      assert.deepEqual(parts, [inputs[0], [...inputs[1]!, ...inputs[2]!]]);
    });

    it("coalesce(n) keeps the partitions when asked for more than there are", async () => {
      const df = facts.coalesce(10);
      assert.equal(df.numPartitions, INPUT_PARTITIONS);
      assertRowsEqual(await df.collectArrays(), await duckRows(ALL_FACTS));
    });

    it("coalesce after a shuffle reads several reduce partitions in one task", async () => {
      const df = facts.repartition(6, "k").coalesce(4).filter(col("v").gt(50));
      assert.equal(df.numPartitions, 4);
      log?.clear();
      const parts = await partitionsOf(df);
      assert.equal(parts.length, 4);
      assertRowsEqual(parts.flat(), await duckRows(`${ALL_FACTS} WHERE v > 50`));
      if (log) assert.deepEqual(stageTasks(), [{ kind: "shuffleMap", numTasks: INPUT_PARTITIONS }, { kind: "result", numTasks: 4 }]);
    });

    it("coalesce over a cached DataFrame reads its cached partitions, wherever they are", async () => {
      const cached = facts.filter(col("id").geq(100)).cache();
      try {
        assert.equal(await cached.count(), 1900);
        const df = cached.coalesce(2);
        assert.equal(df.numPartitions, 2);
        log?.clear();
        const parts = await partitionsOf(df);
        assert.equal(parts.length, 2);
        assertRowsEqual(parts.flat(), await duckRows(`${ALL_FACTS} WHERE id >= 100`));
        if (log) assert.deepEqual(stageTasks(), [{ kind: "result", numTasks: 2 }]);
      } finally { await cached.unpersist(); }
    });

    it("a groupBy after repartition on the same key gives DuckDB's answer", async () => {
      const rows = await facts.repartition(4, "k").groupBy("k").count().collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT k, count(*) FROM facts GROUP BY k"));
    });

    it("a global sort after repartitionByRange gives DuckDB's order", async () => {
      const rows = await facts.repartitionByRange(3, col("g")).orderBy(col("id").desc()).select("id", "g").collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT id, g FROM facts ORDER BY id DESC"), { ordered: true });
    });
  });
}

backendTests("local engine", false);
backendTests("2-executor in-process cluster", true);

describe("repartition plans", () => {
  const session = new Session({ "shuffle.partitions": SHUFFLE_PARTITIONS });
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"], INPUT_PARTITIONS) as { facts: DataFrame }); });

  it("explain shows each partitioning's Exchange", () => {
    assert.match(facts.repartition(5).explain(false), /Exchange RoundRobinPartitioning\(5\)/);
    assert.match(facts.repartition(4, "k").explain(false), /Exchange hashpartitioning\([^)]*, 4\)/);
    assert.match(facts.repartition("k").explain(false), new RegExp(`Exchange hashpartitioning\\([^)]*, ${SHUFFLE_PARTITIONS}\\)`));
    assert.match(facts.repartitionByRange(2, col("id").desc()).explain(false), /Exchange rangepartitioning\(.* DESC.*, 2\)/);
    const extended = facts.repartition(4, "k").explain();
    assert.match(extended, /RepartitionByExpression \[k#\d+\], 4/);
    assert.match(facts.repartition(3).explain(), /Repartition 3, true/);
    assert.match(facts.coalesce(2).explain(), /Repartition 2, false/);
  });

  it("a repartition of one partition still shuffles (Spark does)", async () => {
    const one = facts.coalesce(1);
    assert.equal(one.numPartitions, 1);
    assert.equal(one.repartition(3).numPartitions, 3);
    assert.match(one.repartition(3).explain(false), /Exchange RoundRobinPartitioning\(3\)/);
  });

  it("the optimizer pushes a filter below the repartition and prunes the columns it does not need", () => {
    const df = facts.repartition(4, "k").filter(col("id").lt(100)).select("id");
    const optimized = df.explain().split("== Optimized Logical Plan ==")[1]!.split("== Physical Plan ==")[0]!;
    const lines = optimized.trim().split("\n");
    const repartition = lines.findIndex((l) => l.includes("RepartitionByExpression"));
    const filter = lines.findIndex((l) => l.includes("Filter"));
    assert.ok(repartition >= 0 && filter > repartition, `the filter sits below the repartition:\n${optimized}`);
    const scan = lines.find((l) => l.includes("Scan"))!;
    assert.match(scan, /\[id#\d+, k#\d+\]/, `the scan reads only id and k:\n${optimized}`);
  });

  it("keeps the repartition when nothing above reads its key", () => {
    const df = facts.repartition(4, "k").select("id");
    assert.match(df.explain(false), /Exchange hashpartitioning/);
    assert.equal(df.numPartitions, 4);
  });

  it("bad arguments are typed errors saying what to pass", () => {
    for (const [f, what] of [
      [() => facts.repartition(0), /numPartitions must be a positive integer, got 0/],
      [() => facts.repartition(-2, "k"), /got -2/],
      [() => facts.repartition(1.5), /got 1.5/],
      [() => facts.coalesce(0), /coalesce: numPartitions must be a positive integer/],
      [() => facts.repartitionByRange(3), /at least one column/],
      [() => facts.repartitionByRange(0, "id"), /repartitionByRange: numPartitions/],
      [() => facts.repartition(col("k").desc()), /sort order.*repartitionByRange/],
      [() => facts.repartition(), /pass a number of partitions, columns, or both/],
    ] as [() => unknown, RegExp][]) {
      const e = errorOf(f);
      assert.equal(e.code, "WRONG_ARGUMENT");
      assert.match(e.message, what);
    }
  });

  it("an unknown column names it and close names", () => {
    for (const f of [() => facts.repartition(4, "kk"), () => facts.repartitionByRange(col("idd"))]) {
      const e = errorOf(f);
      assert.equal(e.code, "UNRESOLVED_COLUMN");
      assert.match(e.message, /unknown column '(kk|idd)'; did you mean '(k|id)'/);
    }
  });
});
