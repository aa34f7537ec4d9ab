/**
 * Events by name: a handler per event, typed with that event's payload from the spec, and the
 * echo guard that keeps a bot from answering itself.
 */
import { markOf } from "../marker.js";
import type { WebhookEvent } from "../types.js";
import type { EventHandler, WebhookDelivery } from "./queue.js";

export type WebhookEventName = WebhookEvent["event"];
type Narrow<E, K> = E extends { event: infer N } ? (K extends N ? E & { event: K } : never) : never;
/** The payload of one event, e.g. `WebhookEventOf<"message_created">`. */
export type WebhookEventOf<K extends WebhookEventName> = Narrow<WebhookEvent, K>;

/** A handler per event name; an unknown name does not compile. */
export type EventHandlers = { [K in WebhookEventName]?: (event: WebhookEventOf<K>, delivery: WebhookDelivery) => unknown };

/** One handler from handlers by name (events without one are skipped), for `queue.work(routeEvents({ ... }))`. */
export function routeEvents(on: EventHandlers): EventHandler {
  return (event, delivery) => (on[event.event] as EventHandler | undefined)?.(event, delivery);
}

/**
 * Whether a message event is about a message this package posted (it carries the
 * `chatwoot_messages_key` marker). A server that drops custom content attributes (before 2025)
 * keeps no marker, so there this is always false.
 */
export function isOwnMessage(event: WebhookEvent): boolean {
  return (event.event === "message_created" || event.event === "message_updated") && markOf(event) !== undefined;
}
