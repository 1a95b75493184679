/** A tiny assertion helper for browser tests (mocha provides describe/it; node:assert is not available in the page). */
export function expect<T>(actual: T) {
  return {
    toBe(expected: T): void {
      if (actual !== expected) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    },
    toEqual(expected: unknown): void {
      const a = JSON.stringify(actual), e = JSON.stringify(expected);
      if (a !== e) throw new Error(`expected ${e}, got ${a}`);
    },
    toThrowCode(code: string): void {
      try { (actual as () => unknown)(); } catch (e) {
        if ((e as { code?: string }).code === code) return;
        throw new Error(`expected error code ${code}, got ${(e as Error).message}`);
      }
      throw new Error(`expected error code ${code}, nothing thrown`);
    },
  };
}
