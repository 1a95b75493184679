/**
 * Random SQL queries over a world of fuzz tables, rendered twice: in Spark
 * SQL for Cinder and in DuckDB's dialect with Spark's meaning (explicit NULL
 * ordering, `||` for Spark's NULL-propagating concat, SEMI/ANTI JOIN, ...).
 *
 * The generator reads its decisions from a list of numbers (`Choices`), the
 * way Hypothesis does: fast-check generates and shrinks that list, and a
 * shorter list or smaller numbers always mean a simpler query (choice 0 is
 * the simplest option, and running out of numbers picks 0 everywhere). So a
 * failing query shrinks without the generator knowing about shrinking.
 *
 * Queries are deterministic by construction: ORDER BY covers every output
 * column, order-sensitive window functions order by unique ids, and only
 * tame columns (see tables.ts) are summed or used in arithmetic.
 */
import type { Category, FuzzColumn, FuzzTable } from "./tables.ts";

export interface FuzzQuery {
  /** Spark SQL, run on Cinder. */
  spark: string;
  /** DuckDB SQL with the same meaning. */
  duck: string;
  /** Whether the rows' order is part of the answer. */
  ordered: boolean;
}

/** Decisions read from fast-check's numbers; exhausted choices read as 0. */
export class Choices {
  private at = 0;
  constructor(private readonly values: readonly number[]) {}
  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 1) return 0;
    const v = this.at < this.values.length ? this.values[this.at++]! : 0;
    return v % n;
  }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]!; }
  /** True with about `percent`% probability; choice 0 is false. */
  chance(percent: number): boolean { return this.int(100) >= 100 - percent; }
}

interface Expr {
  s: string;
  d: string;
  cat: Category;
  /** Safe for arithmetic and sums (see tables.ts). */
  tame: boolean;
  integer: boolean;
  /** A float or double: mixed with decimals, Spark computes in double where DuckDB uses float. */
  float?: boolean;
  /** Computed in floating point (an average, a quotient): equal values may differ in the last bits. */
  inexact?: boolean;
  /** Whether the expression contains an aggregate (for HAVING and ORDER BY). */
  agg?: boolean;
}

interface Scope {
  columns: Expr[];
  /** Expressions that together identify a row (for order-sensitive windows); empty when unknown. */
  unique: Expr[];
}

interface Relation {
  s: string;
  d: string;
  scope: Scope;
}

interface Select {
  s: string;
  d: string;
  columns: Expr[];
  ordered: boolean;
}

const SPARK_TYPE: Record<string, string> = { VARCHAR: "STRING", INTEGER: "INT" };
const sparkType = (t: string) => SPARK_TYPE[t] ?? t;

const same = (text: string): { s: string; d: string } => ({ s: text, d: text });
const columnExpr = (ref: string, c: FuzzColumn): Expr => ({ ...same(ref), cat: c.category, tame: c.tame, integer: c.integer, float: c.sqlType === "FLOAT" || c.sqlType === "DOUBLE" });

/** DuckDB spellings of numbers meeting in one operation, in double when either is a float (Spark's widening). */
function meet(...xs: Expr[]): string[] {
  const double = xs.some((x) => x.float) && xs.every((x) => x.cat === "number");
  return xs.map((x) => (double ? `CAST(${x.d} AS DOUBLE)` : x.d));
}
const asDoubleIf = (float: boolean | undefined, d: string) => (float ? `CAST(${d} AS DOUBLE)` : d);

/** Spark literals treat backslash as an escape; DuckDB's do not. */
function stringLiteral(value: string): { s: string; d: string } {
  return { s: `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`, d: `'${value.replaceAll("'", "''")}'` };
}

/** A DuckDB literal from the tables (`CAST('v' AS T)`) in both dialects. */
function tableLiteral(literal: string): { s: string; d: string } {
  const m = /^CAST\('((?:[^']|'')*)' AS (.+)\)$/s.exec(literal);
  if (!m) return same(literal);
  const value = m[1]!.replaceAll("''", "'"), type = m[2]!;
  const lit = stringLiteral(value);
  if (type === "VARCHAR") return lit;
  return { s: `CAST(${lit.s} AS ${sparkType(type)})`, d: `CAST(${lit.d} AS ${type})` };
}

export class QueryGenerator {
  private aliasCount = 0;
  private ctes: { name: string; columns: Expr[] }[] = [];

  constructor(private readonly tables: readonly FuzzTable[], private readonly ch: Choices) {}

