/**
 * Events by name: a handler per event, typed with that event's payload from the spec, and the
 * echo guard that keeps a bot from answering itself.
 */
import { DEFAULT_BOT_ID, markOf } from "../application/marker.js";
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
 * Whether an event is this bot's own message coming back: `message_created` of an outgoing or
 * template message (a private note included) that carries this package's marker with this bot's
 * `botId` (the client's; default "chatwoot-messages"). Answering it would loop. Everything else
 * is not "own": `message_updated` (a contact's pick in an input_select, a form, a CSAT, arrives
 * as an update of the bot's own message; so does a delivery that `failed`), an incoming message
 * posted through this package (a relay), another bot's message. A server that drops custom
 * content attributes (before 2025) keeps no marker, so there this is always false.
 */
export function isOwnMessage(event: WebhookEvent, { botId = DEFAULT_BOT_ID }: { botId?: string } = {}): boolean {
  if (event.event !== "message_created") return false;
  const type: unknown = event.message_type;
  if (type !== "outgoing" && type !== "template" && type !== 1 && type !== 3) return false;
  return markOf(event)?.by === botId;
}
