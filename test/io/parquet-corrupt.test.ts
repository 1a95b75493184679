import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Session, CinderError } from "../../src/index.ts";
import { duckRows, duckToParquet, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { parseFooter, footerLength } from "../../src/io/parquet-metadata.ts";

function expectError(code: string, pattern: RegExp, check: (e: CinderError) => void = () => undefined) {
  return (e: unknown): boolean => {
    assert.ok(CinderError.is(e), `expected a CinderError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    check(e);
    return true;
  };
}

describe("bad Parquet input", () => {
  const session = new Session();
  let good: Uint8Array;
  let goodPath: string;
  before(async () => {
    ({ bytes: good, path: goodPath } = await duckToParquet("corrupt-base",
      "SELECT i AS id, 'str' || (i % 100) AS s, i * 0.25 AS v FROM range(30000) t(i)"));
  });

  function write(name: string, bytes: Uint8Array): string {
    const path = join(scratchDir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it("reports a truncated file, naming it", async () => {
    const path = write("truncated.parquet", good.subarray(0, good.length - 100));
    await assert.rejects(session.read.parquet(path), expectError("CORRUPT_PARQUET", /truncated\.parquet.*(not a Parquet file|truncated)/, (e) => assert.equal(e.details.file, path)));
  });

  it("reports a file cut in the middle whose footer points past its end", async () => {
    const len = footerLength(good.subarray(good.length - 8), good.length, "x");
    const tail = good.subarray(good.length - 8 - len);
    const cut = new Uint8Array(4 + 1000 + tail.length);
    cut.set(good.subarray(0, 1004));
    cut.set(tail, 1004);
    const path = write("cut.parquet", cut);
    await assert.rejects(session.read.parquet(path), expectError("CORRUPT_PARQUET", /cut\.parquet.*outside the .*-byte file/));
  });

  it("reports a corrupt footer", async () => {
    const bad = new Uint8Array(good);
    const len = footerLength(bad.subarray(bad.length - 8), bad.length, "x");
    bad.fill(0xff, bad.length - 8 - len, bad.length - 8 - len + 40);
    const path = write("bad-footer.parquet", bad);
    await assert.rejects(session.read.parquet(path), expectError("CORRUPT_PARQUET", /bad-footer\.parquet has a corrupt footer/));
    const bigLength = new Uint8Array(good);
    new DataView(bigLength.buffer).setUint32(bigLength.length - 8, 0x7fffffff, true);
    await assert.rejects(session.read.parquet(write("bad-length.parquet", bigLength)), expectError("CORRUPT_PARQUET", /bad-length\.parquet has a corrupt footer: it claims/));
  });

  it("reports a file that is not Parquet", async () => {
    const csv = new TextEncoder().encode("id,name\n1,a\n2,b\n3,c\n4,d\n5,e\n");
    await assert.rejects(session.read.parquet(write("data.csv", csv)), expectError("CORRUPT_PARQUET", /data\.csv is not a Parquet file/));
    await assert.rejects(session.read.parquet(new Uint8Array([1, 2, 3])), expectError("CORRUPT_PARQUET", /memory:parquet-\d+ is not a Parquet file/));
    await assert.rejects(session.read.parquet(join(scratchDir, "missing.parquet")), expectError("IO_ERROR", /missing\.parquet/));
  });

  it("reports a column chunk that fails to decode, naming row group and column; other columns still read", async () => {
    const bad = new Uint8Array(good);
    const len = footerLength(bad.subarray(bad.length - 8), bad.length, "x");
    const footer = parseFooter(bad.subarray(bad.length - 8 - len, bad.length - 8), bad.length, "x");
    assert.ok(footer.rowGroups.length >= 1);
    const chunk = footer.rowGroups[0]!.chunks[1]!; // column s
    bad.fill(0xee, chunk.start, chunk.start + Math.min(64, chunk.length));
    const path = write("bad-chunk.parquet", bad);
    const df = await session.read.parquet(path);
    await assert.rejects(df.select("s").collect(), expectError("CORRUPT_PARQUET", /bad-chunk\.parquet: row group 0, column 's': cannot decode/));
    await assert.rejects(df.collect(), expectError("CORRUPT_PARQUET", /bad-chunk\.parquet: row group 0, column 's'/));
    assert.equal((await df.select("id", "v").collectArrays()).length, 30000);
  });

  it("reports an unsupported type, naming file and column", async () => {
    const { path } = await duckToParquet("nested", "SELECT i AS id, [i, i + 1] AS xs FROM range(10) t(i)");
    await assert.rejects(session.read.parquet(path), expectError("IO_ERROR", /nested\.parquet: column 'xs' has type .*which Cinder cannot read/, (e) => {
      assert.equal(e.details.column, "xs");
      assert.equal(e.details.reason, "unsupported_type");
    }));
  });

  it("rejects files with incompatible schemas, naming the file and column", async () => {
    const { path: a } = await duckToParquet("schema-a", "SELECT i AS id, i * 2 AS v FROM range(5) t(i)");
    const { path: b } = await duckToParquet("schema-b", "SELECT i AS id, 'x' || i AS v FROM range(5) t(i)");
    const { path: c } = await duckToParquet("schema-c", "SELECT i AS id FROM range(5) t(i)");
    await assert.rejects(session.read.parquet(a, b), expectError("DATATYPE_MISMATCH", /schema-b\.parquet: column 'v' is string but .*schema-a\.parquet has int64/));
    await assert.rejects(session.read.parquet(a, c), expectError("DATATYPE_MISMATCH", /schema-c\.parquet has no column 'v'/));
    const { path: d } = await duckToParquet("schema-d", "SELECT i + 5 AS id, i * 3 AS v FROM range(5) t(i)");
    const both = await session.read.parquet(a, d);
    assertRowsEqual(await both.collectArrays(), await duckRows(`SELECT * FROM read_parquet(['${a}', '${d}'])`));
  });

  it("keeps the session working after errors", async () => {
    const df = await session.read.parquet(goodPath);
    assertRowsEqual(await df.groupBy().count().collectArrays(), [[30000]]);
    const again = await session.read.parquet(new Uint8Array(readFileSync(goodPath)));
    assert.equal(await again.count(), 30000);
  });
});
