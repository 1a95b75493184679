/**
 * Which chart a result gets, from its column types: bar for a category and
 * a number, line for a time and a number, scatter for two numbers, a
 * histogram for one number. The user can switch kind and axes; this only
 * picks the first guess.
 */
export type ChartKind = "bar" | "line" | "scatter" | "histogram";

export type ColumnRole = "number" | "time" | "category";

export interface ChartSpec {
  kind: ChartKind;
  x: string;
  /** Absent for a histogram. */
  y?: string;
}

/** The role an Arrow type name plays on an axis. */
export function roleOf(arrowType: string): ColumnRole {
  const t = arrowType.toLowerCase();
  if (/date|timestamp|time/.test(t)) return "time";
  if (/int|float|double|decimal/.test(t)) return "number";
  return "category";
}

/** The first chart to show for columns `[name, arrow type]`, or null when nothing can be drawn. */
export function chooseChart(columns: readonly (readonly [string, string])[]): ChartSpec | null {
  const by = (role: ColumnRole) => columns.filter(([, t]) => roleOf(t) === role).map(([n]) => n);
  const numbers = by("number"), times = by("time"), categories = by("category");
  if (times.length && numbers.length) return { kind: "line", x: times[0]!, y: numbers[0]! };
  if (categories.length && numbers.length) return { kind: "bar", x: categories[0]!, y: numbers[0]! };
  if (numbers.length >= 2) return { kind: "scatter", x: numbers[0]!, y: numbers[1]! };
  if (numbers.length === 1) return { kind: "histogram", x: numbers[0]! };
  return null;
}
