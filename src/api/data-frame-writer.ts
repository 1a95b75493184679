/**
 * `df.write`: saves a DataFrame as Parquet, CSV or Arrow IPC (Spark's
 * DataFrameWriter). `parquet(path)` writes a directory of part files like
 * Spark does (`path/part-00000-<id>.parquet`, and with `partitionBy("k")`
 * Hive-style `path/k=value/part-...` directories that `read.parquet(path)`
 * turns back into a column); `mode` decides what an existing path means.
 * The path is a Node path, or in a browser an `opfs:` path in the origin
 * private file system (same layout, read back with `read.parquet("opfs:...")`).
 * A browser can also write one file to a `FileSystemFileHandle` (OPFS or
 * `showSaveFilePicker`), get it as a Blob (`toBlob`), or offer it as a
 * download (`download`).
 *
 * @example await df.write.mode("overwrite").partitionBy("year").parquet("out/trips")
 * @example await df.write.parquet("opfs:notebook/trips"); await df.write.download("trips.csv", "csv");
 */
import type { Batch } from "../exec/column-vector.ts";
import { takeBatch } from "../exec/column-vector.ts";
import { formatCell } from "../exec/values.ts";
import type { Field } from "../types/data-types.ts";
import { AnalysisError, IOError } from "../common/errors.ts";
import { encodeArrowFile, encodeCsv, encodeParquet } from "../io/file-writers.ts";
import type { CsvWriteOptions, ParquetWriteOptions } from "../io/file-writers.ts";
import { HIVE_NULL } from "../io/hive-partitions.ts";
import { nodeFs } from "../io/byte-source.ts";
import { isOpfsPath, opfsFs, writeFileHandle } from "../io/opfs.ts";
import type { DataFrame } from "./data-frame.ts";

export type SaveMode = "overwrite" | "append" | "errorifexists" | "ignore";
export type FileFormat = "parquet" | "csv" | "arrow";

export type WriteOptions = ParquetWriteOptions & CsvWriteOptions;

interface WriteFs {
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  rm(path: string, options: { recursive: boolean; force: boolean }): Promise<void>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  stat(path: string): Promise<unknown>;
}

const EXTENSIONS: Record<FileFormat, string> = { parquet: ".parquet", csv: ".csv", arrow: ".arrow" };

