/**
 * The contact client's retries, against real servers on 127.0.0.1: the same safety rules as the
 * Application API's. A message create or a conversation create is not sent again once it may have
 * reached the server (a 5xx, a timeout, a connection cut after the request went out); reads and
 * idempotent writes are; a contact create is, since it always carries its source_id.
 */
import { describe, expect, it } from "vitest";
import { ConnectionError, ServerError, TimeoutError } from "../../src/index.js";
import { SOURCE_ID, contactClientFor } from "../helpers/contact.js";
import { json, useServers } from "../helpers/http-server.js";

const server = useServers();
const message = { id: 9, content: "hi", message_type: 0, content_type: "text", content_attributes: {}, created_at: 1781687609, conversation_id: 44 };

describe("creates are not retried once they may have been sent", () => {
  it("a message create answered 500 is sent once", async () => {
    const target = await server((_request, response) => json(response, 500, { status: 500, error: "Internal Server Error" }));
    await expect(contactClientFor(target.url, { maxRetries: 3 }).session(SOURCE_ID).messages.create(44, { content: "hi" })).rejects.toBeInstanceOf(ServerError);
    expect(target.requests).toHaveLength(1);
  });

  it("a message create that times out is sent once (one attempt, no retry)", async () => {
    const target = await server(() => undefined); // reads the request, never answers
    const lines: string[] = [];
    const logger = { debug: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    await expect(contactClientFor(target.url, { maxRetries: 3, timeoutMs: 200, logger }).session(SOURCE_ID).messages.create(44, { content: "hi" })).rejects.toBeInstanceOf(TimeoutError);
    // Counted by the client's own attempt lines: on a busy machine the request may reach the server after the deadline.
    expect(lines).toEqual([expect.stringMatching(/^POST .*\/messages failed after \d+ ms: TimeoutError$/)]);
    expect(target.requests.length).toBeLessThanOrEqual(1);
  });

  it("a message create whose connection is cut after the request went out is sent once", async () => {
    const target = await server((_request, response) => response.socket?.destroy());
    const error = await contactClientFor(target.url, { maxRetries: 3 }).session(SOURCE_ID).messages.create(44, { content: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(target.requests).toHaveLength(1);
  });

  it("a conversation create answered 502 is sent once", async () => {
    const target = await server((_request, response) => json(response, 502, { status: 502, error: "Bad Gateway" }));
    await expect(contactClientFor(target.url, { maxRetries: 3 }).session(SOURCE_ID).conversations.create()).rejects.toBeInstanceOf(ServerError);
    expect(target.requests).toHaveLength(1);
  });

  it("a message create refused with 429 is retried after Retry-After, with the same echo_id", async () => {
    const target = await server((_request, response, index) =>
      index === 0 ? json(response, 429, { error: "Retry later" }, { "retry-after": "0" }) : json(response, 200, message));
    const sent = await contactClientFor(target.url).session(SOURCE_ID).messages.create(44, { content: "hi" });
    expect(target.requests).toHaveLength(2);
    const echoIds = target.requests.map((r) => JSON.parse(r.body.toString()).echo_id);
    expect(echoIds[0]).toBe(echoIds[1]);
    expect(sent.echo_id).toBe(echoIds[0]);
  });

  it("unsafeRetries: true retries a message create after a 500 (it may be posted twice)", async () => {
    const target = await server((_request, response, index) => (index === 0 ? json(response, 500, {}) : json(response, 200, message)));
    await contactClientFor(target.url).session(SOURCE_ID).messages.create(44, { content: "hi" }, { unsafeRetries: true });
    expect(target.requests).toHaveLength(2);
  });
});

describe("what is safe to repeat is retried", () => {
  it.each([
    ["messages.list", (c: ReturnType<typeof contactClientFor>) => c.session(SOURCE_ID).messages.list(44), []],
    ["conversations.resolve", (c: ReturnType<typeof contactClientFor>) => c.session(SOURCE_ID).conversations.resolve(44), { id: 44 }],
    ["contact.update", (c: ReturnType<typeof contactClientFor>) => c.session(SOURCE_ID).contact.update({ name: "A" }), { id: 1 }],
  ] as const)("%s after a 503", async (_name, call, answer) => {
    const target = await server((_request, response, index) => (index === 0 ? json(response, 503, {}) : json(response, 200, answer)));
    await call(contactClientFor(target.url));
    expect(target.requests).toHaveLength(2);
  });

  it("contacts.create after a 500: again with the same source_id, so the server finds the session the first made", async () => {
    const target = await server((request, response, index) =>
      index === 0 ? json(response, 500, {}) : json(response, 200, { source_id: JSON.parse(request.body.toString()).source_id, pubsub_token: "p", id: 1, name: "n", email: null, phone_number: null }));
    const contact = await contactClientFor(target.url).contacts.create({ name: "Alex" });
    const sourceIds = target.requests.map((r) => JSON.parse(r.body.toString()).source_id);
    expect(sourceIds).toEqual([contact.source_id, contact.source_id]);
  });
});
