import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { Session, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { duckRows, duckRun, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { startRangeServer } from "./range-server.ts";
import { and, cmp, runWithMetrics, withPushedFilter } from "./support-plans.ts";

// ~100 MB: incompressible hash and md5 columns, sorted on id so row-group statistics on id prune.
const BIG = join(scratchDir, "big.parquet");
const LO = 1_500_000, HI = 1_500_999;

function selective(session: Session, df: DataFrame): DataFrame {
  return withPushedFilter(session, df, and(cmp(df, "id", ">=", LO), cmp(df, "id", "<=", HI))).select("h");
}

describe("Parquet over HTTP range requests", () => {
  let size = 0;
  let expected: unknown[][];
  before(async () => {
    await duckRun(`COPY (SELECT i AS id, (hash(i) >> 12)::BIGINT AS h, md5(i::VARCHAR) AS s, (hash(i * 7) % 1000000) / 100.0 AS x FROM range(2200000) t(i) ORDER BY id)
      TO '${BIG}' (FORMAT parquet, ROW_GROUP_SIZE 100000)`);
    size = statSync(BIG).size;
    expected = await duckRows(`SELECT h FROM read_parquet('${BIG}') WHERE id BETWEEN ${LO} AND ${HI}`);
  });

  it("fetches well under 10% of a 100 MB file for a selective one-column query", async () => {
    assert.ok(size > 90e6, `test file is ${size} bytes`);
    const server = await startRangeServer(BIG);
    try {
      const session = new Session();
      const df = await session.read.parquet(server.url);
      const { rows, metrics } = await runWithMetrics(session, selective(session, df));
      assertRowsEqual(rows, expected);
      assert.ok(metrics.rowGroupsSkipped > 10, `skipped ${metrics.rowGroupsSkipped} row groups`);
      assert.ok(metrics.rowGroupsRead >= 1 && metrics.rowGroupsRead <= 2);
      assert.ok(server.bytesServed < size * 0.1, `served ${server.bytesServed} of ${size} bytes`);
      assert.ok(server.bytesServed < size * 0.02, `served ${server.bytesServed} of ${size} bytes (expected about one column chunk)`);
      assert.ok(server.requests[0]!.startsWith("GET bytes=-"), "the footer comes from one suffix-range request");

      // explain("analyze") says how many bytes the query fetched: exactly what the server sent for it.
      const before = server.bytesServed;
      const text = await selective(session, df).explain("analyze");
      const served = server.bytesServed - before;
      assert.ok(served > 0 && served < size * 0.02);
      assert.match(text, new RegExp(`\\[actual: fetched [\\d.]+ [KM]B \\(${served.toLocaleString("en-US")} bytes\\) in \\d+ requests?, row groups read ${metrics.rowGroupsRead}, skipped ${metrics.rowGroupsSkipped},`));
    } finally { await server.close(); }
  });

  it("works when HEAD is forbidden and suffix ranges are refused", async () => {
    const server = await startRangeServer(BIG, { forbidHead: true, noSuffixRange: true });
    try {
      const session = new Session();
      const { rows } = await runWithMetrics(session, selective(session, await session.read.parquet(server.url)));
      assertRowsEqual(rows, expected);
      assert.ok(server.bytesServed < size * 0.1);
    } finally { await server.close(); }
  });

  it("works when the server omits Content-Length", async () => {
    const server = await startRangeServer(BIG, { noContentLength: true });
    try {
      const session = new Session();
      const { rows } = await runWithMetrics(session, selective(session, await session.read.parquet(server.url)));
      assertRowsEqual(rows, expected);
      assert.ok(server.bytesServed < size * 0.1);
    } finally { await server.close(); }
  });

  it("refuses to download a whole file from a server that ignores Range, unless asked, and says so", async () => {
    const server = await startRangeServer(BIG, { ignoreRange: true });
    try {
      const session = new Session();
      await assert.rejects(session.read.parquet(server.url), (e: unknown) => {
        assert.ok(CinderError.is(e));
        assert.equal(e.code, "IO_ERROR");
        assert.equal(e.details.reason, "range_not_supported");
        assert.match(e.message, /ignored the Range header.*allowFullDownload/);
        return true;
      });
      assert.ok(server.bytesServed < size / 2, `served ${server.bytesServed} of ${size} bytes before the reader stopped`);

      const before = server.bytesServed;
      const df = await session.read.option("allowFullDownload", true).parquet(server.url);
      assert.match(df.explain(), /warning: server ignored Range .* downloaded the whole file/);
      assert.match(await selective(session, df).explain("analyze"), /\[actual: fetched 0 bytes in 0 requests, .*ignored Range: the whole file, [\d.]+ MB \([\d,]+ bytes\), was downloaded once/);
      const { rows } = await runWithMetrics(session, selective(session, df));
      assertRowsEqual(rows, expected);
      const fetched = server.bytesServed - before;
      assert.ok(fetched >= size && fetched < size * 1.5, `the file was downloaded once (${fetched} bytes)`);
    } finally { await server.close(); }
  });

  it("answers whole-table queries over HTTP like DuckDB on the local file", async () => {
    const small = join(scratchDir, "http-small.parquet");
    await duckRun(`COPY (SELECT i AS id, i % 7 AS k, 'n' || (i % 5) AS s FROM range(50000) t(i)) TO '${small}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`);
    const server = await startRangeServer(small);
    try {
      const session = new Session();
      const df = await session.read.parquet(server.url);
      df.createOrReplaceTempView("remote");
      assertRowsEqual(await df.groupBy("k").count().collectArrays(), await duckRows(`SELECT k, count(*) FROM read_parquet('${small}') GROUP BY k`));
    } finally { await server.close(); }
  });
});
