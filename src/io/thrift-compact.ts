/**
 * A small, generic Thrift compact-protocol codec: it decodes a struct into a
 * tree of `{ id, type, value }` fields that keeps every field (including the
 * ones Cinder does not understand) and encodes such a tree back. Parquet
 * footers are Thrift compact structs; reading them ourselves gives us
 * row-group statistics and column-chunk byte ranges that parquet-wasm does
 * not expose, and re-encoding lets us hand parquet-wasm a minimal file made
 * of just the column chunks a query needs.
 */
import { IOError } from "../common/errors.ts";

export const TType = {
  Stop: 0, True: 1, False: 2, Byte: 3, I16: 4, I32: 5, I64: 6, Double: 7, Binary: 8, List: 9, Set: 10, Map: 11, Struct: 12,
} as const;
export type TType = (typeof TType)[keyof typeof TType];

export type TValue = number | boolean | Uint8Array | TStruct | TList | TMap;

export interface TField { id: number; type: TType; value: TValue }
export interface TStruct { kind: "struct"; fields: TField[] }
export interface TList { kind: "list"; elemType: TType; items: TValue[] }
export interface TMap { kind: "map"; keyType: TType; valueType: TType; entries: [TValue, TValue][] }

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {}

  fail(why: string): never {
    throw new IOError("CORRUPT_PARQUET", `${this.what}: ${why} at byte ${this.pos}`, { details: { position: this.pos } });
  }

  byte(): number {
    if (this.pos >= this.buf.length) this.fail("unexpected end of metadata");
    return this.buf[this.pos++]!;
  }

  /** Unsigned LEB128; exact up to 2^53, which covers every offset and count in a footer. */
  varint(): number {
    let result = 0, mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    return this.fail("varint longer than 10 bytes");
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) this.fail(`a ${n}-byte value runs past the end of the metadata`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  value(type: TType, depth: number): TValue {
    if (depth > 64) this.fail("metadata nested too deeply");
    switch (type) {
      case TType.True: return true;
      case TType.False: return false;
      case TType.Byte: { const b = this.byte(); return b > 127 ? b - 256 : b; }
      case TType.I16: case TType.I32: case TType.I64: return this.zigzag();
      case TType.Double: { const b = this.bytes(8); return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true); }
      case TType.Binary: return this.bytes(this.varint());
      case TType.List: case TType.Set: {
        const header = this.byte();
        let size = header >> 4;
        const elemType = (header & 0x0f) as TType;
        if (size === 15) size = this.varint();
        if (size > this.buf.length) this.fail(`list of ${size} elements is longer than the metadata`);
        const items: TValue[] = new Array(size);
        for (let i = 0; i < size; i++) items[i] = elemType === TType.True || elemType === TType.False ? this.byte() === 1 : this.value(elemType, depth + 1);
        return { kind: "list", elemType, items };
      }
      case TType.Map: {
        const size = this.varint();
        if (size === 0) return { kind: "map", keyType: TType.Stop, valueType: TType.Stop, entries: [] };
        const kv = this.byte();
        const keyType = (kv >> 4) as TType, valueType = (kv & 0x0f) as TType;
        const entries: [TValue, TValue][] = [];
        for (let i = 0; i < size; i++) entries.push([this.value(keyType, depth + 1), this.value(valueType, depth + 1)]);
        return { kind: "map", keyType, valueType, entries };
      }
      case TType.Struct: return this.struct(depth + 1);
      default: return this.fail(`unknown Thrift type ${type}`);
    }
  }

  struct(depth = 0): TStruct {
    const fields: TField[] = [];
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      const type = (header & 0x0f) as TType;
      if (type === TType.Stop) return { kind: "struct", fields };
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag() : lastId + delta;
      lastId = id;
      fields.push({ id, type, value: this.value(type, depth) });
    }
  }
}

