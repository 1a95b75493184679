import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Session, CinderError, col } from "../../src/index.ts";
import { duckRows, duckRun, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { parseCsvCells } from "../../src/io/text-sources.ts";

describe("CSV, JSON lines and Arrow IPC readers", () => {
  const session = new Session();

  it("splits CSV with quotes, escaped quotes, embedded delimiters and newlines", () => {
    const cells = parseCsvCells('a,b,c\n1,"x, y","say ""hi"""\r\n2,,"multi\nline"\n3,"",z');
    assert.deepEqual(cells, [["a", "b", "c"], ["1", "x, y", 'say "hi"'], ["2", null, "multi\nline"], ["3", "", "z"]]);
  });

  it("reads a DuckDB-written CSV with inferred types like DuckDB", async () => {
    const path = join(scratchDir, "typed.csv");
    await duckRun(`COPY (SELECT i AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1.5 END AS v, 'name ' || (i % 4) || ', x' AS s,
      DATE '2021-03-01' + i::INTEGER AS d, i % 2 = 0 AS b, TIMESTAMP '2020-01-01 10:00:00' + INTERVAL (i) HOUR AS ts FROM range(200) t(i)) TO '${path}' (FORMAT csv, HEADER)`);
    const df = await session.read.csv(path);
    assert.deepEqual(df.dtypes, [["id", "int64"], ["v", "float64"], ["s", "string"], ["d", "date"], ["b", "boolean"], ["ts", "timestamp"]]);
    assertRowsEqual(await df.collectArrays(), await duckRows(`SELECT * FROM read_csv('${path}')`));
    assertRowsEqual(await df.filter(col("v").gt(100)).select("id", "s").collectArrays(), await duckRows(`SELECT id, s FROM read_csv('${path}') WHERE v > 100`));
  });

  it("takes a delimiter, no header and a schema override", async () => {
    const bytes = new TextEncoder().encode("1;2.50;a\n2;3.25;b\n3;;c\n");
    const df = await session.read.csv(bytes, { header: false, delimiter: ";", schema: { column1: "decimal(10,2)", column0: "int" } });
    assert.deepEqual(df.dtypes, [["column0", "int32"], ["column1", "decimal(10,2)"], ["column2", "string"]]);
    assertRowsEqual(await df.collectArrays(), [[1, 2.5, "a"], [2, 3.25, "b"], [3, null, "c"]], { ordered: true });
  });

  it("reports bad CSV with typed errors naming the row", async () => {
    await assert.rejects(session.read.csv(new TextEncoder().encode("a,b\n1,2\n3\n")), (e: unknown) => CinderError.is(e) && e.code === "IO_ERROR" && /row 3 has 1 fields/.test(e.message));
    await assert.rejects(session.read.csv(new TextEncoder().encode('a\n"open\n')), (e: unknown) => CinderError.is(e) && /never closed/.test(e.message));
    await assert.rejects(session.read.csv(new TextEncoder().encode("a\nx\n"), { schema: { a: "int" } }), (e: unknown) => CinderError.is(e) && /row 2, column 'a': 'x' is not a valid int32/.test(e.message));
  });

  it("reads JSON lines like DuckDB's read_json", async () => {
    const path = join(scratchDir, "rows.jsonl");
    writeFileSync(path, Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: i, name: i % 7 === 0 ? null : `n${i}`, score: i / 4, ok: i % 3 === 0 })).join("\n") + "\n");
    const df = await session.read.json(path);
    assertRowsEqual(await df.select("id", "name", "score", "ok").collectArrays(), await duckRows(`SELECT id, name, score, ok FROM read_json('${path}', format = 'newline_delimited')`));
    await assert.rejects(session.read.json(new TextEncoder().encode('{"a": 1}\n{"a": [1]}\n')), (e: unknown) => CinderError.is(e) && /line 2, field 'a' is nested/.test(e.message));
    await assert.rejects(session.read.json(new TextEncoder().encode('{"a": 1}\nnope\n')), (e: unknown) => CinderError.is(e) && /line 2 is not valid JSON/.test(e.message));
  });

  it("round-trips Arrow IPC files written by df.write.arrow", async () => {
    const src = session.createDataFrame([{ k: "a", v: 1 }, { k: null, v: 2 }, { k: "c", v: null }]);
    const dir = join(scratchDir, "ipc-out");
    const [file] = await src.write.mode("overwrite").arrow(dir);
    const back = await session.read.arrowIpc(file!);
    assertRowsEqual(await back.collectArrays(), await src.collectArrays());
    await assert.rejects(session.read.arrowIpc(new Uint8Array([1, 2, 3, 4])), (e: unknown) => CinderError.is(e) && e.code === "IO_ERROR");
  });
});
