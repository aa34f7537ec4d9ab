/**
 * The client against a Prism mock built from the same spec: every request it sends must pass
 * Prism's validation (no `sl-violations`), every example in the spec must come back through the
 * client as the value the spec shows, and every documented error status must become its class.
 */
import { describe, expect, inject, it } from "vitest";
import {
  createChatwootClient, ApiError, AuthenticationError, NotFoundError, PermissionDeniedError, RateLimitError, UnprocessableEntityError,
  type CreateMessageBody, type Message,
} from "../../src/index.js";
import { prismClient, requestExamples, responseExamples } from "../helpers/prism.js";

const MESSAGE = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}" as const;
const path = { account_id: 1, conversation_id: 42, message_id: 1234 };

/** One call per operation through the public clients (PUT only exists on the raw client). */
type Clients = Pick<ReturnType<typeof prismClient>, "client" | "raw">;
const invoke: Record<string, (clients: Clients) => Promise<unknown>> = {
  listMessages: ({ client }) => client.messages.list(42),
  createMessage: ({ client }) => client.messages.create(42, { content: "Hello" }),
  updateMessageStatus: ({ client }) => client.messages.updateStatus(42, 1234, { status: "read" }),
  deleteMessage: ({ client }) => client.messages.delete(42, 1234),
  retryMessage: ({ client }) => client.messages.retry(42, 1243),
  translateMessage: ({ client }) => client.messages.translate(42, 1243, "es"),
  replaceMessageStatus: async ({ raw }) => {
    const { data, error, response } = await raw.PUT(MESSAGE, { params: { path }, body: { status: "delivered" } });
    if (!response.ok) throw Object.assign(new Error(`PUT ${response.status}`), { status: response.status, body: error });
    return data;
  },
};

