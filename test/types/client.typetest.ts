/** Compile-time tests of the public surface (npm run typecheck). */
import { createChatwootClient, createRawClient, createWebhookHandler, MessageType, type ChatwootClient, type Message, type MessageList, type WebhookEventOf, type paths } from "../../src/index.js";

const chatwoot = createChatwootClient({ baseUrl: "https://chat.example.com", apiAccessToken: "t", accountId: 1 });

export async function rightUses(signal: AbortSignal): Promise<void> {
  const created: Message = await chatwoot.messages.create(42, { content: "Hello", private: false });
  const outgoing: boolean = created.message_type === MessageType.Outgoing;
  await chatwoot.messages.create("42", { content: "file", attachments: [new Blob(["x"]), { data: new Uint8Array(1), filename: "a.bin" }, "signed-id"] });
  await chatwoot.messages.create(42, { content_type: "cards", content_attributes: { items: [{ title: "A", actions: [{ type: "postback", text: "Go", payload: "GO" }] }] } }, { unsafeRetries: false });
  const page: MessageList = await chatwoot.messages.list(42, { before: 1200 }, { accountId: 2, timeoutMs: 5000, maxRetries: 0 });
  for await (const m of chatwoot.messages.iterate(42, { before: 1200 }, { signal })) void m.id;
  await chatwoot.messages.updateStatus(42, 1234, { status: "read" });
  const deleted: Message = await chatwoot.messages.delete(42, 1234);
  const { data, error, response } = await createRawClient({ baseUrl: "https://chat.example.com", apiAccessToken: "t" }).GET("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages", {
    params: { path: { account_id: 1, conversation_id: 42 } },
  });
  void [outgoing, page, deleted, data?.payload, error, response.status];
}

export async function wrongUses(): Promise<void> {
  // @ts-expect-error baseUrl is required
  createChatwootClient({ apiAccessToken: "t" });
  // @ts-expect-error the token is required
  createChatwootClient({ baseUrl: "https://x.org" });
  // @ts-expect-error only the two spellings Chatwoot reads
  createChatwootClient({ baseUrl: "https://x.org", apiAccessToken: "t", authHeader: "Authorization" });
  // @ts-expect-error the body is required
  await chatwoot.messages.create(42);
  // @ts-expect-error a card without actions
  await chatwoot.messages.create(42, { content_type: "cards", content_attributes: { items: [{ title: "A" }] } });
  // @ts-expect-error attachments are files, bytes with a name, or signed ids
  await chatwoot.messages.create(42, { attachments: [42] });
  // @ts-expect-error bytes need a filename
  await chatwoot.messages.create(42, { attachments: [{ data: new Uint8Array(1) }] });
  // @ts-expect-error ids are numbers or strings, not objects
  await chatwoot.messages.list({ id: 42 });
  // @ts-expect-error list has no `page` parameter: pagination is by message id
  await chatwoot.messages.list(42, { page: 2 });
  // @ts-expect-error iterate walks back with `before`; `after` makes no sense there
  chatwoot.messages.iterate(42, { after: 10 });
  // @ts-expect-error a status the server does not know
  await chatwoot.messages.updateStatus(42, 1, { status: "seen" });
  // @ts-expect-error delete takes no body
  await chatwoot.messages.delete(42, 1, { status: "read" });
  // @ts-expect-error unknown call option
  await chatwoot.messages.list(42, {}, { retries: 3 });
  // @ts-expect-error message_type of a response is a number
  const type: string = (await chatwoot.messages.delete(42, 1)).message_type;
  void type;
}

export async function steering(): Promise<void> {
  // @ts-expect-error the spec accepts integer message types for old clients; this client takes the strings only
  await chatwoot.messages.create(42, { content: "x", message_type: 1 });
  await chatwoot.messages.create(42, { content: "x", message_type: "incoming" });
}

export async function webhookTypes(rawBody: string, headers: Headers): Promise<void> {
  const { verifyWebhook } = await import("../../src/index.js");
  const event = await verifyWebhook({ rawBody, headers, secret: "s" });
  if (event.event === "message_created") {
    const type: "incoming" | "outgoing" | "template" = event.message_type;
    const iso: string = event.created_at;
    const pushType: 0 | 1 | 3 = event.conversation.messages[0]!.message_type;
    const senderClass = event.conversation.messages[0]!.sender_type;
    // @ts-expect-error the webhook's top-level message_type is a string, not the REST integer
    const asNumber: number = event.message_type;
    // @ts-expect-error the sender may be null in webhooks
    const senderName: string = event.sender.name;
    void [type, iso, pushType, senderClass, asNumber, senderName];
  }
  // @ts-expect-error there is no message_deleted event: deletes arrive as message_updated
  if (event.event === "message_deleted") return;
}

export function handlersByEvent(): void {
  createWebhookHandler({
    secret: "s",
    on: {
      message_created(event) {
        const type: "incoming" | "outgoing" | "template" = event.message_type;
        const conversation: number = event.conversation.id;
        void [type, conversation];
      },
      conversation_status_changed(event) {
        const status: string = event.status;
        // @ts-expect-error a conversation's status is a string, not a message's integer type
        const asNumber: number = event.status;
        void [status, asNumber];
      },
    },
  });
  createWebhookHandler({
    secret: "s",
    // @ts-expect-error an event Chatwoot never sends does not compile
    on: { message_deleted() {} },
  });
  const created: WebhookEventOf<"message_created">["event"] = "message_created";
  void created;
}

export async function idempotentCreate(): Promise<void> {
  const message: Message = await chatwoot.messages.create(42, { content: "x" }, { idempotencyKey: "reply-1" });
  void message;
  // @ts-expect-error a key is a string
  await chatwoot.messages.create(42, { content: "x" }, { idempotencyKey: 1 });
}

// Each method's result is the spec's 200 JSON body of its operation, derived from the generated `paths`.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: { content: { "application/json": infer T } } } } ? T : never;
type Resource = ChatwootClient["messages"];
type Result<K extends keyof Resource> = Resource[K] extends (...args: never[]) => Promise<infer T> ? T : never;
const MESSAGES = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages";
const ONE = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}";
export const responsesFromTheSpec: [
  Equal<Result<"create">, Ok<typeof MESSAGES, "post">>,
  Equal<Result<"list">, Ok<typeof MESSAGES, "get">>,
  Equal<Result<"updateStatus">, Ok<typeof ONE, "patch">>,
  Equal<Result<"delete">, Ok<typeof ONE, "delete">>,
  Equal<Result<"retry">, Ok<`${typeof ONE}/retry`, "post">>,
  Equal<Result<"translate">, Ok<`${typeof ONE}/translate`, "post">>,
  Equal<Result<"create">, Message>,
] = [true, true, true, true, true, true, true];
