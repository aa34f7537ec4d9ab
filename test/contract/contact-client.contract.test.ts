/**
 * The contact client (createContactClient) against the Prism mock of the spec, on both request
 * paths (direct, and openapi-fetch's): every operation's request passes Prism's validation and its
 * answer comes back as the spec's example; every documented error status comes back as its typed
 * error with the server's body. The `Prefer` header that picks Prism's answer is added by a real
 * proxy on 127.0.0.1, so that the direct path (which runs no middleware) is asked the same way.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  ApiError, NotFoundError, RateLimitError, ServerError, UnprocessableEntityError, type ContactClient,
} from "../../src/index.js";
import { contactClientFor } from "../helpers/contact.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import { requestExamples, responseExamples } from "../helpers/prism.js";

const SOURCE = "6f2c0b8e-3a1d-4c7e-9b55-0d8f1a2b3c4d";

interface Seen {
  violations: unknown[];
  requests: Array<{ method: string; path: string }>;
}

let proxy: TestServer;
const seen: Seen = { violations: [], requests: [] };

beforeAll(async () => {
  const prism = inject("prismUrl");
  // The first path segment is the Prefer header ("-" for none); the rest goes to Prism as it came.
  proxy = await startServer(async (request, response) => {
    const [, prefer, ...rest] = request.url.split("/");
    const headers = new Headers();
    if (prefer && prefer !== "-") headers.set("Prefer", decodeURIComponent(prefer));
    const type = request.headers["content-type"];
    if (type) headers.set("Content-Type", type);
    const path = `/${rest.join("/")}`;
    seen.requests.push({ method: request.method, path: path.split("?")[0]! });
    const answer = await fetch(prism + path, { method: request.method, headers, body: request.body.length ? new Uint8Array(request.body) : undefined });
    const violations = answer.headers.get("sl-violations");
    if (violations) seen.violations.push(...(violations.startsWith("[") ? JSON.parse(violations) : [violations]));
    const out: Record<string, string> = {};
    for (const name of ["content-type", "retry-after"]) if (answer.headers.get(name)) out[name] = answer.headers.get(name)!;
    response.writeHead(answer.status, out);
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
});
afterAll(() => proxy.close());

function client(path: "direct" | "general", prefer = "-"): ContactClient {
  seen.violations = [];
  seen.requests = [];
  return contactClientFor(`${proxy.url}/${encodeURIComponent(prefer)}`, { maxRetries: 0 }, path);
}

/** One call per operation of the client (the PUT forms are the same operations as PATCH; the client sends PATCH). */
const invoke: Record<string, (c: ContactClient) => Promise<unknown>> = {
  getInbox: (c) => c.inbox.get(),
  createContact: (c) => c.contacts.create({ name: "Alex Contact", email: "alex@example.org" }),
  getContact: (c) => c.session(SOURCE).contact.get(),
  updateContact: (c) => c.session(SOURCE).contact.update({ name: "John Smith" }),
  listConversations: (c) => c.session(SOURCE).conversations.list(),
  createConversation: (c) => c.session(SOURCE).conversations.create(),
  getConversation: (c) => c.session(SOURCE).conversations.get(44),
  toggleConversationStatus: (c) => c.session(SOURCE).conversations.resolve(44),
  toggleTyping: (c) => c.session(SOURCE).conversations.toggleTyping(44, "on"),
  updateLastSeen: (c) => c.session(SOURCE).conversations.updateLastSeen(44),
  listContactMessages: (c) => c.session(SOURCE).messages.list(44, { before: 1240 }),
  createContactMessage: (c) => c.session(SOURCE).messages.create(44, { content: "It is order A-1043.", echo_id: "e-1" }),
  updateContactMessage: (c) => c.session(SOURCE).messages.update(44, 1244, { submitted_values: [{ title: "test" }] }),
};

const errorClass: Record<number, new (...args: never[]) => Error> = {
  400: ApiError,
  404: NotFoundError,
  422: UnprocessableEntityError,
  429: RateLimitError,
  500: ServerError,
};

describe.each(["direct", "general"] as const)("the contact client on the %s request path", (path) => {
  it("covers every Client API operation of the spec but the PUT forms", () => {
    const operations = new Set(responseExamples("/public/").map((e) => e.operationId));
    for (const put of ["replaceContact", "replaceContactMessage"]) operations.delete(put);
    operations.add("toggleTyping").add("updateLastSeen"); // their 200 has no body, so no example
    expect(new Set(Object.keys(invoke))).toEqual(operations);
  });

  it.each(Object.keys(invoke))("%s: Prism accepts the request and answers 200", async (operationId) => {
    const c = client(path);
    await expect(invoke[operationId]!(c)).resolves.not.toBeInstanceOf(Error);
    expect(seen.violations).toEqual([]);
    expect(seen.requests).toHaveLength(1);
  });

  it.each(responseExamples("/public/").filter((e) => invoke[e.operationId]).map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))(
    "%s comes back through the client",
    async (_title, example) => {
      const outcome = await invoke[example.operationId]!(client(path, `code=${example.status}, example=${example.name}`)).then(
        (data) => ({ data }),
        (error: unknown) => ({ error }),
      );
      expect(seen.requests).toHaveLength(1);
      if (example.status === 200) {
        // A message create adds the echo_id it was sent with; the server's answer has none.
        const expected = example.operationId === "createContactMessage" ? { ...(example.value as object), echo_id: "e-1" } : example.value;
        expect(outcome).toEqual({ data: expected });
        return;
      }
      const error = (outcome as { error: ApiError }).error;
      expect(error).toBeInstanceOf(errorClass[example.status]!);
      expect(error.status).toBe(example.status);
      expect(error.body).toEqual(example.value);
    },
  );

  it.each(requestExamples("createContact", "application/json"))("createContact: the spec's %s example", async (_name, body) => {
    const contact = await client(path).contacts.create(body);
    expect(contact).toMatchObject({ source_id: expect.any(String), pubsub_token: expect.any(String) });
    expect(seen.violations).toEqual([]);
  });

  it.each(requestExamples("updateContactMessage", "application/json"))("updateContactMessage: the spec's %s example", async (_name, body) => {
    await client(path).session(SOURCE).messages.update(44, 1244, body);
    expect(seen.violations).toEqual([]);
  });

  it("a message with files goes as multipart/form-data, which Prism accepts", async () => {
    const c = client(path);
    const sent = await c.session(SOURCE).messages.create(44, {
      content: "Here is the receipt",
      attachments: [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "avatar.png", { type: "image/png" }), { data: new TextEncoder().encode("%PDF-1.4"), filename: "receipt.pdf" }],
    });
    expect(sent.echo_id).toEqual(expect.any(String));
    expect(seen.violations).toEqual([]);
  });

  it("getContact with identifier and identifier_hash, and a conversation with custom attributes", async () => {
    const c = client(path);
    await c.session(SOURCE).contact.get({ identifier: "customer-8841", identifier_hash: "5c1e2f8f4b9a0e7d3c6b1a2f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d" });
    await c.session(SOURCE).conversations.create({ custom_attributes: { plan: "pro", seats: 9_999_999_999 } });
    await c.session(SOURCE).conversations.toggleTyping(44, "off");
    expect(seen.violations).toEqual([]);
    expect(seen.requests).toHaveLength(3);
  });
});
