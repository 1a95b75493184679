/**
 * NestedLoopJoinExec (Spark's BroadcastNestedLoopJoin): a join with no
 * equi-keys. The build side is read whole; for each probe batch every
 * (probe row, build row) pair is a candidate, generated as index arrays a
 * chunk of `batch.size` pairs at a time, and the condition (if any) is
 * evaluated once per chunk by `JoinMatcher`, never row by row.
 */
import type { PhysicalOf, PhysicalPlan } from "../physical-plan.ts";
import { numPartitions } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { InternalError } from "../../common/errors.ts";
import { bindPairPredicate } from "../expressions/bound-predicate.ts";
import { JoinMatcher } from "../../exec/join/join-matcher.ts";
import { collectSide, emptyBatch } from "../../exec/join/join-input.ts";

export async function* nestedLoopJoinExec(node: PhysicalOf<"NestedLoopJoinExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const buildLeft = node.buildSide === "left";
  const buildPlan: PhysicalPlan = buildLeft ? node.left : node.right;
  const probePlan: PhysicalPlan = buildLeft ? node.right : node.left;
  const broadcast = buildPlan.type === "BroadcastExchangeExec";
  const build = await collectSide(execute(buildPlan, broadcast || numPartitions(buildPlan) === 1 ? 0 : partition), buildPlan.schema);
  const matcher = new JoinMatcher(
    { joinType: node.joinType, condition: bindPairPredicate(node.condition), leftWidth: node.left.schema.length, rightWidth: node.right.schema.length },
    node.buildSide, build, emptyBatch(probePlan.schema), ctx.config["batch.size"]);
  if (matcher.emitsBuildRows && numPartitions(probePlan) !== 1) {
    throw new InternalError(`a ${node.joinType} nested-loop join needs its probe side in one partition to emit unmatched build rows`);
  }
  const m = build.numRows;
  const firstOnly = matcher.firstMatchOnly;

  for await (const probe of execute(probePlan, partition)) {
    if (probe.numRows === 0) continue;
    const n = probe.numRows;
    let p = 0, b = 0;
    yield* matcher.probe(probe, (outProbe, outBuild, cap) => {
      let count = 0;
      while (p < n && count < cap) {
        if (m === 0) { p = n; break; }
        const end = firstOnly ? 1 : m;
        while (b < end && count < cap) { outProbe[count] = p; outBuild[count] = b; count++; b++; }
        if (b >= end) { b = 0; p++; }
      }
      return count;
    });
  }
  yield* matcher.finish();
}
