/**
 * DuckDB-WASM as a benchmark peer in Node. Its npm package carries no
 * Parquet extension and cannot download one here, so the benchmarks load
 * the very Arrow tables the other engines read into it as Arrow IPC stream
 * bytes (it nests its own apache-arrow 17, so Table objects from ours must
 * not cross over), and time only the query on the loaded table. The
 * blocking Node bindings run DuckDB on the calling thread; the wasm build
 * has no threads, and `threads` is set to 1 all the same so the setting is
 * on record.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as arrow from "apache-arrow";
import type * as DuckDBWasm from "@duckdb/duckdb-wasm/blocking";

// The blocking bindings ship as CommonJS only; `require` keeps their module shape.
const require = createRequire(import.meta.url);

/** One DuckDB-WASM database with one connection, on the current thread. */
export class DuckDBWasmPeer {
  private constructor(
    private readonly db: DuckDBWasm.DuckDBBindings,
    private readonly conn: DuckDBWasm.DuckDBConnection,
    /** Which wasm build DuckDB picked for this CPU ("mvp" or "eh") and its version. */
    readonly description: string,
  ) {}

  static async open(): Promise<DuckDBWasmPeer> {
    const duckdb = require("@duckdb/duckdb-wasm/blocking") as typeof DuckDBWasm;
    const dist = dirname(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm"));
    const bundles: DuckDBWasm.DuckDBBundles = {
      mvp: { mainModule: join(dist, "duckdb-mvp.wasm"), mainWorker: join(dist, "duckdb-node-mvp.worker.cjs") },
      eh: { mainModule: join(dist, "duckdb-eh.wasm"), mainWorker: join(dist, "duckdb-node-eh.worker.cjs") },
    };
    const bundle = await duckdb.selectBundle(bundles);
    const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
    await db.instantiate(() => {});
    db.open({});
    const conn = db.connect();
    conn.query("SET threads = 1");
    const wasm = bundle.mainModule.endsWith("eh.wasm") ? "eh" : "mvp";
    return new DuckDBWasmPeer(db, conn, `DuckDB-WASM ${db.getVersion()} (${wasm} build, threads=1)`);
  }

  /** Replaces table `name` with the rows of `table`, passed as Arrow IPC stream bytes. */
  load(name: string, table: arrow.Table): void {
    this.conn.query(`DROP TABLE IF EXISTS ${name}`);
    this.conn.insertArrowFromIPCStream(arrow.tableToIPC(table, "stream"), { name, create: true });
  }

  /**
   * Runs `sql` and returns its result decoded by this project's apache-arrow
   * (DuckDB hands back IPC bytes, so no arrow-17 objects leak out).
   */
  query(sql: string): arrow.Table {
    return this.conn.useUnsafe((bindings, conn) => arrow.tableFromIPC(bindings.runQuery(conn, sql)));
  }

  close(): void {
    this.conn.close();
    this.db.reset();
  }
}
