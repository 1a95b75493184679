/** Parquet sources (being written). */
import type { DataSource } from "../plan/logical-plan.ts";
import type { Field } from "../plan/types.ts";
import { UnsupportedError } from "../common/errors.ts";
import type { FormatReader } from "./source-registry.ts";

/** Where Parquet bytes come from. */
export type ParquetInput = string | URL | Uint8Array | ArrayBuffer | Blob;

export interface OpenedSource {
  schema: Field[];
  source: DataSource;
}

/** Reads the footers of `inputs` and describes them as one source. */
export async function openParquet(inputs: ParquetInput[]): Promise<OpenedSource> {
  throw new UnsupportedError(`parquet ${inputs.length}`);
}

export function parquetFormatReader(): FormatReader {
  throw new UnsupportedError("parquet reader");
}
