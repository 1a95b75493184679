// Config keys and values: what each key takes, and errors that name the fix and change nothing.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, CinderError } from "../../src/index.ts";

function rejects(fn: () => void, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(CinderError.is(e), String(e));
    assert.equal(e.code, "INVALID_CONFIG");
    assert.match(e.message, message);
    return true;
  });
}

describe("session config", () => {
  it("refuses values a key cannot take, saying what it takes, and keeps the old value", () => {
    const s = new Session({ "shuffle.partitions": 8 });
    rejects(() => s.conf.set("shuffle.partitions", 0), /config 'shuffle.partitions' must be at least 1, got '0'; its default is 200/);
    rejects(() => s.conf.set("shuffle.partitions", -1), /must be at least 1, got '-1'/);
    rejects(() => s.conf.set("shuffle.partitions", "abc"), /must be a number, got 'abc'/);
    rejects(() => s.conf.set("shuffle.partitions", ""), /must be a number/);
    rejects(() => s.conf.set("shuffle.partitions", 2.5), /must be a whole number of at least 1/);
    rejects(() => s.conf.set("adaptive.enabled", 2), /must be 0 \/ false \(off\) or 1 \/ true \(on\)/);
    rejects(() => s.conf.set("join.preferSortMerge", -2), /must be -1 \(auto\), 0 \(shuffled hash join\) or 1 \(sort-merge join\)/);
    rejects(() => s.conf.set("maxResultSize", "Infinity"), /must be a number/);
    assert.equal(s.conf.get("shuffle.partitions"), 8);
  });

  it("suggests the closest key for an unknown one, Spark's prefixed names included", () => {
    const s = new Session();
    rejects(() => s.conf.set("shuffle.partition", 4), /unknown config key 'shuffle.partition'; did you mean 'shuffle.partitions'\?/);
    rejects(() => s.conf.set("spark.sql.shuffle.partitions", 4), /did you mean 'shuffle.partitions'\? \(Cinder's keys drop Spark's spark\. \/ spark\.sql\. prefix\)/);
    rejects(() => s.conf.set("zzzz", 4), /the keys are: shuffle.partitions, /);
    assert.throws(() => new Session({ "no.such": 1 } as never), /unknown config key 'no.such'/);
  });

  it("takes valid values, from numbers and from command-line strings", () => {
    const s = new Session();
    s.conf.set("shuffle.partitions", "12");
    s.conf.set("aggregate.skipPartialRatio", 0.25);
    s.conf.set("join.preferSortMerge", -1);
    s.conf.set("autoBroadcastJoinThreshold", 0);
    assert.equal(s.conf.get("shuffle.partitions"), 12);
    assert.equal(s.conf.get("aggregate.skipPartialRatio"), 0.25);
  });

  it("takes true / false for switches, as Spark writes them", () => {
    const s = new Session();
    s.conf.set("ansi.enabled", "false");
    assert.equal(s.conf.get("ansi.enabled"), 0);
    s.conf.set("adaptive.enabled", " TRUE ");
    assert.equal(s.conf.get("adaptive.enabled"), 1);
    s.conf.set("ansi.enabled", true);
    assert.equal(s.conf.get("ansi.enabled"), 1);
    assert.throws(() => s.conf.set("ansi.enabled", "maybe"), /config 'ansi\.enabled' must be 0 \/ false \(off\) or 1 \/ true \(on\), got 'maybe'/);
  });
});
