/**
 * Random tables for differential testing, generated with fast-check: every
 * type Cinder holds, NULL rates from 0 to 100%, duplicates, empty tables and
 * empty files, and extreme values (NaN, -0, infinities, the int64 values
 * Cinder holds exactly, decimal bounds, long and non-ASCII strings, dates far
 * from 1970). Values are kept as DuckDB SQL literals, so a saved failure
 * replays the same bytes without the generator.
 *
 * Each table has `id` (unique, never NULL: a tie-breaker for ordered
 * queries) and `k` (a small join key with NULLs), then random columns. A
 * column is "tame" when sums and arithmetic over it are exact in any order
 * of evaluation; the extreme values live in columns that are not, and the
 * query generator keeps those to comparisons, min/max, counts, grouping and
 * ordering.
 */
import fc from "fast-check";

export type Category = "number" | "string" | "boolean" | "date" | "timestamp";

export interface FuzzColumn {
  name: string;
  /** DuckDB's type name; the same type reaches Cinder through Parquet. */
  sqlType: string;
  category: Category;
  /** Integers, decimals or exactly-summable floats with small magnitudes. */
  tame: boolean;
  /** Integer types take `%` and integer-only functions. */
  integer: boolean;
}

export interface FuzzTable {
  name: string;
  columns: FuzzColumn[];
  /** Rows of DuckDB literals, in column order. */
  rows: string[][];
  /** Row counts of the Parquet files the table is written as (some may be 0). */
  files: number[];
}

interface ColumnSpec {
  sqlType: string;
  category: Category;
  integer: boolean;
  tame: fc.Arbitrary<string>;
  extreme: fc.Arbitrary<string>;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const cast = (text: string, type: string) => `CAST(${quote(text)} AS ${type})`;
const intIn = (min: number, max: number, type: string) => fc.integer({ min, max }).map((v) => cast(String(v), type));

// Quarters (and halves for float) add exactly in any order, so sums agree with DuckDB bit for bit.
const quarters = (limit: number, type: string, step: number) =>
  fc.integer({ min: -limit, max: limit }).map((v) => cast(String(v * step), type));

const STRINGS = ["", "a", "A", "b", "ab", "abc", "B", "z", "é", "É", "ß", "日本", "ｱ", "😀", "a😀", "\uFFFD", "x y", " pad ", "O'Brien", "%_", "\\", "NULL"];
const stringArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom("a", "ß", "😀").chain((c) => fc.integer({ min: 100, max: 600 }).map((n) => c.repeat(n))) },
).map((s) => cast(s, "VARCHAR"));

const dateArb = fc.integer({ min: Date.UTC(1990, 0, 1) / 864e5, max: Date.UTC(2030, 11, 31) / 864e5 })
  .map((d) => cast(new Date(d * 864e5).toISOString().slice(0, 10), "DATE"));
const FAR_DATES = ["0001-01-01", "0099-12-31", "0100-03-01", "1582-10-15", "1600-02-29", "1899-12-31", "1969-12-31", "1970-01-01", "2038-01-19", "2400-02-29", "9999-12-31"];

