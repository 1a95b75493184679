/**
 * The analyzer: turns a plan whose columns are names into one whose columns
 * are attributes with ids and types, inserts the casts operators need, and
 * rejects what cannot run with a typed `AnalysisError` (unknown or ambiguous
 * column, type mismatch, aggregate misuse). It runs bottom-up over the whole
 * plan; the DataFrame API calls it on every new DataFrame (Spark's eager
 * analysis), so a mistake surfaces at the line that made it.
 */
import { AnalysisError, closestNames } from "../common/errors.ts";
import type { Expr, SortOrder } from "./expressions.ts";
import { alias, defaultName, exprToString, mapChildren, someExpr, transformDown } from "./expressions.ts";
import type { Field, DataType } from "../types/data-types.ts";
import {
  BOOLEAN, FLOAT64, INT64, NULL, UTF8, TIMESTAMP, commonType, commonTypeOf, isDecimal, isInteger, isNumeric,
  isTemporal, typeEquals, typeToString, widerNumericType, asDecimal, decimal,
} from "../types/data-types.ts";
import type { LogicalPlan } from "./logical-plan.ts";
import { columnRef, outputSchema, planChildren, withChildren } from "./logical-plan.ts";
import { exprType } from "./expression-types.ts";
import { canCast, resolveFunction } from "./function-catalog.ts";

/** Names visible to an expression: the input's fields, then enclosing queries' (for correlated subqueries). */
export interface Scope {
  fields: readonly Field[];
  outer: Scope | null;
}

const scopeOf = (fields: readonly Field[], outer: Scope | null = null): Scope => ({ fields, outer });

/** Resolves every node of `plan`. `outer` is the scope of an enclosing query, for subqueries. */
export function analyze(plan: LogicalPlan, outer: Scope | null = null): LogicalPlan {
  const children = planChildren(plan).map((c) => analyze(c, outer));
  return analyzeNode(withChildren(plan, children), outer);
}

/** Resolves one node whose children are already resolved (how the DataFrame API grows a plan). */
export function analyzeNode(p: LogicalPlan, outer: Scope | null = null): LogicalPlan {
  switch (p.type) {
    case "Scan": case "SubqueryAlias": case "Limit": case "Distinct": case "Hint":
      return p;
    case "Filter": {
      const scope = scopeOf(outputSchema(p.input), outer);
      const condition = requireBoolean(resolveExpr(p.condition, scope), "WHERE/filter condition");
      if (someExpr(condition, (e) => e.type === "aggregate")) {
        throw new AnalysisError("INVALID_PLAN", `aggregate functions are not allowed in a filter: ${exprToString(condition)}; use HAVING or filter after groupBy().agg()`);
      }
      return { ...p, condition };
    }
    case "Project": return analyzeProject(p.input, p.exprs, outer);
    case "Aggregate": return analyzeAggregate(p.input, p.groupBy, p.aggregates, outer);
    case "Window": {
      const scope = scopeOf(outputSchema(p.input), outer);
      return { ...p, windowExprs: p.windowExprs.map((e) => nameOutput(resolveExpr(e, scope))) };
    }
    case "Sort": {
      const scope = scopeOf(outputSchema(p.input), outer);
      return { ...p, orders: p.orders.map((o) => resolveSortOrder(o, scope)) };
    }
    case "Repartition": {
      const scope = scopeOf(outputSchema(p.input), outer);
      return { ...p, keys: p.keys.map((k) => resolveExpr(k, scope)), orders: p.orders.map((o) => resolveSortOrder(o, scope)) };
    }
    case "Join": {
      const left = outputSchema(p.left), right = outputSchema(p.right);
      const condition = p.condition ? requireBoolean(resolveExpr(p.condition, scopeOf([...left, ...right], outer)), "join condition") : null;
      return { ...p, condition };
    }
    case "Union": return analyzeUnion(p.inputs);
    case "SetOperation": {
      const [left, right] = coerceSetInputs([p.left, p.right], p.op.toUpperCase());
      return { ...p, left: left!, right: right! };
    }
  }
}

export function resolveSortOrder(o: SortOrder, scope: Scope): SortOrder {
  return { ...o, expr: resolveExpr(o.expr, scope) };
}

