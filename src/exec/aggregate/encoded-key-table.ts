/**
 * The group table for several keys of which some are strings: each string
 * key is first numbered by a StringKeyTable of its own (once per dictionary
 * entry for a dictionary-encoded column, so a Parquet scan's string keys
 * cost one array read per row), and the numbers, with the fixed-width keys,
 * go to a FixedKeyTable. TPC-H Q1's (returnflag, linestatus) then never
 * hashes or compares a string per row; plain strings are hashed once per
 * row per column, as a combined-row table would hash them anyway.
 */
import type { DataType } from "../../types/data-types.ts";
import { INT32 } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { take } from "../column-vector.ts";
import type { GroupTable } from "./group-table.ts";
import { FixedKeyTable } from "./fixed-key-table.ts";
import { StringKeyTable } from "./string-key-table.ts";

export class EncodedKeyTable implements GroupTable {
  private readonly strings: (StringKeyTable | null)[];
  private readonly ids: Int32Array[] = [];
  private readonly groups: FixedKeyTable;

  constructor(keyTypes: readonly DataType[]) {
    this.strings = keyTypes.map((t) => (t.kind === "utf8" ? new StringKeyTable() : null));
    this.groups = new FixedKeyTable(keyTypes.map((t) => (t.kind === "utf8" ? INT32 : t)));
  }

  get numGroups(): number { return this.groups.numGroups; }

  findOrInsert(keys: readonly ColumnVector[], numRows: number, out: Int32Array): void {
    const numbered = keys.map((col, k): ColumnVector => {
      const table = this.strings[k];
      if (!table) return col;
      let ids = this.ids[k];
      if (!ids || ids.length < numRows) this.ids[k] = ids = new Int32Array(Math.max(numRows, 1024));
      table.findOrInsert([col], numRows, ids);
      // NULL is a group of the string table, so the number is never NULL.
      return { type: INT32, length: numRows, values: ids, validity: null };
    });
    this.groups.findOrInsert(numbered, numRows, out);
  }

  keyColumns(): ColumnVector[] {
    return this.groups.keyColumns().map((col, k) => {
      const table = this.strings[k];
      return table ? take(table.keyColumns()[0]!, Int32Array.from(col.values)) : col;
    });
  }
}
