import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError, type ChatwootClient } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { json, message, startServer, type TestServer } from "../helpers/http-server.js";

let server: TestServer;
let client: ChatwootClient;
beforeAll(async () => {
  server = await startServer((request, response) => json(response, 200, request.method === "GET" ? { meta: {}, payload: [message(1)] } : message(1)));
  client = clientFor(server.url);
});
afterAll(() => server.close());

type Case = [name: string, parameter: string, run: (c: ChatwootClient) => Promise<unknown>];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loose = (value: unknown) => value as any;
const ok = { content: "hi" };

const cases: Case[] = [
  ["conversation id with a path traversal", "conversationId", (c) => c.messages.create(loose("1/../../admin?x="), ok)],
  ["conversation id \"..\"", "conversationId", (c) => c.messages.list(loose(".."))],
  ["conversation id \"%2e%2e\"", "conversationId", (c) => c.messages.list(loose("%2e%2e"))],
  ["conversation id \"1e3\"", "conversationId", (c) => c.messages.list(loose("1e3"))],
  ["conversation id \"0x10\"", "conversationId", (c) => c.messages.list(loose("0x10"))],
  ["conversation id \" 12\"", "conversationId", (c) => c.messages.list(loose(" 12"))],
  ["conversation id \"12 \"", "conversationId", (c) => c.messages.list(loose("12 "))],
  ["conversation id \"1/2\"", "conversationId", (c) => c.messages.list(loose("1/2"))],
  ["conversation id NaN", "conversationId", (c) => c.messages.list(NaN)],
  ["conversation id Infinity", "conversationId", (c) => c.messages.list(Infinity)],
  ["conversation id -1", "conversationId", (c) => c.messages.list(-1)],
  ["conversation id 0", "conversationId", (c) => c.messages.list(0)],
  ["conversation id 1.5", "conversationId", (c) => c.messages.list(1.5)],
  ["conversation id beyond safe integers", "conversationId", (c) => c.messages.list(2 ** 53)],
  ["conversation id \"9007199254740993\"", "conversationId", (c) => c.messages.list("9007199254740993")],
  ["conversation id empty string", "conversationId", (c) => c.messages.list("")],
  ["conversation id null", "conversationId", (c) => c.messages.list(loose(null))],
  ["conversation id as object", "conversationId", (c) => c.messages.list(loose({ id: 1 }))],
  ["message id \"..\" on delete", "messageId", (c) => c.messages.delete(42, loose(".."))],
  ["message id -5 on updateStatus", "messageId", (c) => c.messages.updateStatus(42, -5, { status: "read" })],
  ["account id \"abc\" per call", "accountId", (c) => c.messages.list(42, {}, { accountId: "abc" })],
  ["account id 0 per call", "accountId", (c) => c.messages.delete(42, 1, { accountId: 0 })],
  ["content over 150000 characters", "body.content", (c) => c.messages.create(42, { content: "a".repeat(150_001) })],
  ["content over 150000 characters of emoji", "body.content", (c) => c.messages.create(42, { content: "😀".repeat(150_001) })],
  ["content as a number", "body.content", (c) => c.messages.create(42, loose({ content: 42 }))],
  ["body null", "body", (c) => c.messages.create(42, loose(null))],
  ["body an array", "body", (c) => c.messages.create(42, loose([ok]))],
  ["message_type as an integer", "body.message_type", (c) => c.messages.create(42, loose({ content: "x", message_type: 1 }))],
  ["message_type unknown", "body.message_type", (c) => c.messages.create(42, loose({ content: "x", message_type: "sideways" }))],
  ["content_type unknown", "body.content_type", (c) => c.messages.create(42, loose({ content_type: "carousel" }))],
  ["private as a string", "body.private", (c) => c.messages.create(42, loose({ content: "x", private: "true" }))],
  ["cards without content_attributes", "body.content_attributes.items", (c) => c.messages.create(42, loose({ content_type: "cards" }))],
  ["cards with empty items", "body.content_attributes.items", (c) => c.messages.create(42, loose({ content_type: "cards", content_attributes: { items: [] } }))],
  ["card without actions", "body.content_attributes.items[0].actions", (c) => c.messages.create(42, loose({ content_type: "cards", content_attributes: { items: [{ title: "A" }] } }))],
  ["card action with an unknown key", "body.content_attributes.items[0].actions[0]", (c) => c.messages.create(42, loose({ content_type: "cards", content_attributes: { items: [{ title: "A", actions: [{ type: "link", text: "t", uri: "https://x.org", url: "y" }] }] } }))],
  ["input_select item with an unknown key", "body.content_attributes.items[0]", (c) => c.messages.create(42, loose({ content_type: "input_select", content_attributes: { items: [{ title: "A", value: "a", label: "x" }] } }))],
  ["form items as a JSON string with no items", "body.content_attributes.items", (c) => c.messages.create(42, loose({ content_type: "form", content_attributes: "{}" }))],
  ["article content_attributes that are not JSON", "body.content_attributes", (c) => c.messages.create(42, loose({ content_type: "article", content_attributes: "{items" }))],
  ["template_params without a name", "body.template_params.name", (c) => c.messages.create(42, loose({ template_params: { language: "en" } }))],
  ["attachments not an array", "body.attachments", (c) => c.messages.create(42, loose({ attachments: new Blob(["x"]) }))],
  ["attachment without a filename", "body.attachments[0].filename", (c) => c.messages.create(42, loose({ attachments: [{ data: new Uint8Array(1) }] }))],
  ["attachment with data as a plain array", "body.attachments[0].data", (c) => c.messages.create(42, loose({ attachments: [{ data: [1, 2], filename: "a.bin" }] }))],
  ["status missing", "body.status", (c) => c.messages.updateStatus(42, 1, loose({}))],
  ["status unknown", "body.status", (c) => c.messages.updateStatus(42, 1, loose({ status: "seen" }))],
  ["external_error not a string", "body.external_error", (c) => c.messages.updateStatus(42, 1, loose({ status: "failed", external_error: { code: 1 } }))],
  ["list query before as text", "query.before", (c) => c.messages.list(42, loose({ before: "soon" }))],
  ["list query after negative", "query.after", (c) => c.messages.list(42, { after: -1 })],
  ["filter_internal_messages false", "query.filter_internal_messages", (c) => c.messages.list(42, loose({ filter_internal_messages: false }))],
  ["iterate with a bad cursor", "query.before", (c) => c.messages.iterate(42, { before: 0 }).next()],
  ["timeoutMs negative", "options.timeoutMs", (c) => c.messages.list(42, {}, { timeoutMs: -1 })],
  ["timeoutMs NaN", "options.timeoutMs", (c) => c.messages.list(42, {}, { timeoutMs: NaN })],
  ["maxRetries fractional", "options.maxRetries", (c) => c.messages.list(42, {}, { maxRetries: 1.5 })],
  ["maxRetries absurd", "options.maxRetries", (c) => c.messages.list(42, {}, { maxRetries: 1000 })],
  ["signal not an AbortSignal", "options.signal", (c) => c.messages.list(42, {}, loose({ signal: {} }))],
  ["no account id anywhere", "accountId", () => clientFor(server.url, { accountId: undefined }).messages.list(42)],
];

