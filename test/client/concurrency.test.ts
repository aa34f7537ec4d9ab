import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { json, message, startServer, type TestServer } from "../helpers/http-server.js";

let server: TestServer;
let inFlight = 0;
let most = 0;
beforeAll(async () => {
  server = await startServer(async (_request, response) => {
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 30));
    inFlight--;
    json(response, 200, message(1));
  });
});
afterAll(() => server.close());

describe("maxConcurrentWrites", () => {
  it("keeps at most N writes in flight and completes them all", async () => {
    most = 0;
    const client = clientFor(server.url, { maxConcurrentWrites: 2 });
    const results = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => client.messages.create(42, { content: `bulk ${i}` })),
      client.messages.updateStatus(42, 1, { status: "read" }),
      client.messages.delete(42, 1),
    ]);
    expect(results).toHaveLength(10);
    expect(most).toBe(2);
  });

  it("without it, writes go out at once", async () => {
    most = 0;
    const client = clientFor(server.url);
    await Promise.all(Array.from({ length: 6 }, () => client.messages.create(42, { content: "x" })));
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
    const client = clientFor(server.url, { maxConcurrentWrites: 1 });
    await Promise.all(Array.from({ length: 4 }, () => client.messages.list(42).catch(() => undefined)));
    expect(most).toBe(4);
  });
});
