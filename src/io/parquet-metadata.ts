/**
 * Parquet footers, read by Cinder itself: the schema's leaf columns with
 * their physical and logical types, each row group's column-chunk byte
 * ranges and min/max statistics, and the "mini file" trick that lets
 * parquet-wasm decode only what a query needs. parquet-wasm decodes whole
 * in-memory files, so for one split we fetch just the projected column
 * chunks of its row groups, lay them end to end after a `PAR1` magic and
 * write a footer whose offsets point at the new positions. That keeps
 * remote reads to the bytes a query touches and memory bounded by the row
 * groups in flight, while parquet-wasm still does all the page decoding.
 */
import { IOError } from "../common/errors.ts";
import type { TStruct, TValue } from "./thrift-compact.ts";
import { TType, bin, decodeStruct, encodeStruct, list, num, struct, withFields } from "./thrift-compact.ts";

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"
const MAGIC_ENCRYPTED = new Uint8Array([0x50, 0x41, 0x52, 0x45]); // "PARE"

/** Parquet physical types (parquet.thrift `Type`). */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;

/** A leaf of the Parquet schema: what is needed to read its statistics. */
export interface LeafColumn {
  /** Dotted path; for flat files the column name. */
  path: string[];
  physicalType: number;
  /** Legacy converted type (parquet.thrift `ConvertedType`), if any. */
  convertedType?: number;
  /** Which logical type the column carries: "string", "decimal", "date", "timestamp", "integer", ... */
  logical?: string;
  /** Timestamp unit from the logical or converted type. */
  timeUnit?: "ms" | "us" | "ns";
  unsigned: boolean;
}

/** A top-level column and the leaves under it. */
export interface TopColumn {
  name: string;
  leaves: number[];
  /** Its elements in the footer's depth-first schema list: [schemaStart, schemaEnd). */
  schemaStart: number;
  schemaEnd: number;
}

export interface ChunkStats {
  min?: Uint8Array;
  max?: Uint8Array;
  nullCount?: number;
  /** Only the deprecated min/max were written (signed byte order: unsafe for strings and unsigned). */
  legacy?: boolean;
}

export interface ColumnChunkInfo {
  /** First byte of the chunk (dictionary page if any) and its length. */
  start: number;
  length: number;
  stats: ChunkStats | null;
  /** Every data page is dictionary-encoded: the chunk can be read as dictionary codes without building a dictionary. */
  dictionaryOnly: boolean;
}

export interface RowGroupInfo {
  numRows: number;
  /** One entry per leaf column, in schema order. */
  chunks: ColumnChunkInfo[];
}

export interface ParquetFooter {
  fileSize: number;
  numRows: number;
  leaves: LeafColumn[];
  columns: TopColumn[];
  rowGroups: RowGroupInfo[];
  /** The decoded FileMetaData, kept whole so mini files keep every field parquet-wasm may rely on. */
  raw: TStruct;
}

/** How many bytes from the end of a file a first footer fetch reads: most footers fit. */
export const FOOTER_GUESS = 64 * 1024;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The footer length from a file's last 8 bytes, after checking the magic.
 * Throws a CORRUPT_PARQUET error that names `file` when the tail is not a
 * Parquet tail (not a Parquet file, truncated, encrypted).
 */
export function footerLength(tail: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 12 || tail.length < 8) {
    throw new IOError("CORRUPT_PARQUET", `${file} is not a Parquet file: it is only ${fileSize} bytes long (a Parquet file has at least 12); check that the file is complete`, { details: { file, fileSize } });
  }
  const magic = tail.subarray(tail.length - 4);
  if (sameBytes(magic, MAGIC_ENCRYPTED)) {
    throw new IOError("IO_ERROR", `${file} is an encrypted Parquet file, which Cinder cannot read; decrypt it first`, { details: { file, reason: "encrypted" } });
  }
  if (!sameBytes(magic, MAGIC)) {
    throw new IOError("CORRUPT_PARQUET", `${file} is not a Parquet file (it does not end with the PAR1 magic); it may be truncated or another format`, { details: { file, fileSize } });
  }
  const view = new DataView(tail.buffer, tail.byteOffset + tail.length - 8, 4);
  const len = view.getUint32(0, true);
  if (len + 12 > fileSize) {
    throw new IOError("CORRUPT_PARQUET", `${file} has a corrupt footer: it claims ${len} bytes of metadata in a ${fileSize}-byte file`, { details: { file, footerLength: len, fileSize } });
  }
  return len;
}