function analyzeProject(input: LogicalPlan, rawExprs: Expr[], outer: Scope | null): LogicalPlan {
  const fields = outputSchema(input);
  const scope = scopeOf(fields, outer);
  const exprs = expandStars(rawExprs, fields).map((e) => nameOutput(resolveExpr(e, scope)));
  const hasAggregate = exprs.some((e) => someExpr(e, (x) => x.type === "aggregate" && !insideWindow(e, x)));
  if (hasAggregate) return analyzeAggregate(input, [], exprs, outer);
  if (exprs.some((e) => someExpr(e, (x) => x.type === "window"))) {
    // Window functions run in a Window node below the projection that reads their results.
    const windowExprs: Expr[] = [];
    const projected = exprs.map((e) => transformDown(e, (x) => {
      if (x.type !== "window") return undefined;
      const named = alias(x, defaultName(x));
      windowExprs.push(named);
      return columnRef({ name: (named as { name: string }).name, id: (named as { id: number }).id, type: exprType(x), nullable: true });
    }));
    return { type: "Project", input: { type: "Window", input, windowExprs }, exprs: projected };
  }
  return { type: "Project", input, exprs };
}

function insideWindow(root: Expr, target: Expr): boolean {
  let found = false;
  someExpr(root, (x) => {
    if (x.type === "window" && someExpr(x, (y) => y === target)) found = true;
    return found;
  });
  return found;
}

function analyzeAggregate(input: LogicalPlan, rawGroupBy: Expr[], rawAggregates: Expr[], outer: Scope | null): LogicalPlan {
  const fields = outputSchema(input);
  const scope = scopeOf(fields, outer);
  // A grouping key's alias names an output column, not the key itself (groupBy(expr.alias("k")) selects it as k).
  const groupBy = rawGroupBy.map((e) => resolveExpr(e, scope)).map((e) => (e.type === "alias" ? e.expr : e));
  const aggregates = expandStars(rawAggregates, fields).map((e) => nameOutput(resolveExpr(e, scope)));
  const groupKeys = new Set(groupBy.map(exprToString));
  for (const out of aggregates) checkGrouped(out.type === "alias" ? out.expr : out, groupKeys);
  const plan: LogicalPlan = { type: "Aggregate", input, groupBy, aggregates };
  return plan;
}

/** Every column an aggregate's output reads outside an aggregate function must be grouped. */
function checkGrouped(e: Expr, groupKeys: Set<string>): void {
  if (groupKeys.has(exprToString(e))) return;
  if (e.type === "aggregate" || e.type === "literal" || e.type === "outerRef" || e.type === "scalarSubquery") return;
  if (e.type === "window") return;
  if (e.type === "column") {
    throw new AnalysisError("INVALID_PLAN",
      `column '${e.name}' is neither grouped nor aggregated; add it to groupBy or wrap it in an aggregate such as first(${e.name})`,
      { details: { column: e.name } });
  }
  mapChildren(e, (c) => { checkGrouped(c, groupKeys); return c; });
}

function analyzeUnion(inputs: LogicalPlan[]): LogicalPlan {
  return { type: "Union", inputs: coerceSetInputs(inputs, "UNION") };
}

/** Checks that set-operation inputs have the same arity and casts them to common column types. */
function coerceSetInputs(inputs: LogicalPlan[], what: string): LogicalPlan[] {
  const schemas = inputs.map(outputSchema);
  const width = schemas[0]!.length;
  schemas.forEach((s, i) => {
    if (s.length !== width) {
      throw new AnalysisError("INVALID_PLAN", `${what} inputs must have the same number of columns: input 1 has ${width}, input ${i + 1} has ${s.length}`,
        { details: { expected: width, actual: s.length, input: i + 1 } });
    }
  });
  const types = schemas[0]!.map((f, c) => commonTypeOf(schemas.map((s) => s[c]!.type), `${what} column '${f.name}'`));
  return inputs.map((plan, i) => {
    const schema = schemas[i]!;
    if (schema.every((f, c) => typeEquals(f.type, types[c]!))) return plan;
    return {
      type: "Project", input: plan,
      exprs: schema.map((f, c) => (typeEquals(f.type, types[c]!) ? columnRef(f) : alias(castTo(columnRef(f), types[c]!), f.name))),
    };
  });
}

/** Replaces `*` and `t.*` with the columns they stand for. */
function expandStars(exprs: Expr[], fields: readonly Field[]): Expr[] {
  return exprs.flatMap((e) => {
    if (e.type !== "star") return [e];
    const chosen = e.qualifier === undefined ? fields : fields.filter((f) => f.qualifier?.toLowerCase() === e.qualifier!.toLowerCase());
    if (chosen.length === 0 && e.qualifier !== undefined) {
      throw new AnalysisError("UNRESOLVED_TABLE", `cannot expand '${e.qualifier}.*': no table or alias named '${e.qualifier}' in this query`, { details: { table: e.qualifier } });
    }
    return chosen.map(columnRef);
  });
}