/** Decodes one struct starting at `offset`; returns it and the position after it. */
export function decodeStruct(buf: Uint8Array, what: string, offset = 0): { value: TStruct; end: number } {
  const r = new Reader(buf, what);
  r.pos = offset;
  const value = r.struct();
  return { value, end: r.pos };
}

class Writer {
  private buf = new Uint8Array(4096);
  len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  byte(b: number): void { this.reserve(1); this.buf[this.len++] = b & 0xff; }

  varint(n: number): void {
    while (n >= 128) { this.byte((n % 128) | 0x80); n = Math.floor(n / 128); }
    this.byte(n);
  }

  zigzag(n: number): void { this.varint(n >= 0 ? n * 2 : -n * 2 - 1); }

  bytes(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.len); this.len += b.length; }

  value(type: TType, v: TValue): void {
    switch (type) {
      case TType.True: case TType.False: return; // carried in the field header
      case TType.Byte: this.byte(v as number); return;
      case TType.I16: case TType.I32: case TType.I64: this.zigzag(v as number); return;
      case TType.Double: { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, v as number, true); this.bytes(b); return; }
      case TType.Binary: { const b = v as Uint8Array; this.varint(b.length); this.bytes(b); return; }
      case TType.List: case TType.Set: {
        const l = v as TList;
        if (l.items.length < 15) this.byte((l.items.length << 4) | l.elemType);
        else { this.byte(0xf0 | l.elemType); this.varint(l.items.length); }
        for (const item of l.items) {
          if (l.elemType === TType.True || l.elemType === TType.False) this.byte(item ? 1 : 2);
          else this.value(l.elemType, item);
        }
        return;
      }
      case TType.Map: {
        const m = v as TMap;
        this.varint(m.entries.length);
        if (m.entries.length === 0) return;
        this.byte((m.keyType << 4) | m.valueType);
        for (const [k, val] of m.entries) { this.value(m.keyType, k); this.value(m.valueType, val); }
        return;
      }
      case TType.Struct: this.struct(v as TStruct); return;
    }
  }

  struct(s: TStruct): void {
    let lastId = 0;
    for (const f of [...s.fields].sort((a, b) => a.id - b.id)) {
      const type = f.type === TType.True || f.type === TType.False ? (f.value ? TType.True : TType.False) : f.type;
      const delta = f.id - lastId;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else { this.byte(type); this.zigzag(f.id); }
      lastId = f.id;
      this.value(type, f.value);
    }
    this.byte(TType.Stop);
  }

  result(): Uint8Array { return this.buf.subarray(0, this.len); }
}

export function encodeStruct(s: TStruct): Uint8Array {
  const w = new Writer();
  w.struct(s);
  return w.result();
}

// Accessors: footers are read through these so a missing or mistyped field is one clear error.

export function field(s: TStruct, id: number): TValue | undefined {
  for (const f of s.fields) if (f.id === id) return f.value;
  return undefined;
}

export function num(s: TStruct, id: number): number | undefined {
  const v = field(s, id);
  return typeof v === "number" ? v : undefined;
}

export function bin(s: TStruct, id: number): Uint8Array | undefined {
  const v = field(s, id);
  return v instanceof Uint8Array ? v : undefined;
}

export function struct(s: TStruct, id: number): TStruct | undefined {
  const v = field(s, id);
  return typeof v === "object" && v !== null && "kind" in v && v.kind === "struct" ? v : undefined;
}

export function list(s: TStruct, id: number): TValue[] {
  const v = field(s, id);
  return typeof v === "object" && v !== null && "kind" in v && v.kind === "list" ? v.items : [];
}

/** A shallow copy of `s` with fields replaced (`undefined` removes the field). */
export function withFields(s: TStruct, changes: Record<number, { type: TType; value: TValue } | undefined>): TStruct {
  const fields = s.fields.filter((f) => !(f.id in changes));
  for (const [id, change] of Object.entries(changes)) if (change) fields.push({ id: Number(id), ...change });
  return { kind: "struct", fields };
}
