import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError } from "../../src/index.js";
import { createLimiter } from "../../src/core/concurrency.js";
import { clientFor } from "../helpers/client.js";
import { json, message, startServer, type TestServer } from "../helpers/http-server.js";

// The server holds every request until the test lets it go, so "in flight" does not depend on timing.
let server: TestServer;
let inFlight = 0;
let most = 0;
const held: Array<() => void> = [];
let holding = false;
beforeAll(async () => {
  server = await startServer(async (_request, response) => {
    most = Math.max(most, ++inFlight);
    if (holding) await new Promise<void>((resolve) => held.push(resolve));
    inFlight--;
    json(response, 200, message(1));
  });
});
afterAll(() => server.close());

/** Releases held requests one by one until `done` settles. */
async function drain(done: Promise<unknown>): Promise<void> {
  let settled = false;
  void done.finally(() => (settled = true));
  while (!settled) {
    held.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("maxConcurrentWrites", () => {
  it("keeps at most N writes in flight and completes them all", async () => {
    most = 0;
    holding = true;
    const client = clientFor(server.url, { maxConcurrentWrites: 2 });
    const all = Promise.all([
      ...Array.from({ length: 8 }, (_, i) => client.messages.create(42, { content: `bulk ${i}` })),
      client.messages.updateStatus(42, 1, { status: "read" }),
      client.messages.delete(42, 1),
    ]);
    await drain(all);
    holding = false;
    expect(await all).toHaveLength(10);
    expect(most).toBe(2);
  });

  it("without it, writes go out at once", async () => {
    most = 0;
    holding = true;
    const client = clientFor(server.url);
    const all = Promise.all(Array.from({ length: 6 }, () => client.messages.create(42, { content: "x" })));
    await expect.poll(() => inFlight, { timeout: 15_000 }).toBe(6);
    await drain(all);
    holding = false;
    expect(most).toBe(6);
  });

  it("a call waiting for a slot can be aborted, and sends nothing", async () => {
    const client = clientFor(server.url, { maxConcurrentWrites: 1 });
    const before = server.requests.length;
    const controller = new AbortController();
    const first = client.messages.create(42, { content: "first" });
    const second = client.messages.create(42, { content: "second" }, { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(AbortError);
    await first;
    expect(server.requests.length).toBe(before + 1);
  });

  it("reads are not limited", async () => {
    most = 0;
    holding = true;
    const client = clientFor(server.url, { maxConcurrentWrites: 1 });
    const all = Promise.all(Array.from({ length: 4 }, () => client.messages.list(42).catch(() => undefined)));
    await expect.poll(() => inFlight, { timeout: 15_000 }).toBe(4);
    await drain(all);
    holding = false;
    expect(most).toBe(4);
  });

  it("bulk sends sharing one signal print no MaxListenersExceededWarning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const signal = new AbortController().signal;
      const limited = clientFor(server.url, { maxConcurrentWrites: 2 });
      const open = clientFor(server.url);
      await Promise.all([
        ...Array.from({ length: 40 }, () => limited.messages.create(42, { content: "x" }, { signal })),
        ...Array.from({ length: 40 }, () => open.messages.create(42, { content: "y" }, { signal })),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 20)); // warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});

describe("the limiter itself", () => {
  it("an already-aborted call leaves the other waiters queued, and they all settle", async () => {
    const limit = createLimiter(1);
    const first = deferred();
    const order: string[] = [];
    const a = limit(async () => { await first.promise; order.push("a"); });
    const b = limit(async () => { order.push("b"); });
    const aborted = AbortSignal.abort();
    await expect(limit(async () => order.push("c"), aborted)).rejects.toBeInstanceOf(AbortError);
    first.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(["a", "b"]);
  });

  it("a waiter aborted while queued leaves the others queued, and its slot is not lost", async () => {
    const limit = createLimiter(1);
    const first = deferred();
    const controller = new AbortController();
    const a = limit(() => first.promise);
    const b = limit(async () => "b", controller.signal);
    const c = limit(async () => "c");
    controller.abort();
    await expect(b).rejects.toBeInstanceOf(AbortError);
    first.resolve();
    await expect(Promise.all([a, c])).resolves.toEqual([undefined, "c"]);
    await expect(limit(async () => "d")).resolves.toBe("d");
  });

  // A newcomer arriving in any microtask between a release and the woken waiter's resumption.
  it.each([0, 1, 2, 3, 4, 5, 6])("never runs beyond the limit when a call arrives %i microtasks after a release", async (ticks) => {
    const limit = createLimiter(1);
    let running = 0;
    let peak = 0;
    const task = (gate?: Promise<void>) => async () => {
      peak = Math.max(peak, ++running);
      await gate;
      await Promise.resolve();
      running--;
    };
    const first = deferred();
    const calls = [limit(task(first.promise)), limit(task())];
    first.resolve();
    for (let i = 0; i < ticks; i++) await Promise.resolve();
    calls.push(limit(task()));
    await Promise.all(calls);
    expect(peak).toBe(1);
  });
});
