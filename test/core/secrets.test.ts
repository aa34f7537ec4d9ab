import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatwootError, InvalidResponseError, createChatwootClient } from "../../src/index.js";
import { TOKEN, clientFor, routeTo } from "../helpers/client.js";
import { closedPort, json, startServer, text, type TestServer } from "../helpers/http-server.js";

let server: TestServer;
beforeAll(async () => {
  // Every answer quotes the request headers back, as a badly configured proxy might.
  server = await startServer((request, response) => {
    const echo = JSON.stringify(request.headers);
    const scenario = request.url.split("/messages/")[1];
    if (scenario === "html") return text(response, 502, `<html><title>${echo}</title></html>`, "text/html");
    if (scenario === "ok-garbage") return text(response, 200, `oops ${echo}`, "text/plain");
    if (scenario === "redirect") {
      response.writeHead(302, { location: `https://evil.example.org/?t=${TOKEN}` });
      return response.end();
    }
    if (scenario === "hang") return;
    const pad = /^pad-(\d+)$/.exec(scenario ?? "")?.[1];
    if (pad) return text(response, 200, `${"a".repeat(Number(pad))}${TOKEN}${"b".repeat(40)}`, "text/plain");
    json(response, Number(scenario), { error: echo, errors: [echo], message: echo });
  });
});
afterAll(() => server.close());

async function errorFor(scenario: string): Promise<unknown> {
  const lines: string[] = [];
  const logger = { debug: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
  // Only the hanging server needs a short deadline; the others must not race one on a busy machine.
  const client = clientFor(server.url, { maxRetries: 1, timeoutMs: scenario === "hang" ? 80 : 30_000, logger, middleware: [routeTo(scenario)] });
  const error = await client.messages.delete(42, 1).catch((e: unknown) => e);
  expect(lines.join("\n")).not.toContain(TOKEN);
  return error;
}

function expectNoToken(error: unknown) {
  expect(error).toBeInstanceOf(ChatwootError);
  const e = error as Error;
  for (const view of [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), String(e)]) {
    expect(view).not.toContain(TOKEN);
  }
}

describe("the token never leaks", () => {
  it.each(["401", "403", "404", "422", "429", "500", "418", "html", "ok-garbage", "redirect", "hang"])(
    "not from the error of a %s answer, even when the server echoes the headers",
    async (scenario) => expectNoToken(await errorFor(scenario)),
  );

  it("no part of it from a non-JSON 2xx body, wherever the token falls around the 80-character cut", async () => {
    const client = (pad: number) => clientFor(server.url, { maxRetries: 0, middleware: [routeTo(`pad-${pad}`)] });
    const pieces = Array.from({ length: TOKEN.length - 3 }, (_, i) => TOKEN.slice(i, i + 4));
    for (let pad = 40; pad <= 85; pad++) {
      const error = await client(pad).messages.delete(42, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      const leaked = pieces.filter((piece) => (error as Error).message.includes(piece));
      expect(leaked, `token at offset ${pad}: ${(error as Error).message}`).toEqual([]);
    }
  });

  it("no part of it in the cause chain of a non-JSON 2xx body, util.inspect included (JSON.parse quotes what it choked on)", async () => {
    const pieces = Array.from({ length: TOKEN.length - 5 }, (_, i) => TOKEN.slice(i, i + 6));
    for (const pad of [0, 1, 3, 8]) {
      const error = await clientFor(server.url, { maxRetries: 0, middleware: [routeTo(`pad-${pad}`)] }).messages.delete(42, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
      const views = [inspect(error, { depth: 10, showHidden: true }), String((error as Error).cause), ((error as Error).cause as Error).stack ?? ""].join("\n");
      expect(pieces.filter((piece) => views.includes(piece)), `token at offset ${pad}`).toEqual([]);
    }
  });

  it("nor any part of the lookupToken, which reconciling lists carry", async () => {
    const lookupToken = "lookup_77aa88bb99ccSECRET";
    const echoing = await startServer((request, response) => json(response, 500, { error: JSON.stringify(request.headers) }));
    try {
      const client = clientFor(echoing.url, { maxRetries: 0, lookupToken });
      const error = await client.messages.create(42, { content: "x" }, { idempotencyKey: "k-1" }).catch((e: unknown) => e);
      expect(echoing.requests.map((request) => [request.method, request.headers.api_access_token])).toEqual([["GET", lookupToken]]);
      expectNoToken(error);
      const e = error as Error;
      for (const view of [e.message, JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })]) expect(view).not.toContain(lookupToken.slice(0, 12));
    } finally {
      await echoing.close();
    }
  });

  it("not from a ConnectionError", async () => {
    const port = await closedPort();
    expectNoToken(await clientFor(`http://127.0.0.1:${port}`, { maxRetries: 0 }).messages.list(1).catch((e: unknown) => e));
  });

  it("not from validation errors about the token itself", () => {
    let error: unknown;
    try {
      createChatwootClient({ baseUrl: "https://chat.example.com", apiAccessToken: `${TOKEN}\n` });
    } catch (e) {
      error = e;
    }
    expectNoToken(error);
  });

  it("not from the client object", () => {
    const client = clientFor(server.url);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });

  it("not from a log line", async () => {
    const lines: string[] = [];
    await clientFor(server.url, { logger: { debug: (l) => lines.push(l), warn: (l) => lines.push(l) }, middleware: [routeTo("500")] })
      .messages.delete(1, 1)
      .catch(() => undefined);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("a line for every attempt, even when a later middleware answers itself or throws", async () => {
    const lines: string[] = [];
    const logger = { debug: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    const answers = { onRequest: () => new Response(JSON.stringify({ id: 5, content: "canned" }), { status: 200 }) };
    const throws = { onRequest: () => { throw new Error("middleware refused"); } };
    await clientFor(server.url, { logger, middleware: [answers] }).messages.delete(42, 5);
    await clientFor(server.url, { logger, middleware: [throws] }).messages.delete(42, 5).catch(() => undefined);
    expect(lines).toEqual([
      expect.stringMatching(/^DELETE \/api\/v1\/accounts\/1\/conversations\/42\/messages\/5 -> 200 in \d+ ms$/),
      expect.stringMatching(/^DELETE \/api\/v1\/accounts\/1\/conversations\/42\/messages\/5 failed after \d+ ms: Error$/),
    ]);
  });

  it("nothing is logged without a logger", async () => {
    const calls: unknown[] = [];
    const original = { log: console.log, debug: console.debug, warn: console.warn, info: console.info, error: console.error };
    Object.assign(console, Object.fromEntries(Object.keys(original).map((k) => [k, (...a: unknown[]) => calls.push(a)])));
    try {
      await clientFor(server.url, { middleware: [routeTo("500")] }).messages.delete(1, 1).catch(() => undefined);
    } finally {
      Object.assign(console, original);
    }
    expect(calls).toEqual([]);
  });
});