  /** One whole query. */
  query(): FuzzQuery {
    const withParts: { s: string; d: string }[] = [];
    if (this.ch.chance(15)) {
      const cte = this.selectCore(1);
      const name = "cte0";
      this.ctes.push({ name, columns: cte.columns });
      withParts.push({ s: `${name} AS (${cte.s})`, d: `${name} AS (${cte.d})` });
    }
    let body: Select = this.ch.chance(12) ? this.setOperation() : this.selectCore(0);
    if (this.ch.chance(35)) body = this.orderBy(body);
    const prefix = withParts.length ? { s: `WITH ${withParts.map((p) => p.s).join(", ")} `, d: `WITH ${withParts.map((p) => p.d).join(", ")} ` } : { s: "", d: "" };
    return { spark: prefix.s + body.s, duck: prefix.d + body.d, ordered: body.ordered };
  }

  // ---- relations ----

  private alias(): string { return `a${this.aliasCount++}`; }

  private baseTable(): Relation {
    const table = this.ch.pick(this.tables);
    const alias = this.alias();
    const columns = table.columns.map((c) => columnExpr(`${alias}.${c.name}`, c));
    return { ...same(`${table.name} ${alias}`), scope: { columns, unique: [columns[0]!] } };
  }

  private from(depth: number): Relation {
    const kind = this.ch.int(depth >= 1 ? 2 : this.ctes.length ? 4 : 3);
    if (kind === 1) return this.join();
    if (kind === 2) {
      const inner = this.selectCore(depth + 1);
      const alias = this.alias();
      const columns = inner.columns.map((c, i) => ({ ...c, ...same(`${alias}.x${i}`), agg: false }));
      return { s: `(${inner.s}) ${alias}`, d: `(${inner.d}) ${alias}`, scope: { columns, unique: [] } };
    }
    if (kind === 3) {
      const cte = this.ch.pick(this.ctes);
      const alias = this.alias();
      return { ...same(`${cte.name} ${alias}`), scope: { columns: cte.columns.map((c, i) => ({ ...c, ...same(`${alias}.x${i}`), agg: false })), unique: [] } };
    }
    return this.baseTable();
  }

