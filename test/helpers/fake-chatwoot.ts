/**
 * A fake Chatwoot on 127.0.0.1 that keeps the messages it is sent (content_attributes included, as
 * current servers do), per account and conversation, with one global id sequence that only grows,
 * and lists them as the real one does (`after`: up to 100 ascending; no cursor: the latest 20).
 * Each create can be answered with a fault, chosen by `fault(key, nth)` from the create's
 * idempotency key and how many times that key was posted: committed and then the connection
 * dropped, answered only after the client gave up, 502 after committing, 503 or a dropped
 * connection before committing, or 502 at once and committed only after the next list of that
 * conversation has been answered (Rails finishing a request the client gave up on), or never
 * answered and committed only after the next list once the client hung up (a create the caller
 * aborted that the server commits later). Each list can be answered with a fault too, by
 * `listFault(nth)`. Multipart creates are read too: their files count as attachments.
 */
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FAULTS = ["ok", "drop-after-commit", "late-after-commit", "502-after-commit", "503-before-commit", "drop-before-commit"] as const;
export type Fault = (typeof FAULTS)[number] | "502-commit-after-next-list" | "hang-commit-after-next-list";
/** A list answered 401 (a bot token), 200 without `payload`, 200 with a null among the messages, or 500. */
export type ListFault = "ok" | "401" | "no-payload" | "null-entry" | "500";

export interface StoredMessage {
  id: number;
  conversation_id: number;
  content: string | null;
  content_attributes: Record<string, unknown>;
  [key: string]: unknown;
}

export interface FakeChatwootOptions {
  fault?: (key: string | undefined, nth: number) => Fault;
  /** By the list's number, from 1, over the fake's life. */
  listFault?: (nth: number) => ListFault;
  /** An agent bot's token: every list answers 401, but with one of `userTokens`. */
  botToken?: boolean;
  userTokens?: string[];
  /** An old server that keeps only the content attributes it knows. */
  dropsMarker?: boolean;
}

export async function startFakeChatwoot(options: FakeChatwootOptions = {}) {
  const messages: StoredMessage[] = [];
  const posts = new Map<string, number>();
  const events = new EventEmitter(); // "received" (key): a create arrived; "commit" (message): a create was stored
  // Creates the server goes on with after answering: committed once the next list here is answered.
  const pending = new Map<string, Array<() => void>>();
  let postCount = 0;
  let listCount = 0;
  // Above the spec's example ids, which tests use as anchors: a message created later has a larger id.
  let nextId = 10_000;
  const store = (message: Omit<StoredMessage, "id">): StoredMessage => {
    const stored = { id: ++nextId, ...message } as StoredMessage;
    messages.push(stored);
    events.emit("commit", stored);
    return stored;
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", "http://fake");
    const [, account, conversation] = (/\/accounts\/(\d+)\/conversations\/(\d+)\/messages/.exec(url.pathname) ?? []).map(Number);
    const where = `${account}/${conversation}`;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };

    if (request.method === "GET") {
      listCount++;
      const listFault = options.listFault?.(listCount) ?? "ok";
      const token = String(request.headers["api_access_token"] ?? request.headers["api-access-token"] ?? "");
      const bot = options.botToken && !options.userTokens?.includes(token);
      if (bot || listFault === "401") return send(401, { error: "Access to this endpoint is not authorized for bots" });
      if (listFault === "500") return send(500, { error: "Internal Server Error" });
      if (listFault === "no-payload") return send(200, { meta: {} });
      if (listFault === "null-entry") return send(200, { meta: {}, payload: [null] });
      const mine = messages.filter((message) => message.account_id === account && message.conversation_id === conversation);
      const after = url.searchParams.get("after");
      const payload = after === null ? mine.slice(-20) : mine.filter((message) => message.id > Number(after)).slice(0, 100);
      send(200, { meta: {}, payload });
      const later = pending.get(where) ?? [];
      pending.delete(where);
      for (const commit of later) commit();
      return;
    }

    postCount++;
    const { body, files } = await readCreate(Buffer.concat(chunks), String(request.headers["content-type"] ?? ""));
    const attributes = typeof body.content_attributes === "string" ? JSON.parse(body.content_attributes) : (body.content_attributes ?? {});
    const key = typeof attributes.chatwoot_messages_key === "string" ? attributes.chatwoot_messages_key : undefined;
    const nth = (posts.get(key ?? "") ?? 0) + 1;
    posts.set(key ?? "", nth);
    const fault = options.fault?.(key, nth) ?? "ok";
    events.emit("received", key);
    if (fault === "503-before-commit") return send(503, { error: "Service Unavailable" });
    if (fault === "drop-before-commit") return response.socket?.destroy();

    const commit = () => store({
      account_id: account,
      conversation_id: conversation,
      content: body.content ?? null,
      content_attributes: options.dropsMarker ? pick(attributes, ["in_reply_to", "items"]) : attributes,
      inbox_id: 1,
      message_type: { incoming: 0, outgoing: 1, activity: 2, template: 3 }[String(body.message_type ?? "outgoing")] ?? 1,
      content_type: body.content_type ?? "text",
      private: body.private === true || body.private === "true",
      ...(files > 0 ? { attachments: Array.from({ length: files }, (_, i) => ({ id: i + 1, file_type: "file" })) } : {}),
      status: "sent",
      source_id: null,
      created_at: 1_700_000_000,
    });
    if (fault === "502-commit-after-next-list") {
      pending.set(where, [...(pending.get(where) ?? []), commit]);
      return send(502, "<html><title>502 Bad Gateway</title></html>");
    }
    if (fault === "hang-commit-after-next-list") {
      // No answer; once the client hangs up, the commit waits for the next list here.
      request.socket.once("close", () => pending.set(where, [...(pending.get(where) ?? []), commit]));
      return;
    }
    const stored = commit();
    if (fault === "ok") return send(200, stored);
    if (fault === "502-after-commit") return send(502, "<html><title>502 Bad Gateway</title></html>");
    if (fault === "drop-after-commit") return response.socket?.destroy();
    // late-after-commit: answer only once the client has given up on the request.
    response.once("close", () => undefined);
    request.socket.once("close", () => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    events,
    /** A contact's message, as Chatwoot would store it before telling the bot: its id is an anchor. */
    incoming: (conversation: number, content: string, account = 1) =>
      store({ account_id: account, conversation_id: conversation, content, content_attributes: {}, message_type: 0, private: false }),
    lists: () => listCount,
    postsOf: (key: string) => posts.get(key) ?? 0,
    posts: () => postCount,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A create's body, JSON or multipart (plain fields as strings, `attachments[]` files counted). */
async function readCreate(raw: Buffer, type: string): Promise<{ body: Record<string, unknown>; files: number }> {
  if (!type.startsWith("multipart/form-data")) return { body: JSON.parse(raw.toString() || "{}"), files: 0 };
  const form = await new Response(new Uint8Array(raw), { headers: { "content-type": type } }).formData();
  const body: Record<string, unknown> = {};
  for (const [name, value] of form) if (typeof value === "string") body[name] = value;
  return { body, files: form.getAll("attachments[]").filter((value) => typeof value !== "string").length };
}

function pick(attributes: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => keys.includes(key)));
}
