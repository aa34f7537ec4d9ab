/**
 * What makes two deliveries the same. Chatwoot retries an agent-bot delivery with the same
 * `X-Chatwoot-Delivery` (and a new timestamp and signature), and also sends duplicate
 * `message_created` deliveries for one message with different delivery ids (chatwoot#11901). So a
 * `message_created` is known by its account and message id, and every other event by its delivery
 * id: two `message_updated` of one message are different events.
 *
 * The signature covers the timestamp and the body, not the delivery id: a captured delivery can be
 * re-sent under a new delivery id while its timestamp is within the tolerance. Its signature is the
 * same, so a delivery is also known by its signature (`signatureKey`): one signature, one delivery.
 */
import type { WebhookEvent } from "../types.js";

/**
 * The deduplication key of a delivery: its message (message_created), else its delivery id, else
 * its signature; undefined when nothing identifies it (unsigned, no delivery id).
 */
export function dedupeKey(event: WebhookEvent, deliveryId: string | undefined, signature?: string): string | undefined {
  const { id, account } = event as { id?: unknown; account?: { id?: unknown } };
  if (event.event === "message_created" && typeof id === "number") {
    return `message_created.${typeof account?.id === "number" ? account.id : "_"}.${id}`;
  }
  if (deliveryId !== undefined && deliveryId !== "") return `delivery.${escapeKey(deliveryId)}`;
  return signatureKey(signature);
}

/** The key of a signature (`sha256=` + hex, as verified), or undefined for an unsigned delivery. */
export function signatureKey(signature: string | undefined): string | undefined {
  const hex = signature === undefined ? undefined : /^sha256=([0-9a-f]{64})$/i.exec(signature.trim())?.[1];
  return hex === undefined ? undefined : `signature.${hex.toLowerCase()}`;
}

/**
 * Keys must not contain ":" (BullMQ job ids); delivery ids are UUIDs, but a proxy could send
 * anything. Every other character than [A-Za-z0-9._-] is written as "~" and its UTF-8 bytes in
 * hex ("~" itself included), so two different ids never get one key ("evt:1" is evt~3a1, "evt/1" evt~2f1).
 */
function escapeKey(value: string): string {
  const encoder = new TextEncoder();
  return value.replace(/[^A-Za-z0-9._-]/gu, (char) => [...encoder.encode(char)].map((byte) => `~${byte.toString(16).padStart(2, "0")}`).join(""));
}

/** What `claim` found: "claimed" (new: the caller runs it now), "running" (claimed, not done), "done". */
export type DeliveryClaim = "claimed" | "running" | "done";

/**
 * Remembers the keys of deliveries (no queue), each claimed → done, or released. A delivery is
 * acknowledged as a duplicate only when its key is "done"; what is claimed but not done (running,
 * or its run failed and could not be released) is answered 500, so a store that fails never turns a
 * delivery that did not run into a "duplicate". A store shared by several processes must make
 * `claim` atomic (one caller gets "claimed").
 */
export interface DeliveryStore {
  /** Claims a key not held (or expired): "claimed"; else what it is: "running" or "done". */
  claim(key: string): DeliveryClaim | Promise<DeliveryClaim>;
  /** Records that the run of a claimed key succeeded: from then on a duplicate of it is acknowledged. */
  done(key: string): void | Promise<void>;
  /** Forgets a key whose run failed (or was not started), so that a retried delivery runs. */
  release(key: string): void | Promise<void>;
}

/**
 * In-memory store: each key for `ttlMs` (default 24 h) from its claim, however many there are
 * (memory grows with the deliveries of the last `ttlMs`, about 150 bytes each). Forgetting by count
 * instead would let a replay through after a burst. Several receiving processes need a queue on Redis instead.
 */
export function memoryDeliveryStore({ ttlMs = 24 * 60 * 60 * 1000, now = Date.now }: { ttlMs?: number; now?: () => number } = {}): DeliveryStore {
  // Insertion order is claim order, so the oldest keys are first: forgetting stops at the first young one.
  const seen = new Map<string, { at: number; done: boolean }>();
  const forgetOld = (at: number) => {
    for (const [key, entry] of seen) {
      if (at - entry.at < ttlMs) break;
      seen.delete(key);
    }
  };
  return {
    claim(key) {
      const at = now();
      forgetOld(at);
      const entry = seen.get(key);
      if (entry !== undefined && at - entry.at < ttlMs) return entry.done ? "done" : "running";
      seen.delete(key);
      seen.set(key, { at, done: false });
      return "claimed";
    },
    done(key) {
      const entry = seen.get(key);
      if (entry !== undefined) entry.done = true;
    },
    release(key) {
      seen.delete(key);
    },
  };
}