describe("bad input is refused before anything is sent", () => {
  it("rejects rather than throws", () => {
    expect(() => client.messages.create(42, loose(null)).catch(() => undefined)).not.toThrow();
    expect(() => client.messages.iterate(loose("..")).next().catch(() => undefined)).not.toThrow();
  });

  it.each(cases)("%s → ValidationError naming %s", async (_name, parameter, run) => {
    const before = server.requests.length;
    const error = await run(client).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).name).toBe("ValidationError");
    expect((error as ValidationError).parameter).toBe(parameter);
    expect((error as ValidationError).message.startsWith(parameter)).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  it("good input of the same shapes goes through", async () => {
    const before = server.requests.length;
    await client.messages.list("42", { before: 10, after: 0, filter_internal_messages: true }, { accountId: "1" });
    await client.messages.create(42, { content: "😀".repeat(150_000) });
    await client.messages.create(42, { content_type: "cards", content_attributes: JSON.stringify({ items: [{ title: "A", actions: [{ type: "postback", text: "Go", payload: "GO" }] }] }) });
    expect(server.requests.length).toBe(before + 3);
  });
});

describe("bad client options are refused at construction", () => {
  it.each([
    ["apiAccessToken", { apiAccessToken: "" }],
    ["apiAccessToken", { apiAccessToken: "abc\ndef" }],
    ["apiAccessToken", { apiAccessToken: "abc def" }],
    ["baseUrl", { baseUrl: "not a url" }],
    ["accountId", { accountId: "1e3" }],
    ["options.timeoutMs", { timeoutMs: 0 }],
    ["options.maxConcurrentWrites", { maxConcurrentWrites: 0 }],
    ["authHeader", { authHeader: "Authorization" }],
    ["options.backoff.initialMs", { backoff: { initialMs: Number.NaN } }],
    ["options.backoff.maxMs", { backoff: { maxMs: -1 } }],
    ["options.backoff.maxRetryAfterMs", { backoff: { maxRetryAfterMs: "60000" } }],
    ["options.backoff", { backoff: 500 }],
    ["options.settleMs", { settleMs: Number.NaN }],
    ["options.botId", { botId: "my bot" }],
    ["lookupToken", { lookupToken: "abc\ndef" }],
  ])("%s", (parameter, options) => {
    expect(() => clientFor(server.url, loose(options))).toThrow(expect.objectContaining({ name: "ValidationError", parameter }));
  });
});
