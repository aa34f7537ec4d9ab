/**
 * The Client API (the contact's side, `/public/api/v1/inboxes/{inbox_identifier}/...`) against the
 * Prism mock of the spec, with plain fetch and no token: every operation answers its documented
 * status with a body its schema accepts, every documented error can be asked for, and Prism refuses
 * what the server refuses. The reference's rspec facts (chatwoot-client-api.md §10) and the
 * swagger's mistakes (§9) are checked against the schemas.
 */
import { describe, expect, inject, it } from "vitest";
import { requestExamples, responseExamples, spec } from "../helpers/prism.js";
import { validateResponse, validateSchema } from "../helpers/schemas.js";

const INBOX = "/public/api/v1/inboxes/{inbox_identifier}";
const CONTACT = `${INBOX}/contacts/{source_id}`;
const CONVERSATION = `${CONTACT}/conversations/{conversation_id}`;
const pathParams: Record<string, string | number> = {
  inbox_identifier: "x7Hd2LqfTq8cJd5GZ5vU3kWp",
  source_id: "6f2c0b8e-3a1d-4c7e-9b55-0d8f1a2b3c4d",
  conversation_id: 44,
  message_id: 1244,
};

interface Request {
  method: string;
  path: string;
  body?: unknown;
  form?: FormData;
  query?: Record<string, string>;
  params?: Record<string, string | number>;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
  violations: unknown[];
}

/** One request to the mock, as a browser would send it: no token, JSON or multipart. */
async function send(request: Request, prefer?: string, rawBody?: string): Promise<Answer> {
  const params = { ...pathParams, ...request.params };
  const path = request.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  const url = new URL(path, inject("prismUrl"));
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const headers = new Headers();
  if (prefer) headers.set("Prefer", prefer);
  let body: string | FormData | undefined = request.form;
  if (rawBody !== undefined || request.body !== undefined) {
    headers.set("Content-Type", "application/json");
    body = rawBody ?? JSON.stringify(request.body);
  }
  const response = await fetch(url, { method: request.method.toUpperCase(), headers, body });
  const text = await response.text();
  const contentType = response.headers.get("content-type") ?? "";
  const violations = response.headers.get("sl-violations");
  return {
    status: response.status,
    contentType,
    text,
    body: contentType.includes("json") && text ? JSON.parse(text) : undefined,
    // Prism sends a JSON list, or the text "Too many violations..." when the list is long.
    violations: violations ? (violations.startsWith("[") ? JSON.parse(violations) : [violations]) : [],
  };
}

/** One valid call per operation: the smallest request each one takes. */
const operations: Record<string, Request> = {
  getInbox: { method: "get", path: INBOX },
  createContact: { method: "post", path: `${INBOX}/contacts`, body: { name: "Alex Contact", email: "alex@example.org" } },
  getContact: { method: "get", path: CONTACT },
  updateContact: { method: "patch", path: CONTACT, body: { name: "John Smith" } },
  replaceContact: { method: "put", path: CONTACT, body: { name: "John Smith" } },
  listConversations: { method: "get", path: `${CONTACT}/conversations` },
  createConversation: { method: "post", path: `${CONTACT}/conversations`, body: {} },
  getConversation: { method: "get", path: CONVERSATION },
  toggleConversationStatus: { method: "post", path: `${CONVERSATION}/toggle_status` },
  toggleTyping: { method: "post", path: `${CONVERSATION}/toggle_typing`, body: { typing_status: "on" } },
  updateLastSeen: { method: "post", path: `${CONVERSATION}/update_last_seen` },
  listContactMessages: { method: "get", path: `${CONVERSATION}/messages` },
  createContactMessage: { method: "post", path: `${CONVERSATION}/messages`, body: { content: "It is order A-1043.", echo_id: "e-1" } },
  updateContactMessage: { method: "patch", path: `${CONVERSATION}/messages/{message_id}`, body: { submitted_values: [{ title: "test" }] } },
  replaceContactMessage: { method: "put", path: `${CONVERSATION}/messages/{message_id}`, body: { submitted_values: [{ title: "test" }] } },
};