/** Escapes a partition value for a directory name the way Hive/Spark do (and `read.parquet` decodes). */
function partitionDirValue(text: string | null): string {
  if (text === null) return HIVE_NULL;
  return text.replace(/[%/=\\#:?*"<>|\x00-\x1f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

export class DataFrameWriter {
  private saveMode: SaveMode = "errorifexists";
  private partitionColumns: string[] = [];
  private readonly writeOptions: WriteOptions = {};

  constructor(private readonly df: DataFrame) {}

  /** What to do when the path exists: "errorifexists" (default), "overwrite", "append", "ignore". */
  mode(mode: SaveMode): this {
    const m = mode.toLowerCase() as SaveMode;
    if (!["overwrite", "append", "errorifexists", "ignore"].includes(m)) {
      throw new AnalysisError("WRONG_ARGUMENT", `unknown save mode '${mode}'; use "overwrite", "append", "errorifexists" or "ignore"`, { details: { mode } });
    }
    this.saveMode = m;
    return this;
  }

  /** Writes one `column=value/` directory per distinct value of `columns` (Hive layout). */
  partitionBy(...columns: string[]): this {
    for (const c of columns) {
      if (!this.df.columns.includes(c)) throw new AnalysisError("UNRESOLVED_COLUMN", `partitionBy: no column '${c}'; columns are ${this.df.columns.join(", ")}`, { details: { column: c } });
    }
    this.partitionColumns = columns;
    return this;
  }

  /** Format options: `rowGroupSize`, `compression` (Parquet), `header`, `delimiter` (CSV). */
  option<K extends keyof WriteOptions>(key: K, value: WriteOptions[K]): this {
    this.writeOptions[key] = value;
    return this;
  }

  /**
   * Writes Parquet under `path` (a Node path or an `opfs:` path), or as the one file a
   * `FileSystemFileHandle` names; returns the files written.
   */
  parquet(path: string | FileSystemFileHandle): Promise<string[]> { return this.save(path, "parquet"); }
  csv(path: string | FileSystemFileHandle): Promise<string[]> { return this.save(path, "csv"); }
  arrow(path: string | FileSystemFileHandle): Promise<string[]> { return this.save(path, "arrow"); }

  /**
   * In a page: offers the DataFrame as one file to download (the browser's download bar)
   * and returns its Blob. @example await df.write.download("trips.parquet")
   */
  async download(fileName: string, format: FileFormat = formatOf(fileName)): Promise<Blob> {
    const doc = (globalThis as { document?: Document }).document;
    if (!doc?.createElement || typeof URL.createObjectURL !== "function") {
      throw new IOError("IO_ERROR", "download() needs a browser page (here there is no document); use toBlob() or toBytes() and hand the bytes on", { details: { fileName } });
    }
    const blob = await this.toBlob(format);
    const url = URL.createObjectURL(blob);
    const a = doc.createElement("a");
    a.href = url;
    a.download = fileName;
    a.style.display = "none";
    doc.body.appendChild(a);
    a.click();
    a.remove();
    // The download reads the URL after this task; free it once it surely has.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return blob;
  }

  /** One file's bytes (no partitioning), for browsers: a download, an OPFS file, or `read.parquet(bytes)`. */
  async toBytes(format: FileFormat = "parquet"): Promise<Uint8Array> {
    return this.encode(format, await this.df.collectBatches(), this.df.schema);
  }

  async toBlob(format: FileFormat = "parquet"): Promise<Blob> {
    const type = { parquet: "application/vnd.apache.parquet", csv: "text/csv", arrow: "application/vnd.apache.arrow.file" }[format];
    return new Blob([await this.toBytes(format) as Uint8Array<ArrayBuffer>], { type });
  }

  private async saveToHandle(handle: FileSystemFileHandle, format: FileFormat): Promise<string> {
    if (this.partitionColumns.length) {
      throw new AnalysisError("WRONG_ARGUMENT", `partitionBy needs a directory, but ${handle.name} is one file; write to an "opfs:" path instead`, { details: { file: handle.name } });
    }
    if (this.saveMode === "errorifexists" || this.saveMode === "ignore") {
      const existing = await handle.getFile().then((f) => f.size, () => 0);
      if (existing > 0 && this.saveMode === "ignore") return handle.name;
      if (existing > 0) {
        throw new IOError("IO_ERROR", `${handle.name} already holds ${existing} bytes; use .mode("overwrite") to replace it`, { details: { path: handle.name, reason: "path_exists" } });
      }
    }
    if (this.saveMode === "append") {
      throw new AnalysisError("WRONG_ARGUMENT", `mode("append") adds part files to a directory; ${handle.name} is one file (use an "opfs:" directory path)`, { details: { file: handle.name } });
    }
    await writeFileHandle(handle, await this.toBytes(format));
    return handle.name;
  }

  private encode(format: FileFormat, batches: Batch[], fields: readonly Field[]): Promise<Uint8Array> | Uint8Array {
    switch (format) {
      case "parquet": return encodeParquet(batches, fields, this.writeOptions);
      case "csv": return encodeCsv(batches, fields, this.writeOptions);
      case "arrow": return encodeArrowFile(batches, fields);
    }
  }

  private async save(target: string | FileSystemFileHandle, format: FileFormat): Promise<string[]> {
    if (typeof target !== "string") return [await this.saveToHandle(target, format)];
    const path = target;
    const fs = isOpfsPath(path) ? opfsFs as WriteFs : await nodeFs().catch((e: unknown) => {
      throw new IOError("IO_ERROR", `cannot write ${path}: there is no file system here; in a browser write to an "opfs:" path, to a FileSystemFileHandle, or use toBlob()/download()`, { details: { path }, cause: e });
    }) as unknown as WriteFs;
    const exists = await fs.stat(path).then(() => true, () => false);
    if (exists) {
      if (this.saveMode === "ignore") return [];
      if (this.saveMode === "errorifexists") {
        throw new IOError("IO_ERROR", `${path} already exists; use .mode("overwrite") to replace it or .mode("append") to add files`, { details: { path, reason: "path_exists" } });
      }
      if (this.saveMode === "overwrite") await fs.rm(path, { recursive: true, force: true });
    }
    const schema = this.df.schema;
    const batches = await this.df.collectBatches();
    const partIdx = this.partitionColumns.map((c) => schema.findIndex((f) => f.name === c));
    const dataIdx = schema.map((_, i) => i).filter((i) => !partIdx.includes(i));
    const dataFields = dataIdx.map((i) => schema[i]!);
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

    // Rows of each partition directory, gathered batch by batch.
    const groups = new Map<string, Batch[]>();
    for (const b of batches) {
      if (partIdx.length === 0) { (groups.get("") ?? groups.set("", []).get("")!).push(b); continue; }
      const rowsByDir = new Map<string, number[]>();
      for (let i = 0; i < b.numRows; i++) {
        const dir = partIdx.map((c) => `${schema[c]!.name}=${partitionDirValue(formatCell(b.columns[c]!, i))}`).join("/");
        (rowsByDir.get(dir) ?? rowsByDir.set(dir, []).get(dir)!).push(i);
      }
      for (const [dir, rows] of rowsByDir) {
        const taken = takeBatch({ numRows: b.numRows, columns: dataIdx.map((i) => b.columns[i]!) }, Int32Array.from(rows));
        (groups.get(dir) ?? groups.set(dir, []).get(dir)!).push(taken);
      }
    }
    if (groups.size === 0 && partIdx.length === 0) groups.set("", []);

    const written: string[] = [];
    await fs.mkdir(path, { recursive: true });
    let part = 0;
    for (const [dir, group] of groups) {
      const target = dir ? `${path}/${dir}` : path;
      await fs.mkdir(target, { recursive: true });
      const file = `${target}/part-${String(part++).padStart(5, "0")}-${id}${EXTENSIONS[format]}`;
      await fs.writeFile(file, await this.encode(format, group, dataFields));
      written.push(file);
    }
    await fs.writeFile(`${path}/_SUCCESS`, new Uint8Array(0));
    return written;
  }
}

/** The format a file name's extension names (Parquet when it names none). */
function formatOf(fileName: string): FileFormat {
  const ext = fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase();
  return ext === "csv" ? "csv" : ext === "arrow" || ext === "arrows" || ext === "feather" ? "arrow" : "parquet";
}