const timestampArb = fc.integer({ min: Date.UTC(1995, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 })
  .map((s) => cast(new Date(s * 1000).toISOString().slice(0, 19).replace("T", " "), "TIMESTAMP"));
const FAR_TIMESTAMPS = ["0001-01-01 00:00:00", "1969-12-31 23:59:59", "1970-01-01 00:00:00", "1900-02-28 12:30:00", "9999-12-31 23:59:59"];

const doubleExtremes = ["NaN", "-0.0", "0.0", "Infinity", "-Infinity", "1e308", "-1e308", "5e-324", "2.2250738585072014e-308", "0.1", "1e16", "-123456.789"];
const float32Extremes = ["NaN", "-0.0", "Infinity", "-Infinity", "3.4028235e38", "1.4e-45", "0.1"];

const SPECS: ColumnSpec[] = [
  { sqlType: "BOOLEAN", category: "boolean", integer: false, tame: fc.boolean().map((b) => (b ? "true" : "false")), extreme: fc.constant("true") },
  { sqlType: "TINYINT", category: "number", integer: true, tame: intIn(-10, 10, "TINYINT"), extreme: fc.constantFrom("-128", "127", "0", "-1").map((v) => cast(v, "TINYINT")) },
  { sqlType: "SMALLINT", category: "number", integer: true, tame: intIn(-100, 100, "SMALLINT"), extreme: fc.constantFrom("-32768", "32767", "0").map((v) => cast(v, "SMALLINT")) },
  { sqlType: "INTEGER", category: "number", integer: true, tame: intIn(-1000, 1000, "INTEGER"), extreme: fc.constantFrom("-2147483648", "2147483647", "0", "1").map((v) => cast(v, "INTEGER")) },
  { sqlType: "BIGINT", category: "number", integer: true, tame: intIn(-1000, 1000, "BIGINT"), extreme: fc.constantFrom("-9007199254740992", "9007199254740992", "9007199254740991", "0", "-1").map((v) => cast(v, "BIGINT")) },
  { sqlType: "DOUBLE", category: "number", integer: false, tame: quarters(4000, "DOUBLE", 0.25), extreme: fc.constantFrom(...doubleExtremes).map((v) => cast(v, "DOUBLE")) },
  { sqlType: "FLOAT", category: "number", integer: false, tame: quarters(200, "FLOAT", 0.5), extreme: fc.constantFrom(...float32Extremes).map((v) => cast(v, "FLOAT")) },
  { sqlType: "DECIMAL(9,2)", category: "number", integer: false, tame: fc.integer({ min: -99999, max: 99999 }).map((v) => cast((v / 100).toFixed(2), "DECIMAL(9,2)")), extreme: fc.constantFrom("9999999.99", "-9999999.99", "0.01", "0.00").map((v) => cast(v, "DECIMAL(9,2)")) },
  { sqlType: "DECIMAL(18,4)", category: "number", integer: false, tame: fc.integer({ min: -9999999, max: 9999999 }).map((v) => cast((v / 1e4).toFixed(4), "DECIMAL(18,4)")), extreme: fc.constantFrom("900719925474.0991", "-900719925474.0992", "0.0001").map((v) => cast(v, "DECIMAL(18,4)")) },
  { sqlType: "VARCHAR", category: "string", integer: false, tame: stringArb, extreme: stringArb },
  { sqlType: "DATE", category: "date", integer: false, tame: dateArb, extreme: fc.constantFrom(...FAR_DATES).map((d) => cast(d, "DATE")) },
  { sqlType: "TIMESTAMP", category: "timestamp", integer: false, tame: timestampArb, extreme: fc.constantFrom(...FAR_TIMESTAMPS).map((d) => cast(d, "TIMESTAMP")) },
];

const NULL_RATES = [0, 0, 0.1, 0.3, 0.5, 1];

interface ColumnPlan { spec: ColumnSpec; extreme: boolean; nullRate: number; domain: number }

const columnPlanArb: fc.Arbitrary<ColumnPlan> = fc.record({
  spec: fc.constantFrom(...SPECS),
  extreme: fc.boolean(),
  nullRate: fc.constantFrom(...NULL_RATES),
  // A small domain makes duplicates (and so groups and join matches) likely.
  domain: fc.constantFrom(2, 4, 8, 64),
});

function valuesOf(plan: ColumnPlan, rows: number): fc.Arbitrary<string[]> {
  const base = plan.extreme ? fc.oneof(plan.spec.extreme, plan.spec.tame) : plan.spec.tame;
  return fc.array(base, { minLength: plan.domain, maxLength: plan.domain }).chain((pool) =>
    fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: pool.length - 1 })), { minLength: rows, maxLength: rows })
      .map((picks) => picks.map(([p, i]) => (p < plan.nullRate ? "NULL" : pool[i]!))));
}

/** One random table named `name`. */
export function tableArb(name: string): fc.Arbitrary<FuzzTable> {
  return fc.record({
    rows: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 6, arbitrary: fc.integer({ min: 4, max: 80 }) }),
    plans: fc.array(columnPlanArb, { minLength: 2, maxLength: 6 }),
    kNullRate: fc.constantFrom(0, 0.1, 0.3),
    fileCuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
  }).chain(({ rows, plans, kNullRate, fileCuts }) => {
    const kPlan: ColumnPlan = { spec: SPECS.find((s) => s.sqlType === "INTEGER")!, extreme: false, nullRate: kNullRate, domain: 6 };
    return fc.tuple(valuesOf(kPlan, rows), ...plans.map((p) => valuesOf(p, rows))).map(([kValues, ...columnValues]) => {
      const columns: FuzzColumn[] = [
        { name: "id", sqlType: "INTEGER", category: "number", tame: true, integer: true },
        { name: "k", sqlType: "INTEGER", category: "number", tame: true, integer: true },
        ...plans.map((p, i) => ({ name: `c${i}`, sqlType: p.spec.sqlType, category: p.spec.category, tame: !p.extreme, integer: p.spec.integer })),
      ];
      const table: string[][] = [];
      for (let r = 0; r < rows; r++) table.push([String(r), kValues[r]!, ...columnValues.map((vs) => vs[r]!)]);
      // Split into files at the cut points; equal cuts make empty files.
      const cuts = fileCuts.map((c) => Math.floor(c * rows)).sort((a, b) => a - b);
      const files: number[] = [];
      let at = 0;
      for (const c of [...cuts, rows]) { files.push(c - at); at = c; }
      return { name, columns, rows: table, files };
    });
  });
}

/** Three tables `t0`, `t1`, `t2`: one world a batch of queries runs over. */
export const worldArb: fc.Arbitrary<FuzzTable[]> = fc.tuple(tableArb("t0"), tableArb("t1"), tableArb("t2"));
