/**
 * A fake Chatwoot on 127.0.0.1 that keeps the messages it is sent (content_attributes included, as
 * current servers do) and lists them as the real one does (`after`: up to 100 ascending; no cursor:
 * the latest 20). Each create can be answered with a fault, chosen by `fault(key, nth)` from the
 * create's idempotency key and how many times that key was posted: committed and then the
 * connection dropped, answered only after the client gave up, 502 after committing, 503 or a
 * dropped connection before committing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FAULTS = ["ok", "drop-after-commit", "late-after-commit", "502-after-commit", "503-before-commit", "drop-before-commit"] as const;
export type Fault = (typeof FAULTS)[number];

export interface StoredMessage {
  id: number;
  conversation_id: number;
  content: string | null;
  content_attributes: Record<string, unknown>;
  [key: string]: unknown;
}

export interface FakeChatwootOptions {
  fault?: (key: string | undefined, nth: number) => Fault;
  /** An agent bot's token: every list answers 401. */
  botToken?: boolean;
  /** An old server that keeps only the content attributes it knows. */
  dropsMarker?: boolean;
}

export async function startFakeChatwoot(options: FakeChatwootOptions = {}) {
  const messages: StoredMessage[] = [];
  const posts = new Map<string, number>();
  let postCount = 0;
  let nextId = 1000;

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", "http://fake");
    const conversation = Number(/\/conversations\/(\d+)\/messages/.exec(url.pathname)?.[1]);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };

    if (request.method === "GET") {
      if (options.botToken) return send(401, { error: "Access to this endpoint is not authorized for bots" });
      const mine = messages.filter((message) => message.conversation_id === conversation);
      const after = url.searchParams.get("after");
      const payload = after === null ? mine.slice(-20) : mine.filter((message) => message.id > Number(after)).slice(0, 100);
      return send(200, { meta: {}, payload });
    }

    postCount++;
    const body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
    const attributes = typeof body.content_attributes === "string" ? JSON.parse(body.content_attributes) : (body.content_attributes ?? {});
    const key = typeof attributes.chatwoot_messages_key === "string" ? attributes.chatwoot_messages_key : undefined;
    const nth = (posts.get(key ?? "") ?? 0) + 1;
    posts.set(key ?? "", nth);
    const fault = options.fault?.(key, nth) ?? "ok";
    if (fault === "503-before-commit") return send(503, { error: "Service Unavailable" });
    if (fault === "drop-before-commit") return response.socket?.destroy();

    const stored: StoredMessage = {
      id: ++nextId,
      conversation_id: conversation,
      content: body.content ?? null,
      content_attributes: options.dropsMarker ? pick(attributes, ["in_reply_to", "items"]) : attributes,
      inbox_id: 1,
      message_type: 1,
      content_type: "text",
      private: false,
      status: "sent",
      source_id: null,
      created_at: 1_700_000_000,
    };
    messages.push(stored);
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
    postsOf: (key: string) => posts.get(key) ?? 0,
    posts: () => postCount,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function pick(attributes: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => keys.includes(key)));
}
