/**
 * The three rounding rules the kernels need, named so each call site says
 * which one it means: half to even (C's nearbyint, DuckDB's float ->
 * integer cast), half away from zero (SQL ROUND, decimal casts), and half
 * away from zero on an exact integer quotient (decimal rescaling).
 */

/** `x` rounded to an integer, halves to even (C's nearbyint, DuckDB's float -> integer rule). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `x` rounded to an integer, halves away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Integer `u` divided by `f` (a power of ten), halves away from zero, exactly (no binary rounding of the quotient). */
export function divRoundHalfAway(u: number, f: number): number {
  const r = u % f;
  const q = (u - r) / f;
  if (2 * Math.abs(r) >= f) return u < 0 ? q - 1 : q + 1;
  return q;
}
