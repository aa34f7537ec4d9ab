/** createWebhookHandler without a queue: the handler runs onEvent in the request, within a deadline. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createWebhookHandler, dedupeKey, memoryDeliveryStore, ValidationError, type DeliveryStore, type WebhookEvent, type WebhookHandlerOptions } from "../../src/index.js";
import { SECRET } from "../helpers/sign.js";
import { delivery, messageEvent } from "../helpers/deliveries.js";

afterEach(() => {
  vi.useRealTimers();
});

function receiver(options: Partial<WebhookHandlerOptions> = {}) {
  const handled: Array<{ event: WebhookEvent; deliveryId: string | undefined }> = [];
  const errors: unknown[] = [];
  const handler = createWebhookHandler({
    secret: SECRET,
    onEvent: (event, { deliveryId }) => void handled.push({ event, deliveryId }),
    onError: (error) => void errors.push(error),
    ...options,
  });
  return { handler, handled, errors };
}

describe("the webhook receiver (no queue)", () => {
  it("answers 200 once onEvent has handled the delivery", async () => {
    const { handler, handled } = receiver();
    const response = await handler(delivery(messageEvent(1), { deliveryId: "d-1" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ handled: true });
    expect(handled).toEqual([{ event: messageEvent(1), deliveryId: "d-1" }]);
  });

  it("answers 500 when onEvent fails, reports it, and runs a retry of that delivery", async () => {
    let fail = true;
    const { handler, handled, errors } = receiver({
      onEvent: (event) => {
        if (fail) throw new Error("handler failed");
        handled.push({ event, deliveryId: undefined });
      },
    });
    expect((await handler(delivery(messageEvent(3), { deliveryId: "d-3" }))).status).toBe(500);
    expect(errors).toEqual([new Error("handler failed")]);
    fail = false;
    expect((await handler(delivery(messageEvent(3), { deliveryId: "d-3" }))).status).toBe(200);
    expect(handled).toHaveLength(1);
  });

  it("answers 202 when onEvent outlives the deadline; the work goes on and a failure is still reported", async () => {
    let finish!: (error?: Error) => void;
    const waited: Promise<unknown>[] = [];
    const { handler, errors } = receiver({
      deadlineMs: 50,
      onEvent: () => new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve()))),
      waitUntil: (work) => void waited.push(work),
    });
    const response = await handler(delivery(messageEvent(4)));
    expect(response.status).toBe(202);
    expect(waited).toHaveLength(1);
    finish(new Error("late failure"));
    await waited[0];
    expect(errors).toEqual([new Error("late failure")]);
  });

  it("a replayed delivery id is handled once and answered 200 duplicate", async () => {
    const { handler, handled } = receiver();
    const first = await handler(delivery(messageEvent(2), { deliveryId: "d-2" }));
    const replay = await handler(delivery(messageEvent(2), { deliveryId: "d-2" }));
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await replay.json()).toEqual({ duplicate: true });
    expect(handled).toHaveLength(1);
  });

  it("a duplicate message_created with a new delivery id (chatwoot#11901) is handled once", async () => {
    const { handler, handled } = receiver();
    await handler(delivery(messageEvent(5)));
    expect(await (await handler(delivery(messageEvent(5)))).json()).toEqual({ duplicate: true });
    expect(handled).toHaveLength(1);
  });

  it("two message_updated of one message are two events; the same message id in another account is another message", async () => {
    const { handler, handled } = receiver();
    await handler(delivery(messageEvent(6, { event: "message_updated" })));
    await handler(delivery(messageEvent(6, { event: "message_updated", content: "edited" })));
    await handler(delivery(messageEvent(6)));
    await handler(delivery(messageEvent(6, { account: { id: 2, name: "Other" } })));
    expect(handled).toHaveLength(4);
  });

  it("answers 401 to a bad signature and 400 to a signed body that is not an event, calling nothing", async () => {
    const { handler, handled } = receiver();
    const forged = await handler(delivery(messageEvent(7), { secret: "wrong-secret" }));
    expect(forged.status).toBe(401);
    expect(JSON.stringify(await forged.json())).not.toContain(SECRET);
    expect((await handler(new Request("http://r.test/", { method: "POST", body: "{}" }))).status).toBe(401);
    expect((await handler(delivery("<html>"))).status).toBe(400);
    expect((await handler(new Request("http://r.test/"))).status).toBe(405);
    expect(handled).toHaveLength(0);
  });

  it("answers 413 to a body over maxBodyBytes, from its Content-Length, without reading it", async () => {
    const { handler, handled } = receiver({ maxBodyBytes: 1024 });
    let pulled = 0;
    const endless = new ReadableStream({ pull: (controller) => void (pulled++, controller.enqueue(new Uint8Array(512))) });
    const request = new Request("http://r.test/", { method: "POST", headers: { "content-length": String(10 * 1024 * 1024) }, body: endless, duplex: "half" } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1); // a stream may pre-pull one chunk; the handler read none
    expect(handled).toHaveLength(0);
  });

  it("answers 413 to a body without Content-Length as soon as it passes the limit", async () => {
    const { handler } = receiver({ maxBodyBytes: 1024 });
    let pulled = 0;
    const endless = new ReadableStream({ pull: (controller) => void (pulled++, controller.enqueue(new Uint8Array(512))) });
    const response = await handler(new Request("http://r.test/", { method: "POST", body: endless, duplex: "half" } as RequestInit));
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(6);
  });

  it("the default limit is 1 MiB: a body just under it is verified, just over is 413", async () => {
    const { handler } = receiver();
    const padding = (size: number) => JSON.stringify(messageEvent(8, { content: "x".repeat(size) }));
    const base = padding(0).length;
    expect((await handler(delivery(padding(1024 * 1024 - base)))).status).toBe(200);
    expect((await handler(delivery(padding(1024 * 1024 - base + 1)))).status).toBe(413);
  });

  it("a failing onEvent whose release also fails still reaches onError with both, and answers 500", async () => {
    const store: DeliveryStore = { claim: () => "claimed", done: () => undefined, release: () => Promise.reject(new Error("store down")) };
    const { handler, errors } = receiver({ store, onEvent: () => { throw new Error("handler failed"); } });
    expect((await handler(delivery(messageEvent(9)))).status).toBe(500);
    expect(errors).toEqual([new Error("store down"), new Error("handler failed")]);
  });

  it("a store that cannot claim answers 500 (Chatwoot retries 500, never 503) and runs nothing", async () => {
    const store: DeliveryStore = { claim: () => Promise.reject(new Error("store down")), done: () => undefined, release: () => undefined };
    const { handler, handled, errors } = receiver({ store });
    expect((await handler(delivery(messageEvent(10)))).status).toBe(500);
    expect(handled).toHaveLength(0);
    expect(errors).toEqual([new Error("store down")]);
  });

  /** The memory store behind a custom store's interface, whose calls fail when `failing` says so (a Redis-backed store with a transient error). */
  function flakyStore(failing: { claim?: (call: number) => boolean; release?: (call: number) => boolean } = {}) {
    const inner = memoryDeliveryStore();
    let claims = 0;
    let releases = 0;
    const store: DeliveryStore = {
      claim: async (key) => (failing.claim?.(++claims) ? Promise.reject(new Error("ECONNRESET")) : inner.claim(key)),
      done: async (key) => inner.done(key),
      release: async (key) => (failing.release?.(++releases) ? Promise.reject(new Error("ECONNRESET")) : inner.release(key)),
    };
    return { store, inner };
  }

  it.each([
    ["its release works", () => false],
    ["its release fails too", (call: number) => call === 1],
  ])("a custom store whose second claim fails once answers 500, and the retry of that delivery runs it (%s)", async (_name, releaseFails) => {
    const { store } = flakyStore({ claim: (call) => call === 2, release: releaseFails });
    const { handler, handled } = receiver({ store });
    expect((await handler(delivery(messageEvent(20), { deliveryId: "d-20" }))).status).toBe(500);
    const retry = await handler(delivery(messageEvent(20), { deliveryId: "d-20" })); // an agent-bot retry: new timestamp
    expect([retry.status, await retry.json()]).toEqual([200, { handled: true }]);
    expect(handled).toHaveLength(1);
  });

  it("onEvent throws and the store's release fails once: the retry of that delivery runs it, and the next is a duplicate", async () => {
    const { store } = flakyStore({ release: (call) => call === 1 });
    let runs = 0;
    const { handler, errors } = receiver({ store, onEvent: () => void (++runs === 1 && fail("API down")) });
    expect((await handler(delivery(messageEvent(21), { deliveryId: "d-21" }))).status).toBe(500);
    expect(errors).toEqual([new Error("ECONNRESET"), new Error("API down")]);
    expect((await handler(delivery(messageEvent(21), { deliveryId: "d-21" }))).status).toBe(200);
    const again = await handler(delivery(messageEvent(21), { deliveryId: "d-21" }));
    expect([again.status, await again.json(), runs]).toEqual([200, { duplicate: true }, 2]);
  });

  it("a key claimed but not done, and not run by this handler (another process's whose release failed), is answered 500, never 200 duplicate", async () => {
    const { store } = flakyStore({ release: (call) => call <= 2 }); // both keys of the first delivery stay claimed
    let runs = 0;
    const first = receiver({ store, onEvent: () => void (++runs === 1 && fail("API down")) });
    const other = receiver({ store }); // another process on the same store
    expect((await first.handler(delivery(messageEvent(22), { deliveryId: "d-22" }))).status).toBe(500);
    const elsewhere = await other.handler(delivery(messageEvent(22), { deliveryId: "d-22" }));
    expect([elsewhere.status, other.handled]).toEqual([500, []]);
    // The process that holds the keys runs the retry; from then on it is a duplicate everywhere.
    expect((await first.handler(delivery(messageEvent(22), { deliveryId: "d-22" }))).status).toBe(200);
    const duplicate = await other.handler(delivery(messageEvent(22), { deliveryId: "d-22" }));
    expect([duplicate.status, await duplicate.json(), other.handled, runs]).toEqual([200, { duplicate: true }, [], 2]);
  });

  it("a duplicate is 200 once the first run is done in the store, in any process", async () => {
    const { store } = flakyStore();
    const first = receiver({ store });
    const other = receiver({ store });
    expect((await first.handler(delivery(messageEvent(23)))).status).toBe(200);
    const duplicate = await other.handler(delivery(messageEvent(23)));
    expect([duplicate.status, await duplicate.json(), other.handled]).toEqual([200, { duplicate: true }, []]);
  });

  it("refuses a store without done (a 0.2 store would acknowledge what never ran)", () => {
    expect(() => receiver({ store: { claim: () => "claimed", release: () => undefined } as never })).toThrow(ValidationError);
  });

  it("the in-memory store: claimed, then running until done, released to be claimed again, forgotten after ttlMs", () => {
    let now = 0;
    const store = memoryDeliveryStore({ ttlMs: 1000, now: () => now });
    expect([store.claim("a"), store.claim("a")]).toEqual(["claimed", "running"]);
    store.done("a");
    expect(store.claim("a")).toBe("done");
    store.release("a");
    expect(store.claim("a")).toBe("claimed");
    now = 1000;
    expect(store.claim("a")).toBe("claimed");
  });

  it("the in-memory store forgets by age, not by count: a key is still known after 20,000 newer ones", () => {
    let now = 0;
    const store = memoryDeliveryStore({ ttlMs: 600_000, now: () => now });
    expect(store.claim("first")).toBe("claimed");
    for (let i = 0; i < 20_000; i++) store.claim(`key-${i}`);
    now = 599_999;
    expect(store.claim("first")).toBe("running");
    now = 600_000;
    expect(store.claim("first")).toBe("claimed");
  });

  it("a captured delivery re-sent under a new delivery id (same signature) is a duplicate, for every event", async () => {
    const { handler, handled } = receiver();
    const timestamp = Math.floor(Date.now() / 1000);
    for (const event of [messageEvent(11, { event: "message_updated" }), { event: "conversation_status_changed", id: 11, status: "resolved" }, messageEvent(12)]) {
      expect((await handler(delivery(event, { deliveryId: `original-${event.event}`, timestamp }))).status).toBe(200);
      const replay = await handler(delivery(event, { deliveryId: `replayed-${event.event}`, timestamp }));
      expect(await replay.json()).toEqual({ duplicate: true });
    }
    expect(handled.map(({ event }) => event.event)).toEqual(["message_updated", "conversation_status_changed", "message_created"]);
  });

  it("delivery ids that differ are never merged: evt:1 and evt/1 are two deliveries", async () => {
    const { handler, handled } = receiver();
    expect(dedupeKey({ event: "message_updated" } as WebhookEvent, "evt:1")).not.toBe(dedupeKey({ event: "message_updated" } as WebhookEvent, "evt/1"));
    const timestamp = Math.floor(Date.now() / 1000);
    await handler(delivery(messageEvent(13, { event: "message_updated" }), { deliveryId: "evt:1", timestamp }));
    await handler(delivery(messageEvent(13, { event: "message_updated" }), { deliveryId: "evt/1", timestamp: timestamp + 1 }));
    expect(handled.map(({ deliveryId }) => deliveryId)).toEqual(["evt:1", "evt/1"]);
  });

  it("a duplicate that arrives while the first run is in flight gets that run's outcome: 500 when it fails, and the retry runs", async () => {
    let fail!: () => void;
    let runs = 0;
    const { handler, errors } = receiver({
      onEvent: () => {
        runs++;
        if (runs === 1) return new Promise<void>((_resolve, reject) => (fail = () => reject(new Error("first run failed"))));
      },
    });
    const first = handler(delivery(messageEvent(14)));
    await vi.waitFor(() => expect(runs).toBe(1), { timeout: 15_000 });
    const duplicate = handler(delivery(messageEvent(14))); // chatwoot#11901: same message, new delivery id
    let answered = false;
    void duplicate.then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false); // not acknowledged while the first run may still fail
    fail();
    expect([(await first).status, (await duplicate).status]).toEqual([500, 500]);
    expect(errors).toEqual([new Error("first run failed")]);
    expect((await handler(delivery(messageEvent(14)))).status).toBe(200);
    expect(runs).toBe(2);
  });

  it("a duplicate of a run in flight is answered 200 duplicate once that run succeeds", async () => {
    let finish!: () => void;
    const { handler, handled } = receiver({
      onEvent: (event) => new Promise<void>((resolve) => (finish = () => (handled.push({ event, deliveryId: undefined }), resolve()))),
    });
    const first = handler(delivery(messageEvent(15)));
    await vi.waitFor(() => expect(finish).toBeDefined(), { timeout: 15_000 });
    const duplicate = handler(delivery(messageEvent(15)));
    finish();
    expect((await first).status).toBe(200);
    const answer = await duplicate;
    expect([answer.status, await answer.json()]).toEqual([200, { duplicate: true }]);
    expect(handled).toHaveLength(1);
  });

  it.each([
    ["toleranceSeconds NaN", { toleranceSeconds: NaN }, "toleranceSeconds"],
    ["a missing secret", { secret: undefined }, "secret"],
    ["maxBodyBytes 0", { maxBodyBytes: 0 }, "maxBodyBytes"],
    ["deadlineMs NaN", { deadlineMs: NaN }, "deadlineMs"],
    ["no onEvent and no queue", { onEvent: undefined }, "onEvent"],
  ])("refuses %s at construction", (_name, options, parameter) => {
    expect(() => receiver(options as never)).toThrow(ValidationError);
    try {
      receiver(options as never);
    } catch (error) {
      expect((error as ValidationError).parameter).toBe(parameter);
    }
  });
});

function fail(message: string): never {
  throw new Error(message);
}
