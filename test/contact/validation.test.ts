/** Bad input to the contact client: a ValidationError naming what is wrong, and nothing sent. */
import { describe, expect, it } from "vitest";
import { ValidationError, createContactClient, type ContactClient } from "../../src/index.js";
import { SOURCE_ID, contactClientFor } from "../helpers/contact.js";
import { json, useServers } from "../helpers/http-server.js";

const server = useServers();
const HASH = "5c1e2f8f4b9a0e7d3c6b1a2f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";

describe("construction", () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ["no inboxIdentifier", {}, /inboxIdentifier/],
    ["an inboxIdentifier with a slash", { inboxIdentifier: "abc/../x" }, /inboxIdentifier/],
    ["a baseUrl over plain http to another host", { inboxIdentifier: "abc", baseUrl: "http://chat.example.com" }, /baseUrl.*source_id unencrypted/],
    ["a timeoutMs of NaN", { inboxIdentifier: "abc", timeoutMs: Number.NaN }, /options\.timeoutMs/],
    ["a negative backoff", { inboxIdentifier: "abc", backoff: { initialMs: -1 } }, /options\.backoff\.initialMs/],
    ["unsafeRetries as a string", { inboxIdentifier: "abc", unsafeRetries: "yes" }, /options\.unsafeRetries/],
  ])("refuses %s", (_name, options, message) => {
    expect(() => createContactClient({ baseUrl: "https://chat.example.com", ...options } as never)).toThrow(ValidationError);
    expect(() => createContactClient({ baseUrl: "https://chat.example.com", ...options } as never)).toThrow(message);
  });

  it.each([["empty", ""], ["with a slash", "a/b"], ["with a dot (no route reaches it)", "a.b"], ["with a line break", "abc\n"], ["a number", 42]])("session() refuses a source_id %s", (_name, sourceId) => {
    expect(() => contactClientFor("https://chat.example.com").session(sourceId as string)).toThrow(/sourceId/);
  });
});

describe("calls: refused before anything is sent", () => {
  const cases: Array<[string, (c: ContactClient) => Promise<unknown>, RegExp]> = [
    ["a conversation id of 0", (c) => c.session(SOURCE_ID).conversations.get(0), /conversationId/],
    ["a conversation id \"1/../2\"", (c) => c.session(SOURCE_ID).messages.list("1/../2"), /conversationId/],
    ["a message id of -1", (c) => c.session(SOURCE_ID).messages.update(44, -1, { submitted_values: [] }), /messageId/],
    ["content of 150001 characters", (c) => c.session(SOURCE_ID).messages.create(44, { content: "x".repeat(150_001) }), /body\.content/],
    ["content of 150001 characters counted as Ruby does (emoji are one)", (c) => c.session(SOURCE_ID).messages.create(44, { content: "😀".repeat(150_001) }), /body\.content/],
    ["content null", (c) => c.session(SOURCE_ID).messages.create(44, { content: null as never }), /body\.content/],
    ["keys the Client API does not read (private, message_type)", (c) => c.session(SOURCE_ID).messages.create(44, { content: "x", private: true } as never), /private/],
    ["an empty echo_id", (c) => c.session(SOURCE_ID).messages.create(44, { content: "x", echo_id: "" }), /echo_id/],
    ["a signed blob id as an attachment (the server answers 500)", (c) => c.session(SOURCE_ID).messages.create(44, { attachments: ["signed-id"] as never }), /attachments\[0\]/],
    ["an attachment without a filename", (c) => c.session(SOURCE_ID).messages.create(44, { attachments: [{ data: new Uint8Array(1), filename: "" }] }), /filename/],
    ["a page cursor after (the Client API has only before)", (c) => c.session(SOURCE_ID).messages.list(44, { after: 3 } as never), /before/],
    ["before: 0", (c) => c.session(SOURCE_ID).messages.list(44, { before: 0 }), /query\.before/],
    ["typing status \"typing\"", (c) => c.session(SOURCE_ID).conversations.toggleTyping(44, "typing" as never), /status/],
    ["a custom attribute of 1501 characters", (c) => c.session(SOURCE_ID).conversations.create({ custom_attributes: { note: "n".repeat(1501) } }), /custom_attributes\.note/],
    ["a custom attribute above 9999999999", (c) => c.session(SOURCE_ID).conversations.create({ custom_attributes: { big: 10_000_000_000 } }), /custom_attributes\.big/],
    ["an uppercase identifier_hash (the server compares lowercase hex with ==)", (c) => c.contacts.create({ identifier: "c-1", identifier_hash: HASH.toUpperCase() }), /identifier_hash/],
    ["an identifier_hash without identifier", (c) => c.contacts.create({ identifier_hash: HASH }), /body\.identifier/],
    ["a contact email that is not a string", (c) => c.contacts.create({ email: 42 as never }), /body\.email/],
    ["a source_id with a dot in a create", (c) => c.contacts.create({ source_id: "a.b" }), /body\.source_id/],
    ["a source_id in an update (it names the session)", (c) => c.session(SOURCE_ID).contact.update({ source_id: "x" } as never), /body\.source_id/],
    ["contact.get with an identifier_hash but no identifier", (c) => c.session(SOURCE_ID).contact.get({ identifier_hash: HASH }), /query\.identifier/],
    ["submitted_values missing", (c) => c.session(SOURCE_ID).messages.update(44, 1, {} as never), /submitted_values/],
    ["a call timeoutMs of 0", (c) => c.inbox.get({ timeoutMs: 0 }), /options\.timeoutMs/],
  ];

  it.each(cases)("%s", async (_name, call, message) => {
    const target = await server((_request, response) => json(response, 200, {}));
    const error = await call(contactClientFor(target.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
    expect(target.requests).toHaveLength(0);
  });

  it("what the server takes passes: an empty message, an integer echo_id, exactly 150000 characters", async () => {
    const target = await server((_request, response) => json(response, 200, { id: 1, message_type: 0, content_type: "text", content_attributes: {}, created_at: 1, conversation_id: 44 }));
    const session = contactClientFor(target.url).session(SOURCE_ID);
    await session.messages.create(44, {});
    await session.messages.create(44, { echo_id: 5 });
    await session.messages.create(44, { content: "x".repeat(150_000) });
    expect(target.requests).toHaveLength(3);
  });
});
