/**
 * The durable queue across processes, on a real Redis: receivers and workers are separate Node
 * processes (test/fixtures/bot.mjs, importing the built package by name), killed and restarted
 * the way deploys and crashes do it.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWebhookHandler } from "../../src/index.js";
import { redisWebhookQueue } from "../../src/redis.js";
import { freePort } from "../../scripts/prism.mjs";
import { delivery, messageEvent } from "../helpers/deliveries.js";
import { alive, commandPid, spawnSupervised, waitFor, stopSupervised } from "../helpers/processes.js";
import { startRedis, type TestRedis } from "../helpers/redis.js";
import { SECRET } from "../helpers/sign.js";

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
}, 30_000);
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

interface Bot {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  port?: number;
}
const bots: Bot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => stopBot(bot)));
});

async function startBot(prefix: string, env: Record<string, string>): Promise<Bot> {
  const child = spawnSupervised(process.execPath, ["test/fixtures/bot.mjs"], {
    env: { ...process.env, REDIS_URL: redis.url, PREFIX: prefix, SECRET, ...env },
  });
  let said = "";
  child.stdout.on("data", (chunk) => (said += chunk));
  child.stderr.on("data", (chunk) => (said += chunk));
  const bot: Bot = { child, output: () => said };
  bots.push(bot);
  if (env.RECEIVE === "1") bot.port = Number(await waitFor(() => /listening (\d+)/.exec(said)?.[1], 20_000, "the receiver", () => said));
  return bot;
}

/** SIGKILL goes to the bot itself (not a supervisor): that is the crash. */
async function stopBot(bot: Bot, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const exited = new Promise((resolve) => bot.child.once("exit", resolve));
  if (signal === "SIGKILL") for (const pid of commandPid(bot.child)) process.kill(pid, "SIGKILL");
  else bot.child.kill(signal);
  await exited;
}

async function send(bot: Bot, request: Request): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${bot.port}/`, { method: "POST", headers: request.headers, body: await request.text() });
  await response.arrayBuffer();
  return response.status;
}

const processed = async (prefix: string) => (await client.lrange(`${prefix}:processed`, 0, -1)).map(String);

describe("the Redis queue across processes", () => {
  it("two receivers given the same delivery at once: one stores it (202), the other says duplicate (200); it runs once", async () => {
    const prefix = `two-${randomUUID()}`;
    const [a, b] = await Promise.all([startBot(prefix, { RECEIVE: "1" }), startBot(prefix, { RECEIVE: "1" })]);
    await startBot(prefix, { WORK: "1" });
    for (let id = 1; id <= 20; id++) {
      const request = delivery(messageEvent(id));
      const statuses = await Promise.all([send(a!, request.clone()), send(b!, request.clone())]);
      expect(statuses.sort()).toEqual([200, 202]);
    }
    await waitFor(async () => (await processed(prefix)).length >= 20, 30_000, "20 processed");
    expect((await processed(prefix)).sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
  }, 60_000);

  it("a worker killed with SIGKILL mid-job: its job runs to the end on another worker", async () => {
    const prefix = `kill-${randomUUID()}`;
    const receiver = await startBot(prefix, { RECEIVE: "1" });
    const doomed = await startBot(prefix, { WORK: "1", LOCK_MS: "1000", SLOW_MS: "60000" });
    expect(await send(receiver, delivery(messageEvent(7, { content: "slow" })))).toBe(202);
    await waitFor(() => doomed.output().includes("start 7 1"), 20_000, "the job to start", doomed.output);
    const survivor = await startBot(prefix, { WORK: "1", LOCK_MS: "1000", SLOW_MS: "10" });
    await stopBot(doomed, "SIGKILL");
    await waitFor(() => survivor.output().includes("done 7"), 30_000, "the job to finish elsewhere", survivor.output);
    expect(await processed(prefix)).toEqual(["7"]);
  }, 60_000);
});

describe("Redis unreachable", () => {
  it("answers 500 within the store timeout, acknowledges nothing, and recovers when Redis is back", async () => {
    const port = await freePort();
    const errors: unknown[] = [];
    const queue = redisWebhookQueue({ connection: `redis://127.0.0.1:${port}`, prefix: `down-${randomUUID()}`, storeTimeoutMs: 500, logger: {} });
    const handler = createWebhookHandler({ secret: SECRET, queue, onError: (error) => void errors.push(error) });
    let back: TestRedis | undefined;
    try {
      const response = await handler(delivery(messageEvent(1)));
      expect(response.status).toBe(500);
      expect(errors).toHaveLength(1);
      back = await startRedis(port);
      const ran: number[] = [];
      queue.work((event) => void ran.push((event as { id: number }).id));
      // A new message each time: an attempt that timed out may still be stored once Redis answers.
      let id = 1;
      const stored = await waitFor(async () => ((await handler(delivery(messageEvent(++id)))).status === 202 ? id : undefined), 30_000, "the receiver to recover");
      await waitFor(() => ran.includes(stored), 30_000, "the stored delivery to run");
    } finally {
      await queue.close();
      await back?.stop();
    }
  }, 60_000);

  it("Redis going away while receiving: 500 from then on, never a 2xx that was not stored", async () => {
    const own = await startRedis();
    const errors: unknown[] = [];
    const queue = redisWebhookQueue({ connection: own.url, prefix: `away-${randomUUID()}`, storeTimeoutMs: 500, logger: {} });
    const handler = createWebhookHandler({ secret: SECRET, queue, onError: (error) => void errors.push(error) });
    try {
      expect((await handler(delivery(messageEvent(1)))).status).toBe(202);
      await own.stop();
      for (let id = 2; id <= 4; id++) expect((await handler(delivery(messageEvent(id)))).status).toBe(500);
      expect(errors.length).toBeGreaterThanOrEqual(3);
    } finally {
      await queue.close();
    }
  }, 60_000);
});

