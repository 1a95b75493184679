/**
 * The part of a join that every algorithm shares: given candidate pairs of
 * (probe row, build row) with equal keys, apply the residual condition,
 * remember which rows found a match, and emit what the join type asks for:
 * the pairs (inner, outer), the unmatched probe rows after each probe batch
 * (outer, anti) or the matched ones (semi), and, once the whole probe side
 * is seen, the unmatched build rows. Hash, nested-loop and sort-merge joins
 * differ only in how they find candidates (a `PairSource`).
 *
 * The probe side may be either input: a hash join builds the smaller side,
 * which may be the left one. Output is always left columns then right ones
 * (left only for semi/anti), in batches of at most `batchSize` rows.
 */
import type { JoinType } from "../../types/operations.ts";
import { InternalError } from "../../common/errors.ts";
import type { Batch } from "../column-vector.ts";
import type { PairPredicate } from "./join-output.ts";
import { PairFilter, assembleRows, minusOnes, rowsWhere } from "./join-output.ts";

/**
 * Fills `outProbe`/`outBuild` with up to `cap` candidate pairs and returns
 * how many; it is called until it returns 0.
 */
export type PairSource = (outProbe: Int32Array, outBuild: Int32Array, cap: number) => number;

/** The number of candidate pairs `PairSource` would give, counted without listing them. */
export type PairCounter = () => number;

export interface JoinSpec {
  joinType: JoinType;
  /** Residual condition bound to left.schema ++ right.schema, or null. */
  condition: PairPredicate | null;
  leftWidth: number;
  rightWidth: number;
  /** Ordinals of the full output (left ++ right, left only for semi/anti) to emit; absent: all. */
  projection?: readonly number[];
}

export class JoinMatcher {
  private readonly filter: PairFilter | null;
  private readonly probeIsLeft: boolean;
  private readonly emitPairs: boolean;
  private readonly leftOnly: boolean;
  /** Per probe batch: what to emit from its own rows after its pairs. */
  private readonly probeEmit: "none" | "unmatched" | "matched";
  private readonly buildEmit: "none" | "unmatched" | "matched";
  private readonly buildMatched: Uint8Array | null;
  private readonly pairProbe: Int32Array;
  private readonly pairBuild: Int32Array;
  private readonly cap: number;
  private readonly select: readonly number[] | null;
  /** A semi/anti join with no residual only needs to know whether a probe row has any match. */
  readonly firstMatchOnly: boolean;

  /**
   * `build` is the whole build side of this task; `probeSchemaBatch` is any
   * batch (typically empty) of the probe side's schema, used to NULL-extend
   * unmatched build rows.
   */
  constructor(private readonly spec: JoinSpec, buildSide: "left" | "right", private readonly build: Batch,
    private readonly probeSchemaBatch: Batch, batchSize: number) {
    const t = spec.joinType;
    this.probeIsLeft = buildSide === "right";
    this.filter = spec.condition ? new PairFilter(spec.condition, spec.leftWidth, spec.rightWidth) : null;
    this.emitPairs = t === "inner" || t === "cross" || t === "left" || t === "right" || t === "full";
    this.leftOnly = t === "left_semi" || t === "left_anti";
    const emitFor = (isLeft: boolean): "none" | "unmatched" | "matched" => {
      if (isLeft) return t === "left" || t === "full" || t === "left_anti" ? "unmatched" : t === "left_semi" ? "matched" : "none";
      return t === "right" || t === "full" ? "unmatched" : "none";
    };
    this.probeEmit = emitFor(this.probeIsLeft);
    this.buildEmit = emitFor(!this.probeIsLeft);
    this.buildMatched = this.buildEmit === "none" ? null : new Uint8Array(build.numRows);
    this.cap = Math.max(1, Math.floor(batchSize));
    this.select = spec.projection ?? null;
    this.pairProbe = new Int32Array(this.cap);
    this.pairBuild = new Int32Array(this.cap);
    this.firstMatchOnly = this.leftOnly && this.probeIsLeft && this.filter === null;
  }

  /** True when unmatched or matched build rows are emitted at the end (needs the whole probe side in this task). */
  get emitsBuildRows(): boolean {
    return this.buildEmit !== "none";
  }

  /**
   * True when output rows carry no column and every candidate pair is one
   * output row (an inner join under count(*)): the pairs need only be counted.
   */
  get countsOnly(): boolean {
    return this.select !== null && this.select.length === 0 && this.filter === null && this.emitPairs &&
      this.probeEmit === "none" && this.buildEmit === "none";
  }

  /**
   * Joins one probe batch, whose candidate pairs come from `source`. When
   * `countsOnly` holds and `counter` is given, the pairs are only counted
   * and rows with no columns are emitted.
   */
  *probe(probe: Batch, source: PairSource, counter?: PairCounter): Generator<Batch> {
    if (counter !== undefined && this.countsOnly) {
      const total = counter();
      for (let done = 0; done < total; done += this.cap) yield { columns: [], numRows: Math.min(this.cap, total - done) };
      return;
    }
    const probeMatched = this.probeEmit === "none" ? null : new Uint8Array(probe.numRows);
    const buildMatched = this.buildMatched;
    const ps = this.pairProbe, bs = this.pairBuild;
    const [left, right] = this.probeIsLeft ? [probe, this.build] : [this.build, probe];
    for (;;) {
      let count = source(ps, bs, this.cap);
      if (count === 0) break;
      if (this.filter !== null) {
        count = this.probeIsLeft ? this.filter.filter(left, right, ps, bs, count) : this.filter.filter(left, right, bs, ps, count);
        if (count === 0) continue;
      }
      if (probeMatched !== null) for (let k = 0; k < count; k++) probeMatched[ps[k]!] = 1;
      if (buildMatched !== null) for (let k = 0; k < count; k++) buildMatched[bs[k]!] = 1;
      if (this.emitPairs) {
        yield this.probeIsLeft ? assembleRows(left, right, ps, bs, count, false, this.select) : assembleRows(left, right, bs, ps, count, false, this.select);
      }
    }
    if (probeMatched !== null) yield* this.emitRows(probe, true, rowsWhere(probeMatched, probe.numRows, this.probeEmit === "matched" ? 1 : 0));
  }

  /** The build rows still owed once every probe batch of this task is joined. */
  *finish(): Generator<Batch> {
    if (this.buildMatched === null) return;
    yield* this.emitRows(this.build, false, rowsWhere(this.buildMatched, this.build.numRows, this.buildEmit === "matched" ? 1 : 0));
  }

  /** Rows of one side alone: NULL-extended on the other side, or left only for semi/anti. */
  private *emitRows(side: Batch, sideIsProbe: boolean, rows: Int32Array): Generator<Batch> {
    // The other side's columns are only gathered with -1 indices, so a batch of its schema with no rows will do.
    const other = sideIsProbe ? this.build : this.probeSchemaBatch;
    const isLeft = sideIsProbe === this.probeIsLeft;
    for (let start = 0; start < rows.length; start += this.cap) {
      const chunk = rows.subarray(start, Math.min(rows.length, start + this.cap));
      if (isLeft) {
        yield assembleRows(side, other, chunk, null, chunk.length, this.leftOnly, this.select);
      } else {
        if (this.leftOnly) throw new InternalError(`a ${this.spec.joinType} join never emits right rows alone`);
        yield assembleRows(other, side, minusOnes(chunk.length), chunk, chunk.length, false, this.select);
      }
    }
  }
}
