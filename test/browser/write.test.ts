// Writing in Chromium: df.write to the origin private file system (opfs: paths, with modes and
// partitionBy), to a FileSystemFileHandle, and as a download; every file read back and compared
// with what was written, for every supported type with NULLs, in Parquet, CSV and Arrow IPC.
import { expect } from "./expect.ts";
import { Session, CinderError, col } from "../../src/index.ts";
import type { DataFrame, DataType } from "../../src/index.ts";

const SCHEMA: Record<string, DataType> = {
  i8: { kind: "int8" }, i16: { kind: "int16" }, i32: { kind: "int32" }, i64: { kind: "int64" },
  u8: { kind: "uint8" }, u16: { kind: "uint16" }, u32: { kind: "uint32" },
  f32: { kind: "float32" }, f64: { kind: "float64" }, dec: { kind: "decimal", precision: 12, scale: 3 },
  s: { kind: "utf8" }, d: { kind: "date32" }, ts: { kind: "timestamp", timezone: "UTC" }, tsn: { kind: "timestamp", timezone: null },
  b: { kind: "boolean" },
};

function sample(session: Session, rows = 500): DataFrame {
  const names = Object.keys(SCHEMA);
  const data = Array.from({ length: rows }, (_, i) => {
    const row: Record<string, unknown> = {
      i8: i % 100 - 50, i16: i * 50 - 9000, i32: i * 70001 - 1e7, i64: i * 2 ** 36 - 2 ** 40,
      u8: i % 256, u16: (i * 131) % 65536, u32: (i * 2654435761) % 2 ** 32, f32: i / 8, f64: i / 3 - 7,
      dec: i * 1.125 - 100, s: `s${i % 9} "q", ✓`, d: new Date(Date.UTC(1999, 11, 1) + i * 86400000),
      ts: new Date(Date.UTC(2010, 5, 1) + i * 1001), tsn: new Date(Date.UTC(2021, 0, 1) + i * 60000), b: i % 3 === 0,
    };
    // Each column has NULLs at its own rows (and row 0 is NULL in every column).
    names.forEach((name, k) => { if (i % (k + 3) === 0) row[name] = null; });
    return row;
  });
  return session.createDataFrame(data, { schema: SCHEMA, numPartitions: 3 });
}

const text = async (df: DataFrame): Promise<string> => JSON.stringify(await df.orderBy("i32", "i16").collectArrays());

async function clearOpfs(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry("cinder-write-test", { recursive: true }).catch(() => undefined);
}

