/** The text table `show()` prints, laid out like Spark's. */
import type { Field } from "../types/data-types.ts";
import type { Batch } from "../exec/column-vector.ts";
import { formatCell } from "../exec/values.ts";

export function formatShow(schema: readonly Field[], batches: Batch[], n: number, truncate: number | boolean): string {
  const limit = truncate === true ? 20 : truncate === false ? Infinity : truncate;
  const cell = (s: string) => (s.length > limit ? `${s.slice(0, Math.max(0, limit - 3))}...` : s);
  const rows: string[][] = [];
  let more = false;
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      if (rows.length === n) { more = true; break; }
      rows.push(b.columns.map((c) => cell(formatCell(c, i) ?? "NULL")));
    }
  }
  const header = schema.map((f) => cell(f.name));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
  const fmt = (r: string[]) => `|${r.map((v, c) => v.padStart(widths[c]!)).join("|")}|`;
  const out = [line, fmt(header), line, ...rows.map(fmt), line];
  if (more) out.push(`only showing top ${n} row${n === 1 ? "" : "s"}`);
  return out.join("\n");
}
