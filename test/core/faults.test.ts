/**
 * Fault injection: a local server that misbehaves on purpose. Every fault ends in the documented
 * error or result, within the timeout, and a create is never sent twice unless retries of
 * creates were opted into.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError, InvalidResponseError, ServerError, TimeoutError, type ChatwootClient } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { message, startServer, text, type TestServer } from "../helpers/http-server.js";

// What a good answer would be: a message to a create, a page of messages to a list.
const bodies = { POST: JSON.stringify(message(77)), GET: JSON.stringify({ meta: {}, payload: [message(77)] }) };
type Fault = (response: ServerResponse, attempt: number, body: string) => void;

const faults: Record<string, Fault> = {
  "reset mid-response": (response, _attempt, body) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
    response.write(body.slice(0, 20));
    setTimeout(() => response.socket?.destroy(), 10);
  },
  "body shorter than its content-length, then a clean close": (response, _attempt, body) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": String(body.length + 50) });
    response.write(body);
    setTimeout(() => response.socket?.end(), 10);
  },
  "truncated JSON": (response, _attempt, body) => text(response, 200, body.slice(0, 30), "application/json"),
  "malformed JSON": (response) => text(response, 200, "{id: 77, 'content': }", "application/json"),
  "HTML 502 from a proxy": (response) => text(response, 502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "text/html"),
  "200 with an HTML page": (response) => text(response, 200, "<!doctype html><title>Sign in to Wi-Fi</title>", "text/html"),
  "200 with a wrong content type but a JSON message": (response, _attempt, body) => text(response, 200, body, "text/html; charset=utf-8"),
  "never answers": () => undefined,
  "429 without Retry-After, then success": (response, attempt, body) =>
    attempt === 0 ? text(response, 429, "Retry later\n") : text(response, 200, body, "application/json"),
};

type Expectation = { error?: new (...args: never[]) => Error; createRequests: number; listRequests: number };
const expected: Record<keyof typeof faults, Expectation> = {
  "reset mid-response": { error: ConnectionError, createRequests: 1, listRequests: 3 },
  "body shorter than its content-length, then a clean close": { error: ConnectionError, createRequests: 1, listRequests: 3 },
  "truncated JSON": { error: InvalidResponseError, createRequests: 1, listRequests: 1 },
  "malformed JSON": { error: InvalidResponseError, createRequests: 1, listRequests: 1 },
  "HTML 502 from a proxy": { error: ServerError, createRequests: 1, listRequests: 3 },
  "200 with an HTML page": { error: InvalidResponseError, createRequests: 1, listRequests: 1 },
  "200 with a wrong content type but a JSON message": { createRequests: 1, listRequests: 1 },
  "never answers": { error: TimeoutError, createRequests: 1, listRequests: 3 },
  "429 without Retry-After, then success": { createRequests: 2, listRequests: 2 },
};

let server: TestServer;
const attempts = new Map<string, number>();
beforeAll(async () => {
  // The path names the fault: /fault/<name>/api/v1/...; attempts are counted per run id.
  server = await startServer((request, response) => {
    const [, , name, run] = request.url.split("/").map(decodeURIComponent);
    const attempt = attempts.get(run!) ?? 0;
    attempts.set(run!, attempt + 1);
    faults[name!]!(response, attempt, request.method === "GET" ? bodies.GET : bodies.POST);
  });
});
afterAll(() => server.close());

let runs = 0;
function clientForFault(name: string, options = {}): [ChatwootClient, () => number] {
  const run = `run-${++runs}`;
  // Only the server that never answers needs a short deadline: a busy machine must not turn the other faults into timeouts.
  const client = clientFor(`${server.url}/fault/${encodeURIComponent(name)}/${run}`, { timeoutMs: name === "never answers" ? 150 : 30_000, ...options });
  return [client, () => attempts.get(run) ?? 0];
}

describe.each(Object.keys(faults))("%s", (name) => {
  const expectation = expected[name]!;

  it(`create: ${expectation.error?.name ?? "succeeds"}, sent ${expectation.createRequests} time(s)`, async () => {
    const [client, sent] = clientForFault(name);
    const outcome = await client.messages.create(42, { content: "hi" }).then((m) => m, (e: unknown) => e);
    if (expectation.error) expect(outcome).toBeInstanceOf(expectation.error);
    else expect(outcome).toMatchObject({ id: 77 });
    expect(sent()).toBe(expectation.createRequests);
  });

  it(`list: ${expectation.error?.name ?? "succeeds"} after ${expectation.listRequests} request(s)`, async () => {
    const [client, sent] = clientForFault(name);
    const outcome = await client.messages.list(42).then((m) => m, (e: unknown) => e);
    if (expectation.error) expect(outcome).toBeInstanceOf(expectation.error);
    else expect(outcome).toMatchObject({ payload: [{ id: 77 }] });
    expect(sent()).toBe(expectation.listRequests);
  });
});

describe("opting in", () => {
  it("unsafeRetries lets a create be retried after a broken connection and a timeout", async () => {
    const [reset, resetSent] = clientForFault("reset mid-response", { unsafeRetries: true });
    await expect(reset.messages.create(42, { content: "hi" })).rejects.toBeInstanceOf(ConnectionError);
    expect(resetSent()).toBe(3);
    const [silent, silentSent] = clientForFault("never answers", { unsafeRetries: true, maxRetries: 1 });
    await expect(silent.messages.create(42, { content: "hi" })).rejects.toBeInstanceOf(TimeoutError);
    expect(silentSent()).toBe(2);
  });
});
