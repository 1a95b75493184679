/**
 * Finds the free variables of a function from its source text: the names
 * it reads or writes that are neither its parameters, its own locals, nor
 * standard globals every executor has. JavaScript gives no way to read a
 * closure's captured values, so such a name cannot be carried to an
 * executor; the RDD API fails at submission naming it (Spark's
 * NotSerializableException trap), unless the caller passed its value.
 *
 * Parsing uses acorn (small, no dependencies, the parser behind many
 * bundlers, follows the latest ECMAScript) and acorn-walk's recursive
 * walker, whose base visitors already know which identifiers are
 * references and which are property names or labels; this file only adds
 * scopes (function, block, catch, for, class, with `var` hoisting).
 */
import { parse } from "acorn";
import type { AnyNode, CatchClause, Class, Expression, ForInStatement, ForOfStatement, ForStatement, Function as FunctionNode, Identifier, Node, Pattern, Statement, SwitchStatement, VariableDeclaration } from "acorn";
import { recursive, base } from "acorn-walk";
import type { RecursiveVisitors } from "acorn-walk";

/** Globals of the ECMAScript standard and of every runtime that hosts executors (Node, browsers, workers, workerd). */
export const KNOWN_GLOBALS: ReadonlySet<string> = new Set([
  "globalThis", "Infinity", "NaN", "undefined", "isFinite", "isNaN", "parseFloat", "parseInt",
  "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
  "Array", "ArrayBuffer", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date",
  "Error", "AggregateError", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError",
  "FinalizationRegistry", "Float32Array", "Float64Array", "Function", "Int8Array", "Int16Array", "Int32Array",
  "Map", "Number", "Object", "Promise", "Proxy", "Reflect", "RegExp", "Set", "SharedArrayBuffer", "String", "Symbol",
  "Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "WeakMap", "WeakRef", "WeakSet",
  "Atomics", "Intl", "JSON", "Math", "console", "TextEncoder", "TextDecoder", "URL", "URLSearchParams",
  "structuredClone", "atob", "btoa", "queueMicrotask", "crypto",
]);

export interface FunctionShape {
  /** The function's node (an arrow, a function expression, or a method's function). */
  fn: FunctionNode;
  /** Source to ship: an expression whose value is the function. */
  expression: string;
}

/**
 * Parses `Function.prototype.toString()` output as an expression. Method
 * shorthand (`name(x) { ... }`) is not an expression on its own, so it is
 * read as the only method of an object literal.
 */
export function parseFunctionSource(source: string): FunctionShape | null {
  const asExpression = tryParse(`(${source}\n)`);
  if (asExpression && (asExpression.type === "ArrowFunctionExpression" || asExpression.type === "FunctionExpression")) {
    return { fn: asExpression, expression: source };
  }
  const asMethod = tryParse(`({${source}\n})`);
  if (asMethod?.type === "ObjectExpression" && asMethod.properties.length === 1) {
    const prop = asMethod.properties[0]!;
    if (prop.type === "Property" && prop.value.type === "FunctionExpression") {
      return { fn: prop.value, expression: `Object.values({${source}\n})[0]` };
    }
  }
  return null;
}

function tryParse(text: string): Expression | null {
  try {
    const program = parse(text, { ecmaVersion: "latest", sourceType: "script" });
    const stmt = program.body[0];
    return program.body.length === 1 && stmt?.type === "ExpressionStatement" ? stmt.expression : null;
  } catch {
    return null;
  }
}

/** acorn-walk's callback; its typings omit the third argument, which picks the visitor (`"Expression"`, `"Pattern"`, ...). */
type Walk<S = Scope> = (node: AnyNode, scope: S, override?: string) => void;
type Visitor<N, S> = (node: N, scope: S, c: Walk<S>) => void;
const baseVisitor = base as unknown as Record<string, Visitor<AnyNode, Scope>>;

