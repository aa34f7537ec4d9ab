import { describe, expect, it } from "vitest";
import { onFirstNeed } from "../../src/lazy.js";

describe("onFirstNeed", () => {
  it("loads once, however many calls need it at the same time", async () => {
    let loads = 0;
    const need = onFirstNeed(async () => ({ load: ++loads }));
    const results = await Promise.all([need(), need(), need()]);
    expect(results.map((result) => result.load)).toEqual([1, 1, 1]);
    expect((await need()).load).toBe(1);
  });

  it("does not remember a failed load: the next need loads again", async () => {
    let loads = 0;
    const need = onFirstNeed(async () => {
      loads++;
      if (loads === 1) throw new Error("chunk request failed");
      return "loaded";
    });
    await expect(need()).rejects.toThrow("chunk request failed");
    await expect(need()).resolves.toBe("loaded");
    expect(loads).toBe(2);
  });
});