describe("closing while Redis is down", () => {
  it.each([
    ["down from the start", false],
    ["gone while a job is in hand", true],
  ])("worker.close() and queue.close() return, and the process then exits by itself (%s)", async (_name, holding) => {
    const own = holding ? await startRedis() : undefined;
    const prefix = `close-${randomUUID()}`;
    const child = spawnSupervised(process.execPath, ["test/fixtures/close-when-down.mjs"], {
      env: { ...process.env, REDIS_URL: own?.url ?? `redis://127.0.0.1:${await freePort()}`, PREFIX: prefix, LOCK_MS: holding ? "2000" : "30000" },
    });
    let said = "";
    child.stdout.on("data", (chunk) => (said += chunk));
    child.stderr.on("data", (chunk) => (said += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const queue = own && redisWebhookQueue({ connection: own.url, prefix, logger: {} });
    try {
      await waitFor(() => said.includes("working"), 20_000, "the worker to start", () => said);
      if (own && queue) {
        await queue.add("message_created.1.1", messageEvent(1) as never, undefined);
        await waitFor(() => said.includes("holding"), 20_000, "the job to be in hand", () => said);
        await queue.close();
        await own.stop();
      }
      // SIGTERM to the fixture itself, not through the supervisor (which would SIGKILL it after a while).
      for (const pid of commandPid(child)) process.kill(pid, "SIGTERM");
      await waitFor(() => /closed in \d+ ms/.test(said), 20_000, "close() to return", () => said);
      expect(await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000, "still running"))])).toBe(0);
    } finally {
      await stopSupervised(child);
      await own?.stop();
    }
  }, 60_000);
});

describe("nothing parked", () => {
  it("deliveries refused (500) while Redis was down at startup are never stored nor run once it is up", async () => {
    const port = await freePort();
    const prefix = `parked-${randomUUID()}`;
    const queue = redisWebhookQueue({ connection: `redis://127.0.0.1:${port}`, prefix, storeTimeoutMs: 300, logger: {} });
    const handler = createWebhookHandler({ secret: SECRET, queue, onError: () => undefined });
    let back: TestRedis | undefined;
    try {
      for (let id = 1; id <= 3; id++) expect((await handler(delivery(messageEvent(id, { event: "message_updated" })))).status).toBe(500);
      back = await startRedis(port);
      const ran: string[] = [];
      queue.work((event) => void ran.push(`${event.event}.${(event as { id: number }).id}`));
      let id = 100;
      const stored = await waitFor(async () => ((await handler(delivery(messageEvent(++id)))).status === 202 ? id : undefined), 30_000, "the receiver to recover");
      await waitFor(() => ran.includes(`message_created.${stored}`), 30_000, "the stored delivery to run");
      // Give anything parked in the first client time to reach Redis: the worker has just run a newer job.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const own = new Redis(back.url);
      try {
        const keys = await own.keys(`${prefix}:*`);
        expect(keys.filter((key) => key.includes("delivery."))).toEqual([]); // the message_updated jobs' ids
        // Signatures remembered belong to stored deliveries only.
        const seen = await Promise.all(keys.filter((key) => key.includes(":de:")).map((key) => own.get(key)));
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.filter((job) => !job?.startsWith("message_created."))).toEqual([]);
      } finally {
        own.disconnect();
      }
      expect(ran.filter((name) => name.startsWith("message_updated"))).toEqual([]);
    } finally {
      await queue.close();
      await back?.stop();
    }
  }, 60_000);
});