function utf8(b: Uint8Array | undefined): string {
  return b ? new TextDecoder().decode(b) : "";
}

/** Parses the footer's Thrift bytes (without the trailing length and magic). */
export function parseFooter(bytes: Uint8Array, fileSize: number, file: string): ParquetFooter {
  let raw: TStruct;
  try {
    raw = decodeStruct(bytes, `${file}: Parquet footer`).value;
  } catch (e) {
    throw new IOError("CORRUPT_PARQUET", `${file} has a corrupt footer: ${(e as Error).message}`, { details: { file }, cause: e });
  }
  const fail = (why: string): never => {
    throw new IOError("CORRUPT_PARQUET", `${file} has a corrupt footer: ${why}`, { details: { file } });
  };
  const schema = list(raw, 2) as TStruct[];
  if (schema.length === 0 || num(raw, 3) === undefined) fail("the schema or row count is missing");

  // The schema is a depth-first list: each group says how many children follow.
  const leaves: LeafColumn[] = [];
  const columns: TopColumn[] = [];
  let at = 1;
  const walk = (path: string[], top: TopColumn): void => {
    const el = schema[at++] ?? fail("the schema ends early");
    const name = utf8(bin(el, 4));
    const children = num(el, 5) ?? 0;
    if (children > 0) {
      for (let c = 0; c < children; c++) walk([...path, name], top);
      return;
    }
    top.leaves.push(leaves.length);
    leaves.push(leafOf(el, [...path, name]));
  };
  const rootChildren = num(schema[0]!, 5) ?? 0;
  for (let c = 0; c < rootChildren; c++) {
    const top: TopColumn = { name: utf8(bin(schema[at] ?? fail("the schema ends early"), 4)), leaves: [], schemaStart: at, schemaEnd: at };
    walk([], top);
    top.schemaEnd = at;
    columns.push(top);
  }

  const rowGroups: RowGroupInfo[] = (list(raw, 4) as TStruct[]).map((rg, g) => {
    const chunks = (list(rg, 1) as TStruct[]).map((cc): ColumnChunkInfo => {
      const md = struct(cc, 3) ?? fail(`row group ${g} has a column chunk without metadata`);
      const dataOffset = num(md, 9) ?? fail(`row group ${g} has a column chunk without a data page offset`);
      const dictOffset = num(md, 11);
      const start = dictOffset !== undefined && dictOffset > 0 && dictOffset < dataOffset ? dictOffset : dataOffset;
      const length = num(md, 7) ?? fail(`row group ${g} has a column chunk without a size`);
      if (start < 4 || start + length > fileSize || length < 0) fail(`row group ${g} has a column chunk at bytes ${start}..${start + length}, outside the ${fileSize}-byte file`);
      const st = struct(md, 12);
      let stats: ChunkStats | null = null;
      if (st) {
        stats = {};
        const min = bin(st, 6) ?? bin(st, 2), max = bin(st, 5) ?? bin(st, 1);
        // The deprecated min/max (fields 1, 2) used signed byte order; only trust them without min_value/max_value for numbers.
        const legacyOnly = bin(st, 6) === undefined;
        if (min && max) { stats.min = min; stats.max = max; stats.legacy = legacyOnly; }
        const nulls = num(st, 3);
        if (nulls !== undefined) stats.nullCount = nulls;
      }
      return { start, length, stats, dictionaryOnly: dictionaryOnly(md) };
    });
    if (chunks.length !== leaves.length) fail(`row group ${g} has ${chunks.length} column chunks for ${leaves.length} columns`);
    return { numRows: num(rg, 3) ?? fail(`row group ${g} has no row count`), chunks };
  });
  return { fileSize, numRows: num(raw, 3)!, leaves, columns, rowGroups, raw };
}

const PLAIN = 0, PLAIN_DICTIONARY = 2, RLE_DICTIONARY = 8, DATA_PAGE = 0, DATA_PAGE_V2 = 3;