class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent: Scope | null) {}
  has(name: string): boolean {
    for (let s: Scope | null = this; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
}

/** Names a binding pattern declares (`a`, `{ b, c: [d] }`, `...e`, `f = 1`). */
function boundNames(p: Pattern, out: Set<string>): void {
  switch (p.type) {
    case "Identifier": out.add(p.name); break;
    case "ObjectPattern":
      for (const prop of p.properties) boundNames(prop.type === "RestElement" ? prop.argument : prop.value, out);
      break;
    case "ArrayPattern": for (const e of p.elements) if (e) boundNames(e, out); break;
    case "RestElement": boundNames(p.argument, out); break;
    case "AssignmentPattern": boundNames(p.left, out); break;
    default: break; // a MemberExpression target declares nothing
  }
}

/** `var` declarations anywhere in a function body (they are function-scoped), not entering nested functions. */
function hoistVars(body: Node, out: Set<string>): void {
  const visitors: Record<string, Visitor<never, null>> = {
    Function() { /* a nested function has its own vars */ },
    VariableDeclaration(node: VariableDeclaration, st: null, c: Walk<null>) {
      if (node.kind === "var") for (const d of node.declarations) boundNames(d.id, out);
      for (const d of node.declarations) if (d.init) c(d.init, st, "Expression");
    },
  };
  recursive(body as AnyNode, null, visitors as unknown as RecursiveVisitors<null>);
}

/** let/const/class/function declarations directly in a statement list (block-scoped). */
function lexicalNames(statements: readonly (Statement | AnyNode)[], out: Set<string>): void {
  for (const s of statements) {
    if (s.type === "VariableDeclaration" && s.kind !== "var") for (const d of s.declarations) boundNames(d.id, out);
    else if ((s.type === "ClassDeclaration" || s.type === "FunctionDeclaration") && s.id) out.add(s.id.name);
  }
}

/**
 * Free names of the function `fn`, in order of first use.
 *
 * @example freeVariables(parseFunctionSource("(x) => x * factor + Math.PI")!.fn) // ["factor", "Math"]
 */
export function freeVariables(fn: FunctionNode): string[] {
  const free = new Set<string>();
  const reference = (name: string, scope: Scope) => { if (!scope.has(name)) free.add(name); };
  const block = (statements: readonly AnyNode[], scope: Scope, c: Walk) => {
    const inner = new Scope(scope);
    lexicalNames(statements, inner.names);
    for (const s of statements) c(s, inner, "Statement");
  };
  const visitors: Record<string, Visitor<never, Scope>> = {
    Function(node: FunctionNode, scope: Scope, c: Walk) {
      const inner = new Scope(scope);
      if (node.type === "FunctionExpression" && node.id) inner.names.add(node.id.name);
      if (node.type !== "ArrowFunctionExpression") inner.names.add("arguments");
      for (const p of node.params) boundNames(p, inner.names);
      hoistVars(node.body, inner.names);
      for (const p of node.params) c(p, inner, "Pattern");
      c(node.body, inner, node.expression ? "Expression" : "Statement");
    },
    BlockStatement(node: { body: AnyNode[] }, scope: Scope, c: Walk) { block(node.body, scope, c); },
    StaticBlock(node: { body: AnyNode[] }, scope: Scope, c: Walk) { block(node.body, scope, c); },
    SwitchStatement(node: SwitchStatement, scope: Scope, c: Walk) {
      c(node.discriminant, scope, "Expression");
      const inner = new Scope(scope);
      for (const cs of node.cases) lexicalNames(cs.consequent, inner.names);
      for (const cs of node.cases) c(cs, inner);
    },
    ForStatement(node: ForStatement, scope: Scope, c: Walk) {
      const inner = new Scope(scope);
      if (node.init?.type === "VariableDeclaration") lexicalNames([node.init], inner.names);
      baseVisitor.ForStatement!(node, inner, c);
    },
    ForInStatement(node: ForInStatement, scope: Scope, c: Walk) {
      const inner = new Scope(scope);
      if (node.left.type === "VariableDeclaration") lexicalNames([node.left], inner.names);
      baseVisitor.ForInStatement!(node, inner, c);
    },
    ForOfStatement(node: ForOfStatement, scope: Scope, c: Walk) {
      const inner = new Scope(scope);
      if (node.left.type === "VariableDeclaration") lexicalNames([node.left], inner.names);
      baseVisitor.ForOfStatement!(node, inner, c);
    },
    CatchClause(node: CatchClause, scope: Scope, c: Walk) {
      const inner = new Scope(scope);
      if (node.param) boundNames(node.param, inner.names);
      baseVisitor.CatchClause!(node, inner, c);
    },
    Class(node: Class, scope: Scope, c: Walk) {
      const inner = new Scope(scope);
      if (node.id) inner.names.add(node.id.name);
      if (node.superClass) c(node.superClass, inner, "Expression");
      c(node.body, inner);
    },
    Identifier(node: Identifier, scope: Scope) { reference(node.name, scope); },
    VariablePattern(node: AnyNode, scope: Scope) { if (node.type === "Identifier") reference(node.name, scope); },
  };
  recursive(fn as AnyNode, new Scope(null), visitors as unknown as RecursiveVisitors<Scope>);
  return [...free];
}