describe("a store answered too late", () => {
  it("is stored although the answer was 500; Chatwoot's retry of it (same delivery id) is a duplicate, and it runs once", async () => {
    const prefix = `late-${randomUUID()}`;
    const queue = redisWebhookQueue({ connection: redis.url, prefix, storeTimeoutMs: 300, logger: {} });
    const handler = createWebhookHandler({ secret: SECRET, queue, onError: () => undefined });
    try {
      await queue.add("warm-up", messageEvent(1, { event: "message_updated" }) as never, undefined); // connected, scripts loaded
      const event = messageEvent(2, { event: "message_updated" });
      // Redis holds every write for 1.5 s: the store is on the wire when the receiver gives up.
      await client.call("CLIENT", "PAUSE", "1500", "WRITE");
      await expect(queue.add("delivery.late-2", event as never, "late-2")).rejects.toThrow(/within 300 ms/);
      await waitFor(async () => (await client.exists(`${prefix}:chatwoot-webhooks:delivery.late-2`)) === 1, 15_000, "the late store to land");
      const retry = await handler(delivery(event, { deliveryId: "late-2" }));
      expect([retry.status, await retry.json()]).toEqual([200, { duplicate: true }]);
      const ran: string[] = [];
      queue.work((_event, { deliveryId }) => void ran.push(String(deliveryId)));
      await waitFor(() => ran.includes("late-2"), 15_000, "the job to run");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ran.filter((id) => id === "late-2")).toEqual(["late-2"]);
    } finally {
      await queue.close();
    }
  }, 60_000);
});

describe("two receivers and a Redis that holds writes", () => {
  it("A gives up (500) while Redis holds its store, B gets the same delivery: B says duplicate only of a stored delivery, and it runs once", async () => {
    const own = await startRedis();
    const admin = new Redis(own.url);
    const prefix = `held-${randomUUID()}`;
    // A gives up quickly; B waits as long as it takes, so that its answer follows what Redis did.
    const qa = redisWebhookQueue({ connection: own.url, prefix, storeTimeoutMs: 300, logger: {} });
    const qb = redisWebhookQueue({ connection: own.url, prefix, storeTimeoutMs: 60_000, logger: {} });
    const ha = createWebhookHandler({ secret: SECRET, queue: qa, onError: () => undefined });
    const hb = createWebhookHandler({ secret: SECRET, queue: qb, onError: () => undefined });
    const job = `${prefix}:chatwoot-webhooks:delivery.dlv-1`;
    try {
      expect((await ha(delivery(messageEvent(1)))).status).toBe(202); // both connected, BullMQ's scripts loaded
      expect((await hb(delivery(messageEvent(2)))).status).toBe(202);
      const event = { event: "conversation_status_changed", id: 5, account: { id: 1 }, status: "open" };
      const request = delivery(event, { deliveryId: "dlv-1" });
      // Writes wait until UNPAUSE: A's store is held past A's storeTimeoutMs, B's store queues behind it.
      await admin.call("CLIENT", "PAUSE", "600000", "WRITE");
      expect((await ha(request.clone())).status).toBe(500);
      const b = hb(request.clone());
      const blocked = async () => Number(/blocked_clients:(\d+)/.exec(String(await admin.call("INFO", "clients")))?.[1]);
      await waitFor(async () => (await blocked()) >= 2, 15_000, "B's store to wait in Redis behind A's");
      await admin.call("CLIENT", "UNPAUSE");
      const answer = await b;
      const stored = await admin.exists(job);
      // B acknowledges it (202 stored, or 200 duplicate of A's late store) and it is stored, whichever receiver stored it.
      expect([200, 202]).toContain(answer.status);
      expect(stored).toBe(1);
      // The same signature under a new delivery id is that stored delivery: a duplicate, not a second job.
      const replay = new Request(request.url, { method: "POST", headers: { ...Object.fromEntries(request.headers), "x-chatwoot-delivery": "dlv-2" }, body: await request.clone().text() });
      expect([(await ha(replay)).status, await admin.exists(`${prefix}:chatwoot-webhooks:delivery.dlv-2`)]).toEqual([200, 0]);
      const ran: string[] = [];
      qa.work((_event, { deliveryId }) => void ran.push(String(deliveryId)));
      // One worker, one job at a time, in order: once the later delivery ran, dlv-1 ran as often as it ever will.
      expect((await ha(delivery(messageEvent(3), { deliveryId: "after" }))).status).toBe(202);
      await waitFor(() => ran.includes("after"), 15_000, "the later delivery to run");
      expect(ran.filter((id) => id.startsWith("dlv-"))).toEqual(["dlv-1"]);
    } finally {
      await admin.call("CLIENT", "UNPAUSE").catch(() => undefined);
      await qa.close();
      await qb.close();
      admin.disconnect();
      await own.stop();
    }
  }, 60_000);
});