/**
 * Whether every data page of a chunk is dictionary-encoded: from its page encoding stats when it
 * has them, else from its encodings, where PLAIN may be a writer's fallback for pages that
 * outgrew the dictionary (or only the dictionary page's own encoding), so it counts as no.
 */
function dictionaryOnly(md: TStruct): boolean {
  const isDictionary = (e: number | undefined) => e === PLAIN_DICTIONARY || e === RLE_DICTIONARY;
  const pages = (list(md, 13) as TStruct[]).filter((s) => num(s, 1) === DATA_PAGE || num(s, 1) === DATA_PAGE_V2);
  if (pages.length) return pages.every((s) => isDictionary(num(s, 2)));
  const encodings = list(md, 2) as number[];
  return encodings.some(isDictionary) && !encodings.includes(PLAIN);
}

/** True for a flat top-level decimal column stored as INT32 or INT64. */
export function isIntDecimal(footer: ParquetFooter, column: number): boolean {
  const top = footer.columns[column]!;
  if (top.leaves.length !== 1 || top.schemaEnd - top.schemaStart !== 1) return false;
  const leaf = footer.leaves[top.leaves[0]!]!;
  return leaf.logical === "decimal" && (leaf.physicalType === PhysicalType.INT32 || leaf.physicalType === PhysicalType.INT64);
}

function leafOf(el: TStruct, path: string[]): LeafColumn {
  const leaf: LeafColumn = { path, physicalType: num(el, 1) ?? -1, unsigned: false };
  const converted = num(el, 6);
  if (converted !== undefined) leaf.convertedType = converted;
  const lt = struct(el, 10);
  if (lt) {
    const kind = lt.fields[0];
    const names: Record<number, string> = { 1: "string", 2: "map", 3: "list", 4: "enum", 5: "decimal", 6: "date", 7: "time", 8: "timestamp", 10: "integer", 11: "unknown", 12: "json", 13: "bson", 14: "uuid", 15: "float16" };
    if (kind) {
      leaf.logical = names[kind.id] ?? `logical${kind.id}`;
      const body = kind.value as TStruct;
      if (kind.id === 8 || kind.id === 7) {
        const unit = struct(body, 2)?.fields[0]?.id;
        leaf.timeUnit = unit === 1 ? "ms" : unit === 3 ? "ns" : "us";
      }
      if (kind.id === 10) leaf.unsigned = body.fields.some((f) => f.id === 2 && f.value === false);
    }
  } else if (converted !== undefined) {
    const byConverted: Record<number, string> = { 0: "string", 5: "decimal", 6: "date", 9: "timestamp", 10: "timestamp" };
    if (byConverted[converted]) leaf.logical = byConverted[converted];
    if (converted === 9) leaf.timeUnit = "ms";
    if (converted === 10) leaf.timeUnit = "us";
    if (converted >= 11 && converted <= 14) leaf.unsigned = true;
  }
  return leaf;
}

const ENCODER = new TextEncoder();

export interface MiniFileOptions {
  /**
   * Flat decimal columns stored as INT32/INT64 lose their decimal annotation, so parquet-wasm hands
   * over the unscaled integers as Int32/Int64 (Cinder's own decimal form) instead of widening each
   * to a 128-bit Decimal that Cinder would narrow again.
   */
  plainDecimals?: boolean;
  /** An `ARROW:schema` hint (base64 IPC schema) for the projected columns, in their order. */
  arrowSchema?: string;
}

/**
 * The bytes of a file holding only `rowGroups` and only the top-level
 * `columns` (indices into `footer.columns`), given their chunks' bytes
 * (`chunk(g, leaf)`). parquet-wasm 0.8's `columns` read option is ignored
 * (it decodes every column), so projection is done here: the schema, the
 * row groups and the column orders keep just the projected columns. The
 * embedded `ARROW:schema` hint describes all columns and would no longer
 * line up, so it is dropped; Cinder's types come from the whole file's
 * schema, read once with the hint. An empty `rowGroups` with every column
 * gives a footer-only file, which is how that schema is read.
 */
