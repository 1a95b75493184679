/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since
 * 1970-01-01, the date32 storage form) with integer math only, so date
 * kernels and date casts never build a `Date` object per row. The two
 * conversions are Howard Hinnant's `civil_from_days` / `days_from_civil`,
 * exact for every date32 value.
 */

export const MICROS_PER_DAY = 86_400_000_000;

/**
 * Writes year, month (1-12) and day (1-31) of `days` into `out[0..2]`; one
 * shared scratch array keeps the per-row loops allocation-free.
 */
export function civilFromDays(days: number, out: Int32Array): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

const yearScratch = new Int32Array(3);

/** Year of day number `days`. */
export function yearOf(days: number): number {
  civilFromDays(days, yearScratch);
  return yearScratch[0]!;
}

/** Day number of year `y`, month `m` (1-12), day `d`. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!;
}

/** Day number of a timestamp in microseconds (floor, so instants before 1970 fall on the right day). */
export function dayOfMicros(micros: number): number {
  return Math.floor(micros / MICROS_PER_DAY);
}
