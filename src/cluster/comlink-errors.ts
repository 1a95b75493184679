/**
 * Makes Cinder errors keep their class, `code` and `details` across
 * comlink. Comlink's own "throw" handler keeps only name, message and
 * stack; this one wraps it, sending a `CinderError` as its `toJSON()` form
 * and rebuilding it with `CinderError.fromJSON` on the other side. Both the
 * driver and every worker import this module before talking.
 */
import * as Comlink from "comlink";
import { CinderError } from "../common/errors.ts";
import type { SerializedError } from "../common/errors.ts";

interface Thrown { value: unknown }
type Wire = { cinder: true; error: SerializedError } | { cinder: false; inner: unknown };

const original = Comlink.transferHandlers.get("throw") as Comlink.TransferHandler<Thrown, unknown> | undefined;

if (original && !(original as { cinder?: boolean }).cinder) {
  const handler: Comlink.TransferHandler<Thrown, Wire> & { cinder: boolean } = {
    cinder: true,
    canHandle: (v: unknown): v is Thrown => original.canHandle(v),
    serialize(thrown: Thrown): [Wire, Transferable[]] {
      if (CinderError.is(thrown.value)) return [{ cinder: true, error: thrown.value.toJSON() }, []];
      const [inner, transfer] = original.serialize(thrown);
      return [{ cinder: false, inner }, transfer];
    },
    deserialize(wire: Wire): Thrown {
      if (wire.cinder) throw CinderError.fromJSON(wire.error);
      return original.deserialize(wire.inner) as Thrown;
    },
  };
  Comlink.transferHandlers.set("throw", handler as unknown as Comlink.TransferHandler<unknown, unknown>);
}

export const comlinkErrorsInstalled = true;
