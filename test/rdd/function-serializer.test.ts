/**
 * Shipping RDD functions: the free-variable analysis over real function
 * sources (scopes, hoisting, patterns, labels, esbuild's `__name`), the
 * NOT_SERIALIZABLE errors at submission, and the executor-side compile
 * of what the driver produced (env values, helpers, broadcasts, method
 * shorthand, standard globals).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { freeVariables, parseFunctionSource } from "../../src/rdd/closure-check.ts";
import { NotSerializableError, serializeFunction } from "../../src/rdd/function-serializer.ts";
import { compileFunction } from "../../src/physical/operators/rdd-function.ts";
import { Session, CinderError } from "../../src/index.ts";

const free = (source: string) => freeVariables(parseFunctionSource(source)!.fn);

function thrown(fn: () => unknown): CinderError {
  try { fn(); } catch (e) { assert.ok(CinderError.is(e), `a CinderError, got ${String(e)}`); return e; }
  assert.fail("expected an error");
}

describe("free variables of a function's source", () => {
  it("are the names not bound by parameters, locals or inner scopes", () => {
    assert.deepEqual(free("(x) => x * factor + Math.PI"), ["factor", "Math"]);
    assert.deepEqual(free("function f(a, {b, c: [d]}, ...e) { var v = a + b; let w = d; for (const q of e) w += q; try { g() } catch (err) { err.x } return v + w + arguments.length + f.name + h; }"), ["g", "h"]);
    assert.deepEqual(free("(x) => { { let inner = 1; } return inner; }"), ["inner"], "a block's let is not visible after it");
    assert.deepEqual(free("(x = dflt) => { if (x) { var hoisted = 1 } return hoisted }"), ["dflt"], "var is function-scoped; defaults are read");
    assert.deepEqual(free("(x) => { count += x; return {count, y: x.count, [key]: 1}; }"), ["count", "key"], "writes and shorthand count, property names do not");
    assert.deepEqual(free("(x) => { lbl: for (;;) { break lbl; } switch (x) { case 1: const s = 2; return s; } return typeof undef; }"), ["undef"]);
    assert.deepEqual(free("(xs) => xs.map(function inner(n) { return n ? inner(n - 1) : z; })"), ["z"], "a named function expression sees itself");
    assert.deepEqual(free("(x) => { class K extends Base { static y = x; m() { return K.y + w; } } return new K(); }"), ["Base", "w"]);
  });

  it("reads esbuild's keepNames output and method shorthand", () => {
    assert.deepEqual(free('it=>{function helper(x){return x+1}__name(helper,"helper");const g=__name(y=>y*2,"g");class K{static{__name(this,"K")}m(){return 1}}return it.map(helper).map(g)}'), ["__name"]);
    assert.deepEqual(free("m(x) { return x.y + z }"), ["z"]);
    assert.equal(parseFunctionSource("not a function"), null);
  });
});

describe("serializeFunction", () => {
  it("fails at submission naming every captured variable, with the ways out", () => {
    const limit = 3, scale = 2;
    const e = thrown(() => serializeFunction((x: number) => x * scale > limit, undefined, "filter"));
    assert.ok(e instanceof NotSerializableError);
    assert.equal(e.code, "NOT_SERIALIZABLE");
    assert.deepEqual(e.details.variables, ["scale", "limit"]);
    assert.match(e.message, /'scale', 'limit'/);
    assert.match(e.message, /rdd\.filter\(fn, \{ scale, limit \}\)/);
    assert.match(e.message, /session\.broadcast/);
    assert.match(e.message, /mapPartitions/);
  });

  it("flags runtime-specific globals (process) but not standard ones", () => {
    const e = thrown(() => serializeFunction(() => process.pid + Math.max(1, 2), undefined, "map"));
    assert.deepEqual(e.details.variables, ["process"]);
  });

  it("refuses values that would not arrive intact, async functions and native functions without a global name", () => {
    class Point { constructor(readonly x: number) {} }
    const p = new Point(1);
    assert.match(thrown(() => serializeFunction(() => p.x, { p }, "map")).message, /instance of Point/);
    assert.equal(thrown(() => serializeFunction(async (x: number) => x, undefined, "map")).code, "UNSUPPORTED");
    assert.equal(thrown(() => serializeFunction(Math.abs, undefined, "map")).code, "NOT_SERIALIZABLE");
    assert.equal(thrown(() => serializeFunction(((x: number) => x).bind(null), undefined, "map")).code, "NOT_SERIALIZABLE");
  });

  it("ships env values, helper functions, broadcasts and standard globals, and compiles them back", () => {
    const session = new Session();
    const table = session.broadcast({ a: 10 });
    const factor = 3, offset = 0.5;
    const helper = (x: number) => x + offset;
    const e = thrown(() => serializeFunction((x: number) => helper(x * factor), { factor, helper }, "map"));
    assert.deepEqual(e.details.variables, ["offset"], "a helper's captures are checked against the same env");
    assert.match(e.message, /helper 'helper' of the map function uses 'offset'/);
    const withOffset = serializeFunction((x: number) => helper(x * factor) + table.value.a, { factor, helper, offset, table, unused: 1 }, "map");
    assert.deepEqual(withOffset.bindings.map((b) => [b.name, b.kind]), [["helper", "function"], ["factor", "value"], ["table", "broadcast"]]);
    const compiled = compileFunction(withOffset, new Map([[table.id, { a: 10 }]]), "map");
    assert.equal(compiled(2), 16.5);
    assert.equal(compileFunction(serializeFunction(Number, undefined, "map"), new Map(), "map")("7"), 7);
    const method = serializeFunction({ twice(x: number) { return x * 2; } }.twice, undefined, "map");
    assert.equal(compileFunction(method, new Map(), "map")(4), 8);
    const commented = { source: "(x) => x + 1 // trailing comment", bindings: [] };
    assert.equal(compileFunction(commented, new Map(), "map")(1), 2);
  });
});