/** The Client API's operations as the spec lists them. */
const documented = Object.entries<any>(spec.paths)
  .filter(([path]) => path.startsWith("/public/"))
  .flatMap(([path, item]) => ["get", "post", "put", "patch", "delete"].filter((m) => item[m]).map((method) => ({ path, method, operation: item[method] })));

/** A 200 without content (toggle_typing, update_last_seen) has an empty body; any other is checked against its schema. */
function expectDocumentedBody(request: Request, answer: Answer) {
  const response = spec.paths[request.path][request.method].responses[String(answer.status)];
  if (!("content" in response) && !response.$ref) {
    expect(answer.text).toBe("");
    return;
  }
  expect(answer.contentType).toContain("application/json");
  expect(validateResponse(request.path, request.method, answer.status, answer.body)).toEqual({ valid: true, errors: [] });
}

describe("the spec describes the Client API", () => {
  it("every route of the reference's table, each operation exercised below", () => {
    expect(documented.map(({ operation }) => operation.operationId).sort()).toEqual(Object.keys(operations).sort());
    for (const [operationId, request] of Object.entries(operations)) {
      expect(spec.paths[request.path]?.[request.method]?.operationId, operationId).toBe(operationId);
    }
  });

  it("asks for no token: security is empty on every Client API operation, and no header parameter holds one", () => {
    for (const { operation, path } of documented) {
      expect(operation.security, `${operation.operationId}`).toEqual([]);
      const headers = [...(spec.paths[path].parameters ?? []), ...(operation.parameters ?? [])].filter((p: any) => p.in === "header");
      expect(headers).toEqual([]);
    }
  });

  it("documents the errors the server gives: 404 everywhere, 500 for a failed identity check on contacts, never 401", () => {
    for (const { operation } of documented) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, operation.operationId).toContain("404");
      expect(statuses, operation.operationId).not.toContain("401");
      if (/Contact$/.test(operation.operationId) && !/Message$/.test(operation.operationId)) expect(statuses, operation.operationId).toContain("500");
    }
  });
});

describe("every operation answers its documented 200, with a body its schema accepts", () => {
  it.each(Object.entries(operations))("%s", async (_operationId, request) => {
    const answer = await send(request);
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
    expectDocumentedBody(request, answer);
  });

  it.each(Object.entries(operations).filter(([, r]) => r.method === "get" || r.body !== undefined))("%s, with responses generated from the schemas", async (_operationId, request) => {
    for (let i = 0; i < 3; i++) {
      const answer = await send(request, "dynamic=true");
      expect(answer.status).toBe(200);
      expectDocumentedBody(request, answer);
    }
  });
});

describe("every documented status can be asked for, and answers its named example", () => {
  const examples = responseExamples("/public/");

  it("every status of every operation has a named example", () => {
    const covered = new Set(examples.map((e) => `${e.operationId} ${e.status}`));
    const expected = documented.flatMap(({ operation }) => Object.entries<any>(operation.responses).filter(([, r]) => r.content || r.$ref).map(([status]) => `${operation.operationId} ${status}`));
    expect(covered).toEqual(new Set(expected));
  });

  it.each(examples.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))("%s", async (_title, example) => {
    const request = operations[example.operationId]!;
    const answer = await send(request, `code=${example.status}, example=${example.name}`);
    expect(answer.status).toBe(example.status);
    if (example.mediaType === "text/plain") {
      expect(answer.text).toBe(example.value);
      return;
    }
    expect(answer.body).toEqual(example.value);
    expect(validateResponse(example.path, example.method, example.status, answer.body)).toEqual({ valid: true, errors: [] });
  });
});

