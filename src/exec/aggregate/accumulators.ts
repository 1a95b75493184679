/**
 * Vectorized aggregate state: one accumulator per aggregate call, holding
 * its per-group state in typed arrays indexed by group id and grown by
 * doubling. Every method works on a whole batch: `update` folds raw input
 * values (complete and partial modes), `merge` folds the state columns a
 * partial aggregate emitted (final mode), `states` emits those state
 * columns, and `finish` the result column. State layouts follow
 * `stateTypes` in src/physical/planner.ts: count [int64], sum [sum],
 * avg [sum, count int64], min/max [value], first [value, seen boolean].
 */
import type { Accumulator, AggregateSpec } from "./accumulator.ts";
import { DistinctAccumulator } from "./distinct-accumulator.ts";
import { CountAccumulator } from "./count-accumulator.ts";
import { SharedCountAccumulator, SumAccumulator } from "./sum-accumulator.ts";
import { MinMaxAccumulator, MinMaxStringAccumulator } from "./min-max-accumulator.ts";
import { FirstAccumulator, FirstStringAccumulator } from "./first-accumulator.ts";


/**
 * Accumulators for a list of calls. With `argKeys` (a key per call naming
 * its argument, given only when inputs are raw rows, not partial states) an
 * avg whose argument is also summed reads that sum's state instead of
 * adding the same values a second time.
 */
export function createAccumulators(calls: readonly AggregateSpec[], argKeys?: readonly (string | null)[]): Accumulator[] {
  const sums = new Map<string, SumAccumulator>();
  if (argKeys) {
    calls.forEach((c, i) => {
      const key = argKeys[i];
      if (c.fn === "sum" && !c.distinct && key != null && !sums.has(key)) sums.set(key, new SumAccumulator(c.stateTypes[0]!, false, c.resultType));
    });
  }
  const used = new Set<SumAccumulator>();
  const accs = calls.map((c, i) => {
    const owner = c.distinct ? undefined : sums.get(argKeys?.[i] ?? "");
    if (owner && c.fn === "sum" && !used.has(owner)) { used.add(owner); return owner; }
    if (owner && c.fn === "avg") return new SumAccumulator(c.stateTypes[0]!, true, c.resultType, owner);
    return createAccumulator(c);
  });
  if (argKeys) shareCounts(calls, argKeys, accs);
  return accs;
}

/**
 * A sum or avg over raw rows already counts each group's non-NULL values,
 * so count(x) on the same argument is that count, and count(*) is it plus
 * the rows whose argument was NULL: both then cost no pass of their own
 * (sum, avg and count(*) in one query were three passes over the group ids).
 */
function shareCounts(calls: readonly AggregateSpec[], argKeys: readonly (string | null)[], accs: Accumulator[]): void {
  const owners: { key: string; acc: SumAccumulator }[] = [];
  calls.forEach((c, i) => {
    const acc = accs[i]!, key = argKeys[i];
    if (acc instanceof SumAccumulator && acc.ownsCounts && key != null && !owners.some((o) => o.acc === acc)) owners.push({ key, acc });
  });
  if (owners.length === 0) return;
  calls.forEach((c, i) => {
    if (c.distinct) return;
    if (c.fn === "count_star") {
      const owner = owners[0]!.acc;
      owner.trackNulls();
      accs[i] = new SharedCountAccumulator(owner, true);
    } else if (c.fn === "count") {
      const owner = owners.find((o) => o.key === argKeys[i])?.acc;
      if (owner) accs[i] = new SharedCountAccumulator(owner, false);
    }
  });
}

export function createAccumulator(call: AggregateSpec): Accumulator {
  const acc = plainAccumulator(call);
  // min, max and first do not change under DISTINCT.
  if (call.distinct && (call.fn === "count" || call.fn === "sum" || call.fn === "avg")) return new DistinctAccumulator(acc);
  return acc;
}

function plainAccumulator(call: AggregateSpec): Accumulator {
  const state0 = call.stateTypes[0]!;
  switch (call.fn) {
    case "count": return new CountAccumulator(false);
    case "count_star": return new CountAccumulator(true);
    case "sum": return new SumAccumulator(state0, false, call.resultType);
    case "avg": return new SumAccumulator(state0, true, call.resultType);
    case "min": case "max":
      return state0.kind === "utf8" ? new MinMaxStringAccumulator(call.fn === "min") : new MinMaxAccumulator(state0, call.fn === "min");
    case "first":
      return state0.kind === "utf8" ? new FirstStringAccumulator() : new FirstAccumulator(state0);
  }
}