/** Gives an output expression a name: columns keep theirs, others get an alias. */
export function nameOutput(e: Expr): Expr {
  if (e.type === "alias" || e.type === "column") return e;
  return alias(e, defaultName(e));
}

/** Finds the field `name` (optionally `qualifier.name`) in a scope, case-insensitively. */
export function resolveColumn(name: string, qualifier: string | undefined, scope: Scope, id?: number): { field: Field; outer: boolean } {
  let s: Scope | null = scope;
  let depth = 0;
  while (s) {
    const found = findField(name, qualifier, s.fields, id);
    if (found) return { field: found, outer: depth > 0 };
    s = s.outer;
    depth++;
  }
  const visible = scope.fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name));
  // Unqualified references are also compared with bare column names (SQL fields carry their table as qualifier).
  const candidates = qualifier ? visible : [...new Set([...scope.fields.map((f) => f.name), ...visible])];
  const suggestions = closestNames(qualifier ? `${qualifier}.${name}` : name, candidates);
  const ref = qualifier ? `${qualifier}.${name}` : name;
  throw new AnalysisError("UNRESOLVED_COLUMN",
    `unknown column '${ref}'${suggestions.length ? `; did you mean ${suggestions.map((x) => `'${x}'`).join(", ")}?` : ""} (available: ${visible.join(", ") || "none"})`,
    { details: { column: ref, suggestions, available: visible } });
}

function findField(name: string, qualifier: string | undefined, fields: readonly Field[], id?: number): Field | null {
  if (id !== undefined) {
    const byId = fields.find((f) => f.id === id);
    if (byId) return byId;
  }
  const lower = name.toLowerCase(), q = qualifier?.toLowerCase();
  const matches = fields.filter((f) => f.name.toLowerCase() === lower && (q === undefined || f.qualifier?.toLowerCase() === q));
  const distinct = matches.filter((f, i) => matches.findIndex((g) => g.id === f.id) === i);
  if (distinct.length > 1) {
    const names = distinct.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : `${f.name}#${f.id}`));
    throw new AnalysisError("AMBIGUOUS_REFERENCE",
      `column reference '${qualifier ? qualifier + "." : ""}${name}' is ambiguous; it could be ${names.join(" or ")}. Qualify it (df.col("${name}") on the right DataFrame, or alias the tables)`,
      { details: { column: name, candidates: names } });
  }
  return distinct[0] ?? null;
}

export function castTo(e: Expr, to: DataType): Expr {
  const from = exprType(e);
  if (typeEquals(from, to)) return e;
  if (e.type === "literal" && e.value === null) return { type: "literal", value: null, dataType: to };
  return { type: "cast", expr: e, to };
}

function requireBoolean(e: Expr, what: string): Expr {
  const t = exprType(e);
  if (t.kind === "null") return castTo(e, BOOLEAN);
  if (t.kind !== "boolean") {
    throw new AnalysisError("DATATYPE_MISMATCH", `${what} must be boolean, got ${typeToString(t)}: ${exprToString(e)}`,
      { details: { expression: exprToString(e), actual: typeToString(t) } });
  }
  return e;
}

function mismatch(op: string, l: DataType, r: DataType, e: Expr): never {
  throw new AnalysisError("DATATYPE_MISMATCH",
    `cannot apply '${op}' to ${typeToString(l)} and ${typeToString(r)} in ${exprToString(e)}; CAST one side so the types agree`,
    { details: { operator: op, left: typeToString(l), right: typeToString(r), expression: exprToString(e) } });
}

/** The type both sides of a comparison are cast to, or null when they cannot be compared. */
function comparisonType(l: DataType, r: DataType): DataType | null {
  const common = commonType(l, r);
  if (common) return common;
  // A string compared with a date or timestamp is read as one (`d >= '1994-01-01'`).
  if (l.kind === "utf8" && isTemporal(r)) return r;
  if (r.kind === "utf8" && isTemporal(l)) return l;
  return null;
}

const ARITHMETIC = new Set(["+", "-", "*", "/", "%"]);

