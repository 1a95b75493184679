/**
 * Group tables: map each input row's grouping key to a dense group id
 * (0, 1, 2, ... in order of first appearance), written into an Int32Array,
 * and give back the distinct keys as columns at the end. Hash aggregation
 * and distinct aggregates are built on them. `createGroupTable` picks a
 * specialised table from the key types: no keys (one global group), one
 * integer-like key, one string key (plain or dictionary-encoded), keys that
 * are all fixed-width, or keys that mix in strings (numbered first, then grouped as fixed-width). NULL keys form one group, as in SQL GROUP BY.
 */
import type { DataType } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { IntKeyTable } from "./int-key-table.ts";
import { StringKeyTable } from "./string-key-table.ts";
import { EncodedKeyTable } from "./encoded-key-table.ts";
import { FixedKeyTable } from "./fixed-key-table.ts";

export interface GroupTable {
  /** Groups seen so far; ids run from 0 to numGroups - 1. */
  readonly numGroups: number;
  /**
   * Writes the group id of each of the first `numRows` rows of `keys` into
   * `out`, creating groups for keys not seen before.
   */
  findOrInsert(keys: readonly ColumnVector[], numRows: number, out: Int32Array): void;
  /** The key columns of all groups, row g holding group g's key. */
  keyColumns(): ColumnVector[];
}

/** The table with no keys: every row belongs to group 0 (a global aggregate). */
export class GlobalGroupTable implements GroupTable {
  numGroups = 0;
  findOrInsert(_keys: readonly ColumnVector[], numRows: number, out: Int32Array): void {
    if (numRows > 0) this.numGroups = 1;
    out.fill(0, 0, numRows);
  }
  /** A global aggregate always has its one group, even over no rows. */
  ensureGroup(): void { this.numGroups = 1; }
  keyColumns(): ColumnVector[] { return []; }
}

const INT_STORAGE_KINDS = new Set(["int8", "int16", "int32", "uint8", "uint16", "uint32", "date32", "boolean"]);

export function createGroupTable(keyTypes: readonly DataType[]): GroupTable {
  if (keyTypes.length === 0) return new GlobalGroupTable();
  if (keyTypes.length === 1) {
    const t = keyTypes[0]!;
    if (INT_STORAGE_KINDS.has(t.kind)) return new IntKeyTable(t);
    if (t.kind === "utf8") return new StringKeyTable();
  }
  if (keyTypes.every((t) => t.kind !== "utf8")) return new FixedKeyTable(keyTypes);
  return new EncodedKeyTable(keyTypes);
}
