/**
 * The body of a task request or reply between a driver and an edge
 * executor: the message as JSON (plans are data), with every typed array
 * in it (a result's column buffers, range bounds, a sample's keys) cut out
 * into a binary tail and referenced by offset, so nothing is turned into
 * number lists and the round trip is exact. Non-finite numbers and -0,
 * which JSON cannot hold, are tagged.
 *
 * Layout: u32 JSON length (little-endian), the JSON, padding to 8 bytes,
 * then the arrays, each starting at a multiple of 8.
 *
 * @example
 * const body = encodeMessage(task);
 * const same = decodeMessage(body) as TaskDescription;
 */
import { InternalError } from "../../common/errors.ts";

type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

const CONSTRUCTORS = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array } as const;
type TypedName = keyof typeof CONSTRUCTORS;

interface ArrayRef { $typed: TypedName; at: number; n: number }
interface NumberRef { $num: "NaN" | "Infinity" | "-Infinity" | "-0" }

const pad8 = (n: number) => (n + 7) & ~7;

function typedName(v: unknown): TypedName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  const name = v.constructor.name as TypedName;
  return name in CONSTRUCTORS ? name : null;
}

/**
 * `value` as the chunks of one body: the header (length, JSON, padding)
 * and then each typed array as a view of its own memory with its padding,
 * so a large body can be sent without being copied into one buffer.
 */
function encodeMessageParts(value: unknown): Uint8Array[] {
  const arrays: TypedArray[] = [];
  let tail = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "number") {
      if (Number.isNaN(v)) return { $num: "NaN" } satisfies NumberRef;
      if (v === Infinity) return { $num: "Infinity" } satisfies NumberRef;
      if (v === -Infinity) return { $num: "-Infinity" } satisfies NumberRef;
      if (Object.is(v, -0)) return { $num: "-0" } satisfies NumberRef;
      return v;
    }
    const name = typedName(v);
    if (!name) return v;
    const array = v as TypedArray;
    const ref: ArrayRef = { $typed: name, at: tail, n: array.length };
    arrays.push(array);
    tail = pad8(tail + array.byteLength);
    return ref;
  });
  const text = new TextEncoder().encode(json);
  const header = new Uint8Array(pad8(4 + text.length));
  new DataView(header.buffer).setUint32(0, text.length, true);
  header.set(text, 4);
  const parts: Uint8Array[] = [header];
  for (const a of arrays) {
    parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const gap = pad8(a.byteLength) - a.byteLength;
    if (gap) parts.push(new Uint8Array(gap));
  }
  return parts;
}

/** `value` (plain data with typed arrays anywhere in it) as one binary body. */
export function encodeMessage(value: unknown): Uint8Array {
  const parts = encodeMessageParts(value);
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** The value `encodeMessage` encoded; its typed arrays are views into `bytes`. */
export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.length < 4) throw new InternalError(`a message of ${bytes.length} bytes is too short to hold its header`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + length > bytes.length) throw new InternalError(`a message says its JSON is ${length} bytes but holds ${bytes.length - 4}`);
  const head = pad8(4 + length);
  // Views need aligned offsets: copy once when the body does not start on an 8-byte boundary.
  const body = (bytes.byteOffset & 7) === 0 ? bytes : bytes.slice();
  const json = new TextDecoder().decode(body.subarray(4, 4 + length));
  return JSON.parse(json, (_key, v: unknown) => {
    if (v === null || typeof v !== "object") return v;
    if ("$num" in v) return { NaN, Infinity, "-Infinity": -Infinity, "-0": -0 }[(v as NumberRef).$num];
    if ("$typed" in v) {
      const ref = v as ArrayRef;
      const ctor = CONSTRUCTORS[ref.$typed];
      if (!ctor) throw new InternalError(`a message names an unknown array type ${ref.$typed}`);
      const start = body.byteOffset + head + ref.at;
      if (head + ref.at + ref.n * ctor.BYTES_PER_ELEMENT > body.length) throw new InternalError("a message's array runs past its end");
      return new ctor(body.buffer as ArrayBuffer, start, ref.n);
    }
    return v;
  });
}
