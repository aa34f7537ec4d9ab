/**
 * createWebhookHandler({ queue }) and the workers, the same tests on both queues: the in-memory
 * one and the one on a real Redis (started by this file).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookHandler, memoryWebhookQueue, ValidationError, type QueueOptions, type WebhookEvent, type WebhookQueue } from "../../src/index.js";
import { redisWebhookQueue } from "../../src/redis.js";
import { delivery, messageEvent } from "../helpers/deliveries.js";
import { waitFor } from "../helpers/processes.js";
import { startRedis, type TestRedis } from "../helpers/redis.js";
import { SECRET } from "../helpers/sign.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis?.stop());

const queues: Record<string, (options: QueueOptions) => WebhookQueue> = {
  memory: (options) => memoryWebhookQueue(options),
  redis: (options) => redisWebhookQueue({ connection: redis.url, prefix: `test-${randomUUID()}`, logger: {}, ...options }),
};

describe.each(Object.keys(queues))("with the %s queue", (kind) => {
  /** A queue, a receiver on it, and what its workers ran. */
  function setup(options: QueueOptions = {}) {
    const queue = queues[kind]!({ backoffMs: 20, ...options });
    const handler = createWebhookHandler({ secret: SECRET, queue, onError: () => undefined });
    const runs: Array<{ event: WebhookEvent; deliveryId: string | undefined; attempt: number }> = [];
    return { queue, handler, runs, record: (event: WebhookEvent, { deliveryId, attempt }: { deliveryId: string | undefined; attempt: number }) => void runs.push({ event, deliveryId, attempt }) };
  }

  it("answers 202 once the delivery is stored; a worker runs it once with its delivery id", async () => {
    const { queue, handler, runs, record } = setup();
    try {
      const response = await handler(delivery(messageEvent(1), { deliveryId: "d-1" }));
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ queued: true });
      expect(runs).toHaveLength(0); // stored, not run by the receiver
      queue.work(record);
      await waitFor(() => runs.length === 1, 15_000, "the job to run");
      expect(runs).toEqual([{ event: messageEvent(1), deliveryId: "d-1", attempt: 1 }]);
    } finally {
      await queue.close();
    }
  });

  it("a replay, an agent-bot retry (same id, new signature) and a duplicate with a new id are 200 duplicate, run once", async () => {
    const { queue, handler, runs, record } = setup();
    try {
      queue.work(record);
      const now = Math.floor(Date.now() / 1000);
      const statuses = [
        (await handler(delivery(messageEvent(2), { deliveryId: "d-2", timestamp: now }))).status,
        (await handler(delivery(messageEvent(2), { deliveryId: "d-2", timestamp: now }))).status,
        (await handler(delivery(messageEvent(2), { deliveryId: "d-2", timestamp: now + 3 }))).status,
        (await handler(delivery(messageEvent(2), { deliveryId: "d-other" }))).status,
      ];
      expect(statuses).toEqual([202, 200, 200, 200]);
      await waitFor(() => runs.length >= 1, 15_000, "the job to run");
      // Two message_updated of one message are two events.
      expect((await handler(delivery(messageEvent(2, { event: "message_updated" })))).status).toBe(202);
      expect((await handler(delivery(messageEvent(2, { event: "message_updated", content: "edited" })))).status).toBe(202);
      await waitFor(() => runs.length === 3, 15_000, "the updates to run");
      expect(runs.map((run) => run.event.event)).toEqual(["message_created", "message_updated", "message_updated"]);
    } finally {
      await queue.close();
    }
  });

  it("a failing job is retried with backoff and succeeds", async () => {
    const { queue, handler, runs } = setup({ attempts: 3 });
    try {
      queue.work((event, run) => {
        runs.push({ event, ...run });
        if (run.attempt < 3) throw new Error(`attempt ${run.attempt} failed`);
      });
      expect((await handler(delivery(messageEvent(3)))).status).toBe(202);
      await waitFor(() => runs.length === 3, 15_000, "three attempts");
      expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
      expect(await queue.deadLetters()).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it("a job that fails every attempt is dead-lettered, and can be inspected", async () => {
    const { queue, handler } = setup({ attempts: 2 });
    try {
      let attempts = 0;
      queue.work(() => {
        attempts++;
        throw new Error("always fails");
      });
      await handler(delivery(messageEvent(4), { deliveryId: "d-4" }));
      const dead = await waitFor(async () => (await queue.deadLetters()).at(0), 15_000, "a dead letter");
      expect(dead).toMatchObject({ event: messageEvent(4), deliveryId: "d-4", attempts: 2, reason: "always fails" });
      expect(attempts).toBe(2);
      // Still known: the same delivery again is a duplicate, not a new job.
      expect((await handler(delivery(messageEvent(4), { deliveryId: "d-4" }))).status).toBe(200);
    } finally {
      await queue.close();
    }
  });

  it("worker.close() finishes the job in hand and takes no new one", async () => {
    const { queue, handler, runs } = setup();
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const worker = queue.work(async (event, run) => {
        started++;
        await gate;
        runs.push({ event, ...run });
      });
      await handler(delivery(messageEvent(5)));
      await waitFor(() => started === 1, 15_000, "the job to start");
      let closed = false;
      const closing = worker.close().then(() => (closed = true));
      await handler(delivery(messageEvent(6)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false); // still finishing message 5
      release();
      await closing;
      expect(runs.map((run) => (run.event as { id: number }).id)).toEqual([5]);
      expect(started).toBe(1); // message 6 waits for another worker
      const next: number[] = [];
      queue.work((event) => void next.push((event as { id: number }).id));
      await waitFor(() => next.length === 1, 15_000, "another worker to take message 6");
      expect(next).toEqual([6]);
    } finally {
      await queue.close();
    }
  });

  it("a captured delivery re-sent under a new delivery id (same signature) is a duplicate, for every event; evt:1 and evt/1 are two", async () => {
    const { queue, handler, runs, record } = setup();
    try {
      queue.work(record);
      const timestamp = Math.floor(Date.now() / 1000);
      const updated = messageEvent(7, { event: "message_updated" });
      expect((await handler(delivery(updated, { deliveryId: "evt:1", timestamp }))).status).toBe(202);
      expect((await handler(delivery(updated, { deliveryId: "replayed", timestamp }))).status).toBe(200);
      expect((await handler(delivery(updated, { deliveryId: "evt/1", timestamp: timestamp + 1 }))).status).toBe(202);
      await waitFor(() => runs.length === 2, 15_000, "two runs");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(runs.map((run) => run.deliveryId)).toEqual(["evt:1", "evt/1"]);
    } finally {
      await queue.close();
    }
  });

  it.each([["undefined", undefined], ["null", null], ["a string", "plain words"]])("a handler rejecting with %s fails the job once per attempt, with a readable reason", async (_name, thrown) => {
    const { queue, handler } = setup({ attempts: 3 });
    try {
      let runs = 0;
      queue.work(() => {
        runs++;
        return Promise.reject(thrown);
      });
      expect((await handler(delivery(messageEvent(8), { deliveryId: "d-8" }))).status).toBe(202);
      const dead = await waitFor(async () => (await queue.deadLetters()).at(0), 15_000, "a dead letter");
      expect(dead).toMatchObject({ deliveryId: "d-8", attempts: 3 });
      expect(dead.reason).toBe(typeof thrown === "string" ? thrown : `the handler failed with ${String(thrown)} instead of an Error`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(runs).toBe(3);
    } finally {
      await queue.close();
    }
  });

  it.each([
    ["attempts NaN", { attempts: NaN }, "attempts"],
    ["attempts 1.5", { attempts: 1.5 }, "attempts"],
    ["backoffMs -1", { backoffMs: -1 }, "backoffMs"],
    ["dedupeTtlMs NaN", { dedupeTtlMs: NaN }, "dedupeTtlMs"],
    ...(kind === "redis" ? [["storeTimeoutMs NaN", { storeTimeoutMs: NaN }, "storeTimeoutMs"], ["prefix empty", { prefix: "" }, "prefix"]] : []),
  ] as Array<[string, object, string]>)("refuses %s when made, naming the option", (_name, options, parameter) => {
    expect(() => queues[kind]!(options as QueueOptions)).toThrow(expect.objectContaining({ name: "ValidationError", parameter }));
  });

  it.each([
    ["concurrency 0", { concurrency: 0 }, "concurrency"],
    ["lockMs NaN", { lockMs: NaN }, "lockMs"],
  ])("work() refuses %s, naming the option", async (_name, options, parameter) => {
    const queue = queues[kind]!({});
    try {
      expect(() => queue.work(() => undefined, options)).toThrow(expect.objectContaining({ name: "ValidationError", parameter }));
    } finally {
      await queue.close();
    }
  });

  it("onEvent beside a queue is refused: workers run it", () => {
    const queue = queues[kind]!({});
    try {
      expect(() => createWebhookHandler({ secret: SECRET, queue, onEvent: () => undefined })).toThrow(ValidationError);
    } finally {
      void queue.close();
    }
  });
});
