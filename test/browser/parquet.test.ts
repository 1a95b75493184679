import { expect } from "./expect.ts";
import { Session, col, CinderError } from "../../src/index.ts";
import type { DataType } from "../../src/index.ts";

// The fixture (test/browser/fixtures/sample.parquet, written by DuckDB in 5 row groups of 1000 rows):
// id 0..4999, name 'name' || (id % 7) or NULL when id % 10 = 0, v = id * 0.5, d = 2024-01-01 + id % 30, amt = id / 4 as decimal(9,2).
const FIXTURE = "/test/browser/fixtures/sample.parquet";

async function fixtureBytes(): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(FIXTURE)).arrayBuffer());
}

function expectedSumV(from: number, to: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += i * 0.5;
  return s;
}

describe("Parquet in Chromium", () => {
  it("loads parquet-wasm and reads bytes", async () => {
    const session = new Session();
    const df = await session.read.parquet(await fixtureBytes());
    expect(df.dtypes).toEqual([["id", "int32"], ["name", "string"], ["v", "float64"], ["d", "date"], ["amt", "decimal(9,2)"]]);
    expect(await df.count()).toBe(5000);
    const rows = await df.filter(col("id").lt(3)).select("id", "name", "amt").collect();
    expect(rows).toEqual([{ id: 0, name: null, amt: 0 }, { id: 1, name: "name1", amt: 0.25 }, { id: 2, name: "name2", amt: 0.5 }]);
    const nulls = await df.filter(col("name").isNull()).count();
    expect(nulls).toBe(500);
  });

  it("reads a Blob (a dropped File) by ranges", async () => {
    const session = new Session();
    const blob = new Blob([await fixtureBytes() as Uint8Array<ArrayBuffer>]);
    const df = await session.read.parquet(blob);
    const rows = await df.filter(col("id").between(4000, 4999)).groupBy().agg({ v: "sum" }).collectArrays();
    expect(rows[0]![0]).toBe(expectedSumV(4000, 4999));
  });

  it("reads a URL with HTTP range requests", async () => {
    // web-test-runner.config.mjs answers Range for fixtures; a server that ignores Range is covered in test/io/http-range.test.ts.
    const session = new Session();
    const url = new URL(FIXTURE, location.href).href;
    const df = await session.read.parquet(url);
    expect(/warning/.test(df.explain())).toBe(false);
    expect(await df.count()).toBe(5000);
    const rows = await df.filter(col("id").geq(4998)).select("id", "v").collectArrays();
    expect(rows).toEqual([[4998, 2499], [4999, 2499.5]]);
  });

  it("round-trips every type with NULLs through write.toBytes and read.parquet", async () => {
    const session = new Session();
    const schema: Record<string, DataType> = {
      i8: { kind: "int8" }, i16: { kind: "int16" }, i32: { kind: "int32" }, i64: { kind: "int64" }, u16: { kind: "uint16" },
      f32: { kind: "float32" }, f64: { kind: "float64" }, dec: { kind: "decimal", precision: 10, scale: 3 },
      s: { kind: "utf8" }, d: { kind: "date32" }, ts: { kind: "timestamp", timezone: "UTC" }, b: { kind: "boolean" },
    };
    const data = Array.from({ length: 300 }, (_, i) => {
      const row: Record<string, unknown> = {
        i8: i % 100 - 50, i16: i * 100 - 9000, i32: i * 70001, i64: i * 2 ** 35, u16: i * 200, f32: i / 4, f64: i / 3,
        dec: i * 1.125, s: `s${i % 9}✓`, d: new Date(Date.UTC(2000, 0, 1) + i * 86400000), ts: new Date(Date.UTC(2010, 5, 1) + i * 1000), b: i % 3 === 0,
      };
      for (const [k, name] of Object.keys(schema).entries()) if (i % (k + 3) === 1) row[name] = null;
      return row;
    });
    const df = session.createDataFrame(data, { schema });
    const bytes = await df.write.option("rowGroupSize", 64).toBytes("parquet");
    const back = await session.read.parquet(bytes);
    expect(back.dtypes).toEqual(df.dtypes);
    expect(JSON.stringify(await back.collectArrays())).toBe(JSON.stringify(await df.collectArrays()));
  });

  it("rejects corrupt bytes with a typed error and keeps working", async () => {
    const session = new Session();
    const bytes = await fixtureBytes();
    let code = "";
    try { await session.read.parquet(bytes.subarray(0, bytes.length - 50)); } catch (e) { code = CinderError.is(e) ? e.code : String(e); }
    expect(code).toBe("CORRUPT_PARQUET");
    expect(await (await session.read.parquet(bytes)).count()).toBe(5000);
  });
});