describe("requests the server accepts pass Prism's validation", () => {
  const bodies = (operationId: string, mediaType = "application/json") => requestExamples(operationId, mediaType).map(([name, body]) => [operationId, name, body] as const);

  it.each([
    ...bodies("createContact"),
    ...bodies("updateContact"),
    ...bodies("createConversation"),
    ...bodies("toggleTyping"),
    ...bodies("createContactMessage"),
    ...bodies("updateContactMessage"),
  ])("%s: the spec's %s example", async (operationId, _name, body) => {
    const answer = await send({ ...operations[operationId]!, body });
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
  });

  it.each<[string, Request]>([
    ["an empty POST creates a contact session (contacts_controller_spec 'creates a contact and return the source id')", { method: "post", path: `${INBOX}/contacts` }],
    ["a contact create with fields the server drops (avatar, additional_attributes)", { ...operations.createContact!, body: { name: "A", additional_attributes: { city: "Berlin" }, avatar: "x" } }],
    ["getContact with identifier and identifier_hash in the query", { ...operations.getContact!, query: { identifier: "customer-8841", identifier_hash: "5c1e2f8f4b9a0e7d3c6b1a2f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d" } }],
    ["a conversation with custom and additional attributes (conversations_controller_spec: only custom ones are kept)", { ...operations.createConversation!, body: { custom_attributes: { test: "test" }, additional_attributes: { test: "test" } } }],
    ["a custom attribute of 1500 characters, an integer of 9999999999, a boolean", { ...operations.createConversation!, body: { custom_attributes: { note: "n".repeat(1500), big: 9_999_999_999, vip: true } } }],
    ["a POST without a body to create a conversation", { method: "post", path: `${CONTACT}/conversations` }],
    ["typing_status in the query string instead of the body", { ...operations.toggleTyping!, body: undefined, query: { typing_status: "off" } }],
    ["content of exactly 150000 characters", { ...operations.createContactMessage!, body: { content: "h".repeat(150_000) } }],
    ["fields the server ignores on a contact's message (message_type, private)", { ...operations.createContactMessage!, body: { content: "x", message_type: "outgoing", private: true } }],
    ["the latest page, and a page before a message id", { ...operations.listContactMessages!, query: { before: "1240" } }],
    ["submitted_values as an array of {title} (messages_controller_spec :71)", operations.updateContactMessage!],
    ["a CSAT rating (messages_controller_spec :82)", { ...operations.updateContactMessage!, body: { submitted_values: { csat_survey_response: { rating: 4, feedback_message: "amazing experience" } } } }],
  ])("%s", async (_name, request) => {
    const answer = await send(request);
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
  });

  it("a message with a file, as multipart/form-data (messages_controller_spec :56)", async () => {
    const form = new FormData();
    form.append("content", "Here is the receipt");
    form.append("echo_id", "e-2");
    form.append("attachments[]", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "avatar.png", { type: "image/png" }));
    form.append("attachments[]", new File(["%PDF-1.4"], "receipt.pdf", { type: "application/pdf" }));
    const answer = await send({ ...operations.createContactMessage!, body: undefined, form });
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
    expectDocumentedBody(operations.createContactMessage!, answer);
  });
});

describe("requests the server refuses are refused by Prism too", () => {
  it.each<[string, Request]>([
    ["content of 150001 characters: 422 'Content is too long' (messages_controller_spec 'does not create the message')", { ...operations.createContactMessage!, body: { content: `${"h".repeat(150_000)}a` } }],
    ["attachments in a JSON body (not a file: the server answers 500)", { ...operations.createContactMessage!, body: { content: "x", attachments: ["signed-blob-id"] } }],
    ["a custom attribute string of 1501 characters (422)", { ...operations.createConversation!, body: { custom_attributes: { note: "n".repeat(1501) } } }],
    ["a custom attribute integer above 9999999999 (422)", { ...operations.createConversation!, body: { custom_attributes: { big: 10_000_000_000 } } }],
  ])("%s", async (_name, request) => {
    const answer = await send(request);
    expect(answer.status).toBe(422);
    expect(answer.violations.length).toBeGreaterThan(0);
  });

  it("the server's own 422 for a long content is the documented example", () => {
    const example = responseExamples("/public/").find((e) => e.operationId === "createContactMessage" && e.name === "contentTooLong");
    expect(example?.value).toEqual({ message: "Content is too long (maximum is 150000 characters)", attributes: ["content"] });
  });
});

