/**
 * A Fetch-API receiver for Chatwoot webhooks, `(request) => Promise<Response>`, for any server
 * that speaks Request/Response (Node through `toNodeListener`, Deno, Bun, edge runtimes). It
 * refuses oversized bodies, verifies the signature, drops duplicates, and then either
 *
 * - runs `onEvent` itself (no queue): 200 once it succeeded, 500 when it failed (an agent bot's
 *   delivery is then retried), 202 when it is still running at `deadlineMs` (the work goes on, but
 *   a crash from then on loses it: at most once); or
 * - stores the delivery in a `queue` for workers: 202 only once it is stored, 500 when it cannot
 *   be (nothing is acknowledged that was not kept, and Chatwoot retries agent-bot deliveries on
 *   500 only, never on 503), at least once.
 *
 * A duplicate is answered 200 and not run again only when its first run is known done; a duplicate
 * of a run still in flight here is answered with that run's outcome, and one not known done 500.
 */
import { ValidationError } from "../core/errors.js";
import { validateBotId } from "../application/validate.js";
import type { WebhookEvent } from "../types.js";
import { answer } from "./answer.js";
import { DEFAULT_MAX_BODY_BYTES, readLimited } from "./body.js";
import { dedupeKey, memoryDeliveryStore, signatureKey, type DeliveryStore } from "./dedupe.js";
import { isOwnMessage, routeEvents, type EventHandlers } from "./events.js";
import { inlineRunner } from "./inline.js";
import { positive } from "./numbers.js";
import type { EventHandler, WebhookQueue } from "./queue.js";
import { checkSecrets, checkTolerance, header, verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions } from "./verify.js";

export interface WebhookHandlerOptions extends Pick<VerifyWebhookOptions, "secret" | "toleranceSeconds" | "allowUnsigned"> {
  /** Runs each new delivery, in the request (no queue). With a queue, give it to `queue.work` instead. */
  onEvent?: EventHandler;
  /** A handler per event name, typed by event (no queue; with one, `queue.work(routeEvents({...}))`). Events without one are acknowledged and skipped. */
  on?: EventHandlers;
  /** Also deliver `message_created` of this bot's own messages (the echo guard drops them). Default false. */
  includeOwnMessages?: boolean;
  /** The `botId` the client posts with: its own messages are the ones the echo guard drops. Default "chatwoot-messages". */
  botId?: string;
  /** Store deliveries here and answer; workers run them (`queue.work(onEvent)`). */
  queue?: WebhookQueue;
  /** Where a failing `onEvent` (or store) is reported. Default: console.error (a lost event should not be silent). */
  onError?(error: unknown, event: WebhookEvent): void;
  /** Remembers deliveries claimed and done (no queue). Default: memoryDeliveryStore() (24 h, at least twice toleranceSeconds). */
  store?: DeliveryStore;
  /** How long the request waits for `onEvent` (no queue); Chatwoot gives up after 5 s. Default 4000. */
  deadlineMs?: number;
  /** Larger bodies are answered 413 unread. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Edge runtimes' `ctx.waitUntil`, to keep `onEvent` alive after a 202. */
  waitUntil?(work: Promise<unknown>): void;
}

export type WebhookHandler = (request: Request) => Promise<Response>;

export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "must be an object");
  checkSecrets(options.secret);
  checkTolerance(options.toleranceSeconds);
  const maxBodyBytes = positive("maxBodyBytes", options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
  const deadlineMs = positive("deadlineMs", options.deadlineMs, 4_000);
  const { queue, on } = options;
  const botId = options.botId === undefined ? undefined : validateBotId(options.botId, "botId");
  if (queue && (options.onEvent || on)) {
    throw new ValidationError(options.onEvent ? "onEvent" : "on", "goes to queue.work() when a queue is given: workers run it (queue.work(routeEvents({...})) for handlers by event)");
  }
  if (!queue && typeof options.onEvent !== "function" && (typeof on !== "object" || on === null)) {
    throw new ValidationError("onEvent", "is required: a function (or `on`, handlers by event), or a queue whose workers run it");
  }
  checkStore(options.store);
  const routed = on ? routeEvents(on) : undefined;
  const onEvent: EventHandler | undefined = queue ? undefined : async (event, delivery) => {
    await routed?.(event, delivery);
    await options.onEvent?.(event, delivery);
  };
  // A signature can be accepted from toleranceSeconds before its timestamp to as long after: remember it that long.
  const store = options.store ?? memoryDeliveryStore({ ttlMs: Math.max(24 * 60 * 60 * 1000, 2_000 * checkTolerance(options.toleranceSeconds)) });
  const onError = options.onError ?? ((error: unknown) => console.error("chatwoot webhook handler failed:", error));
  const runInline = onEvent && inlineRunner({ onEvent, store, onError, deadlineMs, waitUntil: options.waitUntil });

  const receive = async (request: Request): Promise<Response> => {
    if (request.method !== "POST") return answer(405, { error: "Webhooks are POSTed" }, { allow: "POST" });
    let body: Uint8Array | undefined;
    try {
      body = await readLimited(request, maxBodyBytes);
    } catch {
      return answer(400, { error: "The body could not be read" });
    }
    if (body === undefined) return answer(413, { error: `The body is larger than ${maxBodyBytes} bytes` }, { connection: "close" });
    let event: WebhookEvent;
    try {
      event = await verifyWebhook({ ...options, rawBody: body, headers: request.headers });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return answer(error.reason === "invalid_body" ? 400 : 401, { error: error.message });
    }
    // The echo guard: a bot's own replies come back as message_created; answering them would loop.
    if (!options.includeOwnMessages && isOwnMessage(event, { botId })) return answer(200, { skipped: "own message" });
    const deliveryId = header(request.headers, "x-chatwoot-delivery");
    const signature = header(request.headers, "x-chatwoot-signature");
    const key = dedupeKey(event, deliveryId, signature);
    // Known by its signature too, unless that is already its key: a captured delivery re-sent under a new id is a duplicate.
    const replayKey = signatureKey(signature);
    const keys = [...new Set([key, replayKey])].filter((k): k is string => k !== undefined);

    if (queue) {
      try {
        const stored = await queue.add(key ?? `once.${crypto.randomUUID()}`, event, deliveryId, replayKey === key ? undefined : replayKey);
        return stored === "stored" ? answer(202, { queued: true }) : answer(200, { duplicate: true });
      } catch (error) {
        onError(error, event);
        // 500, not 503: Chatwoot retries an agent-bot delivery on 429 and 500 only.
        return answer(500, { error: "The delivery could not be stored; send it again" });
      }
    }

    return runInline!(event, deliveryId, keys);
  };

  return async (request) => {
    try {
      return await receive(request);
    } catch {
      return answer(500, { error: "The delivery could not be handled" });
    }
  };
}

/** A custom store must have all three: one without `done` (written for 0.2) would acknowledge what never ran. */
function checkStore(store: unknown): void {
  if (store === undefined) return;
  const methods = typeof store === "object" && store !== null ? (store as Record<string, unknown>) : {};
  if (!["claim", "done", "release"].every((name) => typeof methods[name] === "function")) {
    throw new ValidationError("store", "must have claim, done and release functions (a DeliveryStore)");
  }
}
