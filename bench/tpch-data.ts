/**
 * TPC-H Parquet files for the benchmark: the tests' deterministic generator
 * (`test/support/tpch/generate.ts`, DuckDB SQL) written once per scale
 * factor under `.bench-data/tpch-sf<SF>/` (gitignored) and reused by later
 * runs. A stamp file holds a hash of the generator SQL, so a changed
 * generator rebuilds the files instead of benchmarking stale data.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TPCH_TABLES, tpchSql } from "../test/support/tpch/generate.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", ".bench-data");

/** The directory of one scale factor's eight `<table>.parquet` files (under .bench-data unless `dir` is given), generated if missing or stale. */
export async function tpchDataDir(sf: number, log: (line: string) => void = console.log, dir = join(root, `tpch-sf${sf}`)): Promise<string> {
  const sql = tpchSql(sf);
  const stamp = createHash("sha256").update(JSON.stringify(sql)).digest("hex");
  const stampPath = join(dir, "GENERATOR");
  const complete = TPCH_TABLES.every((t) => existsSync(join(dir, `${t}.parquet`)));
  if (complete && existsSync(stampPath) && readFileSync(stampPath, "utf8") === stamp) return dir;
  mkdirSync(dir, { recursive: true });
  log(`generating TPC-H SF ${sf} into ${dir} ...`);
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    // lineitem before orders: orders derives its status and total from lineitem.
    for (const name of ["region", "nation", "supplier", "customer", "part", "partsupp", "lineitem", "orders"] as const) {
      await conn.run(`CREATE OR REPLACE TABLE ${name} AS ${sql[name]}`);
      const tmp = join(dir, `${name}.parquet.tmp`);
      await conn.run(`COPY ${name} TO '${tmp}' (FORMAT parquet)`);
      renameSync(tmp, join(dir, `${name}.parquet`));
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  writeFileSync(stampPath, stamp);
  log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}
