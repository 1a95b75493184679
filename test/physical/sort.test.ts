import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import type { Batch, ColumnVector } from "../../src/exec/column-vector.ts";
import { concatBatches, utf8FromStrings } from "../../src/exec/column-vector.ts";
import { sortColumns } from "../../src/exec/sort/sort-indices.ts";
import { stringRanks } from "../../src/exec/sort/string-ranks.ts";
import { compareBytes } from "../../src/exec/compare.ts";
import { rangeBounds, rangePartitionIds, sampleKeys } from "../../src/exec/range-partition.ts";
import { runLocally } from "../../src/executor/local-executor.ts";
import { dataFrameFromParquet, loadTables } from "../support/datasets.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

// 6000 rows: a wide BIGINT (two-pass radix), a narrow INTEGER with NULLs (counting sort),
// doubles with NaN, ±inf, -0 and NULLs, non-ASCII strings (byte order), and a fractional BIGINT-like double.
const SORT_DATA = `SELECT i::INTEGER AS id,
    ((i * 2654435761) % 4000000000 - 2000000000)::BIGINT AS wide,
    CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7 % 50)::INTEGER END AS narrow,
    CASE WHEN i % 17 = 0 THEN NULL WHEN i % 29 = 0 THEN 'nan'::DOUBLE WHEN i % 31 = 0 THEN 'inf'::DOUBLE
         WHEN i % 37 = 0 THEN '-inf'::DOUBLE WHEN i % 41 = 0 THEN -0.0 ELSE ((i * 104729) % 2000 - 1000) / 8.0 END AS f,
    CASE WHEN i % 19 = 0 THEN NULL ELSE (['é', 'Z', 'a', '', 'ab', 'Ä', '😀', 'zz', 'A'])[1 + i * 5 % 9] || (i % 3)::VARCHAR END AS s,
    (DATE '1969-06-01' + (i * 53 % 4000)::INTEGER) AS d
  FROM range(6000) t(i)`;

async function loadSortData(session: Session): Promise<DataFrame> {
  const { path, bytes } = await duckToParquet("sortdata", SORT_DATA);
  await duckRun(`CREATE OR REPLACE TABLE sortdata AS SELECT * FROM read_parquet('${path}')`);
  return dataFrameFromParquet(session, bytes);
}

/** Ids of the rows in the order `sortColumns` gives for the named columns. */
function sortedIds(batch: Batch, names: string[], columns: string[], dirs: { ascending: boolean; nullsFirst: boolean }[]): number[] {
  const keys = columns.map((c) => batch.columns[names.indexOf(c)]!);
  const perm = sortColumns(keys, dirs, batch.numRows);
  const ids = batch.columns[names.indexOf("id")]!.values;
  return Array.from(perm, (i) => ids[i]!);
}

describe("sort kernels", () => {
  const session = new Session();
  let data: Batch;
  let names: string[];
  before(async () => {
    const df = await loadSortData(session);
    names = df.columns;
    data = concatBatches(await df.collectBatches(), names.length);
  });

  const cases: { name: string; cols: string[]; dirs: [boolean, boolean][]; sql: string }[] = [
    { name: "wide bigint asc (radix)", cols: ["wide"], dirs: [[true, true]], sql: "wide ASC" },
    { name: "wide bigint desc (radix)", cols: ["wide"], dirs: [[false, false]], sql: "wide DESC" },
    { name: "narrow int with NULLs first (counting)", cols: ["narrow"], dirs: [[true, true]], sql: "narrow ASC NULLS FIRST" },
    { name: "narrow int desc NULLs last (counting)", cols: ["narrow"], dirs: [[false, false]], sql: "narrow DESC NULLS LAST" },
    { name: "doubles with NaN and infinities", cols: ["f"], dirs: [[true, false]], sql: "f ASC NULLS LAST" },
    { name: "doubles desc NULLs first", cols: ["f"], dirs: [[false, true]], sql: "f DESC NULLS FIRST" },
    { name: "strings by UTF-8 bytes", cols: ["s"], dirs: [[true, true]], sql: "s ASC NULLS FIRST" },
    { name: "dates before and after 1970", cols: ["d"], dirs: [[false, false]], sql: "d DESC NULLS LAST" },
    { name: "string then int then double", cols: ["s", "narrow", "f"], dirs: [[false, true], [true, false], [false, false]], sql: "s DESC NULLS FIRST, narrow ASC NULLS LAST, f DESC NULLS LAST" },
  ];
  for (const c of cases) {
    it(`orders ${c.name} like DuckDB, stable on ties`, async () => {
      const ids = sortedIds(data, names, c.cols, c.dirs.map(([ascending, nullsFirst]) => ({ ascending, nullsFirst })));
      const expected = await duckRows(`SELECT id FROM sortdata ORDER BY ${c.sql}, id`);
      assertRowsEqual(ids.map((id) => [id]), expected, { ordered: true, message: c.name });
    });
  }

  it("ranks dictionary strings by their bytes, not their codes", () => {
    const dictionary = utf8FromStrings(["b", "a", "é", "a", "B"]);
    const codes = Int32Array.from([0, 1, 2, 3, 4, 0, 3, 2]);
    const col: ColumnVector = { type: { kind: "utf8" }, length: 8, values: codes, validity: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]), dictionary };
    const perm = sortColumns([col], [{ ascending: true, nullsFirst: false }], 8);
    // "B" < "a" (x2 codes, equal) < "b" < "é", NULL last; ties keep input order.
    assert.deepEqual(Array.from(perm), [4, 1, 3, 6, 0, 5, 2, 7]);
  });

  it("string ranks (MSD radix on 4-byte chunks) agree with byte order on shared prefixes, NULs and multi-byte text", () => {
    let seed = 7;
    const rnd = (k: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
    const parts = ["", "a", "ab", "abcd", "abcde", "customer#000", "é", "😀", "Z", "\u0000", "zzzz"];
    const strings = Array.from({ length: 20000 }, () => parts[rnd(parts.length)]! + parts[rnd(parts.length)]! + (rnd(2) ? String(rnd(300)) : ""));
    const col = utf8FromStrings(strings);
    const ranks = stringRanks(col);
    const encoder = new TextEncoder();
    const byBytes = (a: string, b: string) => { const x = encoder.encode(a), y = encoder.encode(b); return compareBytes(x, 0, x.length, y, 0, y.length); };
    const distinct = [...new Set(strings)].sort(byBytes);
    const expected = new Map(distinct.map((s, r) => [s, r]));
    strings.forEach((s, i) => assert.equal(ranks[i], expected.get(s), `rank of ${JSON.stringify(s)}`));
  });

  it("sorts a fractional double key by its IEEE bits and keeps stability", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 10) + (i % 3) / 2 - 4);
    const perm = sortColumns([{ type: { kind: "float64" }, length: 1000, values, validity: null }], [{ ascending: true, nullsFirst: true }], 1000);
    const expected = Array.from({ length: 1000 }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
    assert.deepEqual(Array.from(perm), expected);
  });

  it("range partition ids follow the sort order and keep equal keys together", () => {
    const dirs = [{ ascending: false, nullsFirst: true }, { ascending: true, nullsFirst: false }];
    const keyCols = [data.columns[names.indexOf("s")]!, data.columns[names.indexOf("narrow")]!];
    const n = 7;
    const bounds = rangeBounds(sampleKeys([keyCols], n), dirs, n);
    assert.equal(bounds.count, n - 1);
    const ids = rangePartitionIds(keyCols, bounds, dirs, data.numRows);
    const perm = sortColumns(keyCols, dirs, data.numRows);
    const sizes = new Array(n).fill(0);
    for (let k = 0; k < perm.length; k++) {
      sizes[ids[perm[k]!]!]++;
      if (k > 0) assert.ok(ids[perm[k]!]! >= ids[perm[k - 1]!]!, `partition ids must not decrease along the sorted order (at ${k})`);
    }
    // The sample is even, so no partition gets more than about twice its share.
    assert.ok(Math.max(...sizes) < (2 * data.numRows) / n, `balanced partitions: ${sizes.join(", ")}`);
  });
});

