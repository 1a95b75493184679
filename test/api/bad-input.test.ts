/**
 * The bad-input catalogue: each case is a typed error with a stable code
 * and a message naming the problem (and where) and what to do, and the
 * session answers the next query afterwards. Invalid config values are in
 * test/common/config.test.ts, the CLI's one-line rendering of these errors
 * in test/cli/cli.test.ts, cancellation in test/scheduler/cancel-jobs.test.ts.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Session, CinderError } from "../../src/index.ts";
import { duckToParquet } from "../support/duckdb-oracle.ts";

describe("bad input gets a typed error and loses nothing", () => {
  const session = new Session();
  let server: Server;
  let base = "";
  before(async () => {
    session.createDataFrame([{ k: 1, v: 2 }], { schema: { k: "int", v: "int" } }).createOrReplaceTempView("t");
    session.createDataFrame([{ k: 1, w: 2 }], { schema: { k: "int", w: "int" } }).createOrReplaceTempView("u");
    server = createServer((_req, res) => { res.statusCode = 404; res.end("no such file"); });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => { server.close(); });

  const sql = (text: string) => async () => session.sql(text).collect();
  const encode = (text: string) => new TextEncoder().encode(text);
  const cases: [string, () => Promise<unknown>, string, RegExp][] = [
    ["an unclosed quote", sql("SELECT 'abc FROM t"), "PARSE_SYNTAX_ERROR", /unterminated string literal; add the closing ' \(line 1, column 8\)\n.*\n {7}\^/],
    ["a misspelled keyword", sql("SELCT k FROM t"), "PARSE_SYNTAX_ERROR", /found 'SELCT' \(line 1, column 1\)/],
    ["a syntax error on a later line", sql("SELECT k\nFROM t\nWHERE k >"), "PARSE_SYNTAX_ERROR", /line 3, column \d+/],
    ["a missing FROM", sql("SELECT k WHERE k > 1"), "UNRESOLVED_COLUMN", /^unknown column 'k' \(available: none\)$/],
    ["an unknown table", sql("SELECT * FROM tt"), "UNRESOLVED_TABLE", /unknown table or view 'tt'; did you mean t, u\?/],
    ["an unknown column", sql("SELECT kk FROM t"), "UNRESOLVED_COLUMN", /unknown column 'kk'; did you mean 'k'/],
    ["an ambiguous column in a join", sql("SELECT k FROM t JOIN u ON t.k = u.k"), "AMBIGUOUS_REFERENCE", /'k' is ambiguous; it could be t\.k or u\.k/],
    ["a wrong number of arguments", sql("SELECT upper(k, v) FROM t"), "WRONG_ARGUMENT", /upper takes 1 argument\(s\), got 2/],
    ["a wrong argument type", sql("SELECT upper(k) FROM t"), "DATATYPE_MISMATCH", /argument 1 must be a string, got int32; add a CAST/],
    ["an unknown function", sql("SELECT uper(k) FROM t"), "UNRESOLVED_FUNCTION", /unknown function 'uper'; did you mean upper/],
    ["an integer overflow", sql("SELECT 2147483647 + k FROM t"), "ARITHMETIC_OVERFLOW", /overflows int32; cast an operand to a wider type/],
    ["a cast that cannot succeed (under ansi.enabled, the default)", sql("SELECT CAST('abc' AS INT)"), "CAST_INVALID_INPUT", /cannot cast 'abc' to int32/],
    ["a truncated Parquet file", () => session.read.parquet(new Uint8Array([80, 65, 82, 49, 1, 2, 3])), "CORRUPT_PARQUET", /only 7 bytes long .*check that the file is complete/],
    ["a zero-byte Parquet file", () => session.read.parquet(new Uint8Array(0)), "CORRUPT_PARQUET", /only 0 bytes long/],
    ["a .parquet file that is not Parquet", () => session.read.parquet(encode("id,name\n1,a\n")), "CORRUPT_PARQUET", /does not end with the PAR1 magic/],
    ["a CSV with a ragged row", async () => (await session.read.csv(encode("a,b\n1,2\n3\n"))).collect(), "IO_ERROR", /row 3 has 1 fields but the header has 2; check the delimiter/],
    ["a CSV with a bad number", async () => (await session.read.csv(encode("a,b\n1,2\nx,3\n"), { schema: { a: "int", b: "int" } })).collect(), "IO_ERROR", /row 3, column 'a': 'x' is not a valid int32/],
    ["a missing path", () => session.read.parquet("/nonexistent/x.parquet"), "IO_ERROR", /cannot read \/nonexistent\/x\.parquet: no such file/],
    ["an unreachable URL", () => session.read.parquet("http://127.0.0.1:9/x.parquet"), "IO_ERROR", /cannot fetch http:\/\/127\.0\.0\.1:9\/x\.parquet \(tried \d+ times\)/],
    ["a URL that answers 404", () => session.read.parquet(`${base}/x.parquet`), "IO_ERROR", /HTTP 404/],
    ["an int64 Cinder cannot hold exactly", async () => (await session.read.parquet((await duckToParquet("too_big", "SELECT 9223372036854775807::BIGINT AS x")).bytes)).collect(), "ARITHMETIC_OVERFLOW", /column 'x' holds an integer 9223372036854775807, beyond ±2\^53.*cast it to string or float64/],
    ["a result over maxResultSize", async () => {
      session.conf.set("maxResultSize", 16);
      try { return await session.range(0, 100_000).collect(); } finally { session.conf.set("maxResultSize", 1 << 30); }
    }, "RESULT_TOO_LARGE", /larger than maxResultSize \(16 bytes\); add a limit or an aggregate, or raise maxResultSize/],
    ["an invalid config value", async () => session.conf.set("shuffle.partitions", 0), "INVALID_CONFIG", /config 'shuffle\.partitions' must be at least 1, got '0'/],
  ];

  it("a cast that cannot succeed is NULL with ansi.enabled off (Spark's non-ANSI rule) and with TRY_CAST", async () => {
    assert.deepEqual(await session.sql("SELECT TRY_CAST('abc' AS INT)").collectArrays(), [[null]]);
    session.conf.set("ansi.enabled", false);
    try {
      assert.deepEqual(await session.sql("SELECT CAST('abc' AS INT), CAST(k AS STRING) FROM t").collectArrays(), [[null, "1"]]);
    } finally { session.conf.set("ansi.enabled", true); }
  });

  for (const [what, run, code, message] of cases) {
    it(`${what}: ${code}`, async () => {
      await assert.rejects(run(), (e: unknown) => {
        assert.ok(CinderError.is(e), `not a CinderError: ${String(e)}`);
        assert.equal(e.code, code, e.message);
        assert.match(e.message, message);
        return true;
      });
      assert.deepEqual(await session.sql("SELECT count(*) FROM t JOIN u USING (k)").collectArrays(), [[1]], "the session still answers");
    });
  }
});
