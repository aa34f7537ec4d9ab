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

/** Remembers keys. `claim` is true the first time a key is seen. */
export interface DeliveryStore {
  claim(key: string): boolean | Promise<boolean>;
  /** Forgets a key whose processing failed, so that a retried delivery is processed. */
  release(key: string): void | Promise<void>;
}

/**
 * In-memory store: each key for `ttlMs` (default 24 h), however many there are (memory grows with
 * the deliveries of the last `ttlMs`, about 150 bytes each). Forgetting by count instead would let
 * a replay through after a burst. Several receiving processes need a queue on Redis instead.
 */
export function memoryDeliveryStore({ ttlMs = 24 * 60 * 60 * 1000, now = Date.now }: { ttlMs?: number; now?: () => number } = {}): DeliveryStore {
  // Insertion order is claim order, so the oldest keys are first: forgetting stops at the first young one.
  const seen = new Map<string, number>();
  const forgetOld = (at: number) => {
    for (const [key, claimed] of seen) {
      if (at - claimed < ttlMs) break;
      seen.delete(key);
    }
  };
  return {
    claim(key) {
      const at = now();
      forgetOld(at);
      const claimed = seen.get(key);
      if (claimed !== undefined && at - claimed < ttlMs) return false;
      seen.delete(key);
      seen.set(key, at);
      return true;
    },
    release(key) {
      seen.delete(key);
    },
  };
}
