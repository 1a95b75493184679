/**
 * Encoders from Cinder batches to file bytes: Parquet (through
 * parquet-wasm, with chunk statistics so Cinder and other engines can prune
 * row groups when they read it back), Arrow IPC files, and CSV. They only
 * make bytes; where the bytes go (files, a Blob, OPFS) is the writer's job
 * (`src/api/data-frame-writer.ts`).
 */
import * as arrow from "apache-arrow";
import type { Field } from "../types/data-types.ts";
import type { Batch } from "../exec/column-vector.ts";
import { arrowTableOf } from "../exec/arrow-convert.ts";
import { formatCell } from "../exec/values.ts";
import { IOError } from "../common/errors.ts";
import { loadParquetWasm } from "../../wasm/parquet-wasm.ts";

export interface ParquetWriteOptions {
  /** Rows per row group (default 128 Ki rows; smaller groups prune finer, larger ones compress better). */
  rowGroupSize?: number;
  compression?: "snappy" | "zstd" | "gzip" | "none";
}

/** One Parquet file holding `batches`. */
export async function encodeParquet(batches: Batch[], fields: readonly Field[], options: ParquetWriteOptions = {}): Promise<Uint8Array> {
  const pw = await loadParquetWasm();
  const table = arrowTableOf(batches, fields);
  const codec = { snappy: pw.Compression.SNAPPY, zstd: pw.Compression.ZSTD, gzip: pw.Compression.GZIP, none: pw.Compression.UNCOMPRESSED }[options.compression ?? "snappy"];
  try {
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(codec)
      .setMaxRowGroupSize(options.rowGroupSize ?? 131072)
      .setStatisticsEnabled(pw.EnabledStatistics.Chunk)
      .build();
    return pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), props);
  } catch (e) {
    throw new IOError("IO_ERROR", `cannot encode Parquet: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** One Arrow IPC file (the random-access "file" format, `.arrow`). */
export function encodeArrowFile(batches: Batch[], fields: readonly Field[]): Uint8Array {
  return arrow.tableToIPC(arrowTableOf(batches, fields), "file");
}

export interface CsvWriteOptions {
  header?: boolean;
  delimiter?: string;
}

/** CSV text as UTF-8: RFC 4180 quoting, NULL as an empty field, dates and timestamps in ISO form. */
export function encodeCsv(batches: Batch[], fields: readonly Field[], options: CsvWriteOptions = {}): Uint8Array {
  const delimiter = options.delimiter ?? ",";
  const quote = (s: string): string => (s.includes(delimiter) || /["\r\n]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s);
  const lines: string[] = [];
  if (options.header ?? true) lines.push(fields.map((f) => quote(f.name)).join(delimiter));
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      lines.push(b.columns.map((c) => {
        const text = formatCell(c, i);
        return text === null ? "" : c.type.kind === "utf8" ? quote(text) : text;
      }).join(delimiter));
    }
  }
  return new TextEncoder().encode(lines.length ? lines.join("\n") + "\n" : "");
}
