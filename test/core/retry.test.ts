import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, RateLimitError, ServerError, TimeoutError } from "../../src/index.js";
import { parseRetryAfter } from "../../src/core/errors.js";
import { retryDelay, DEFAULT_BACKOFF } from "../../src/core/retry.js";
import { clientFor } from "../helpers/client.js";
import { closedPort, json, message, startServer, text, type TestServer } from "../helpers/http-server.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server answering `failures` times with `status`, then 200 with a message. */
async function failingThenOk(failures: number, status: number, headers: Record<string, string> = {}) {
  const server = await startServer((request, response, index) => {
    if (index < failures) text(response, status, "nope", "text/plain", headers);
    else json(response, 200, request.method === "GET" ? { meta: {}, payload: [message(7)] } : message(7));
  });
  servers.push(server);
  return server;
}

const call = {
  create: (url: string, options = {}) => clientFor(url, options).messages.create(42, { content: "hi" }),
  list: (url: string, options = {}) => clientFor(url, options).messages.list(42).then((page) => page.payload[0]),
  updateStatus: (url: string, options = {}) => clientFor(url, options).messages.updateStatus(42, 7, { status: "read" }),
  delete: (url: string, options = {}) => clientFor(url, options).messages.delete(42, 7),
};

describe("idempotent operations retry 408, 429, 5xx", () => {
  it.each([
    ["list", 500], ["list", 502], ["list", 503], ["list", 408], ["list", 429],
    ["updateStatus", 500], ["updateStatus", 429], ["delete", 503], ["delete", 408],
  ] as const)("%s after %i: retried, then succeeds", async (operation, status) => {
    const server = await failingThenOk(2, status);
    await expect(call[operation](server.url)).resolves.toMatchObject({ id: 7 });
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after maxRetries (default 2): three requests, then the error", async () => {
    const server = await failingThenOk(10, 500);
    await expect(call.list(server.url)).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(3);
  });

  it("maxRetries: 0 sends exactly one request, per client or per call", async () => {
    const server = await failingThenOk(10, 500);
    await expect(call.list(server.url, { maxRetries: 0 })).rejects.toBeInstanceOf(ServerError);
    await expect(clientFor(server.url).messages.list(42, {}, { maxRetries: 0 })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 422])("does not retry %i", async (status) => {
    const server = await failingThenOk(10, status);
    await expect(call.list(server.url)).rejects.toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
  });
});

describe("create is not idempotent", () => {
  it.each([500, 502, 503, 504, 408])("a POST answered %i is sent exactly once", async (status) => {
    const server = await failingThenOk(10, status);
    await expect(call.create(server.url)).rejects.toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
  });

  it("a POST that times out is sent exactly once", async () => {
    const server = await startServer(() => undefined); // never answers
    servers.push(server);
    // Long enough for the request to reach the server on a loaded machine: a deadline that fired before
    // sending would prove nothing.
    await expect(call.create(server.url, { timeoutMs: 2_000 })).rejects.toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it("a POST whose connection breaks after sending is sent exactly once", async () => {
    const server = await startServer((_request, response) => response.socket?.destroy());
    servers.push(server);
    const error = await call.create(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).requestSent).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("a POST answered 429 is retried: the server refused it before processing", async () => {
    const server = await failingThenOk(2, 429);
    await expect(call.create(server.url)).resolves.toMatchObject({ id: 7 });
    expect(server.requests).toHaveLength(3);
  });

  it("a POST refused at connect (never sent) is retried and reaches the server once", async () => {
    const port = await closedPort();
    let server: TestServer | undefined;
    let starting: Promise<unknown> | undefined;
    // The first refusal is logged; the server then comes up during the backoff.
    const startOnce = () => {
      starting ??= startServer((_r, response) => json(response, 200, message(9)), port).then((s) => servers.push((server = s)));
    };
    const client = clientFor(`http://127.0.0.1:${port}`, { backoff: { initialMs: 300, maxMs: 300 }, logger: { warn: startOnce } });
    await expect(client.messages.create(42, { content: "hi" })).resolves.toMatchObject({ id: 9 });
    expect(server?.requests).toHaveLength(1);
  });

  it("a refused connection that never recovers ends in ConnectionError with requestSent false", async () => {
    const port = await closedPort();
    const error = await call.create(`http://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe("ECONNREFUSED");
    expect((error as ConnectionError).requestSent).toBe(false);
  });

  it("unsafeRetries opts a create into retrying 5xx, per client or per call", async () => {
    const server = await failingThenOk(2, 500);
    await expect(call.create(server.url, { unsafeRetries: true })).resolves.toMatchObject({ id: 7 });
    expect(server.requests).toHaveLength(3);
    const other = await failingThenOk(2, 502);
    await expect(clientFor(other.url).messages.create(42, { content: "x" }, { unsafeRetries: true })).resolves.toMatchObject({ id: 7 });
    expect(other.requests).toHaveLength(3);
  });
});

describe("Retry-After", () => {
  it("is honoured: the retry waits the seconds the server asked for", async () => {
    const server = await failingThenOk(1, 429, { "retry-after": "1" });
    await expect(call.list(server.url)).resolves.toMatchObject({ id: 7 });
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it("beyond backoff.maxRetryAfterMs is not waited out: the error comes at once, with retryAfter", async () => {
    const server = await failingThenOk(1, 429, { "retry-after": "3600" });
    const error = await call.create(server.url, { backoff: { maxRetryAfterMs: 50 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(3600);
    expect(server.requests).toHaveLength(1);
  });

  it("beyond the cap on a read too: one request, the ServerError", async () => {
    const server = await failingThenOk(1, 503, { "retry-after": "3600" });
    await expect(call.list(server.url, { backoff: { maxRetryAfterMs: 50 } })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
  });

  it("an HTTP-date is honoured in each of its three forms, relative to now", () => {
    const now = Date.parse("Sun, 06 Nov 1994 08:49:30 GMT");
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(7);
    expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(7);
    expect(parseRetryAfter("Sun Nov  6 08:49:37 1994", now)).toBe(7);
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now)).toBe(0); // in the past: no wait
  });

  it.each(["-1", "5,", "1.5", "junk", "5 seconds", "Sun, 06 Nov 1994", "", "  "])(
    "%j is ignored, and the client's own backoff applies",
    (value) => {
      expect(parseRetryAfter(value, 0)).toBeUndefined();
      const error = new RateLimitError(429, "", new Headers({ "retry-after": value }));
      expect(error.retryAfter).toBeUndefined();
      expect(retryDelay(0, error, DEFAULT_BACKOFF, () => 1)).toBe(500);
    },
  );

  it("without Retry-After (Chatwoot's own 429) the delay is exponential backoff with jitter", () => {
    const error = new RateLimitError(429, "Retry later\n", new Headers());
    const delays = [0, 1, 2, 3, 10].map((retry) => [retryDelay(retry, error, DEFAULT_BACKOFF, () => 0), retryDelay(retry, error, DEFAULT_BACKOFF, () => 1)]);
    expect(delays).toEqual([[250, 500], [500, 1000], [1000, 2000], [2000, 4000], [4000, 8000]]);
    expect(retryDelay(0, new RateLimitError(429, "", new Headers({ "retry-after": "2" })), DEFAULT_BACKOFF)).toBe(2000);
  });
});