describe("the schemas are true to the server, not to its swagger", () => {
  const message = { id: 1241, content: "hi", message_type: 0, content_type: "text", content_attributes: {}, created_at: 1781687600, conversation_id: 44 };
  const record = {
    id: 501, name: "John Smith", email: null, phone_number: null, account_id: 1, created_at: "2026-06-17T09:12:44.512Z", updated_at: "2026-06-17T09:14:02.087Z",
    additional_attributes: {}, identifier: null, custom_attributes: {},
  };

  it.each<[string, string, unknown, boolean]>([
    ["a message with integer ids, an integer message_type and a Unix created_at", "ClientMessage", message, true],
    ["a string id (the swagger before 4.12.1)", "ClientMessage", { ...message, id: "1241" }, false],
    ["a string message_type (the webhook form)", "ClientMessage", { ...message, message_type: "incoming" }, false],
    ["an ISO created_at in a message", "ClientMessage", { ...message, created_at: "2026-06-17T09:13:20.000Z" }, false],
    ["a string conversation_id", "ClientMessage", { ...message, conversation_id: "44" }, false],
    ["content_attributes as a string (the swagger before 4.12.1)", "ClientMessage", { ...message, content_attributes: "{}" }, false],
    ["content_type null (servers of 2021)", "ClientMessage", { ...message, content_type: null }, true],
    ["a page of 20 messages", "ClientMessageList", Array.from({ length: 20 }, (_, i) => ({ ...message, id: i + 1 })), true],
    ["a page of 21 messages", "ClientMessageList", Array.from({ length: 21 }, (_, i) => ({ ...message, id: i + 1 })), false],
    ["the contact record with ISO timestamps and no source_id (the update's answer)", "ContactRecord", record, true],
    ["a contact record with a Unix created_at", "ContactRecord", { ...record, created_at: 1781687564 }, false],
    ["a session without pubsub_token (contacts_controller_spec: source_id and pubsub_token are never nil)", "ClientContact", { source_id: "s", pubsub_token: null, id: 1, name: "n", email: null, phone_number: null }, false],
    ["a session with phone_number (missing from the swagger before 4.12.1)", "ClientContact", { source_id: "s", pubsub_token: "t", id: 1, name: "n", email: null, phone_number: "+15550100" }, true],
    ["a CSAT answer with rating 4 (messages_controller_spec :82)", "UpdateContactMessageRequest", { submitted_values: { csat_survey_response: { rating: 4, feedback_message: "amazing experience" } } }, true],
  ])("%s: %s says %s", (_name, schema, value, valid) => {
    expect(validateSchema(schema, value).valid).toBe(valid);
  });

  it("a conversation: display id, Unix last-seen times (0 when never), every message, the whole contact record", () => {
    const conversation = { id: 44, uuid: "0b6f5d1e-7c2a-4f8e-a3d9-5e1b2c3d4f60", inbox_id: 9, contact_last_seen_at: 0, status: "open", agent_last_seen_at: 0, messages: [message], contact: record };
    expect(validateSchema("ClientConversation", conversation)).toEqual({ valid: true, errors: [] });
    expect(validateSchema("ClientConversation", { ...conversation, inbox_id: "9" }).valid).toBe(false);
    expect(validateSchema("ClientConversation", { ...conversation, status: "closed" }).valid).toBe(false);
  });

  it("the inbox's keys are those of inboxes_controller_spec", () => {
    expect([...spec.components.schemas.ClientInbox.required].sort()).toEqual(
      ["name", "timezone", "working_hours", "working_hours_enabled", "csat_survey_enabled", "greeting_enabled", "identity_validation_enabled", "identifier"].sort(),
    );
  });
});

