/**
 * A contact session's source_id (and an identifier_hash) are credentials like the API token: no
 * error message, stack, cause chain, JSON.stringify, util.inspect or log line shows them, even when
 * the server echoes the request back. Log lines show the path with the source_id [redacted].
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatwootError, InvalidResponseError, RedirectError } from "../../src/index.js";
import { INBOX, SOURCE_ID, contactClientFor } from "../helpers/contact.js";
import { closedPort, json, startServer, text, type TestServer } from "../helpers/http-server.js";

const HASH = "5c1e2f8f4b9a0e7d3c6b1a2f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";
let server: TestServer;
beforeAll(async () => {
  // Every answer quotes the request back: its URL (with the source_id), headers and body.
  server = await startServer((request, response) => {
    const echo = `${request.url} ${JSON.stringify(request.headers)} ${request.body.toString()}`;
    const scenario = /conversations\/(\d+)/.exec(request.url)?.[1] ?? "500";
    if (scenario === "1") return text(response, 502, `<html><title>${echo}</title></html>`, "text/html");
    if (scenario === "2") return text(response, 200, `${SOURCE_ID} ${echo}`, "text/plain");
    if (scenario === "3") {
      response.writeHead(302, { location: `https://evil.example.org${request.url}` });
      return response.end();
    }
    if (scenario === "4") return; // hangs
    json(response, Number(scenario), { error: echo, message: echo, status: Number(scenario) });
  });
});
afterAll(() => server.close());

function expectHidden(error: unknown, ...secrets: string[]) {
  expect(error).toBeInstanceOf(ChatwootError);
  const e = error as Error;
  const views = [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), String(e)];
  for (let cause = e.cause as Error | undefined; cause; cause = cause.cause as Error | undefined) views.push(String(cause), cause.stack ?? "", inspect(cause));
  for (const secret of secrets) for (const view of views) expect(view).not.toContain(secret);
}

function logged() {
  const lines: string[] = [];
  return { lines, logger: { debug: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) } };
}

describe("a session's source_id never leaks", () => {
  it.each([["404", 404], ["422", 422], ["429", 429], ["500", 500], ["an HTML 502", 1], ["a non-JSON 200 quoting it", 2], ["a redirect to a URL holding it", 3], ["a timeout", 4]])(
    "not from the error of %s, even when the server echoes the request",
    async (_name, scenario) => {
      const { lines, logger } = logged();
      const session = contactClientFor(server.url, { maxRetries: 1, timeoutMs: scenario === 4 ? 80 : 30_000, logger }).session(SOURCE_ID);
      const error = await session.conversations.get(scenario).catch((e: unknown) => e);
      if (scenario === 2) expect(error).toBeInstanceOf(InvalidResponseError);
      if (scenario === 3) expect(error).toBeInstanceOf(RedirectError);
      expectHidden(error, SOURCE_ID, encodeURIComponent(SOURCE_ID));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join("\n")).not.toContain(SOURCE_ID);
    },
  );

  it("a source_id that is percent-encoded in the path is hidden in both spellings", async () => {
    const odd = "visitor+42@kiosk:7 SECRET";
    const { lines, logger } = logged();
    const error = await contactClientFor(server.url, { maxRetries: 0, logger }).session(odd).conversations.get(404).catch((e: unknown) => e);
    expectHidden(error, odd, encodeURIComponent(odd));
    expect(lines.join("\n")).not.toContain(encodeURIComponent(odd));
  });

  it("log lines name the path with the source_id [redacted], and the inbox identifier as it is", async () => {
    const { lines, logger } = logged();
    await contactClientFor(server.url, { maxRetries: 0, logger }).session(SOURCE_ID).conversations.get(404).catch(() => undefined);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^GET /public/api/v1/inboxes/${INBOX}/contacts/\\[redacted\\]/conversations/404 -> 404 in \\d+ ms$`))]);
  });

  it("nor a source_id or identifier_hash sent in a contact create's body", async () => {
    const client = contactClientFor(server.url, { maxRetries: 0, middleware: [{ onRequest: ({ request }) => new Request(request.url.replace(/contacts$/, "contacts/conversations/500"), request) }] });
    const error = await client.contacts.create({ source_id: SOURCE_ID, identifier: "c-1", identifier_hash: HASH }).catch((e: unknown) => e);
    expectHidden(error, SOURCE_ID, HASH);
  });

  it("nor an identifier_hash given to contact.get", async () => {
    const error = await contactClientFor(server.url, { maxRetries: 0, middleware: [{ onRequest: ({ request }) => new Request(request.url.replace(/\?/, "/conversations/500?"), request) }] })
      .session(SOURCE_ID).contact.get({ identifier: "c-1", identifier_hash: HASH }).catch((e: unknown) => e);
    expectHidden(error, SOURCE_ID, HASH);
  });

  it("not from a ConnectionError", async () => {
    const port = await closedPort();
    expectHidden(await contactClientFor(`http://127.0.0.1:${port}`, { maxRetries: 0 }).session(SOURCE_ID).messages.list(44).catch((e: unknown) => e), SOURCE_ID);
  });

  it("not from validation errors about the source_id itself", async () => {
    const client = contactClientFor(server.url);
    let error: unknown;
    try {
      client.session(`${SOURCE_ID}.json`);
    } catch (e) {
      error = e;
    }
    expectHidden(error, SOURCE_ID);
    expectHidden(await client.contacts.create({ source_id: `a/${SOURCE_ID}` }).catch((e: unknown) => e), SOURCE_ID);
  });

  it("not from the client or a session object", () => {
    const client = contactClientFor(server.url);
    const session = client.session(SOURCE_ID);
    for (const value of [client, session]) {
      expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(SOURCE_ID);
      expect(JSON.stringify(value)).not.toContain(SOURCE_ID);
    }
  });
});