describe("SortExec and TakeOrderedExec", () => {
  it("sort many small batches over range partitions, each partition contiguous in the global order", async () => {
    const session = new Session({ "shuffle.partitions": 5, "batch.size": 97 });
    const { facts } = await loadTables(session, ["facts"], 3);
    const df = facts!.orderBy(col("v").descNullsFirst(), "id").select("id", "v");
    assert.match(df.explain(false), /rangepartitioning/);
    const { partitions } = await runLocally(session.planPhysical(session.optimize(df.plan)), session.sources, session.conf.toJSON());
    assert.equal(partitions.length, 5);
    assert.ok(partitions.every((p) => p.every((b) => b.numRows <= 97)), "SortExec emits batches of batch.size");
    assert.ok(partitions.filter((p) => p.length > 0).length >= 4, "rows spread over the range partitions");
    assertRowsEqual(await df.collectArrays(), await duckRows("SELECT id, v FROM facts ORDER BY v DESC NULLS FIRST, id"), { ordered: true });
  });

  it("top-N over many batches prunes to the limit and stays stable", async () => {
    const session = new Session({ "batch.size": 64, "shuffle.partitions": 2 });
    const { facts } = await loadTables(session, ["facts"], 3);
    for (const limit of [1, 7, 300]) {
      const df = facts!.orderBy(col("g").desc()).select("id", "g").limit(limit);
      assert.match(df.explain(false), /TakeOrderedAndProjectExec/);
      // Stable: among equal g, rows keep input (id) order.
      assertRowsEqual(await df.collectArrays(), await duckRows(`SELECT id, g FROM facts ORDER BY g DESC, id LIMIT ${limit}`), { ordered: true, message: `limit ${limit}` });
    }
    // Keys with NULLs, strings and doubles over one partition of 64-row batches: after the first
    // 1024 rows, each batch is filtered against the worst kept row.
    const { facts: one } = await loadTables(new Session({ "batch.size": 64 }), ["facts"], 1);
    const keySets = [
      { cinder: [col("k").ascNullsFirst(), col("s").desc()], sql: "k ASC NULLS FIRST, s DESC" },
      { cinder: [col("k").descNullsLast(), col("v").ascNullsLast()], sql: "k DESC NULLS LAST, v ASC NULLS LAST" },
      { cinder: [col("s"), col("v").descNullsFirst()], sql: "s ASC, v DESC NULLS FIRST" },
      { cinder: [col("d").desc(), col("p")], sql: "d DESC, p ASC" },
    ];
    for (const keys of keySets) {
      for (const limit of [3, 150]) {
        const rows = await one!.orderBy(...keys.cinder).select("id").limit(limit).collectArrays();
        assertRowsEqual(rows, await duckRows(`SELECT id FROM facts ORDER BY ${keys.sql}, id LIMIT ${limit}`), { ordered: true, message: `${keys.sql} limit ${limit}` });
      }
    }
  });
});
