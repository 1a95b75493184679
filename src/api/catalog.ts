/** The session's temporary views: names that `session.sql` and `session.table` resolve. */
import { AnalysisError, closestNames } from "../common/errors.ts";
import type { DataFrame } from "./data-frame.ts";

export class Catalog {
  private readonly views = new Map<string, DataFrame>();

  registerView(name: string, df: DataFrame): void {
    this.views.set(name.toLowerCase(), df);
  }

  dropView(name: string): boolean {
    return this.views.delete(name.toLowerCase());
  }

  /** The view `name`, or a typed error that suggests close names. */
  lookup(name: string): DataFrame {
    const df = this.views.get(name.toLowerCase());
    if (!df) {
      const suggestions = closestNames(name, [...this.views.keys()]);
      throw new AnalysisError("UNRESOLVED_TABLE",
        `unknown table or view '${name}'${suggestions.length ? `; did you mean ${suggestions.join(", ")}?` : ""} (register one with df.createOrReplaceTempView("${name}"))`,
        { details: { table: name, suggestions } });
    }
    return df;
  }

  has(name: string): boolean { return this.views.has(name.toLowerCase()); }

  listTables(): string[] { return [...this.views.keys()].sort(); }
}
