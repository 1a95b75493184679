/**
 * Reading dictionary-encoded string chunks as dictionary codes. Without a
 * hint, parquet-wasm (arrow-rs) decodes a dictionary-encoded string column
 * into one UTF-8 value per row, and Cinder then hashes, compares and copies
 * those bytes row by row. An `ARROW:schema` hint asking for
 * Dictionary<Int32, Utf8> makes it hand over the chunk's dictionary once and
 * an Int32 code per row: decoding is cheaper (a third less on TPC-H's
 * lineitem), and the kernels that know dictionaries (filters, LIKE, group
 * tables, shuffles) work per distinct value. Only chunks whose every data
 * page is dictionary-encoded are asked for codes: a plain chunk (a comment
 * column) read as a dictionary would be built into one, row by row.
 */
import * as arrow from "apache-arrow";
import type { OpenedFile } from "./parquet-footers.ts";
import { PhysicalType, isIntDecimal } from "./parquet-metadata.ts";

/** Hints already serialized, per file, by projected columns and which of them read as codes. */
const hints = new WeakMap<OpenedFile, Map<string, string>>();

/**
 * The `ARROW:schema` hint for reading top-level `columns` of row group `g` (with decimals as plain
 * integers, as `buildMiniFile`'s `plainDecimals` leaves them), or undefined when no chunk among them
 * reads as dictionary codes, and the mini file needs no hint.
 */
export function dictionaryHint(file: OpenedFile, g: number, columns: readonly number[]): string | undefined {
  const chunks = file.footer.rowGroups[g]!.chunks;
  const coded = columns.map((c) => {
    const top = file.footer.columns[c]!;
    return top.leaves.length === 1 && top.schemaEnd - top.schemaStart === 1 && file.arrowSchema.fields[c]!.typeId === arrow.Type.Utf8 && chunks[top.leaves[0]!]!.dictionaryOnly;
  });
  if (!coded.includes(true)) return undefined;
  const key = `${columns.join(",")}|${coded.map(Number).join("")}`;
  let byKey = hints.get(file);
  if (!byKey) hints.set(file, byKey = new Map());
  let hint = byKey.get(key);
  if (hint === undefined) {
    const fields = columns.map((c, i) => {
      const f = file.arrowSchema.fields[c]!;
      if (coded[i]) return new arrow.Field(f.name, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()), f.nullable);
      if (isIntDecimal(file.footer, c)) {
        const physical = file.footer.leaves[file.footer.columns[c]!.leaves[0]!]!.physicalType;
        return new arrow.Field(f.name, physical === PhysicalType.INT32 ? new arrow.Int32() : new arrow.Int64(), f.nullable);
      }
      return f;
    });
    hint = base64(arrow.tableToIPC(new arrow.Table(new arrow.Schema(fields)), "stream"));
    byKey.set(key, hint);
  }
  return hint;
}

function base64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