  private join(): Relation {
    const left = this.baseTable(), right = this.baseTable();
    const how = this.ch.pick(["INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "CROSS"] as const);
    const lk = left.scope.columns[1]!, rk = right.scope.columns[1]!;
    let on = this.ch.chance(15) ? { s: `${lk.s} <=> ${rk.s}`, d: `${lk.d} IS NOT DISTINCT FROM ${rk.d}` } : { s: `${lk.s} = ${rk.s}`, d: `${lk.d} = ${rk.d}` };
    if (this.ch.chance(30)) {
      const extra = this.predicate({ columns: [...left.scope.columns, ...right.scope.columns], unique: [] }, 1, false);
      on = { s: `${on.s} AND ${extra.s}`, d: `${on.d} AND ${extra.d}` };
    }
    if (how === "CROSS") {
      return { ...same(`${left.s} CROSS JOIN ${right.s}`), scope: { columns: [...left.scope.columns, ...right.scope.columns], unique: [...left.scope.unique, ...right.scope.unique] } };
    }
    if (how === "SEMI" || how === "ANTI") {
      return { s: `${left.s} LEFT ${how} JOIN ${right.s} ON ${on.s}`, d: `${left.d} ${how} JOIN ${right.d} ON ${on.d}`, scope: left.scope };
    }
    return {
      s: `${left.s} ${how} JOIN ${right.s} ON ${on.s}`, d: `${left.d} ${how} JOIN ${right.d} ON ${on.d}`,
      scope: { columns: [...left.scope.columns, ...right.scope.columns], unique: [...left.scope.unique, ...right.scope.unique] },
    };
  }

  // ---- SELECT ----

  private selectCore(depth: number): Select {
    const rel = this.from(depth);
    const where = this.ch.chance(50) ? this.predicate(rel.scope, 2, depth < 2) : null;
    const whereS = where ? ` WHERE ${where.s}` : "", whereD = where ? ` WHERE ${where.d}` : "";
    const shape = this.ch.int(4);
    if (shape === 1) return this.aggregate(rel, whereS, whereD);
    if (shape === 2) return this.windowed(rel, whereS, whereD);
    const n = 1 + this.ch.int(4);
    const items: Expr[] = [];
    for (let i = 0; i < n; i++) items.push(this.ch.chance(20) && depth < 2 ? this.scalarSubquery(rel.scope) : this.expr(rel.scope, 2));
    const distinct = shape === 3 ? "DISTINCT " : "";
    return this.selectOf(items, { s: `SELECT ${distinct}`, d: `SELECT ${distinct}` }, { s: ` FROM ${rel.s}${whereS}`, d: ` FROM ${rel.d}${whereD}` });
  }

  private selectOf(items: Expr[], head: { s: string; d: string }, tail: { s: string; d: string }): Select {
    return {
      s: `${head.s}${items.map((e, i) => `${e.s} AS x${i}`).join(", ")}${tail.s}`,
      d: `${head.d}${items.map((e, i) => `${e.d} AS x${i}`).join(", ")}${tail.d}`,
      columns: items.map((e) => ({ ...e, agg: false, inexact: e.inexact || /avg\(|\//.test(e.s) })), ordered: false,
    };
  }

  private aggregate(rel: Relation, whereS: string, whereD: string): Select {
    const keys: Expr[] = [];
    const nKeys = this.ch.int(3);
    for (let i = 0; i < nKeys; i++) {
      const key = this.ch.chance(70) ? this.ch.pick(rel.scope.columns) : this.expr(rel.scope, 1);
      // An integer literal in GROUP BY is a position in Spark (and DuckDB), not a value.
      keys.push(/^-?\d+$/.test(key.s) ? this.ch.pick(rel.scope.columns) : key);
    }
    const aggs: Expr[] = [];
    const nAggs = 1 + this.ch.int(3);
    for (let i = 0; i < nAggs; i++) aggs.push(this.aggregateCall(rel.scope));
    let tailS = ` FROM ${rel.s}${whereS}`, tailD = ` FROM ${rel.d}${whereD}`;
    if (keys.length) { tailS += ` GROUP BY ${keys.map((k) => k.s).join(", ")}`; tailD += ` GROUP BY ${keys.map((k) => k.d).join(", ")}`; }
    if (this.ch.chance(25)) {
      const having = this.compare(this.aggregateCall(rel.scope), null);
      tailS += ` HAVING ${having.s}`; tailD += ` HAVING ${having.d}`;
    }
    return this.selectOf([...keys, ...aggs], same("SELECT "), { s: tailS, d: tailD });
  }

  private aggregateCall(scope: Scope): Expr {
    const kind = this.ch.int(7);
    if (kind === 0) return { ...same("count(*)"), cat: "number", tame: true, integer: true, agg: true };
    const tameNumbers = scope.columns.filter((c) => c.cat === "number" && c.tame);
    if ((kind === 1 || kind === 2) && tameNumbers.length) {
      const x = this.ch.chance(30) ? this.numeric(scope, 1, true) : this.ch.pick(tameNumbers);
      const fn = kind === 1 ? "sum" : "avg";
      return { s: `${fn}(${x.s})`, d: `${fn}(${x.d})`, cat: "number", tame: true, integer: fn === "sum" && x.integer, float: x.float || fn === "avg", agg: true };
    }
    const x = this.ch.pick(scope.columns);
    if (kind === 3) return { s: `count(${x.s})`, d: `count(${x.d})`, cat: "number", tame: true, integer: true, agg: true };
    if (kind === 4) return { s: `count(DISTINCT ${x.s})`, d: `count(DISTINCT ${x.d})`, cat: "number", tame: true, integer: true, agg: true };
    const fn = kind === 5 ? "min" : "max";
    return { s: `${fn}(${x.s})`, d: `${fn}(${x.d})`, cat: x.cat, tame: x.tame, integer: x.integer, float: x.float, agg: true };
  }

  private windowed(rel: Relation, whereS: string, whereD: string): Select {
    const scope = rel.scope;
    const items: Expr[] = [this.ch.pick(scope.columns)];
    const n = 1 + this.ch.int(2);
    for (let i = 0; i < n; i++) items.push(this.windowCall(scope));
    return this.selectOf(items, same("SELECT "), { s: ` FROM ${rel.s}${whereS}`, d: ` FROM ${rel.d}${whereD}` });
  }

  private windowCall(scope: Scope): Expr {
    const partition = this.ch.chance(60) ? [this.ch.pick(scope.columns)] : [];
    const orderCols: Expr[] = [];
    const nOrder = this.ch.int(3);
    for (let i = 0; i < nOrder; i++) orderCols.push(this.ch.pick(scope.columns));
    const unique = scope.unique.length > 0;
    const tameNumbers = scope.columns.filter((c) => c.cat === "number" && c.tame);
    const kinds = ["rank", "dense_rank", "agg", "agg-frame", ...(unique ? ["row_number", "lag", "lead", "rows-frame"] : [])];
    const kind = this.ch.pick(kinds);
    // Order-sensitive functions order by a unique key after the random ones.
    const sensitive = kind === "row_number" || kind === "lag" || kind === "lead" || kind === "rows-frame";
    const order = sensitive ? [...orderCols, ...scope.unique] : orderCols;
    const needsOrder = kind === "rank" || kind === "dense_rank" || sensitive;
    if (needsOrder && order.length === 0) order.push(this.ch.pick(scope.columns));
    const dirs = order.map(() => this.orderDirection());
    const over = (fn: "s" | "d", frame: string) => {
      const parts: string[] = [];
      if (partition.length) parts.push(`PARTITION BY ${partition.map((p) => p[fn]).join(", ")}`);
      if (order.length) parts.push(`ORDER BY ${order.map((o, i) => `${o[fn]} ${dirs[i]![fn]}`).join(", ")}`);
      if (frame) parts.push(frame);
      return `OVER (${parts.join(" ")})`;
    };
    const numberResult = { cat: "number" as const, tame: true, integer: true };
    if (kind === "rank" || kind === "dense_rank" || kind === "row_number") {
      return { s: `${kind}() ${over("s", "")}`, d: `${kind}() ${over("d", "")}`, ...numberResult };
    }
    if (kind === "lag" || kind === "lead") {
      const x = this.ch.pick(scope.columns);
      const offset = 1 + this.ch.int(3);
      return { s: `${kind}(${x.s}, ${offset}) ${over("s", "")}`, d: `${kind}(${x.d}, ${offset}) ${over("d", "")}`, cat: x.cat, tame: x.tame, integer: x.integer, float: x.float };
    }
    const fn = this.ch.pick(tameNumbers.length ? ["count", "min", "max", "sum", "avg"] : ["count", "min", "max"]);
    const x = fn === "sum" || fn === "avg" ? this.ch.pick(tameNumbers) : this.ch.pick(scope.columns);
    let frame = "";
    if (kind === "rows-frame") {
      const lo = this.ch.pick(["UNBOUNDED PRECEDING", "2 PRECEDING", "1 PRECEDING", "CURRENT ROW"]);
      const hi = this.ch.pick(["CURRENT ROW", "1 FOLLOWING", "3 FOLLOWING", "UNBOUNDED FOLLOWING"]);
      frame = `ROWS BETWEEN ${lo} AND ${hi}`;
    } else if (kind === "agg-frame" && order.length) {
      frame = this.ch.pick(["RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", "RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING", "RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"]);
    }
    const result = fn === "count" ? numberResult : fn === "sum" || fn === "avg" ? { cat: "number" as const, tame: true, integer: fn === "sum" && x.integer, float: x.float || fn === "avg" } : { cat: x.cat, tame: x.tame, integer: x.integer, float: x.float };
    return { s: `${fn}(${x.s}) ${over("s", frame)}`, d: `${fn}(${x.d}) ${over("d", frame)}`, ...result };
  }

  /** Spark's defaults (ASC NULLS FIRST, DESC NULLS LAST) written out for DuckDB, whose default is NULLS LAST. */
  private orderDirection(): { s: string; d: string } {
    const desc = this.ch.chance(40);
    const nulls = this.ch.int(3); // 0: Spark's default, 1: FIRST, 2: LAST
    const dir = desc ? "DESC" : "ASC";
    const explicit = nulls === 1 ? "NULLS FIRST" : nulls === 2 ? "NULLS LAST" : desc ? "NULLS LAST" : "NULLS FIRST";
    return { s: nulls === 0 ? dir : `${dir} ${explicit}`, d: `${dir} ${explicit}` };
  }

  private orderBy(body: Select): Select {
    // Near-equal floats may sort either way in the two engines: order them, but compare as a multiset, without a LIMIT.
    const inexact = body.columns.some((c) => c.inexact);
    const positions = body.columns.map((_, i) => i + 1);
    // Every column is a key, so ties are identical rows and the order is total.
    for (let i = positions.length - 1; i > 0; i--) { const j = this.ch.int(i + 1); [positions[i], positions[j]] = [positions[j]!, positions[i]!]; }
    const dirs = positions.map(() => this.orderDirection());
    let s = `${body.s} ORDER BY ${positions.map((p, i) => `${p} ${dirs[i]!.s}`).join(", ")}`;
    let d = `${body.d} ORDER BY ${positions.map((p, i) => `${p} ${dirs[i]!.d}`).join(", ")}`;
    if (!inexact && this.ch.chance(60)) {
      const limit = this.ch.pick([0, 1, 3, 10, 50]);
      s += ` LIMIT ${limit}`; d += ` LIMIT ${limit}`;
      if (this.ch.chance(40)) { const offset = this.ch.pick([1, 2, 5, 100]); s += ` OFFSET ${offset}`; d += ` OFFSET ${offset}`; }
    }
    return { s, d, columns: body.columns, ordered: !inexact };
  }

  private setOperation(): Select {
    const op = this.ch.pick(["UNION ALL", "UNION", "INTERSECT", "EXCEPT"]);
    const left = this.baseTable(), right = this.baseTable();
    const n = 1 + this.ch.int(2);
    const lItems: Expr[] = [], rItems: Expr[] = [];
    for (let i = 0; i < n; i++) {
      const l = this.ch.pick(left.scope.columns);
      const candidates = right.scope.columns.filter((c) => c.cat === l.cat && (c.cat !== "number" || (c.tame && l.tame)));
      const r = candidates.length ? this.ch.pick(candidates) : null;
      if (!r) break;
      lItems.push(l); rItems.push(r);
    }
    if (!lItems.length) { lItems.push(left.scope.columns[1]!); rItems.push(right.scope.columns[1]!); }
    // Spark widens decimal with float to double; DuckDB to float.
    for (let i = 0; i < lItems.length; i++) {
      const [ld, rd] = meet(lItems[i]!, rItems[i]!);
      lItems[i] = { ...lItems[i]!, d: ld! }; rItems[i] = { ...rItems[i]!, d: rd! };
    }
    const l = this.selectOf(lItems, same("SELECT "), same(` FROM ${left.s}`));
    const r = this.selectOf(rItems, same("SELECT "), same(` FROM ${right.s}`));
    return { s: `${l.s} ${op} ${r.s}`, d: `${l.d} ${op} ${r.d}`, columns: l.columns, ordered: false };
  }

  // ---- subqueries ----

  private subqueryTable(): { table: FuzzTable; alias: string; columns: Expr[] } {
    const table = this.ch.pick(this.tables);
    const alias = `s${this.aliasCount++}`;
    return { table, alias, columns: table.columns.map((c) => columnExpr(`${alias}.${c.name}`, c)) };
  }

  private scalarSubquery(outer: Scope): Expr {
    const { table, alias, columns } = this.subqueryTable();
    const agg = this.aggregateCall({ columns, unique: [] });
    const correlated = this.ch.chance(60) ? this.correlation(outer, columns) : null;
    const where = correlated ? { s: ` WHERE ${correlated.s}`, d: ` WHERE ${correlated.d}` } : { s: "", d: "" };
    return { s: `(SELECT ${agg.s} FROM ${table.name} ${alias}${where.s})`, d: `(SELECT ${agg.d} FROM ${table.name} ${alias}${where.d})`, cat: agg.cat, tame: agg.tame, integer: agg.integer, float: agg.float };
  }

  private correlation(outer: Scope, inner: Expr[]): { s: string; d: string } {
    const ok = outer.columns.filter((c) => c.cat === "number" && c.tame && c.integer);
    const o = ok.length ? this.ch.pick(ok) : null;
    if (!o) return same("true");
    return { s: `${inner[1]!.s} = ${o.s}`, d: `${inner[1]!.d} = ${o.d}` };
  }

  private subqueryPredicate(outer: Scope): { s: string; d: string } {
    const { table, alias, columns } = this.subqueryTable();
    const filter = this.ch.chance(50) ? this.predicate({ columns, unique: [] }, 1, false) : null;
    const kind = this.ch.int(5);
    if (kind <= 1) {
      const corr = this.correlation(outer, columns);
      const cond = filter ? { s: `${corr.s} AND ${filter.s}`, d: `${corr.d} AND ${filter.d}` } : corr;
      const not = kind === 1 ? "NOT " : "";
      return { s: `${not}EXISTS (SELECT 1 FROM ${table.name} ${alias} WHERE ${cond.s})`, d: `${not}EXISTS (SELECT 1 FROM ${table.name} ${alias} WHERE ${cond.d})` };
    }
    if (kind <= 3) {
      const ints = outer.columns.filter((c) => c.cat === "number" && c.integer && c.tame);
      if (!ints.length) return same("true");
      const o = this.ch.pick(ints);
      const not = kind === 3 ? "NOT " : "";
      const where = filter ? { s: ` WHERE ${filter.s}`, d: ` WHERE ${filter.d}` } : { s: "", d: "" };
      return { s: `${o.s} ${not}IN (SELECT ${columns[1]!.s} FROM ${table.name} ${alias}${where.s})`, d: `${o.d} ${not}IN (SELECT ${columns[1]!.d} FROM ${table.name} ${alias}${where.d})` };
    }
    const sub = this.scalarSubquery(outer);
    return this.compare(sub, null);
  }

  // ---- expressions ----

  private expr(scope: Scope, depth: number): Expr {
    const cat = this.ch.pick(["number", "number", "string", "boolean", "date"] as const);
    if (cat === "number") return this.numeric(scope, depth, false);
    if (cat === "string") return this.string(scope, depth);
    if (cat === "date") return this.date(scope, depth);
    return { ...this.predicate(scope, depth, false), cat: "boolean", tame: false, integer: false };
  }

  private columnOf(scope: Scope, cat: Category, tameOnly: boolean): Expr | null {
    const cols = scope.columns.filter((c) => c.cat === cat && (!tameOnly || c.tame));
    return cols.length ? this.ch.pick(cols) : null;
  }

  private numeric(scope: Scope, depth: number, tameOnly: boolean): Expr {
    const kind = depth <= 0 ? this.ch.int(2) : this.ch.int(12);
    const column = this.columnOf(scope, "number", tameOnly || kind >= 2);
    if (kind === 0 && column) return column;
    if (kind <= 1 || !column) {
      const v = this.ch.pick(["0", "1", "2", "-3", "7", "2.5", "-0.75", "100"]);
      // Spark types 100 as int; DuckDB would fit it to the other operand (tinyint * 100 overflows there).
      const integer = !v.includes(".");
      return { s: v, d: integer ? `CAST(${v} AS INTEGER)` : v, cat: "number", tame: true, integer };
    }
    const a = this.numeric(scope, depth - 1, true);
    switch (kind) {
      case 2: case 3: case 4: {
        const op = this.ch.pick(["+", "-", "*"]);
        // Products of products could overflow the narrow integer types; keep one level.
        const b = op === "*" ? this.numeric(scope, 0, true) : this.numeric(scope, depth - 1, true);
        const [ad, bd] = meet(a, b);
        return { s: `(${a.s} ${op} ${b.s})`, d: `(${ad} ${op} ${bd})`, cat: "number", tame: true, integer: a.integer && b.integer, float: a.float || b.float };
      }
      case 5: {
        const b = this.numeric(scope, depth - 1, true);
        // Spark's x / 0 is NULL; DuckDB's 0 / 0 is NaN.
        const [ad, bd] = meet(a, b);
        return { s: `(${a.s} / ${b.s})`, d: `(${ad} / nullif(${bd}, 0))`, cat: "number", tame: true, integer: false, float: true };
      }
      case 6: {
        if (!a.integer) return { s: `abs(${a.s})`, d: `abs(${a.d})`, cat: "number", tame: true, integer: false, float: a.float };
        const b = this.numeric(scope, 0, true);
        if (!b.integer) return a;
        return { s: `(${a.s} % ${b.s})`, d: `(${a.d} % nullif(${b.d}, 0))`, cat: "number", tame: true, integer: true };
      }
      case 7: {
        const fn = this.ch.pick(["floor", "ceil", "round"]);
        // Spark's floor and ceil give whole numbers (bigint or decimal(p,0)); DuckDB's floor(int) is a double.
        const d = fn === "round" ? `round(${a.d})` : `CAST(${fn}(${a.d}) AS ${a.float || a.integer ? "BIGINT" : "DECIMAL(18,0)"})`;
        return { s: `${fn}(${a.s})`, d, cat: "number", tame: true, integer: fn !== "round" || a.integer, float: fn === "round" && a.float };
      }
      case 8: {
        const b = this.numeric(scope, depth - 1, true);
        const [ad, bd] = meet(a, b);
        return { s: `coalesce(${a.s}, ${b.s})`, d: `coalesce(${ad}, ${bd})`, cat: "number", tame: true, integer: a.integer && b.integer, float: a.float || b.float };
      }
      case 9: {
        const p = this.predicate(scope, depth - 1, false);
        const b = this.numeric(scope, depth - 1, true);
        const [ad, bd] = meet(a, b);
        return { s: `CASE WHEN ${p.s} THEN ${a.s} ELSE ${b.s} END`, d: `CASE WHEN ${p.d} THEN ${ad} ELSE ${bd} END`, cat: "number", tame: true, integer: a.integer && b.integer, float: a.float || b.float };
      }
      case 10: {
        const s = this.string(scope, depth - 1);
        if (this.ch.chance(40)) {
          // Text that may or may not be a number: TRY_CAST is NULL exactly where CAST would fail.
          const t = this.ch.chance(50) ? s : stringLiteral(this.ch.pick(["12", " -7 ", "2.5", "1e2", "+3", "abc", "", "99999999999", "-0"]));
          return { s: `TRY_CAST(${t.s} AS INT)`, d: `TRY_CAST(${t.d} AS INTEGER)`, cat: "number", tame: true, integer: true };
        }
        return { s: `length(${s.s})`, d: `length(${s.d})`, cat: "number", tame: true, integer: true };
      }
      default: {
        const d = this.date(scope, depth - 1);
        const fn = this.ch.pick(["year", "month", "day"]);
        if (this.ch.chance(30)) {
          const e = this.date(scope, 0);
          return { s: `datediff(${d.s}, ${e.s})`, d: `datediff('day', ${e.d}, ${d.d})`, cat: "number", tame: true, integer: true };
        }
        return { s: `${fn}(${d.s})`, d: `${fn}(${d.d})`, cat: "number", tame: true, integer: true };
      }
    }
  }

  private string(scope: Scope, depth: number): Expr {
    const kind = depth <= 0 ? this.ch.int(2) : this.ch.int(8);
    const column = this.columnOf(scope, "string", false);
    const out = (s: string, d: string): Expr => ({ s, d, cat: "string", tame: false, integer: false });
    if (kind === 0 && column) return column;
    if (kind <= 1 || !column) { const lit = stringLiteral(this.ch.pick(["", "a", "ß", "😀", "x'y", "b\\c"])); return out(lit.s, lit.d); }
    const a = this.string(scope, depth - 1);
    switch (kind) {
      case 2: { const b = this.string(scope, depth - 1); return out(`concat(${a.s}, ${b.s})`, `(${a.d} || ${b.d})`); }
      // Spark (Java) upper-cases ß to SS; DuckDB to ẞ.
      case 3: return out(`upper(${a.s})`, `upper(replace(${a.d}, 'ß', 'ss'))`);
      case 4: return out(`lower(${a.s})`, `lower(${a.d})`);
      case 5: { const p = 1 + this.ch.int(3), l = this.ch.int(4); return out(`substring(${a.s}, ${p}, ${l})`, `substring(${a.d}, ${p}, ${l})`); }
      case 6: { const b = this.string(scope, 0); return out(`coalesce(${a.s}, ${b.s})`, `coalesce(${a.d}, ${b.d})`); }
      default: {
        const n = this.columnOf(scope, "number", false);
        if (n?.integer) return out(`CAST(${n.s} AS STRING)`, `CAST(${n.d} AS VARCHAR)`);
        return out(`trim(${a.s})`, `trim(${a.d})`);
      }
    }
  }

  private date(scope: Scope, depth: number): Expr {
    const column = this.columnOf(scope, "date", depth > 0);
    const out = (s: string, d: string): Expr => ({ s, d, cat: "date", tame: false, integer: false });
    const kind = depth <= 0 ? this.ch.int(2) : this.ch.int(4);
    if (kind === 0 && column) return column;
    if (kind <= 1 || !column) { const v = this.ch.pick(["2020-02-29", "1999-12-31", "2024-01-01"]); return out(`DATE '${v}'`, `DATE '${v}'`); }
    const n = this.ch.pick(["1", "-30", "365"]);
    if (kind === 2) return out(`date_add(${column.s}, ${n})`, `(${column.d} + CAST(${n} AS INTEGER))`);
    return out(`date_sub(${column.s}, ${n})`, `(${column.d} - CAST(${n} AS INTEGER))`);
  }

  private literalFor(e: Expr): { s: string; d: string } {
    // Literals come from the data, so comparisons hit real values.
    const table = this.ch.pick(this.tables);
    const candidates = table.columns.map((c, i) => [c, i] as const).filter(([c]) => c.category === e.cat && (e.cat !== "number" || c.tame || !e.tame));
    if (candidates.length && table.rows.length) {
      const [, i] = this.ch.pick(candidates);
      const value = this.ch.pick(table.rows)[i]!;
      if (value !== "NULL") return tableLiteral(value);
    }
    switch (e.cat) {
      case "number": return same(this.ch.pick(["0", "1", "-1", "2.5", "100"]));
      case "string": return stringLiteral(this.ch.pick(["a", "", "ß"]));
      case "date": return same("DATE '2020-01-01'");
      case "timestamp": return same("TIMESTAMP '2020-01-01 00:00:00'");
      default: return same("true");
    }
  }

  private compare(a: Expr, b: Expr | null): { s: string; d: string } {
    const right: Expr = b ?? { ...this.literalFor(a), cat: a.cat, tame: true, integer: false };
    const op = this.ch.pick(["=", "<>", "<", "<=", ">", ">="]);
    const [ad, rd] = meet(a, { ...right, float: right.float || a.float });
    return { s: `${a.s} ${op} ${right.s}`, d: `${ad} ${op} ${rd}` };
  }

  predicate(scope: Scope, depth: number, subqueries: boolean): { s: string; d: string } {
    const kind = depth <= 0 ? this.ch.int(3) : this.ch.int(subqueries ? 11 : 10);
    const any = this.ch.pick(scope.columns);
    switch (kind) {
      case 0: case 1: {
        if (any.cat === "boolean" && this.ch.chance(30)) return any;
        if (any.cat === "boolean") return this.compare(any, null);
        // A column against another of its category (both tame when numbers) or a literal.
        const peers = scope.columns.filter((c) => c !== any && c.cat === any.cat && (any.cat !== "number" || (c.tame && any.tame)));
        return this.compare(any, peers.length && this.ch.chance(40) ? this.ch.pick(peers) : null);
      }
      case 2: { const not = this.ch.chance(50) ? "NOT " : ""; return { s: `${any.s} IS ${not}NULL`, d: `${any.d} IS ${not}NULL` }; }
      case 3: case 4: {
        const op = this.ch.pick(["AND", "OR"]);
        // Cinder turns subqueries into joins only under AND (no existence join yet: RELIABILITY.md).
        const sub = subqueries && op === "AND";
        const a = this.predicate(scope, depth - 1, sub), b = this.predicate(scope, depth - 1, sub);
        return { s: `(${a.s} ${op} ${b.s})`, d: `(${a.d} ${op} ${b.d})` };
      }
      case 5: { const a = this.predicate(scope, depth - 1, false); return { s: `NOT (${a.s})`, d: `NOT (${a.d})` }; }
      case 6: {
        const e = any.cat === "boolean" ? this.numeric(scope, 1, false) : any;
        const items = [this.literalFor(e), this.literalFor(e), this.literalFor(e)].slice(0, 1 + this.ch.int(3));
        const not = this.ch.chance(30) ? "NOT " : "";
        return { s: `${e.s} ${not}IN (${items.map((i) => i.s).join(", ")})`, d: `${asDoubleIf(e.float, e.d)} ${not}IN (${items.map((i) => asDoubleIf(e.float, i.d)).join(", ")})` };
      }
      case 7: {
        const e = any.cat === "boolean" ? this.numeric(scope, 1, false) : any;
        const lo = this.literalFor(e), hi = this.literalFor(e);
        const not = this.ch.chance(30) ? "NOT " : "";
        return { s: `${e.s} ${not}BETWEEN ${lo.s} AND ${hi.s}`, d: `${asDoubleIf(e.float, e.d)} ${not}BETWEEN ${asDoubleIf(e.float, lo.d)} AND ${asDoubleIf(e.float, hi.d)}` };
      }
      case 8: {
        const s = this.string(scope, 1);
        const pattern = stringLiteral(this.ch.pick(["a%", "%b%", "_", "%😀", "ß%", "%", "__%"]));
        const not = this.ch.chance(30) ? "NOT " : "";
        return { s: `${s.s} ${not}LIKE ${pattern.s}`, d: `${s.d} ${not}LIKE ${pattern.d}` };
      }
      case 9: {
        const a = this.numeric(scope, depth, true);
        return this.compare(a, this.ch.chance(50) ? this.numeric(scope, depth - 1, true) : null);
      }
      default: return this.subqueryPredicate(scope);
    }
  }
}

/** The query the choices describe, over `tables`. */
export function generateQuery(tables: readonly FuzzTable[], choices: readonly number[]): FuzzQuery {
  return new QueryGenerator(tables, new Choices(choices)).query();
}
