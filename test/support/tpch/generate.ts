/**
 * A deterministic TPC-H data generator written in DuckDB SQL (the `tpch`
 * extension is not available offline). It follows the specification's
 * column domains (clause 4.2.3) with `range()` and hash-based pseudo-random
 * values: the same keys, types (INTEGER keys, DECIMAL(15,2) money, DATE,
 * VARCHAR), cardinalities per scale factor, value lists (segments,
 * priorities, ship modes, part types and containers, the 25 nations in
 * their 5 regions), the partsupp supplier formula (so lineitem's
 * (partkey, suppkey) always exists in partsupp), one third of customers
 * without orders, and derived columns (extended price from the part's
 * retail price, line status and return flag from the dates, order status
 * from its lines). It is not dbgen-identical, but every one of the 22
 * queries returns rows on it. Tables are written to Parquet, loaded into
 * DuckDB (the oracle) and into Cinder as temp views.
 */
import type { Session } from "../../../src/index.ts";
import { duckRun, scratchDir } from "../duckdb-oracle.ts";
import { dataFrameFromParquet } from "../datasets.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const TPCH_TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"] as const;

const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(", ")}]`;
/** Picks from a SQL list by a hash of (key, salt): DuckDB lists are 1-based. */
const pick = (xs: string[], key: string, salt: number) => `${list(xs)}[1 + (hash(${key}, ${salt}) % ${xs.length})::INTEGER]`;
/** A uniform integer in [lo, hi]. */
const rnd = (key: string, salt: number, lo: number, hi: number) => `(${lo} + (hash(${key}, ${salt}) % ${hi - lo + 1})::BIGINT)`;
const WORDS = ["furiously", "carefully", "quickly", "slyly", "blithely", "regular", "final", "ironic", "pending", "express", "special", "bold", "even", "unusual", "packages", "deposits", "requests", "accounts", "theodolites", "foxes", "instructions", "pinto", "beans", "ideas", "asymptotes"];
const comment = (key: string, salt: number, words: number) =>
  `concat_ws(' ', ${Array.from({ length: words }, (_, i) => pick(WORDS, key, salt * 10 + i)).join(", ")})`;
const COLORS = ["almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched", "blue", "blush", "brown", "burlywood", "chartreuse", "chocolate", "coral", "cornflower", "cream", "cyan", "dark", "deep", "dim", "dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro", "ghost", "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki", "lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta", "maroon", "medium", "metallic", "midnight", "mint", "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale", "papaya", "peach", "peru", "pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle", "salmon", "sandy", "seashell", "sienna", "sky", "slate", "smoke", "snow", "spring", "steel", "tan", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "yellow"];
const NATIONS: [string, number][] = [["ALGERIA", 0], ["ARGENTINA", 1], ["BRAZIL", 1], ["CANADA", 1], ["EGYPT", 4], ["ETHIOPIA", 0], ["FRANCE", 3], ["GERMANY", 3], ["INDIA", 2], ["INDONESIA", 2], ["IRAN", 4], ["IRAQ", 4], ["JAPAN", 2], ["JORDAN", 4], ["KENYA", 0], ["MOROCCO", 0], ["MOZAMBIQUE", 0], ["PERU", 1], ["CHINA", 2], ["ROMANIA", 3], ["SAUDI ARABIA", 4], ["VIETNAM", 2], ["RUSSIA", 3], ["UNITED KINGDOM", 3], ["UNITED STATES", 1]];
const REGIONS = ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"];
const SEGMENTS = ["AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"];
const PRIORITIES = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"];
const INSTRUCTIONS = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"];
const MODES = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"];
const TYPE1 = ["STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"];
const TYPE2 = ["ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"];
const TYPE3 = ["TIN", "NICKEL", "BRASS", "STEEL", "COPPER"];
const CONT1 = ["SM", "LG", "MED", "JUMBO", "WRAP"];
const CONT2 = ["CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"];

/** The CREATE TABLE statements for one scale factor, in dependency order. */
export function tpchSql(sf: number): Record<(typeof TPCH_TABLES)[number], string> {
  const S = Math.max(10, Math.round(10000 * sf)), P = Math.max(40, Math.round(200000 * sf));
  const C = Math.max(30, Math.round(150000 * sf)), O = Math.max(100, Math.round(1500000 * sf));
  const phone = (key: string, nation: string) =>
    `((${nation}) + 10)::VARCHAR || '-' || ${rnd(key, 71, 100, 999)}::VARCHAR || '-' || ${rnd(key, 72, 100, 999)}::VARCHAR || '-' || ${rnd(key, 73, 1000, 9999)}::VARCHAR`;
  const money = (key: string, salt: number, lo: number, hi: number) => `(${rnd(key, salt, lo, hi)} / 100.0)::DECIMAL(15,2)`;
  const retail = (pk: string) => `((90000 + ((${pk}) / 10) % 20001 + 100 * ((${pk}) % 1000)) / 100.0)::DECIMAL(15,2)`;
  // Spec 4.2.3: the i-th (0..3) supplier of part p.
  const partSupp = (pk: string, j: string) => `((((${pk}) + (${j}) * (${S / 4} + ((${pk}) - 1) // ${S})) % ${S}) + 1)::INTEGER`;
  return {
    region: `SELECT i::INTEGER AS r_regionkey, ${list(REGIONS)}[i + 1] AS r_name, ${comment("i", 1, 6)} AS r_comment FROM range(5) t(i)`,
    nation: `SELECT i::INTEGER AS n_nationkey, ${list(NATIONS.map((n) => n[0]))}[i + 1] AS n_name,
        [${NATIONS.map((n) => n[1]).join(", ")}][i + 1]::INTEGER AS n_regionkey, ${comment("i", 2, 6)} AS n_comment FROM range(25) t(i)`,
    supplier: `SELECT k::INTEGER AS s_suppkey, 'Supplier#' || lpad(k::VARCHAR, 9, '0') AS s_name, 'addr' || ${rnd("k", 3, 1, 99999)}::VARCHAR AS s_address,
        nk::INTEGER AS s_nationkey, ${phone("k", "nk")} AS s_phone, ${money("k", 4, -99999, 999999)} AS s_acctbal,
        CASE WHEN k % 97 = 3 THEN 'pending Customer carefully Complaints ' || ${comment("k", 5, 3)}
             WHEN k % 97 = 7 THEN 'even Customer slyly Recommends ' || ${comment("k", 5, 3)}
             ELSE ${comment("k", 5, 8)} END AS s_comment
      FROM (SELECT i + 1 AS k, ${rnd("i + 1", 6, 0, 24)} AS nk FROM range(${S}) t(i))`,
    customer: `SELECT k::INTEGER AS c_custkey, 'Customer#' || lpad(k::VARCHAR, 9, '0') AS c_name, 'addr' || ${rnd("k", 7, 1, 99999)}::VARCHAR AS c_address,
        nk::INTEGER AS c_nationkey, ${phone("k", "nk")} AS c_phone, ${money("k", 8, -99999, 999999)} AS c_acctbal,
        ${pick(SEGMENTS, "k", 9)} AS c_mktsegment, ${comment("k", 10, 8)} AS c_comment
      FROM (SELECT i + 1 AS k, ${rnd("i + 1", 11, 0, 24)} AS nk FROM range(${C}) t(i))`,
    part: `SELECT k::INTEGER AS p_partkey,
        concat_ws(' ', ${[0, 1, 2, 3, 4].map((w) => pick(COLORS, "k", 20 + w)).join(", ")}) AS p_name,
        'Manufacturer#' || m::VARCHAR AS p_mfgr, 'Brand#' || m::VARCHAR || ${rnd("k", 13, 1, 5)}::VARCHAR AS p_brand,
        ${pick(TYPE1, "k", 14)} || ' ' || ${pick(TYPE2, "k", 15)} || ' ' || ${pick(TYPE3, "k", 16)} AS p_type,
        ${rnd("k", 17, 1, 50)}::INTEGER AS p_size, ${pick(CONT1, "k", 18)} || ' ' || ${pick(CONT2, "k", 19)} AS p_container,
        ${retail("k")} AS p_retailprice, ${comment("k", 30, 4)} AS p_comment
      FROM (SELECT i + 1 AS k, ${rnd("i + 1", 12, 1, 5)} AS m FROM range(${P}) t(i))`,
    partsupp: `SELECT pk::INTEGER AS ps_partkey, ${partSupp("pk", "j")} AS ps_suppkey, ${rnd("pk * 4 + j", 31, 1, 9999)}::INTEGER AS ps_availqty,
        ${money("pk * 4 + j", 32, 100, 100000)} AS ps_supplycost, ${comment("pk * 4 + j", 33, 10)} AS ps_comment
      FROM range(1, ${P + 1}) a(pk), range(4) b(j)`,
    orders: `WITH o AS (
        SELECT i + 1 AS o_orderkey,
          -- a third of the customers (custkey % 3 = 0) never order
          (CASE WHEN ${rnd("i", 40, 1, C)} % 3 = 0 THEN ${rnd("i", 40, 1, C)} + 1 ELSE ${rnd("i", 40, 1, C)} END) % ${C} + 1 AS c,
          DATE '1992-01-01' + ${rnd("i", 41, 0, 2405 - 151)}::INTEGER AS o_orderdate
        FROM range(${O}) t(i))
      SELECT o.o_orderkey::INTEGER AS o_orderkey, (CASE WHEN c % 3 = 0 THEN (c % ${C}) + 1 ELSE c END)::INTEGER AS o_custkey,
        CASE WHEN l.f = l.n THEN 'F' WHEN l.f = 0 THEN 'O' ELSE 'P' END AS o_orderstatus,
        l.total::DECIMAL(15,2) AS o_totalprice, o.o_orderdate, ${pick(PRIORITIES, "o.o_orderkey", 42)} AS o_orderpriority,
        'Clerk#' || lpad(${rnd("o.o_orderkey", 43, 1, Math.max(1, Math.round(1000 * sf)))}::VARCHAR, 9, '0') AS o_clerk, 0::INTEGER AS o_shippriority,
        ${comment("o.o_orderkey", 44, 6)} AS o_comment
      FROM o JOIN (SELECT l_orderkey, count(*) AS n, count(*) FILTER (WHERE l_linestatus = 'F') AS f,
          sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)) AS total FROM lineitem GROUP BY l_orderkey) l ON l.l_orderkey = o.o_orderkey`,
    lineitem: `WITH o AS (
        SELECT i + 1 AS ok, DATE '1992-01-01' + ${rnd("i", 41, 0, 2405 - 151)}::INTEGER AS od, ${rnd("i + 1", 50, 1, 7)} AS lines FROM range(${O}) t(i)),
      l AS (SELECT ok, od, ln, ok * 8 + ln AS h, ${rnd("ok * 8 + ln", 51, 1, P)} AS pk FROM o, range(1, 8) r(ln) WHERE ln <= lines),
      d AS (SELECT *, od + ${rnd("h", 52, 1, 121)}::INTEGER AS sd, od + ${rnd("h", 53, 30, 90)}::INTEGER AS cd, ${rnd("h", 54, 1, 50)} AS q FROM l)
      SELECT ok::INTEGER AS l_orderkey, pk::INTEGER AS l_partkey, ${partSupp("pk", rnd("h", 55, 0, 3))} AS l_suppkey, ln::INTEGER AS l_linenumber,
        q::DECIMAL(15,2) AS l_quantity, (q * ${retail("pk")})::DECIMAL(15,2) AS l_extendedprice,
        (${rnd("h", 56, 0, 10)} / 100.0)::DECIMAL(15,2) AS l_discount, (${rnd("h", 57, 0, 8)} / 100.0)::DECIMAL(15,2) AS l_tax,
        CASE WHEN sd + ${rnd("h", 58, 1, 30)}::INTEGER <= DATE '1995-06-17' THEN ${pick(["R", "A"], "h", 59)} ELSE 'N' END AS l_returnflag,
        CASE WHEN sd > DATE '1995-06-17' THEN 'O' ELSE 'F' END AS l_linestatus,
        sd AS l_shipdate, cd AS l_commitdate, sd + ${rnd("h", 58, 1, 30)}::INTEGER AS l_receiptdate,
        ${pick(INSTRUCTIONS, "h", 60)} AS l_shipinstruct, ${pick(MODES, "h", 61)} AS l_shipmode, ${comment("h", 62, 4)} AS l_comment
      FROM d`,
  };
}

/**
 * Generates the 8 tables at scale factor `sf` in DuckDB (as tables named
 * like the spec's), writes each to Parquet in the scratch dir, and registers
 * the same Parquet data in Cinder as temp views. Returns the Parquet paths.
 */
export async function loadTpch(session: Session, sf = 0.1, numPartitions = 1): Promise<Record<string, string>> {
  const sql = tpchSql(sf);
  const paths: Record<string, string> = {};
  // lineitem first: orders derives its status and total from it.
  for (const name of ["region", "nation", "supplier", "customer", "part", "partsupp", "lineitem", "orders"] as const) {
    await duckRun(`CREATE OR REPLACE TABLE ${name} AS ${sql[name]}`);
    const path = join(scratchDir, `tpch-${sf}-${name}.parquet`);
    await duckRun(`COPY ${name} TO '${path}' (FORMAT parquet)`);
    paths[name] = path;
    dataFrameFromParquet(session, new Uint8Array(readFileSync(path)), numPartitions).createOrReplaceTempView(name);
  }
  return paths;
}
