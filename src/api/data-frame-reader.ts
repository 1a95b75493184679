/** `session.read`: DataFrames from files and Arrow data. */
import type * as arrow from "apache-arrow";
import type { DataFrame } from "./data-frame.ts";
import type { Session } from "./session.ts";
import { openParquet, parquetFormatReader } from "../io/parquet-source.ts";
import type { ParquetInput } from "../io/parquet-source.ts";

export class DataFrameReader {
  constructor(private readonly session: Session) {}

  /** Parquet from bytes, a `Blob`/`File`, a path (Node) or a URL. @example await session.read.parquet(bytes) */
  async parquet(...inputs: ParquetInput[]): Promise<DataFrame> {
    this.session.sources.ensureFormat("parquet", parquetFormatReader);
    const { schema, source } = await openParquet(inputs);
    return this.session.dataFrameOf({ type: "Scan", source, schema, projection: null, filters: [] });
  }

  /** An Arrow table. */
  arrow(table: arrow.Table): DataFrame {
    return this.session.createDataFrame(table);
  }
}