describe("writing in Chromium", () => {
  before(clearOpfs);
  after(clearOpfs);

  it("writes Parquet to OPFS and reads every type with NULLs back", async () => {
    const session = new Session();
    const df = sample(session);
    const files = await df.write.option("rowGroupSize", 100).parquet("opfs:cinder-write-test/all");
    expect(files.length).toBe(1);
    expect(files[0]!.startsWith("opfs:cinder-write-test/all/part-00000-")).toBe(true);
    const back = await session.read.parquet("opfs:cinder-write-test/all");
    expect(back.dtypes).toEqual(df.dtypes);
    expect(await text(back)).toBe(await text(df));
    // Read by ranges from the OPFS File: a selective query skips row groups.
    const q = back.filter("i32 < -9000000");
    const analyzed = await q.explain("analyze");
    expect(/row groups read 1, skipped 4/.test(analyzed)).toBe(true);
    expect(await q.count()).toBe((await df.filter("i32 < -9000000").count()));
  });

  it("writes Hive-partitioned Parquet to OPFS with modes, and reads the partition column back", async () => {
    const session = new Session();
    const df = sample(session, 120).withColumn("part", col("i16").mod(3).cast("int"));
    const dir = "opfs:cinder-write-test/parted";
    const files = await df.write.partitionBy("part").parquet(dir);
    expect(files.some((f) => f.includes("/part=-1/"))).toBe(true);
    expect(files.some((f) => f.includes("/part=__HIVE_DEFAULT_PARTITION__/"))).toBe(true);
    const back = await session.read.parquet(dir);
    expect(back.columns[back.columns.length - 1]).toBe("part");
    const cols = df.columns.map((c) => c);
    expect(await text(back.select(...cols))).toBe(await text(df));

    let code = "";
    try { await df.write.partitionBy("part").parquet(dir); } catch (e) { code = CinderError.is(e) ? String(e.details.reason) : String(e); }
    expect(code).toBe("path_exists");
    await df.write.mode("append").partitionBy("part").parquet(dir);
    expect(await (await session.read.parquet(dir)).count()).toBe(240);
    await df.limit(7).write.mode("overwrite").partitionBy("part").parquet(dir);
    expect(await (await session.read.parquet(dir)).count()).toBe(7);
  });

  it("writes CSV and Arrow IPC to OPFS and reads them back", async () => {
    const session = new Session();
    const df = sample(session);
    const [arrowFile] = await df.write.arrow("opfs:cinder-write-test/arrow");
    const fromArrow = await session.read.arrowIpc(arrowFile!);
    expect(fromArrow.dtypes).toEqual(df.dtypes);
    expect(await text(fromArrow)).toBe(await text(df));

    const [csvFile] = await df.write.csv("opfs:cinder-write-test/csv");
    const fromCsv = await session.read.csv(csvFile!, { schema: SCHEMA });
    expect(fromCsv.dtypes).toEqual(df.dtypes);
    expect(await text(fromCsv)).toBe(await text(df));
  });

  it("writes one file to a FileSystemFileHandle", async () => {
    const session = new Session();
    const df = sample(session, 50);
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle("cinder-write-test", { create: true });
    const handle = await dir.getFileHandle("one.parquet", { create: true });
    expect(await df.write.parquet(handle)).toEqual(["one.parquet"]);
    const back = await session.read.parquet(await handle.getFile());
    expect(await text(back)).toBe(await text(df));
    let code = "";
    try { await df.write.parquet(handle); } catch (e) { code = CinderError.is(e) ? String(e.details.reason) : String(e); }
    expect(code).toBe("path_exists");
    await df.limit(3).write.mode("overwrite").parquet(handle);
    expect(await (await session.read.parquet(await handle.getFile())).count()).toBe(3);
  });

  it("offers a download whose bytes read back", async () => {
    const session = new Session();
    const df = sample(session, 80);
    let clicked: HTMLAnchorElement | null = null;
    const onClick = (e: Event): void => {
      clicked = e.target as HTMLAnchorElement;
      e.preventDefault(); // the test needs the Blob URL, not a file in the download folder
    };
    document.addEventListener("click", onClick, true);
    try {
      const blob = await df.write.download("trips.parquet");
      expect(blob.type).toBe("application/vnd.apache.parquet");
      expect(clicked !== null).toBe(true);
      const a = clicked! as HTMLAnchorElement;
      expect(a.download).toBe("trips.parquet");
      const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
      expect(await text(await session.read.parquet(bytes))).toBe(await text(df));
      const csv = await df.write.download("trips.csv");
      expect(csv.type).toBe("text/csv");
      expect(await text(await session.read.csv(csv, { schema: SCHEMA }))).toBe(await text(df));
    } finally {
      document.removeEventListener("click", onClick, true);
    }
  });

  it("says where to write when given a plain path, and names a missing OPFS path", async () => {
    const session = new Session();
    let message = "";
    try { await sample(session, 5).write.parquet("out/trips"); } catch (e) { message = (e as Error).message; }
    expect(/opfs:/.test(message) && /toBlob/.test(message)).toBe(true);
    let code = "";
    try { await session.read.parquet("opfs:cinder-write-test/no-such-dir"); } catch (e) { code = CinderError.is(e) ? e.code : String(e); message = (e as Error).message; }
    expect(code).toBe("IO_ERROR");
    expect(/no such file or directory/.test(message)).toBe(true);
  });
});