describe("realtime payloads: the reference's frames validate against their event's schema", () => {
  /** The schema the discriminator names for an event. */
  const eventSchema = (event: string) => (spec.components.schemas.RealtimeEvent.discriminator.mapping[event] as string).split("/").pop()!;

  const sender = { additional_attributes: {}, custom_attributes: {}, email: null, id: 10, identifier: null, name: "white-shadow-394", phone_number: null, thumbnail: "", blocked: false, type: "contact" };
  const created = {
    id: 4478, content: "בדיקה 3", account_id: 1, inbox_id: 1, conversation_id: 2, message_type: 0, created_at: 1723801933, updated_at: "2024-08-16T09:52:13.373Z",
    private: false, status: "sent", source_id: null, content_type: "text", content_attributes: {}, sender_type: "Contact", sender_id: 2, external_source_ids: {},
    additional_attributes: {}, processed_message_content: "בדיקה 3", sentiment: {},
    conversation: { assignee_id: 1, unread_count: 2, last_activity_at: 1723801933, contact_inbox: { source_id: "a3c36b80-9930-4ec3-a8c5-3ab6eb030b40" } },
    echo_id: "9b1f6c0e", sender,
  };
  const conversation = { id: 7, inbox_id: 1, account_id: 1, status: "open", can_reply: true, channel: "Channel::Api", messages: [], labels: [], meta: { sender, assignee: null, assignee_type: null, team: null, hmac_verified: false }, unread_count: 0, waiting_since: 0, agent_last_seen_at: 0, contact_last_seen_at: 0, last_activity_at: 1723801933, timestamp: 1723801933, created_at: 1723801900, updated_at: 1723801933.512 };
  const agent = { id: 5, name: "Jane Doe", available_name: "Jane", avatar_url: "", type: "user", availability_status: "online", thumbnail: "" };

  it.each<[string, { event: string; data: unknown }]>([
    ["message.created, the 2024 production frame (issue #9965)", { event: "message.created", data: created }],
    ["message.created, the Flutter SDK's 2021 fixture", {
      event: "message.created",
      data: { id: 106, content: "hi", account_id: 1, inbox_id: 1, conversation_id: 7, message_type: 0, created_at: 1627060394, updated_at: "2021-07-23T17:13:14.000Z", private: false, status: "sent", source_id: null, content_type: "text", content_attributes: {}, sender_type: "Contact", sender_id: 10, external_source_ids: {}, sender: { ...sender, pubsub_token: "token" } },
    }],
    ["message.updated, an input_email template without sender (Flutter fixture)", {
      event: "message.updated",
      data: { id: 111, content_type: "input_email", content_attributes: { submitted_email: "jane@acme.inc" }, account_id: 1, inbox_id: 1, conversation_id: 8, content: "Get notified by email", message_type: 3, created_at: 1627060984, updated_at: "2021-07-23T17:23:14.000Z", private: false, status: "sent", source_id: null, sender_type: null, sender_id: null, external_source_ids: {}, previous_changes: { content_attributes: [{}, { submitted_email: "jane@acme.inc" }] } },
    }],
    ["presence.update of an agent subscription (Flutter fixture)", { event: "presence.update", data: { account_id: 1, users: { "1": "online" }, contacts: { "1": "online" } } }],
    ["presence.update of a contact", { event: "presence.update", data: { account_id: 1, users: { "5": "online", "7": "busy" } } }],
    ["conversation.typing_on by an agent (action_cable_listener_spec)", { event: "conversation.typing_on", data: { conversation, user: agent, account_id: 1, is_private: false } }],
    ["conversation.typing_off with is_private as a string", { event: "conversation.typing_off", data: { conversation, user: agent, account_id: 1, is_private: "false" } }],
    ["conversation.status_changed", { event: "conversation.status_changed", data: { ...conversation, status: "resolved" } }],
    ["conversation.created", { event: "conversation.created", data: conversation }],
    ["conversation.updated", { event: "conversation.updated", data: { ...conversation, waiting_since: 1723801933 } }],
  ])("%s", (_name, frame) => {
    expect(validateSchema(eventSchema(frame.event), frame)).toEqual({ valid: true, errors: [] });
  });

  it.each<[string, { event: string; data: unknown }]>([
    ["a string message_type", { event: "message.created", data: { ...created, message_type: "incoming" } }],
    ["an ISO created_at", { event: "message.created", data: { ...created, created_at: "2024-08-16T09:52:13.373Z" } }],
    ["a presence value the server never sends", { event: "presence.update", data: { account_id: 1, users: { "5": "away" } } }],
    ["another event's name", { event: "message.updated", data: created }],
  ])("refused: %s", (_name, frame) => {
    const schema = eventSchema(frame.event === "message.updated" ? "message.created" : frame.event);
    expect(validateSchema(schema, frame).valid).toBe(false);
  });
});
