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
 * A known duplicate is answered 200 and not run again; a duplicate of a delivery whose run is still
 * in flight here is answered with that run's outcome.
 */
import { ValidationError } from "../errors.js";
import type { WebhookEvent } from "../types.js";
import { DEFAULT_MAX_BODY_BYTES, readLimited } from "./body.js";
import { dedupeKey, memoryDeliveryStore, signatureKey, type DeliveryStore } from "./dedupe.js";
import { isOwnMessage, routeEvents, type EventHandlers } from "./events.js";
import { positive } from "./numbers.js";
import type { EventHandler, WebhookQueue } from "./queue.js";
import { checkSecrets, checkTolerance, header, verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions } from "./verify.js";

export interface WebhookHandlerOptions extends Pick<VerifyWebhookOptions, "secret" | "toleranceSeconds" | "allowUnsigned"> {
  /** Runs each new delivery, in the request (no queue). With a queue, give it to `queue.work` instead. */
  onEvent?: EventHandler;
  /** A handler per event name, typed by event (no queue; with one, `queue.work(routeEvents({...}))`). Events without one are acknowledged and skipped. */
  on?: EventHandlers;
  /** Also deliver message events about messages this package posted (the echo guard drops them). Default false. */
  includeOwnMessages?: boolean;
  /** Store deliveries here and answer; workers run them (`queue.work(onEvent)`). */
  queue?: WebhookQueue;
  /** Where a failing `onEvent` (or store) is reported. Default: console.error (a lost event should not be silent). */
  onError?(error: unknown, event: WebhookEvent): void;
  /** Remembers deliveries already handled (no queue). Default: memoryDeliveryStore() (24 h, at least twice toleranceSeconds). */
  store?: DeliveryStore;
  /** How long the request waits for `onEvent` (no queue); Chatwoot gives up after 5 s. Default 4000. */
  deadlineMs?: number;
  /** Larger bodies are answered 413 unread. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Edge runtimes' `ctx.waitUntil`, to keep `onEvent` alive after a 202. */
  waitUntil?(work: Promise<unknown>): void;
}

export type WebhookHandler = (request: Request) => Promise<Response>;

const LATE = Symbol("late");

export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "must be an object");
  checkSecrets(options.secret);
  checkTolerance(options.toleranceSeconds);
  const maxBodyBytes = positive("maxBodyBytes", options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
  const deadlineMs = positive("deadlineMs", options.deadlineMs, 4_000);
  const { queue, on } = options;
  if (queue && (options.onEvent || on)) {
    throw new ValidationError(options.onEvent ? "onEvent" : "on", "goes to queue.work() when a queue is given: workers run it (queue.work(routeEvents({...})) for handlers by event)");
  }
  if (!queue && typeof options.onEvent !== "function" && (typeof on !== "object" || on === null)) {
    throw new ValidationError("onEvent", "is required: a function (or `on`, handlers by event), or a queue whose workers run it");
  }
  const routed = on ? routeEvents(on) : undefined;
  const onEvent: EventHandler | undefined = queue ? undefined : async (event, delivery) => {
    await routed?.(event, delivery);
    await options.onEvent?.(event, delivery);
  };
  // A signature can be accepted from toleranceSeconds before its timestamp to as long after: remember it that long.
  const store = options.store ?? memoryDeliveryStore({ ttlMs: Math.max(24 * 60 * 60 * 1000, 2_000 * checkTolerance(options.toleranceSeconds)) });
  const onError = options.onError ?? ((error: unknown) => console.error("chatwoot webhook handler failed:", error));

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
    if (!options.includeOwnMessages && isOwnMessage(event)) return answer(200, { skipped: "own message" });
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

    let seenKey: string | undefined;
    try {
      seenKey = await claimAll(keys);
    } catch (error) {
      onError(error, event);
      return answer(500, { error: "The delivery store is unavailable; send it again" });
    }
    if (seenKey !== undefined) return duplicateOf(seenKey);
    const work = run(onEvent!, event, deliveryId, keys);
    for (const k of keys) inFlight.set(k, work);
    void work.finally(() => keys.forEach((k) => inFlight.get(k) === work && inFlight.delete(k)));
    options.waitUntil?.(work);
    const outcome = await withinDeadline(work, deadlineMs);
    if (outcome === LATE) return answer(202, { accepted: true });
    return outcome ? answer(200, { handled: true }) : answer(500, { error: "The handler failed" });
  };

  /** Runs of this handler not finished yet, by each of their keys. */
  const inFlight = new Map<string, Promise<boolean>>();

  /** Claims every key of a delivery; returns the first one already seen (after releasing those just claimed), or undefined. */
  const claimAll = async (keys: string[]): Promise<string | undefined> => {
    const claimed: string[] = [];
    for (const k of keys) {
      if (await store.claim(k)) {
        claimed.push(k);
        continue;
      }
      await Promise.all(claimed.map((c) => store.release(c)));
      return k;
    }
    return undefined;
  };

  /**
   * A duplicate is acknowledged only once the first run is known to have succeeded: while it is in
   * flight here, its outcome is awaited (500 if it fails or is still running at the deadline, so
   * that the sender tries again rather than believing it done).
   */
  const duplicateOf = async (seenKey: string): Promise<Response> => {
    const running = inFlight.get(seenKey);
    if (running === undefined) return answer(200, { duplicate: true });
    const outcome = await withinDeadline(running, deadlineMs);
    if (outcome === true) return answer(200, { duplicate: true });
    return answer(500, { error: outcome === LATE ? "The first delivery of this event is still being handled; send it again" : "The first delivery of this event failed; send it again" });
  };

  /** True when onEvent succeeded; on failure the keys are released (so a retry runs) and both failures reported. */
  const run = async (handler: EventHandler, event: WebhookEvent, deliveryId: string | undefined, keys: string[]) => {
    try {
      await handler(event, { deliveryId, attempt: 1 });
      return true;
    } catch (error) {
      try {
        await Promise.all(keys.map((k) => store.release(k)));
      } catch (releaseError) {
        onError(releaseError, event);
      }
      onError(error, event);
      return false;
    }
  };

  return async (request) => {
    try {
      return await receive(request);
    } catch {
      return answer(500, { error: "The delivery could not be handled" });
    }
  };
}

function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => (timer = setTimeout(resolve, ms, LATE)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
