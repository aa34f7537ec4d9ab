/**
 * A Fetch-API receiver for Chatwoot webhooks, `(request) => Promise<Response>`, for any server
 * that speaks Request/Response (Node via a small adapter, Deno, Bun, edge runtimes). It verifies
 * the delivery, answers at once (Chatwoot gives up after 5 s), and runs `onEvent` afterwards,
 * once per `X-Chatwoot-Delivery` id.
 */
import type { WebhookEvent } from "./types.js";
import { header, verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions } from "./webhooks.js";

/** Remembers delivery ids. `claim` is true the first time an id is seen. */
export interface DeliveryStore {
  claim(id: string): boolean | Promise<boolean>;
  /** Forgets an id whose processing failed, so that a retried delivery is processed. */
  release(id: string): void | Promise<void>;
}

/** In-memory store: the last `max` ids, each for `ttlMs`. Use a shared store when several processes receive. */
export function memoryDeliveryStore({ max = 10_000, ttlMs = 24 * 60 * 60 * 1000 } = {}): DeliveryStore {
  const seen = new Map<string, number>();
  return {
    claim(id) {
      const now = Date.now();
      const at = seen.get(id);
      if (at !== undefined && now - at < ttlMs) return false;
      seen.delete(id);
      seen.set(id, now);
      if (seen.size > max) seen.delete(seen.keys().next().value!);
      return true;
    },
    release(id) {
      seen.delete(id);
    },
  };
}

export interface WebhookDelivery {
  deliveryId: string | undefined;
}

export interface WebhookHandlerOptions extends Pick<VerifyWebhookOptions, "secret" | "toleranceSeconds" | "allowUnsigned"> {
  onEvent(event: WebhookEvent, delivery: WebhookDelivery): unknown;
  /** Where a failing `onEvent` is reported. Default: console.error (a lost event should not be silent). */
  onError?(error: unknown, event: WebhookEvent): void;
  store?: DeliveryStore;
}

export function createWebhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  const store = options.store ?? memoryDeliveryStore();
  const onError = options.onError ?? ((error: unknown) => console.error("chatwoot webhook handler failed:", error));

  return async (request) => {
    if (request.method !== "POST") return answer(405, { error: "Webhooks are POSTed" }, { allow: "POST" });
    let event: WebhookEvent;
    try {
      event = await verifyWebhook({ ...options, rawBody: await request.arrayBuffer(), headers: request.headers });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return answer(error.reason === "invalid_body" ? 400 : 401, { error: error.message });
    }
    const deliveryId = header(request.headers, "x-chatwoot-delivery");
    if (deliveryId !== undefined && !(await store.claim(deliveryId))) return answer(200, { duplicate: true });

    // Not awaited: Chatwoot only needs the acknowledgement.
    void Promise.resolve()
      .then(() => options.onEvent(event, { deliveryId }))
      .catch(async (error: unknown) => {
        if (deliveryId !== undefined) await store.release(deliveryId);
        onError(error, event);
      });
    return answer(202, { received: true });
  };
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** What the adapter needs of Node's IncomingMessage and ServerResponse (no Node import here). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** Mounts a Fetch-API handler on Node's `http.createServer`. */
export function toNodeListener(handler: (request: Request) => Promise<Response>) {
  return async (incoming: NodeRequestLike, outgoing: NodeResponseLike): Promise<void> => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of incoming) chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
    const request = new Request(`http://localhost${incoming.url ?? "/"}`, {
      method: incoming.method ?? "GET",
      headers,
      ...(hasBody ? { body: new Blob(chunks as BlobPart[]) } : {}),
    });
    const response = await handler(request);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(await response.text());
  };
}