export function buildMiniFile(footer: ParquetFooter, rowGroups: number[], columns: number[], chunk: (g: number, leaf: number) => Uint8Array, options: MiniFileOptions = {}): Uint8Array {
  const plain = options.plainDecimals ? columns.filter((c) => isIntDecimal(footer, c)) : [];
  const all = columns.length === footer.columns.length && columns.every((c, i) => c === i) && plain.length === 0 && !options.arrowSchema;
  const leaves = columns.flatMap((c) => footer.columns[c]!.leaves);
  const rawGroups = list(footer.raw, 4) as TStruct[];
  const parts: Uint8Array[] = [MAGIC];
  let pos = MAGIC.length;
  let totalRows = 0;
  const newGroups: TStruct[] = rowGroups.map((g) => {
    const rawChunks = list(rawGroups[g]!, 1) as TStruct[];
    const firstPos = pos;
    const newChunks: TValue[] = leaves.map((leaf) => {
      const cc = rawChunks[leaf]!;
      const md = struct(cc, 3)!;
      const info = footer.rowGroups[g]!.chunks[leaf]!;
      const bytes = chunk(g, leaf);
      parts.push(bytes);
      const shift = pos - info.start;
      pos += bytes.length;
      const moved = (id: number): { type: TType; value: number } | undefined => {
        const v = num(md, id);
        return v === undefined || v <= 0 ? undefined : { type: TType.I64, value: v + shift };
      };
      // Page index and bloom filter offsets point at bytes we did not copy, so they go.
      const newMd = withFields(md, { 9: moved(9), 10: moved(10), 11: moved(11), 14: undefined, 15: undefined });
      return withFields(cc, {
        2: { type: TType.I64, value: info.start + shift }, 3: { type: TType.Struct, value: newMd },
        4: undefined, 5: undefined, 6: undefined, 7: undefined,
      });
    });
    totalRows += footer.rowGroups[g]!.numRows;
    return withFields(rawGroups[g]!, {
      1: { type: TType.List, value: { kind: "list", elemType: TType.Struct, items: newChunks } },
      5: { type: TType.I64, value: firstPos }, 6: { type: TType.I64, value: pos - firstPos }, 7: undefined,
    });
  });
  const changes: Record<number, { type: TType; value: TValue } | undefined> = {
    3: { type: TType.I64, value: totalRows },
    4: { type: TType.List, value: { kind: "list", elemType: TType.Struct, items: newGroups } },
  };
  if (!all) {
    const schema = list(footer.raw, 2) as TStruct[];
    const root = withFields(schema[0]!, { 5: { type: TType.I32, value: columns.length } });
    const kept = [root, ...columns.flatMap((c) => {
      const top = footer.columns[c]!;
      const elements = schema.slice(top.schemaStart, top.schemaEnd);
      // converted_type, scale, precision and logicalType go: the column reads as its plain integer type.
      return plain.includes(c) ? [withFields(elements[0]!, { 6: undefined, 7: undefined, 8: undefined, 10: undefined })] : elements;
    })];
    changes[2] = { type: TType.List, value: { kind: "list", elemType: TType.Struct, items: kept } };
    const orders = list(footer.raw, 7);
    if (orders.length) changes[7] = { type: TType.List, value: { kind: "list", elemType: TType.Struct, items: leaves.map((l) => orders[l]!) } };
    const kv = (list(footer.raw, 5) as TStruct[]).filter((e) => utf8(bin(e, 1)) !== "ARROW:schema");
    if (options.arrowSchema) {
      kv.push({ kind: "struct", fields: [{ id: 1, type: TType.Binary, value: ENCODER.encode("ARROW:schema") }, { id: 2, type: TType.Binary, value: ENCODER.encode(options.arrowSchema) }] });
    }
    changes[5] = kv.length ? { type: TType.List, value: { kind: "list", elemType: TType.Struct, items: kv } } : undefined;
  }
  const encoded = encodeStruct(withFields(footer.raw, changes));
  const out = new Uint8Array(pos + encoded.length + 8);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  out.set(encoded, at);
  at += encoded.length;
  new DataView(out.buffer).setUint32(at, encoded.length, true);
  out.set(MAGIC, at + 4);
  return out;
}
