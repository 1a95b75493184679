import { describe, it, before } from "node:test";
import { Session, col, lit } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { addMonths, dateAdd, dateSub, datediff, dayofmonth, month, quarter, year } from "../../src/api/functions.ts";
import { call } from "../../src/api/column.ts";
import { loadTables } from "../support/datasets.ts";
import { expectError, expectSame, loadSql } from "./expression-support.ts";

const dayofweek = (c: string) => call("dayofweek", col(c));

describe("date functions against DuckDB", () => {
  const session = new Session();
  let facts: DataFrame, days: DataFrame;
  before(async () => {
    ({ facts } = (await loadTables(session, ["facts"])) as { facts: DataFrame });
    days = await loadSql(session, "date_days", `SELECT * FROM (VALUES
      (1, DATE '2024-01-31', TIMESTAMP '2024-01-31 23:59:59', 1),
      (2, DATE '2024-02-29', TIMESTAMP '1969-12-31 23:00:00', 12),
      (3, DATE '2023-03-31', TIMESTAMP '1970-01-01 00:00:00', -1),
      (4, DATE '1969-12-31', TIMESTAMP '1900-03-01 12:00:00', -13),
      (5, DATE '1900-02-28', NULL, 24),
      (6, DATE '2000-12-31', TIMESTAMP '2000-02-29 06:00:00', NULL),
      (7, NULL, TIMESTAMP '2024-07-04 00:00:01', 3),
      (8, DATE '0001-01-01', TIMESTAMP '2099-12-31 23:59:59.999999', 0)) t(i, d, ts, n)`);
  });

  it("extracts year, month, day, quarter and Spark's dayofweek from dates", async () => {
    await expectSame(facts.select("id", year("d"), month("d"), dayofmonth("d"), quarter("d"), dayofweek("d")),
      "SELECT id, year(d), month(d), day(d), quarter(d), dayofweek(d) + 1 FROM facts");
    await expectSame(days.select("i", year("d"), month("d"), dayofmonth("d"), quarter("d"), dayofweek("d")),
      "SELECT i, year(d), month(d), day(d), quarter(d), dayofweek(d) + 1 FROM date_days");
  });

  it("extracts the same parts from timestamps, including before 1970", async () => {
    await expectSame(days.select("i", year("ts"), month("ts"), dayofmonth("ts"), quarter("ts"), dayofweek("ts")),
      "SELECT i, year(ts), month(ts), day(ts), quarter(ts), dayofweek(ts) + 1 FROM date_days");
  });

  it("date_add, date_sub and date arithmetic shift by days", async () => {
    await expectSame(facts.select("id", dateAdd("d", 30), dateSub("d", 400), col("d").plus(7), col("d").minus(col("k"))),
      "SELECT id, d + 30, d - 400, d + 7, d - k FROM facts");
    await expectSame(days.select("i", dateAdd("d", col("n")), dateSub("d", col("n"))), "SELECT i, d + n, d - n FROM date_days");
    await expectSame(days.select("i", dateAdd(lit("2024-02-28"), 1)), "SELECT i, DATE '2024-02-29' FROM date_days");
  });

  it("datediff(end, start) counts days from start to end", async () => {
    await expectSame(facts.select("id", datediff("d", lit("2020-01-01")), datediff(lit("2022-06-30"), "d")),
      "SELECT id, datediff('day', DATE '2020-01-01', d), datediff('day', d, DATE '2022-06-30') FROM facts");
    await expectSame(days.select("i", datediff(col("ts"), col("d"))), "SELECT i, datediff('day', d, CAST(ts AS DATE)) FROM date_days");
  });

  it("add_months clamps to the end of shorter months", async () => {
    await expectSame(days.select("i", addMonths("d", 1), addMonths("d", -1), addMonths("d", col("n")), addMonths("d", 13)),
      `SELECT i, CAST(d + INTERVAL 1 MONTH AS DATE), CAST(d - INTERVAL 1 MONTH AS DATE), CAST(d + to_months(n) AS DATE), CAST(d + INTERVAL 13 MONTH AS DATE) FROM date_days`);
    await expectSame(facts.select("id", addMonths("d", 5)), "SELECT id, CAST(d + INTERVAL 5 MONTH AS DATE) FROM facts");
  });

  it("reads string arguments as dates and rejects other types", async () => {
    await expectSame(days.select("i", year(lit("2021-07-15")), datediff(lit("2024-03-01"), lit("2024-02-01"))), "SELECT i, 2021, 29 FROM date_days");
    await expectError(() => days.select(year(lit("not a date"))), "CAST_INVALID_INPUT", /not a date/);
    await expectError(() => days.select(year("n")), "DATATYPE_MISMATCH", /year: argument 1 must be a date or timestamp/);
    await expectError(() => days.select(dateAdd("d", lit(1.5))), "DATATYPE_MISMATCH", /must be an integer/);
    await expectError(() => days.select(call("datediff", col("d"))), "WRONG_ARGUMENT", /datediff takes 2/);
  });
});
