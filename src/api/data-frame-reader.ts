/** `session.read`: DataFrames from files and Arrow data. */
import type * as arrow from "apache-arrow";
import type { DataFrame } from "./data-frame.ts";
import type { Session } from "./session.ts";
import { openParquet, parquetFormatReader } from "../io/parquet-source.ts";
import type { ParquetInput, ParquetReadOptions } from "../io/parquet-source.ts";

export class DataFrameReader {
  private readonly readOptions: ParquetReadOptions = {};

  constructor(private readonly session: Session) {}

  /**
   * Sets a read option: `allowFullDownload` (accept a whole-file download from a server that ignores Range),
   * `coalesceGap`, `splitBytes`, `batchRows`, `headers`. @example session.read.option("allowFullDownload", true)
   */
  option<K extends keyof ParquetReadOptions>(key: K, value: ParquetReadOptions[K]): this {
    this.readOptions[key] = value;
    return this;
  }

  /** Parquet from bytes, a `Blob`/`File`, a path, directory or glob (Node; `key=value/` directories become columns) or a URL. @example await session.read.parquet(bytes) */
  async parquet(...inputs: ParquetInput[]): Promise<DataFrame> {
    this.session.sources.ensureFormat("parquet", parquetFormatReader);
    const { schema, source } = await openParquet(inputs, this.readOptions);
    return this.session.dataFrameOf({ type: "Scan", source, schema, projection: null, filters: [] });
  }

  /** An Arrow table. */
  arrow(table: arrow.Table): DataFrame {
    return this.session.createDataFrame(table);
  }
}
