/**
 * How RDD elements are stored in columns: each element (and each key of a
 * pair RDD) is one UTF-8 string of JSON, extended with tags for the values
 * plain JSON loses (undefined, NaN and the infinities, bigint, Date, Map,
 * Set). Equal keys encode to equal bytes, so the engine's hash Exchange,
 * hash join and the per-key maps of reduceByKey group them without ever
 * decoding; two keys are equal when their encodings are (so `[1, 2]`
 * equals `[1, 2]`, while `1` and `"1"` differ).
 *
 * Elements are arbitrary JS values the user's functions produce, so this is
 * one of the few per-row object paths in the engine; strings and finite
 * numbers, the common keys, skip the tagging replacer. A user object whose
 * own key is `$cinder` would be read back as a tag: that name is reserved.
 */
import { CinderError } from "../../common/errors.ts";

const TAG = "$cinder";

type Tagged = { [TAG]: "undefined" } | { [TAG]: "number"; v: string } | { [TAG]: "bigint"; v: string }
  | { [TAG]: "date"; v: number } | { [TAG]: "map"; v: unknown[] } | { [TAG]: "set"; v: unknown[] };

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // `this[key]` is the value before Date.prototype.toJSON turned it into a string.
  const raw = this[key];
  switch (typeof raw) {
    case "undefined": return { [TAG]: "undefined" };
    case "number": return Number.isFinite(raw) ? raw : { [TAG]: "number", v: String(raw) };
    case "bigint": return { [TAG]: "bigint", v: raw.toString() };
    case "function": case "symbol":
      throw new CinderError("NOT_SERIALIZABLE",
        `an RDD element holds a ${typeof raw}${key ? ` (at key '${key}')` : ""}, which cannot be stored or shuffled; keep only data (numbers, strings, arrays, plain objects, Map, Set, Date) in elements`,
        { details: { key } });
  }
  if (raw instanceof Date) return { [TAG]: "date", v: raw.getTime() };
  if (raw instanceof Map) return { [TAG]: "map", v: [...raw] };
  if (raw instanceof Set) return { [TAG]: "set", v: [...raw] };
  return value;
}

// A reviver that returns undefined deletes the property (or leaves a hole), so undefined is a marker until its parent is revived.
const UNDEFINED = Symbol("undefined");

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (!(TAG in value)) {
    const o = value as Record<string, unknown>;
    for (const k in o) if (o[k] === UNDEFINED) o[k] = undefined;
    return value;
  }
  const t = value as Tagged;
  switch (t[TAG]) {
    case "undefined": return UNDEFINED;
    case "number": return Number(t.v);
    case "bigint": return BigInt(t.v);
    case "date": return new Date(t.v);
    case "map": return new Map((t.v as [unknown, unknown][]).map(([k, v]) => [k === UNDEFINED ? undefined : k, v === UNDEFINED ? undefined : v]));
    case "set": return new Set(t.v.map((v) => (v === UNDEFINED ? undefined : v)));
  }
  return value;
}

/** The element as stored in a utf8 column. @example encodeValue(["a", 1]) === '["a",1]' */
export function encodeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean" || value === null) return String(value);
  // The replacer also sees the root (as key "" of a wrapper), so a top-level undefined or bigint is tagged too.
  return JSON.stringify(value, replacer) as string;
}

/** The element back from its encoding. */
export function decodeValue(text: string): unknown {
  const c = text.charCodeAt(0);
  // Only objects and arrays can hold tags.
  if (c !== 123 /* { */ && c !== 91 /* [ */) return JSON.parse(text);
  if (!text.includes(TAG)) return JSON.parse(text);
  const v: unknown = JSON.parse(text, reviver);
  return v === UNDEFINED ? undefined : v;
}