/** Resolves one expression against a scope and coerces its operands. */
export function resolveExpr(e: Expr, scope: Scope): Expr {
  switch (e.type) {
    case "column": {
      const { field, outer } = resolveColumn(e.name, e.qualifier, scope, e.id);
      const ref = columnRef(field);
      return outer ? { type: "outerRef", column: ref } : ref;
    }
    case "literal": case "boundRef": return e;
    case "star": throw new AnalysisError("INVALID_PLAN", "'*' is only allowed in a select list or count(*)");
    case "outerRef": return e;
    case "scalarSubquery": {
      const plan = analyze(e.plan, scope);
      const width = outputSchema(plan).length;
      if (width !== 1) throw new AnalysisError("INVALID_PLAN", `a scalar subquery must return one column, this one returns ${width}`);
      return { ...e, plan };
    }
    case "exists": return { ...e, plan: analyze(e.plan, scope) };
    case "inSubquery": {
      const expr = resolveExpr(e.expr, scope);
      const plan = analyze(e.plan, scope);
      const out = outputSchema(plan);
      if (out.length !== 1) throw new AnalysisError("INVALID_PLAN", `an IN subquery must return one column, this one returns ${out.length}`);
      const t = comparisonType(exprType(expr), out[0]!.type);
      if (!t) mismatch("IN", exprType(expr), out[0]!.type, e);
      return { ...e, expr: castTo(expr, t), plan };
    }
    default: break;
  }
  const r = mapChildren(e, (c) => resolveExpr(c, scope));
  switch (r.type) {
    case "alias": return r;
    case "binary": {
      const l = exprType(r.left), rt = exprType(r.right);
      if (r.op === "and" || r.op === "or") {
        return { ...r, left: requireBoolean(r.left, `${r.op.toUpperCase()} operand`), right: requireBoolean(r.right, `${r.op.toUpperCase()} operand`) };
      }
      if (ARITHMETIC.has(r.op)) return coerceArithmetic(r, l, rt);
      const t = comparisonType(l, rt);
      if (!t) mismatch(r.op, l, rt, r);
      return { ...r, left: castTo(r.left, t), right: castTo(r.right, t) };
    }
    case "not": return { ...r, expr: requireBoolean(r.expr, "NOT operand") };
    case "negate": {
      const t = exprType(r.expr);
      if (!isNumeric(t) && t.kind !== "null") mismatch("-", t, t, r);
      return r;
    }
    case "isNull": return r;
    case "case": {
      const t = commonTypeOf([...r.branches.map((b) => exprType(b.then)), ...(r.otherwise ? [exprType(r.otherwise)] : [])], "CASE branches");
      return {
        ...r,
        branches: r.branches.map((b) => ({ when: requireBoolean(b.when, "WHEN condition"), then: castTo(b.then, t) })),
        otherwise: r.otherwise ? castTo(r.otherwise, t) : null,
      };
    }
    case "cast": {
      const from = exprType(r.expr);
      if (!canCast(from, r.to)) {
        throw new AnalysisError("DATATYPE_MISMATCH", `cannot cast ${typeToString(from)} to ${typeToString(r.to)} in ${exprToString(r)}; cast through string, or pick another target type`,
          { details: { from: typeToString(from), to: typeToString(r.to), expression: exprToString(r) } });
      }
      return r;
    }
    case "in": {
      let t: DataType | null = exprType(r.expr);
      for (const item of r.list) {
        t = t && comparisonType(t, exprType(item));
        if (!t) mismatch("IN", exprType(r.expr), exprType(item), r);
      }
      return { ...r, expr: castTo(r.expr, t!), list: r.list.map((x) => castTo(x, t!)) };
    }
    case "like": {
      for (const side of [r.expr, r.pattern]) {
        const t = exprType(side);
        if (t.kind !== "utf8" && t.kind !== "null") mismatch(r.regex ? "RLIKE" : "LIKE", exprType(r.expr), exprType(r.pattern), r);
      }
      return { ...r, expr: castTo(r.expr, UTF8), pattern: castTo(r.pattern, UTF8) };
    }
    case "call": {
      const sig = resolveFunction(r.name, r.args.map(exprType));
      return { ...r, name: sig.name, args: r.args.map((a, i) => castTo(a, sig.argTypes[i]!)) };
    }
    case "aggregate": return resolveAggregate(r);
    case "window": return resolveWindow(r);
    default: return r;
  }
}

