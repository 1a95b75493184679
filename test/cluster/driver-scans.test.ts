/**
 * A Parquet DataFrame (opened on the driver) runs on a worker-thread
 * cluster and results match DuckDB on the same file. A source executors
 * cannot reopen (a ByteSource of the caller's own) is read by the driver
 * once into a shipped memory table, and a second job reuses the table.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session, col, sum, count } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { readFileSync } from "node:fs";
import { MemoryByteSource } from "../../src/io/byte-source.ts";
import type { ByteSource } from "../../src/io/byte-source.ts";
import { duckRows, duckToParquet } from "../support/duckdb-oracle.ts";
import { TABLE_SQL } from "../support/datasets.ts";
import { assertRowsEqual } from "../support/compare.ts";

describe("file sources on a cluster", () => {
  const session = new Session({ "shuffle.partitions": 4 });
  let cluster: Cluster;
  let facts: DataFrame;
  let path = "";
  before(async () => {
    const written = await duckToParquet("facts_cluster", TABLE_SQL.facts!);
    path = written.path;
    facts = await session.read.parquet(written.bytes);
    cluster = await Cluster.start({ executors: 2, kind: "worker-thread" });
    session.backend = cluster.backend();
  });
  after(async () => { await cluster.stop(); });

  it("aggregates a Parquet source like DuckDB", async () => {
    const rows = await facts.filter(col("v").gt(10)).groupBy("g").agg(sum("p"), count("k")).collectArrays();
    assertRowsEqual(rows, await duckRows(`SELECT g, sum(p), count(k) FROM read_parquet('${path}') WHERE v > 10 GROUP BY g`));
  });

  it("reads the file on the driver once per scan shape and reuses it", async () => {
    const bytes = new MemoryByteSource("own.parquet", readFileSync(path));
    // Storage of the caller's own: a delegating object that cannot be cloned into a worker.
    const own: ByteSource = { name: bytes.name, stats: bytes.stats, warnings: [], size: () => bytes.size(), tail: (n) => bytes.tail(n), read: (r, into) => bytes.read(r, into) };
    const ownFacts = await session.read.parquet(own);
    const sources = session.sources;
    const original = sources.registerTable.bind(sources);
    let registered = 0;
    sources.registerTable = (partitions) => { registered++; return original(partitions); };
    try {
      const q = () => ownFacts.filter(col("id").lt(500)).select("id", "s");
      const first = await q().collectArrays();
      const second = await q().collectArrays();
      assert.equal(registered, 1, "one driver-side read for two jobs over the same scan");
      assertRowsEqual(second, first);
      assertRowsEqual(first, await duckRows(`SELECT id, s FROM read_parquet('${path}') WHERE id < 500`));
    } finally { sources.registerTable = original; }
  });
});
