/**
 * HashJoinExec: Spark's broadcast hash join and shuffled hash join. The
 * build side is read whole (a broadcast, or this task's co-partition) into
 * a `JoinHashTable`; the probe side streams batch by batch, each batch's
 * keys hashed at once and probed into index arrays. `JoinMatcher` applies
 * the residual condition and the join type's rules (NULL keys never match;
 * semi/anti emit a left row at most once; outer joins NULL-extend).
 * A shuffled join's build side is reserved in the task's memory share;
 * refused, both sides are split by key into a spill and joined a partition
 * at a time (grace hash join).
 */
import type { PhysicalOf, PhysicalPlan } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { InternalError } from "../../common/errors.ts";
import type { Batch, ColumnVector } from "../../exec/column-vector.ts";
import type { Expr } from "../../plan/expressions.ts";
import { evaluate } from "../expressions/evaluate.ts";
import { hashRows } from "../../exec/hash.ts";
import { JoinHashTable, newProbeCursor } from "../../exec/join/join-hash-table.ts";
import { keysNullMask } from "../../exec/join/join-keys.ts";
import { bindPairPredicate } from "../expressions/bound-predicate.ts";
import { JoinMatcher } from "../../exec/join/join-matcher.ts";
import { collectSide, emptyBatch } from "../../exec/join/join-input.ts";
import { batchByteSize } from "../../exec/column-vector.ts";
import { spillStoreFor } from "../spill-store-for.ts";
import { PartitionedSpill, SPILL_PARTITIONS } from "./partitioned-spill.ts";

const NO_HASHES = new Uint32Array(0);

interface BuildRelation { build: Batch; table: JoinHashTable }

function buildRelation(build: Batch, keyExprs: readonly Expr[]): BuildRelation {
  const buildKeys: ColumnVector[] = keyExprs.map((k) => evaluate(k, build));
  return { build, table: new JoinHashTable(buildKeys, build.numRows) };
}

/**
 * Built broadcast relations, keyed by the broadcast's batch array (the
 * exchange readers hand every task of a job on one executor the same array)
 * and then by the build keys. Like Spark's broadcast HashedRelation, the
 * table is built once and shared by every probe task instead of once per
 * task: with a 25-partition probe side that was 25 copies of the work. The
 * table is read-only once built, so sharing it is safe; the WeakMap lets it
 * go when the job's exchange outputs do.
 */
const broadcastRelations = new WeakMap<readonly Batch[], Map<string, Promise<BuildRelation>>>();

function broadcastRelation(plan: PhysicalOf<"BroadcastExchangeExec">, keyExprs: readonly Expr[], ctx: TaskContext): Promise<BuildRelation> {
  return ctx.exchanges.readBroadcast(plan, ctx).then((batches) => {
    let byKeys = broadcastRelations.get(batches);
    if (!byKeys) { byKeys = new Map(); broadcastRelations.set(batches, byKeys); }
    const key = JSON.stringify(keyExprs);
    let relation = byKeys.get(key);
    if (!relation) {
      relation = collectSide((async function* () { yield* batches; })(), plan.schema).then((build) => buildRelation(build, keyExprs));
      byKeys.set(key, relation);
    }
    return relation;
  });
}

export async function* hashJoinExec(node: PhysicalOf<"HashJoinExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const buildLeft = node.buildSide === "left";
  const buildPlan: PhysicalPlan = buildLeft ? node.left : node.right;
  const probePlan: PhysicalPlan = buildLeft ? node.right : node.left;
  const buildKeyExprs = buildLeft ? node.leftKeys : node.rightKeys;
  const probeKeyExprs = buildLeft ? node.rightKeys : node.leftKeys;

  if (node.broadcast && buildPlan.type === "BroadcastExchangeExec") {
    yield* probeWith(node, await broadcastRelation(buildPlan, buildKeyExprs, ctx), execute(probePlan, partition), probePlan, probeKeyExprs, ctx);
    return;
  }
  const side = await readBuildSide(execute(buildPlan, partition), buildPlan, buildKeyExprs, ctx);
  if (side.kind === "memory") {
    try {
      yield* probeWith(node, buildRelation(side.build, buildKeyExprs), execute(probePlan, partition), probePlan, probeKeyExprs, ctx);
    } finally { ctx.memory?.release(side.reserved); }
    return;
  }
  // Grace hash join: the probe side is split by the same key hash, and each partition joined alone.
  const { spill: builds } = side;
  const probes = new PartitionedSpill(builds.store, ctx.memory!, probePlan.schema.length, 0);
  try {
    for await (const probe of execute(probePlan, partition)) await probes.add(probe, probeKeyExprs.map((k) => evaluate(k, probe)));
    await probes.flush();
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const build = await collectSide(builds.partition(p), buildPlan.schema);
      yield* probeWith(node, buildRelation(build, buildKeyExprs), probes.partition(p), probePlan, probeKeyExprs, ctx);
    }
  } finally {
    await builds.remove();
    await probes.remove();
  }
}

