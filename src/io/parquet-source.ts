/**
 * Parquet as a Cinder data source. `openParquet` reads the footers of the
 * inputs (bytes, Blobs, Node paths, directories and globs with Hive
 * partitions, URLs; see `parquet-footers.ts`), checks that their schemas
 * agree, and describes the table as plain data: the file list, one split
 * per row group (small row groups grouped), partition values. A split is
 * read by `parquetFormatReader` (`parquet-reader.ts`); a scan with no
 * projected column (`count(*)`) fetches no column chunk, and what a scan
 * did fetch is counted in its running totals (`scan-metrics.ts`).
 */
import * as arrow from "apache-arrow";
import type { DataSource } from "../plan/logical-plan.ts";
import { newExprId } from "../plan/expressions.ts";
import type { Field } from "../types/data-types.ts";
import { typeToString, typeEquals } from "../types/data-types.ts";
import { AnalysisError, IOError } from "../common/errors.ts";
import type { ParquetFooter } from "./parquet-metadata.ts";
import { footerLength } from "./parquet-metadata.ts";
import { listLocal, partitionColumns } from "./hive-partitions.ts";
import type { ListedFile } from "./hive-partitions.ts";
import type { ParquetDataSource, ParquetInput, ParquetReadOptions } from "./parquet-footers.ts";
import { cachedFile, hasInput, registerInput } from "./parquet-footers.ts";

let nextOpenId = 1;

export interface OpenedSource {
  schema: Field[];
  source: DataSource;
}

/** One scan partition: row groups of one file. */
export interface ParquetSplit { file: number; rowGroups: number[] }

/** Groups consecutive row groups into splits of about `target` compressed bytes. */
function splitsOf(fileIndex: number, footer: ParquetFooter, target: number): ParquetSplit[] {
  const out: ParquetSplit[] = [];
  let current: number[] = [], bytes = 0;
  footer.rowGroups.forEach((rg, g) => {
    const size = rg.chunks.reduce((n, c) => n + c.length, 0);
    if (current.length && bytes + size > target) { out.push({ file: fileIndex, rowGroups: current }); current = []; bytes = 0; }
    current.push(g);
    bytes += size;
  });
  if (current.length) out.push({ file: fileIndex, rowGroups: current });
  return out;
}

/**
 * Reads the footers of `inputs` and describes them as one source.
 *
 * @example const { schema, source } = await openParquet(["data/trips/"], {});
 */
export async function openParquet(given: ParquetInput[], options: ParquetReadOptions = {}): Promise<OpenedSource> {
  if (given.length === 0) throw new IOError("IO_ERROR", "read.parquet needs at least one input (bytes, Blob, path or URL)");
  const listed: ListedFile[] = [];
  for (const input of given) {
    if (typeof input === "string" || input instanceof URL) {
      const path = String(input);
      if (/^https?:\/\//i.test(path) || hasInput(path)) listed.push({ path, partitions: {} });
      else listed.push(...await listLocal(path));
    } else {
      listed.push({ path: registerInput(input, options), partitions: {} });
    }
  }
  const openId = `o${nextOpenId++}`;
  const opened = await Promise.all(listed.map((f) => cachedFile(openId, f.path, options)));
  const parts = partitionColumns(listed);

  // Files union by column name; the first file fixes the order and the types.
  const first = opened[0]!;
  const fields = first.fields.map((f) => ({ ...f }));
  for (const file of opened.slice(1)) {
    for (const f of fields) {
      const other = file.fields.find((o) => o.name === f.name);
      if (!other) {
        throw new AnalysisError("DATATYPE_MISMATCH", `${file.path} has no column '${f.name}', which ${first.path} has; files read as one table need the same columns`, { details: { file: file.path, column: f.name } });
      }
      if (!typeEquals(other.type, f.type) || (f.type.kind === "timestamp" && other.type.kind === "timestamp" && f.type.timezone !== other.type.timezone)) {
        throw new AnalysisError("DATATYPE_MISMATCH",
          `${file.path}: column '${f.name}' is ${typeToString(other.type)} but ${first.path} has ${typeToString(f.type)}; files read as one table need compatible schemas (rewrite one file or cast after reading them separately)`,
          { details: { file: file.path, column: f.name, expected: typeToString(f.type), found: typeToString(other.type) } });
      }
      f.nullable ||= other.nullable;
    }
    const extra = file.fields.find((o) => !fields.some((f) => f.name === o.name));
    if (extra) {
      throw new AnalysisError("DATATYPE_MISMATCH", `${file.path} has a column '${extra.name}' that ${first.path} lacks; files read as one table need the same columns`, { details: { file: file.path, column: extra.name } });
    }
  }
  for (const name of parts.names) {
    if (fields.some((f) => f.name === name)) {
      throw new AnalysisError("DATATYPE_MISMATCH", `partition directory key '${name}' is also a column inside the files; rename one of them`, { details: { column: name } });
    }
  }
  const schema: Field[] = [
    ...fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable, id: newExprId() })),
    ...parts.names.map((name, i) => ({ name, type: parts.types[i]!, nullable: parts.values.some((v) => v[i] === null), id: newExprId() })),
  ];
  const target = options.splitBytes ?? 8 * 1024 * 1024;
  const splits = opened.flatMap((f, i) => splitsOf(i, f.footer, target));
  const warnings = opened.flatMap((f) => f.source.warnings);
  const readOptions: Record<string, unknown> = {
    numPartitions: Math.max(1, splits.length), openId,
    footerLengths: Object.fromEntries(opened.map((f) => [f.path, f.footerLength])),
  };
  for (const key of ["allowFullDownload", "coalesceGap", "headers", "batchRows"] as const) if (options[key] !== undefined) readOptions[key] = options[key];
  const source: ParquetDataSource = {
    kind: "parquet",
    paths: listed.map((f) => f.path),
    rowCount: opened.reduce((n, f) => n + f.footer.numRows, 0),
    sizeBytes: opened.reduce((n, f) => n + f.footer.fileSize, 0),
    options: readOptions,
    splits,
    partitionColumns: parts.names,
    partitionValues: parts.values,
  };
  if (warnings.length) source.warnings = warnings;
  return { schema, source };
}
