/**
 * The contact client against real servers on 127.0.0.1 that answer as Chatwoot's Client API does
 * (chatwoot-client-api.md): what goes over the wire for each operation, and the reference's rspec
 * facts as cases. Runs on both request paths (the "general path" project too).
 */
import { describe, expect, it } from "vitest";
import { InvalidResponseError, NotFoundError, ServerError, UnprocessableEntityError, identifierHash } from "../../src/index.js";
import { INBOX, SOURCE_ID, contactClientFor } from "../helpers/contact.js";
import { json, text, useServers, type ReceivedRequest } from "../helpers/http-server.js";

const server = useServers();
const BASE = `/public/api/v1/inboxes/${INBOX}`;
const SESSION = `${BASE}/contacts/${SOURCE_ID}`;
const line = (r: ReceivedRequest) => `${r.method} ${r.url}`;
const bodyOf = (r: ReceivedRequest) => JSON.parse(r.body.toString());

function clientMessage(id: number, extra: Record<string, unknown> = {}) {
  return { id, content: `m${id}`, message_type: 0, content_type: "text", content_attributes: {}, created_at: 1781687600 + id, conversation_id: 44, ...extra };
}

describe("what goes over the wire", () => {
  it("no token header on any call; JSON bodies; the Client API's paths", async () => {
    const target = await server((request, response) => {
      const path = request.url.split("?")[0]!;
      if (path.endsWith("/toggle_typing") || path.endsWith("/update_last_seen")) return text(response, 200, "", "application/json");
      if (path.endsWith("/messages") || path.endsWith("/conversations")) {
        return json(response, 200, request.method === "GET" ? [] : clientMessage(7));
      }
      json(response, 200, { source_id: SOURCE_ID, pubsub_token: "p", id: 1, name: "n", email: null, phone_number: null });
    });
    const session = contactClientFor(target.url).session(SOURCE_ID);
    await session.conversations.list();
    await session.conversations.toggleTyping(44, "on");
    await session.conversations.updateLastSeen("44");
    await session.messages.list(44, { before: 1240 });
    await session.messages.create(44, { content: "hi", echo_id: "e-1" });
    expect(target.requests.map(line)).toEqual([
      `GET ${SESSION}/conversations`,
      `POST ${SESSION}/conversations/44/toggle_typing`,
      `POST ${SESSION}/conversations/44/update_last_seen`,
      `GET ${SESSION}/conversations/44/messages?before=1240`,
      `POST ${SESSION}/conversations/44/messages`,
    ]);
    for (const request of target.requests) {
      expect(Object.keys(request.headers).filter((name) => /token|authorization/i.test(name))).toEqual([]);
    }
    expect(bodyOf(target.requests[1]!)).toEqual({ typing_status: "on" });
    expect(bodyOf(target.requests[4]!)).toEqual({ content: "hi", echo_id: "e-1" });
  });

  it("toggleTyping and updateLastSeen resolve with nothing on the server's empty 200 (head :ok)", async () => {
    const target = await server((_request, response) => text(response, 200, "", "application/json"));
    const session = contactClientFor(target.url).session(SOURCE_ID);
    await expect(session.conversations.toggleTyping(44, "off")).resolves.toBeUndefined();
    await expect(session.conversations.updateLastSeen(44)).resolves.toBeUndefined();
    await expect(session.conversations.get(44)).rejects.toBeInstanceOf(InvalidResponseError); // elsewhere an empty 200 is wrong
  });

  it("a message create sends the caller's echo_id, or one it makes up, and resolves with it (the server's answer has none)", async () => {
    const target = await server((_request, response) => json(response, 200, clientMessage(9)));
    const session = contactClientFor(target.url).session(SOURCE_ID);
    expect(await session.messages.create(44, { content: "a", echo_id: 17 })).toEqual({ ...clientMessage(9), echo_id: 17 });
    const made = await session.messages.create(44, { content: "b" });
    const again = await session.messages.create(44, { content: "c" });
    expect(made.echo_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.echo_id).not.toBe(made.echo_id);
    expect(target.requests.map((r) => bodyOf(r).echo_id)).toEqual([17, made.echo_id, again.echo_id]);
  });

  it("files go as multipart: content, echo_id and one attachments[] part per file", async () => {
    const target = await server((_request, response) => json(response, 200, clientMessage(9)));
    await contactClientFor(target.url).session(SOURCE_ID).messages.create(44, {
      content: "receipt", echo_id: "e-9",
      attachments: [new File(["%PDF"], "receipt.pdf", { type: "application/pdf" }), { data: new Uint8Array([1, 2]), filename: "photo.png" }],
    });
    const request = target.requests[0]!;
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(new Uint8Array(request.body), { headers: { "content-type": request.headers["content-type"]! } }).formData();
    expect([form.get("content"), form.get("echo_id")]).toEqual(["receipt", "e-9"]);
    expect(form.getAll("attachments[]").map((file) => [(file as File).name, (file as File).type])).toEqual([["receipt.pdf", "application/pdf"], ["photo.png", "image/png"]]);
  });

  it("contacts.create sends a UUID source_id when given none, and the caller's when given", async () => {
    const target = await server((request, response) => json(response, 200, { source_id: bodyOf(request).source_id, pubsub_token: "p", id: 1, name: "n", email: null, phone_number: null }));
    const client = contactClientFor(target.url);
    const made = await client.contacts.create();
    expect(made.source_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await client.contacts.create({ source_id: "mine-1", name: "Alex" });
    expect(target.requests.map(line)).toEqual([`POST ${BASE}/contacts`, `POST ${BASE}/contacts`]);
    expect(bodyOf(target.requests[1]!)).toEqual({ source_id: "mine-1", name: "Alex" });
  });

  it("a session answer without source_id or pubsub_token is an InvalidResponseError, never a half session", async () => {
    const target = await server((_request, response) => json(response, 200, { id: 1, name: "n" }));
    await expect(contactClientFor(target.url).contacts.create()).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(contactClientFor(target.url).session(SOURCE_ID).contact.get()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it("a list that is not an array is an InvalidResponseError, never an empty conversation", async () => {
    const target = await server((_request, response) => json(response, 200, { payload: [] }));
    await expect(contactClientFor(target.url).session(SOURCE_ID).messages.list(44)).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe("the reference's rspec facts (chatwoot-client-api.md §10)", () => {
  it("an unknown source_id is a NotFoundError with the server's {status, error} body", async () => {
    const target = await server((_request, response) => json(response, 404, { status: 404, error: "Not Found" }));
    const error = await contactClientFor(target.url).session(SOURCE_ID).conversations.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).body).toEqual({ status: 404, error: "Not Found" });
    expect((error as Error).message).toContain("Not Found");
    expect(target.requests).toHaveLength(1); // a 404 is not retried
  });

  it("a wrong identifier_hash is the server's 500 (not 401), a ServerError; a create retried only with the same source_id", async () => {
    const target = await server((_request, response) => json(response, 500, { status: 500, error: "Internal Server Error" }));
    const hash = await identifierHash("customer-8841", "wrong-hmac-token");
    const error = await contactClientFor(target.url, { maxRetries: 1 }).contacts.create({ identifier: "customer-8841", identifier_hash: hash }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(500);
    expect(target.requests).toHaveLength(2);
    expect(new Set(target.requests.map((r) => bodyOf(r).source_id)).size).toBe(1);
  });

  it("content of 150001 characters: refused before sending; the server's own 422 keeps its words", async () => {
    const target = await server((_request, response) => json(response, 422, { message: "Content is too long (maximum is 150000 characters)", attributes: ["content"] }));
    const session = contactClientFor(target.url).session(SOURCE_ID);
    await expect(session.messages.create(44, { content: `${"h".repeat(150_000)}a` })).rejects.toThrow(/body\.content.*150000/);
    expect(target.requests).toHaveLength(0);
    const error = await session.messages.create(44, { content: "h".repeat(150_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as Error).message).toContain("Content is too long (maximum is 150000 characters)");
  });

  it("pages of 20 by before: walking back from the newest page reaches every message once, oldest first in each page", async () => {
    const ids = Array.from({ length: 47 }, (_, i) => 1000 + i * 3);
    // As MessageFinder does: the 20 newest (below `before` when given), ascending.
    const target = await server((request, response) => {
      const before = Number(new URL(request.url, "http://x").searchParams.get("before") ?? Infinity);
      json(response, 200, ids.filter((id) => id < before).slice(-20).map((id) => clientMessage(id)));
    });
    const session = contactClientFor(target.url).session(SOURCE_ID);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await session.messages.list(44, before === undefined ? {} : { before });
      seen.unshift(...page.map((m) => m.id));
      if (page.length < 20) break;
      before = page[0]!.id;
    }
    expect(seen).toEqual(ids);
    expect(target.requests.map((r) => r.url.split("?")[1] ?? "")).toEqual(["", `before=${ids[27]}`, `before=${ids[7]}`]);
  });

  it("a CSAT answer goes as JSON, rating an integer (messages_controller_spec :82)", async () => {
    const target = await server((request, response) => json(response, 200, clientMessage(1244, { content_type: "input_csat", content_attributes: { submitted_values: bodyOf(request).submitted_values } })));
    const answer = await contactClientFor(target.url).session(SOURCE_ID).messages.update(44, 1244, { submitted_values: { csat_survey_response: { rating: 4, feedback_message: "amazing experience" } } });
    expect(target.requests.map(line)).toEqual([`PATCH ${SESSION}/conversations/44/messages/1244`]);
    expect(bodyOf(target.requests[0]!)).toEqual({ submitted_values: { csat_survey_response: { rating: 4, feedback_message: "amazing experience" } } });
    expect(answer.content_attributes.submitted_values).toEqual({ csat_survey_response: { rating: 4, feedback_message: "amazing experience" } });
  });
});

describe("identifierHash", () => {
  it("is the lowercase hex HMAC-SHA256 of the identifier keyed with the inbox's HMAC token (RFC 4231 case 2)", async () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(await identifierHash("what do ya want for nothing?", "Jefe")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("refuses an empty identifier or token", async () => {
    await expect(identifierHash("", "k")).rejects.toThrow(/identifier/);
    await expect(identifierHash("a", "")).rejects.toThrow(/hmacToken/);
  });
});