function coerceArithmetic(r: Extract<Expr, { type: "binary" }>, l: DataType, rt: DataType): Expr {
  // Date arithmetic: date +/- integer days.
  if (l.kind === "date32" && isInteger(rt) && (r.op === "+" || r.op === "-")) {
    return { type: "call", name: r.op === "+" ? "date_add" : "date_sub", args: [r.left, r.right] };
  }
  if ((!isNumeric(l) && l.kind !== "null") || (!isNumeric(rt) && rt.kind !== "null")) mismatch(r.op, l, rt, r);
  if (l.kind === "null" && rt.kind === "null") return { ...r, left: castTo(r.left, FLOAT64), right: castTo(r.right, FLOAT64) };
  if (r.op === "/") return { ...r, left: castTo(r.left, FLOAT64), right: castTo(r.right, FLOAT64) };
  const wide = widerNumericType(l, rt)!;
  if (isDecimal(wide) && r.op === "*") {
    // Multiplication keeps each side's scale; integers become decimal(p, 0).
    const asDec = (t: DataType) => { const d = asDecimal(t.kind === "null" ? wide : t)!; return decimal(d.precision, d.scale); };
    return { ...r, left: castTo(r.left, asDec(l)), right: castTo(r.right, asDec(rt)) };
  }
  return { ...r, left: castTo(r.left, wide), right: castTo(r.right, wide) };
}

function resolveAggregate(r: Extract<Expr, { type: "aggregate" }>): Expr {
  const arg = r.args[0];
  if (r.fn === "count_star") return r;
  if (!arg) throw new AnalysisError("WRONG_ARGUMENT", `${r.fn} takes one argument`);
  if (someExpr(arg, (x) => x.type === "aggregate")) {
    throw new AnalysisError("INVALID_PLAN", `aggregate functions cannot be nested: ${exprToString(r)}`);
  }
  const t = exprType(arg);
  if ((r.fn === "sum" || r.fn === "avg") && !isNumeric(t) && t.kind !== "null") {
    const name = arg.type === "column" ? `column '${arg.name}'` : exprToString(arg);
    throw new AnalysisError("DATATYPE_MISMATCH",
      `${r.fn} needs a numeric argument, but ${name} is ${typeToString(t)}; cast it to a number, or use count/min/max/first`,
      { details: { function: r.fn, argument: exprToString(arg), actual: typeToString(t) } });
  }
  if (t.kind === "null") return { ...r, args: [castTo(arg, r.fn === "count" ? INT64 : FLOAT64)] };
  return r;
}

function resolveWindow(r: Extract<Expr, { type: "window" }>): Expr {
  if (r.fn === "lag" || r.fn === "lead") {
    const [value, offset, fallback] = r.args;
    if (!value) throw new AnalysisError("WRONG_ARGUMENT", `${r.fn} needs a column`);
    if (offset && (offset.type !== "literal" || typeof offset.value !== "number")) {
      throw new AnalysisError("WRONG_ARGUMENT", `${r.fn} offset must be an integer literal`);
    }
    const args = [value, offset ?? { type: "literal", value: 1, dataType: INT64 }];
    if (fallback) args.push(castTo(fallback, exprType(value)));
    return { ...r, args };
  }
  if (r.fn === "row_number" || r.fn === "rank" || r.fn === "dense_rank") {
    if (r.spec.orderBy.length === 0 && r.fn !== "row_number") {
      throw new AnalysisError("INVALID_PLAN", `${r.fn}() needs a window with orderBy`);
    }
    return r;
  }
  const agg = resolveAggregate({ type: "aggregate", fn: r.fn, args: r.args, distinct: false }) as Extract<Expr, { type: "aggregate" }>;
  if (r.spec.frame?.unit === "range" && r.spec.frame && (r.spec.frame.start.kind === "offset" || r.spec.frame.end.kind === "offset")) {
    if (r.spec.orderBy.length !== 1) throw new AnalysisError("INVALID_PLAN", "a RANGE frame with offsets needs exactly one orderBy column");
    const t = exprType(r.spec.orderBy[0]!.expr);
    if (!isNumeric(t) && t.kind !== "date32") throw new AnalysisError("DATATYPE_MISMATCH", `a RANGE frame with offsets needs a numeric or date orderBy column, got ${typeToString(t)}`);
  }
  return { ...r, args: agg.args };
}

/** Types of literal JS values, for `lit()` and row-object inference. */
export function literalType(value: unknown): DataType {
  if (value === null || value === undefined) return NULL;
  if (typeof value === "boolean") return BOOLEAN;
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? { kind: "int32" } : Number.isInteger(value) ? INT64 : FLOAT64;
  if (typeof value === "bigint") return INT64;
  if (typeof value === "string") return UTF8;
  if (value instanceof Date) return TIMESTAMP;
  return UTF8;
}