const errorClass: Record<number, new (...args: never[]) => Error> = {
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

describe("requests the client sends pass Prism's validation", () => {
  it.each(requestExamples("createMessage", "application/json"))("create (JSON): the spec's %s example", async (_name, body) => {
    const { client, seen } = prismClient();
    const message = await client.messages.create(42, body as CreateMessageBody);
    expect(message.id).toBeTypeOf("number");
    expect(seen.violations).toEqual([]);
  });

  it.each(requestExamples("createMessage", "multipart/form-data"))("create (multipart with files): the spec's %s example", async (_name, example) => {
    const { "attachments[]": names, content_attributes, ...fields } = example;
    const { client, seen } = prismClient();
    await client.messages.create(42, {
      ...fields,
      content_attributes: JSON.parse(content_attributes),
      attachments: (names as string[]).map((name) => new File(["%PDF-1.4 test"], name, { type: "application/pdf" })),
    });
    expect(seen.requests).toBe(1);
    expect(seen.violations).toEqual([]);
  });

  it("create with several files, bytes and a signed id", async () => {
    const { client, seen } = prismClient();
    await client.messages.create(42, {
      content: "Files",
      private: true,
      attachments: [
        new Blob(["a"], { type: "text/plain" }),
        new File(['{"reserved": "?&=#/:[]@!$\'()*+,;"}'], "data.json", { type: "application/json" }),
        { data: new Uint8Array([0, 1, 2, 255, 0x3f, 0x26]), filename: "x.png" },
        "signed-blob-id",
      ],
    });
    expect(seen.violations).toEqual([]);
  });

  it.each([
    ["no cursor", {}],
    ["before", { before: 1200 }],
    ["after", { after: 1100 }],
    ["after and before", { after: 1100, before: 1200 }],
    ["filter_internal_messages", { filter_internal_messages: true as const }],
  ])("list with %s", async (_name, query) => {
    const { client, seen } = prismClient();
    const page = await client.messages.list(42, query);
    expect(Array.isArray(page.payload)).toBe(true);
    expect(seen.violations).toEqual([]);
  });

  it("iterate walks the mock's pages", async () => {
    const { client, seen } = prismClient();
    const ids: number[] = [];
    for await (const message of client.messages.iterate(42)) ids.push(message.id);
    expect(ids).toEqual([1228, 1227, 1226]);
    expect(seen.violations).toEqual([]);
  });

  it.each(requestExamples("updateMessageStatus", "application/json"))("update status: the spec's %s example", async (_name, body) => {
    const { client, seen } = prismClient();
    await client.messages.updateStatus(42, 1234, body);
    expect(seen.violations).toEqual([]);
  });

  it("update status as multipart (as some integrations send it) and as PUT", async () => {
    const { raw, seen } = prismClient();
    const form = await raw.PATCH(MESSAGE, { params: { path }, body: { status: "delivered" }, bodySerializer: (b) => toForm(b) });
    const put = await raw.PUT(MESSAGE, { params: { path }, body: { status: "read" } });
    expect([form.response.status, put.response.status]).toEqual([200, 200]);
    expect(seen.violations).toEqual([]);
  });

  it("delete", async () => {
    const { client, seen } = prismClient();
    const deleted = await client.messages.delete(42, 1234);
    expect(deleted.content_attributes.deleted).toBe(true);
    expect(seen.violations).toEqual([]);
  });

  it("retry and translate (the spec's translate example)", async () => {
    const { client, seen } = prismClient();
    expect((await client.messages.retry(42, 1243)).status).toBe("sent");
    for (const [, body] of requestExamples("translateMessage", "application/json")) {
      expect(await client.messages.translate(42, 1243, (body as { target_language: string }).target_language)).toEqual({ content: expect.any(String) });
    }
    expect(seen.violations).toEqual([]);
  });

  it("the direct request path too (no middleware): every request example is accepted by Prism's validation", async () => {
    // Without middleware the client calls fetch itself; Prism (--errors) answers an invalid request 422, which would reject.
    const client = createChatwootClient({ baseUrl: inject("prismUrl"), apiAccessToken: "prism-test-token", accountId: 1, maxRetries: 0 });
    for (const [name, body] of requestExamples("createMessage", "application/json")) {
      await expect(client.messages.create(42, body as CreateMessageBody), name).resolves.toMatchObject({ id: expect.any(Number) });
    }
    await expect(client.messages.list(42, { before: 1300, filter_internal_messages: true })).resolves.toMatchObject({ payload: expect.any(Array) });
    await expect(client.messages.updateStatus(42, 1234, { status: "failed", external_error: "no route" })).resolves.toMatchObject({ id: expect.any(Number) });
    await expect(client.messages.delete(42, 1234)).resolves.toMatchObject({ id: expect.any(Number) });
    await expect(client.messages.retry(42, 1243)).resolves.toMatchObject({ id: expect.any(Number) });
    await expect(client.messages.translate(42, 1243, "es")).resolves.toMatchObject({ content: expect.any(String) });
  });

  it("Prism does flag a bad request, so an empty violation list means something", async () => {
    const { raw, seen } = prismClient();
    const { response } = await raw.POST("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages", {
      params: { path: { account_id: 1, conversation_id: 42 } },
      body: { content_type: "cards", content_attributes: { items: [{ title: "no actions" }] } } as never,
    });
    expect(response.status).toBe(422);
    expect(seen.violations.length).toBeGreaterThan(0);
  });
});

describe("every response example in the spec comes back through the client", () => {
  const examples = responseExamples();

  it("the spec has examples for every operation and every documented status", () => {
    const covered = new Set(examples.map((e) => `${e.operationId} ${e.status}`));
    expect(covered).toEqual(
      new Set([
        "listMessages 200", "listMessages 401", "listMessages 404", "listMessages 429",
        "createMessage 200", "createMessage 401", "createMessage 404", "createMessage 422", "createMessage 429",
        ...["updateMessageStatus", "replaceMessageStatus"].flatMap((op) => [200, 401, 403, 404, 422, 429].map((s) => `${op} ${s}`)),
        "deleteMessage 200", "deleteMessage 401", "deleteMessage 404", "deleteMessage 422", "deleteMessage 429",
        "retryMessage 200", "retryMessage 401", "retryMessage 404", "retryMessage 422", "retryMessage 429",
        "translateMessage 200", "translateMessage 401", "translateMessage 404", "translateMessage 429",
      ]),
    );
  });

  it.each(examples.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))("%s", async (_title, example) => {
    const { seen, ...clients } = prismClient(`code=${example.status}, example=${example.name}`);
    const outcome = await invoke[example.operationId]!(clients).then(
      (data) => ({ data }),
      (error: unknown) => ({ error }),
    );
    expect(seen.statuses).toEqual([example.status]);
    if (example.status === 200) {
      expect(outcome).toEqual({ data: example.value });
      return;
    }
    const error = (outcome as { error: ApiError }).error;
    if (example.operationId !== "replaceMessageStatus") expect(error).toBeInstanceOf(errorClass[example.status]!);
    expect(error.body).toEqual(example.value);
  });
});

describe("dynamic responses (generated from the schemas, seeded) parse", () => {
  it.each(["listMessages", "createMessage", "updateMessageStatus", "deleteMessage"])("%s", async (operationId) => {
    for (let i = 0; i < 5; i++) {
      const { seen, ...clients } = prismClient("dynamic=true");
      const data = (await invoke[operationId]!(clients)) as Message | { payload: Message[] };
      expect(seen.statuses).toEqual([200]);
      const messages = "payload" in data ? data.payload : [data];
      for (const message of messages) {
        expect([0, 1, 2, 3]).toContain(message.message_type);
        expect(message.id).toBeTypeOf("number");
      }
    }
  });
});

function toForm(body: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(body)) form.append(key, value);
  return form;
}
