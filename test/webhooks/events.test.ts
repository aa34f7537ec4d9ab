/** Handlers by event name, and the echo guard, in both modes of the handler. */
import { describe, expect, it } from "vitest";
import { createWebhookHandler, isOwnMessage, memoryWebhookQueue, routeEvents, ValidationError, type WebhookEvent } from "../../src/index.js";
import { delivery, messageEvent } from "../helpers/deliveries.js";
import { waitFor } from "../helpers/processes.js";
import { SECRET } from "../helpers/sign.js";

const own = (id: number, key: string | true = "reply-1", by = "chatwoot-messages") =>
  messageEvent(id, { message_type: "outgoing", content_attributes: { chatwoot_messages_key: key, chatwoot_messages_by: by } });
const status = { event: "conversation_status_changed", id: 42, inbox_id: 1, status: "resolved", channel: "Channel::Api", messages: [], meta: {} };

describe("on: handlers by event", () => {
  it("each event goes to its handler; an event without one is acknowledged and skipped", async () => {
    const seen: string[] = [];
    const handler = createWebhookHandler({
      secret: SECRET,
      on: {
        message_created: (event) => void seen.push(`created ${event.id}`),
        conversation_status_changed: (event) => void seen.push(`status ${event.status}`),
      },
    });
    expect((await handler(delivery(messageEvent(1)))).status).toBe(200);
    expect((await handler(delivery(status))).status).toBe(200);
    expect((await handler(delivery(messageEvent(2, { event: "message_updated" })))).status).toBe(200);
    expect(seen).toEqual(["created 1", "status resolved"]);
  });

  it("a failing handler by event is a 500, like onEvent", async () => {
    const handler = createWebhookHandler({ secret: SECRET, onError: () => undefined, on: { message_created: () => { throw new Error("nope"); } } });
    expect((await handler(delivery(messageEvent(3)))).status).toBe(500);
  });

  it("routeEvents gives workers the same routing", async () => {
    const queue = memoryWebhookQueue();
    const seen: number[] = [];
    try {
      queue.work(routeEvents({ message_created: (event) => void seen.push(event.id) }));
      const handler = createWebhookHandler({ secret: SECRET, queue });
      expect((await handler(delivery(messageEvent(4)))).status).toBe(202);
      expect((await handler(delivery(status))).status).toBe(202);
      await waitFor(() => seen.length === 1, 10_000, "the routed event");
      expect(seen).toEqual([4]);
    } finally {
      await queue.close();
    }
  });
});

describe("the echo guard", () => {
  it("isOwnMessage: message_created of an outgoing or template message carrying this bot's marker", () => {
    expect(isOwnMessage(own(1) as WebhookEvent)).toBe(true);
    expect(isOwnMessage(own(1, true) as WebhookEvent)).toBe(true);
    expect(isOwnMessage({ ...own(1), message_type: "template" } as WebhookEvent)).toBe(true);
    // Marked by an older version of this package (no `by`): the default bot's.
    expect(isOwnMessage(messageEvent(1, { message_type: "outgoing", content_attributes: { chatwoot_messages_key: "k" } }) as WebhookEvent)).toBe(true);
    expect(isOwnMessage(messageEvent(1) as WebhookEvent)).toBe(false);
    expect(isOwnMessage(messageEvent(1, { message_type: "outgoing", content_attributes: { chatwoot_messages_key: 5 } }) as WebhookEvent)).toBe(false);
    expect(isOwnMessage({ ...status, content_attributes: { chatwoot_messages_key: "x" } } as unknown as WebhookEvent)).toBe(false);
  });

  it("never own: message_updated (a contact's answer, a failed delivery), a relay's incoming message, another bot's message", () => {
    const submitted = { ...own(2), event: "message_updated", content_type: "input_select", content_attributes: { ...own(2).content_attributes, submitted_values: [{ title: "Yes", value: "yes" }] } };
    expect(isOwnMessage(submitted as WebhookEvent)).toBe(false);
    expect(isOwnMessage({ ...own(2), event: "message_updated", status: "failed" } as unknown as WebhookEvent)).toBe(false);
    expect(isOwnMessage({ ...own(3), message_type: "incoming" } as WebhookEvent)).toBe(false);
    expect(isOwnMessage(own(4, "k", "sales-bot") as WebhookEvent)).toBe(false);
    expect(isOwnMessage(own(4, "k", "sales-bot") as WebhookEvent, { botId: "sales-bot" })).toBe(true);
    expect(isOwnMessage(own(4) as WebhookEvent, { botId: "sales-bot" })).toBe(false);
  });

  it("drops only our own message_created, with a 2xx, without a handler or a queue; our message_updated runs", async () => {
    const seen: string[] = [];
    const handler = createWebhookHandler({ secret: SECRET, onEvent: (event) => void seen.push(`${event.event} ${(event as { id: number }).id}`) });
    const created = await handler(delivery(own(5)));
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ skipped: "own message" });
    const picked = { ...own(6), event: "message_updated", content_attributes: { ...own(6).content_attributes, submitted_values: [{ value: "yes" }] } };
    expect(await (await handler(delivery(picked))).json()).toEqual({ handled: true });
    expect((await handler(delivery(messageEvent(7)))).status).toBe(200);
    expect(seen).toEqual(["message_updated 6", "message_created 7"]);

    const queue = memoryWebhookQueue();
    try {
      const queued = createWebhookHandler({ secret: SECRET, queue });
      expect(await (await queued(delivery(own(8)))).json()).toEqual({ skipped: "own message" });
      const ran: number[] = [];
      queue.work((event) => void ran.push((event as { id: number }).id));
      expect((await queued(delivery(messageEvent(9)))).status).toBe(202);
      await waitFor(() => ran.length === 1, 10_000, "the contact's message");
      expect(ran).toEqual([9]);
    } finally {
      await queue.close();
    }
  });

  it("a relay's incoming message and another bot's reply reach the handler; botId picks whose messages are own", async () => {
    const seen: number[] = [];
    const onEvent = (event: WebhookEvent) => void seen.push((event as { id: number }).id);
    const relay = createWebhookHandler({ secret: SECRET, onEvent });
    await relay(delivery({ ...own(11), message_type: "incoming" }));
    await relay(delivery(own(12, "k", "other-bot")));
    expect(seen).toEqual([11, 12]);
    const sales = createWebhookHandler({ secret: SECRET, botId: "sales-bot", onEvent });
    expect(await (await sales(delivery(own(13, "k", "sales-bot")))).json()).toEqual({ skipped: "own message" });
    await sales(delivery(own(14)));
    expect(seen).toEqual([11, 12, 14]);
    expect(() => createWebhookHandler({ secret: SECRET, botId: "two words", onEvent })).toThrow(ValidationError);
  });

  it("includeOwnMessages: true lets them through", async () => {
    const seen: number[] = [];
    const handler = createWebhookHandler({ secret: SECRET, includeOwnMessages: true, onEvent: (event) => void seen.push((event as { id: number }).id) });
    await handler(delivery(own(10)));
    expect(seen).toEqual([10]);
  });
});