describe("chaos", () => {
  it("a few hundred deliveries with duplicates, retries, flaky handlers and a worker killed mid-run: every acknowledged delivery processed, none twice but the killed worker's", async () => {
    const prefix = `chaos-${randomUUID()}`;
    const receivers = await Promise.all([startBot(prefix, { RECEIVE: "1" }), startBot(prefix, { RECEIVE: "1" })]);
    // The doomed worker's slow jobs never end: what it takes of them, it holds until it is killed.
    let doomed = await startBot(prefix, { WORK: "1", LOCK_MS: "3000", SLOW_MS: "600000" });
    const firstDoomed = doomed;
    const inHand = () => [...firstDoomed.output().matchAll(/^start (\d+) \d+$/gm)].map((m) => m[1]!)
      .filter((id) => !new RegExp(`^(done|fail) ${id}$`, "m").test(firstDoomed.output()));
    // A designated slow job, taken by the doomed worker while it is the only one: certainly in hand at the kill.
    const held = "1000";
    expect(await send(receivers[0]!, delivery(messageEvent(Number(held), { content: "slow" })))).toBe(202);
    await waitFor(() => inHand().includes(held), 30_000, "the doomed worker to hold the slow job", firstDoomed.output);
    const steady = await startBot(prefix, { WORK: "1", LOCK_MS: "3000", SLOW_MS: "300" });
    const acknowledged = new Set<string>([held]);
    const statuses: number[] = [];
    const pick = (i: number) => receivers[i % 2]!;
    const deliver = async (i: number, request: Request, id: string) => {
      const status = await send(pick(i), request);
      statuses.push(status);
      if (status === 200 || status === 202) acknowledged.add(id);
    };

    const total = 300;
    const sends: Promise<void>[] = [];
    for (let i = 1; i <= total; i++) {
      const content = i % 17 === 0 ? "slow" : i % 11 === 0 ? "flaky" : `message ${i}`;
      const event = messageEvent(i, { content });
      const deliveryId = randomUUID();
      const now = Math.floor(Date.now() / 1000);
      const original = delivery(event, { deliveryId, timestamp: now });
      sends.push(deliver(i, original, String(i)));
      if (i % 5 === 0) sends.push(deliver(i + 1, delivery(event), String(i))); // chatwoot#11901: a new delivery id, the other receiver
      if (i % 7 === 0) sends.push(deliver(i, delivery(event, { deliveryId, timestamp: now + 1 }), String(i))); // an agent-bot retry
      if (i === Math.floor(total / 2)) {
        await Promise.all(sends.splice(0));
        expect(inHand()).toContain(held);
        await stopBot(doomed, "SIGKILL"); // a crash with jobs in hand, the designated one among them
        doomed = await startBot(prefix, { WORK: "1", LOCK_MS: "3000", SLOW_MS: "300" });
      }
      if (sends.length >= 16) await Promise.all(sends.splice(0));
    }
    await Promise.all(sends);

    expect(new Set(statuses)).toEqual(new Set([200, 202]));
    expect(inHand()).toContain(held);
    const startedOnDoomed = new Set([...firstDoomed.output().matchAll(/^start (\d+) \d+$/gm)].map((m) => m[1]!));
    let seen = 0;
    await waitFor(async () => (seen = new Set(await processed(prefix)).size) >= acknowledged.size, 90_000, "every acknowledged delivery processed",
      () => `${seen} of ${acknowledged.size}`);
    const done = await processed(prefix);
    const counts = new Map<string, number>();
    for (const id of done) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...acknowledged].filter((id) => !counts.has(id))).toEqual([]);
    // Run twice is allowed only for a job the killed worker had started and BullMQ then took back from it as stalled
    // (its worker died between the side effect and the acknowledgement).
    const stalled = async (id: string) => Number(await client.hget(`${prefix}:chatwoot-webhooks:message_created.1.${id}`, "stc"));
    const twice: string[] = [];
    for (const [id, count] of counts) if (count > 1 && !(startedOnDoomed.has(id) && (await stalled(id)) >= 1)) twice.push(id);
    expect(twice).toEqual([]);
    const recovered = (await Promise.all([...startedOnDoomed].map(stalled))).filter((count) => count >= 1).length;
    console.log(`chaos: ${statuses.length} deliveries, ${statuses.filter((s) => s === 202).length} stored, ${statuses.filter((s) => s === 200).length} duplicates, ${acknowledged.size} messages, ${done.length} runs, ${recovered} jobs taken back from the SIGKILLed worker`);
    expect(recovered).toBeGreaterThan(0);
    expect(await stalled(held)).toBeGreaterThanOrEqual(1); // taken back from the killed worker, and run to the end elsewhere
    expect(counts.get(held)).toBe(1);
    expect(alive(steady.child.pid!)).toBe(true);
  }, 180_000);
});
