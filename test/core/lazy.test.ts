import { describe, expect, it } from "vitest";
import { ChatwootError, ConnectionError } from "../../src/core/errors.js";
import { onFirstNeed } from "../../src/core/lazy.js";
import { retryCreate } from "../../src/core/retry.js";

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

  it("a chunk that fails to load is a ConnectionError that says nothing was sent (so a create may be retried), not a raw runtime error", async () => {
    const need = onFirstNeed(() => Promise.reject(new TypeError("Failed to fetch dynamically imported module: https://cdn.example/general-3f2a.js")), "the general request path");
    const error = await need().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatwootError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ requestSent: false, message: expect.stringContaining("Could not load the general request path: Failed to fetch") });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(retryCreate(error)).toBe(true);
  });
});
