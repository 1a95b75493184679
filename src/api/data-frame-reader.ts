/** `session.read`: DataFrames from files and Arrow data. */
import type * as arrow from "apache-arrow";
import type { DataFrame } from "./data-frame.ts";
import type { Session } from "./session.ts";
import { openParquet } from "../io/parquet-source.ts";
import { parquetFormatReader } from "../io/parquet-reader.ts";
import type { ParquetInput, ParquetReadOptions } from "../io/parquet-footers.ts";
import { arrowTableFromIpc, csvColumns, parseJsonLines, readWhole } from "../io/text-sources.ts";
import type { CsvReadOptions, TextInput } from "../io/text-sources.ts";
import { newExprId } from "../plan/expressions.ts";

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

  /**
   * Parquet from bytes, a `Blob`/`File`, a path, directory or glob (Node; `key=value/` directories become columns),
   * an `opfs:` path (a browser's origin private file system, same layout), a URL (read by HTTP ranges), or any
   * `ByteSource` (storage of your own, read by ranges). @example await session.read.parquet(bytes)
   */
  async parquet(...inputs: ParquetInput[]): Promise<DataFrame> {
    this.session.sources.ensureFormat("parquet", parquetFormatReader);
    const options = this.readOptions.allowFullDownload === undefined && this.session.conf.get("io.allowFullDownload")
      ? { ...this.readOptions, allowFullDownload: true } : this.readOptions;
    const { schema, source } = await openParquet(inputs, options);
    return this.session.dataFrameOf({ type: "Scan", source, schema, projection: null, filters: [] });
  }

  /**
   * CSV from a path, URL, Blob or bytes, loaded into memory. Options: `header` (default true), `delimiter`,
   * `quote`, `nullValue`, and `schema` to override inferred types.
   * @example await session.read.csv("trips.csv", { schema: { fare: "decimal(10,2)" } })
   */
  async csv(input: TextInput, options: CsvReadOptions = {}): Promise<DataFrame> {
    const { name, bytes } = await readWhole(input);
    const { names, columns, numRows } = csvColumns(bytes, options, name);
    const fields = names.map((n, i) => ({ name: n, type: columns[i]!.type, nullable: true, id: newExprId() }));
    return this.session.fromBatches(fields, [{ numRows, columns }]);
  }

  /** JSON lines (one flat object per line), loaded into memory; types are inferred as for `createDataFrame`. */
  async json(input: TextInput): Promise<DataFrame> {
    const { name, bytes } = await readWhole(input);
    return this.session.createDataFrame(parseJsonLines(bytes, name));
  }

  /** An Arrow IPC file or stream (`.arrow`, `.arrows`) from a path, URL, Blob or bytes. */
  async arrowIpc(input: TextInput): Promise<DataFrame> {
    const { name, bytes } = await readWhole(input);
    return this.session.createDataFrame(arrowTableFromIpc(bytes, name));
  }

  /** An Arrow table. */
  arrow(table: arrow.Table): DataFrame {
    return this.session.createDataFrame(table);
  }
}