/**
 * The build side, in memory (with the bytes reserved for it and its hash table) or, once a reservation is
 * refused, split by key into a spill.
 */
async function readBuildSide(input: BatchStream, plan: PhysicalPlan, keyExprs: readonly Expr[], ctx: TaskContext):
  Promise<{ kind: "memory"; build: Batch; reserved: number } | { kind: "spilled"; spill: PartitionedSpill }> {
  const memory = ctx.memory;
  if (!memory) return { kind: "memory", build: await collectSide(input, plan.schema), reserved: 0 };
  const batches: Batch[] = [];
  let reserved = 0;
  let spill: PartitionedSpill | null = null;
  try {
    for await (const b of input) {
      if (spill) { await spill.add(b, keyExprs.map((k) => evaluate(k, b))); continue; }
      // The rows, their concatenated copy and the table's slots.
      const need = batchByteSize(b) * BUILD_OVERHEAD;
      if (memory.tryReserve(need)) { reserved += need; batches.push(b); continue; }
      const store = await spillStoreFor(ctx, memory, "a hash join's build side", need);
      spill = new PartitionedSpill(store, memory, plan.schema.length, 0);
      for (const x of [...batches, b]) await spill.add(x, keyExprs.map((k) => evaluate(k, x)));
      batches.length = 0;
      memory.release(reserved);
      reserved = 0;
    }
  } catch (e) {
    memory.release(reserved);
    await spill?.remove();
    throw e;
  }
  if (spill) { await spill.flush(); return { kind: "spilled", spill }; }
  return { kind: "memory", build: await collectSide((async function* () { yield* batches; })(), plan.schema), reserved };
}

/** Reservation per build-side byte: the rows, their concatenated copy, and the hash table's arrays. */
const BUILD_OVERHEAD = 3;

/** Streams `probeInput` through a matcher over `relation` (the whole build side, or one spilled partition of it). */
async function* probeWith(node: PhysicalOf<"HashJoinExec">, { build, table }: BuildRelation, probeInput: BatchStream, probePlan: PhysicalPlan, probeKeyExprs: readonly Expr[], ctx: TaskContext): BatchStream {
  const matcher = new JoinMatcher(
    { joinType: node.joinType, condition: bindPairPredicate(node.condition), leftWidth: node.left.schema.length, rightWidth: node.right.schema.length, projection: node.projection },
    node.buildSide, build, emptyBatch(probePlan.schema), ctx.config["batch.size"]);
  if (node.broadcast && matcher.emitsBuildRows) {
    throw new InternalError(`a ${node.joinType} join cannot emit unmatched rows of a broadcast build side`);
  }
  for await (const probe of probeInput) {
    if (probe.numRows === 0) continue;
    const probeKeys = probeKeyExprs.map((k) => evaluate(k, probe));
    // A direct (perfect-hash) table indexes by key value and never reads probe hashes.
    const hashes = table.isDirect ? NO_HASHES : hashRows(probeKeys, probe.numRows);
    const nulls = keysNullMask(probeKeys, probe.numRows);
    const cursor = newProbeCursor();
    const firstOnly = matcher.firstMatchOnly;
    yield* matcher.probe(probe, (outProbe, outBuild, cap) =>
      table.probe(probeKeys, hashes, nulls, probe.numRows, cursor, outProbe, outBuild, cap, firstOnly),
    () => table.countMatches(probeKeys, hashes, nulls, probe.numRows));
  }
  yield* matcher.finish();
}
