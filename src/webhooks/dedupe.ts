/**
 * What makes two deliveries the same. Chatwoot retries an agent-bot delivery with the same
 * `X-Chatwoot-Delivery`, and also sends duplicate `message_created` deliveries for one message
 * with different delivery ids (chatwoot#11901). So a `message_created` is known by its account and
 * message id, and every other event by its delivery id: two `message_updated` of one message are
 * different events.
 */
import type { WebhookEvent } from "../types.js";

/** The deduplication key of a delivery, or undefined when nothing identifies it (unsigned, old servers). */
export function dedupeKey(event: WebhookEvent, deliveryId: string | undefined): string | undefined {
  const { id, account } = event as { id?: unknown; account?: { id?: unknown } };
  if (event.event === "message_created" && typeof id === "number") {
    return `message_created.${typeof account?.id === "number" ? account.id : "_"}.${id}`;
  }
  // Keys must not contain ":" (BullMQ job ids); delivery ids are UUIDs, but a proxy could send anything.
  return deliveryId === undefined || deliveryId === "" ? undefined : `delivery.${deliveryId.replace(/[^\w.-]/g, "_")}`;
}

/** Remembers keys. `claim` is true the first time a key is seen. */
export interface DeliveryStore {
  claim(key: string): boolean | Promise<boolean>;
  /** Forgets a key whose processing failed, so that a retried delivery is processed. */
  release(key: string): void | Promise<void>;
}

/** In-memory store: the last `max` keys, each for `ttlMs`. Several receiving processes need a queue on Redis instead. */
export function memoryDeliveryStore({ max = 10_000, ttlMs = 24 * 60 * 60 * 1000, now = Date.now } = {}): DeliveryStore {
  const seen = new Map<string, number>();
  return {
    claim(key) {
      const at = seen.get(key);
      if (at !== undefined && now() - at < ttlMs) return false;
      seen.delete(key);
      seen.set(key, now());
      if (seen.size > max) seen.delete(seen.keys().next().value!);
      return true;
    },
    release(key) {
      seen.delete(key);
    },
  };
}
