import { afterEach, describe, expect, it } from "vitest";
import { AbortError, TimeoutError } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { json, message, startServer, type TestServer } from "../helpers/http-server.js";
import { waitFor } from "../helpers/processes.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function silentServer() {
  const server = await startServer(() => undefined);
  servers.push(server);
  return server;
}

describe("timeouts", () => {
  it("an attempt with no answer ends in TimeoutError, retried for reads, each attempt with its own deadline", async () => {
    const server = await silentServer();
    const started = performance.now();
    // 1 s: long enough for each attempt to reach the server on a loaded machine.
    const error = await clientFor(server.url, { timeoutMs: 1_000, maxRetries: 1 }).messages.list(42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).name).toBe("TimeoutError");
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_990);
  });

  it("a per-call timeoutMs overrides the client's", async () => {
    const server = await silentServer();
    const client = clientFor(server.url, { timeoutMs: 60_000, maxRetries: 0 });
    await expect(client.messages.delete(42, 1, { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it("a body that stalls halfway also times out", async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"id": 1, "content": "');
    });
    servers.push(server);
    await expect(clientFor(server.url, { timeoutMs: 100, maxRetries: 0 }).messages.list(42)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe("the caller's signal", () => {
  it("aborting mid-request gives AbortError, not TimeoutError, and is never retried", async () => {
    const server = await silentServer();
    const controller = new AbortController();
    const pending = clientFor(server.url).messages.list(42, {}, { signal: controller.signal }).catch((e: unknown) => e);
    await waitFor(() => server.requests.length === 1, 15_000, "the request to reach the server"); // mid-request, however busy the machine
    controller.abort(new Error("user left"));
    const error = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toEqual(new Error("user left"));
    expect(server.requests).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const server = await silentServer();
    await expect(clientFor(server.url).messages.create(42, { content: "x" }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });

  it("aborting during the backoff between retries stops at once", async () => {
    const server = await startServer((_request, response) => json(response, 503, { error: "down" }));
    servers.push(server);
    const controller = new AbortController();
    // A ten-minute backoff: unless the abort cuts it short, the test times out.
    const client = clientFor(server.url, { backoff: { initialMs: 600_000, maxMs: 600_000 }, logger: { warn: () => controller.abort() } });
    await expect(client.messages.list(42, {}, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("a completed call leaves no listener behind on the caller's signal", async () => {
    const server = await startServer((_request, response) => json(response, 200, message(1)));
    servers.push(server);
    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => { listeners++; add(...args); }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => { listeners--; remove(...args); }) as typeof remove;
    const client = clientFor(server.url);
    for (let i = 0; i < 5; i++) await client.messages.delete(42, 1, { signal: controller.signal });
    expect(listeners).toBe(0);
  });
});
