import { expect } from "./expect.ts";
import { Session, col } from "../../src/index.ts";

describe("engine in Chromium", () => {
  it("runs in a cross-origin-isolated page", () => {
    expect(crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe("function");
  });

  it("filters and projects", async () => {
    const session = new Session();
    const df = session.createDataFrame([{ a: 1, b: "x" }, { a: 2, b: "y" }, { a: 3, b: null }]);
    const rows = await df.filter(col("a").gt(1)).select("b").collect();
    expect(JSON.stringify(rows)).toBe(JSON.stringify([{ b: "y" }, { b: null }]));
  });
});
