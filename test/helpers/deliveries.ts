/** Signed deliveries as Chatwoot sends them, for handler tests. */
import { randomUUID } from "node:crypto";
import { SECRET, sign } from "./sign.js";

export function messageEvent(id: number, overrides: Record<string, unknown> = {}) {
  return {
    event: "message_created",
    id,
    account: { id: 1, name: "Acme" },
    content: `message ${id}`,
    message_type: "incoming",
    content_attributes: {},
    conversation: { id: 42 },
    ...overrides,
  };
}

/** A signed POST; the delivery id is fresh unless given. */
export function delivery(event: object | string, { deliveryId = randomUUID() as string, secret = SECRET, timestamp = Math.floor(Date.now() / 1000) } = {}) {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  return new Request("http://receiver.test/chatwoot", {
    method: "POST",
    headers: { ...sign(body, timestamp, secret), "x-chatwoot-delivery": deliveryId },
    body,
  });
}
