// Dictionary-encoded string chunks are read as dictionary codes (parquet-dictionary-hint.ts), plain
// ones as strings; every kernel that meets the codes must give DuckDB's answers on the same file:
// filters, LIKE, IN, grouping on one and on several string keys, joins, sorting, DISTINCT and collect.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { parquetFormatReader } from "../../src/io/parquet-reader.ts";
import { cachedFile } from "../../src/io/parquet-footers.ts";
import type { Batch } from "../../src/exec/column-vector.ts";
import { duckRows, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const ROWS = 200_000;

describe("Parquet dictionary-encoded strings", () => {
  it("reads dictionary chunks as codes and plain chunks as strings, with DuckDB's answers", async () => {
    // `flag` and `mode` have a handful of values (DuckDB writes them dictionary-encoded), with NULLs;
    // `note` is nearly unique (written plain). Several row groups, so dictionaries change.
    const { path } = await duckToParquet("dictionary-strings", `
      SELECT i AS id,
        CASE WHEN i % 97 = 0 THEN NULL ELSE ['R', 'A', 'N', ''][i % 4 + 1] END AS flag,
        ['MAIL', 'SHIP', 'AIR', 'REG AIR', 'TRUCK', 'é✓ rail'][(i * 7) % 6 + 1] AS mode,
        'note ' || (i * 2654435761 % 1000003)::VARCHAR || CASE WHEN i % 3 = 0 THEN ' special' ELSE '' END AS note
      FROM range(${ROWS}) t(i)`);
    const file = await cachedFile("test", path, {});
    assert.ok(file.footer.rowGroups.length > 1, "several row groups");
    const column = (name: string) => file.footer.columns.findIndex((c) => c.name === name);
    const leafOf = (name: string) => file.footer.columns[column(name)]!.leaves[0]!;
    assert.ok(file.footer.rowGroups.every((rg) => rg.chunks[leafOf("flag")]!.dictionaryOnly && !rg.chunks[leafOf("note")]!.dictionaryOnly));

    // What the scan hands the operators: codes for `flag` and `mode`, strings for `note`.
    const session = new Session();
    const df = await session.read.parquet(path);
    assert.equal(df.plan.type, "Scan");
    const scan = df.plan as Extract<typeof df.plan, { type: "Scan" }>;
    const batches: Batch[] = [];
    for await (const b of parquetFormatReader().read(scan.source, scan.schema, null, [], 0)) batches.push(b);
    assert.deepEqual(batches.map((b) => b.columns.map((c) => c.dictionary !== undefined)), batches.map(() => [false, true, true, false]));

    df.createOrReplaceTempView("t");
    const from = `read_parquet('${path}')`;
    const same = async (sql: string, ordered = false) => assertRowsEqual(await session.sql(sql.replaceAll("$T", "t")).collectArrays(), await duckRows(sql.replaceAll("$T", from)), { ordered });
    await same("SELECT flag, mode, count(*), sum(id), min(note) FROM $T GROUP BY flag, mode");
    await same("SELECT flag, count(*) FROM $T WHERE mode IN ('AIR', 'REG AIR') AND flag <> 'A' GROUP BY flag");
    await same("SELECT mode, count(*) FROM $T WHERE note LIKE '%special' AND mode LIKE '%AIR%' GROUP BY mode");
    await same("SELECT id, flag, mode, note FROM $T WHERE id % 1000 = 7 ORDER BY mode DESC, flag NULLS FIRST, id", true);
    await same("SELECT DISTINCT flag, mode FROM $T");
    await same("SELECT a.mode, count(*) FROM (SELECT * FROM $T WHERE id < 5000) a JOIN (SELECT DISTINCT mode, flag FROM $T WHERE id > 150000) b ON a.mode = b.mode AND a.flag = b.flag GROUP BY a.mode");
    await same("SELECT upper(mode) || '/' || coalesce(flag, '?') AS k, count(*) FROM $T GROUP BY k");
  });
});
