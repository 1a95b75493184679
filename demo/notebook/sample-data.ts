/**
 * The bundled sample the notebook opens on: 50,000 taxi trips and their 40
 * zones, and the eight TPC-H tables at a small scale (written by
 * `scripts/notebook.ts` before vite serves or builds). Each URL is a
 * literal `new URL(..., import.meta.url)` so vite ships the file with the
 * built site.
 */
import type { NotebookEngine } from "./engine.ts";

export const SAMPLE_FILES: Record<string, string> = {
  trips: new URL("../data/trips.parquet", import.meta.url).href,
  zones: new URL("../data/zones.parquet", import.meta.url).href,
  region: new URL("../data/tpch/region.parquet", import.meta.url).href,
  nation: new URL("../data/tpch/nation.parquet", import.meta.url).href,
  supplier: new URL("../data/tpch/supplier.parquet", import.meta.url).href,
  customer: new URL("../data/tpch/customer.parquet", import.meta.url).href,
  part: new URL("../data/tpch/part.parquet", import.meta.url).href,
  partsupp: new URL("../data/tpch/partsupp.parquet", import.meta.url).href,
  orders: new URL("../data/tpch/orders.parquet", import.meta.url).href,
  lineitem: new URL("../data/tpch/lineitem.parquet", import.meta.url).href,
};

const SPLIT_BYTES = 256 * 1024;

/** Fetches every sample file and registers it as a table of its name. */
export async function registerSamples(engine: NotebookEngine): Promise<void> {
  await Promise.all(Object.entries(SAMPLE_FILES).map(async ([name, url]) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`sample table ${name}: ${url} answered ${res.status}; run npm start again to regenerate demo/data`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A split per 256 KiB of row groups, so the sample's larger tables scan as several tasks, as a cluster would.
    engine.register(name, await engine.session.read.option("splitBytes", SPLIT_BYTES).parquet(bytes), "sample", bytes.length);
  }));
}
