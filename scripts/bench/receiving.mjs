// Webhook receiving into a queue: deliveries acknowledged per second by one receiver (in-process
// handler calls, signed 1 KB deliveries), the in-memory queue beside the Redis one, interleaved in
// rounds. Starts its own redis-server (Debian's package); skipped when there is none.
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { createWebhookHandler, memoryWebhookQueue } from "../../dist/index.js";
import { redisWebhookQueue } from "../../dist/redis.js";
import { accepts, freePort } from "../prism.mjs";

const SECRET = "bench-webhook-secret";

export async function receivingRates({ rounds, deliveries }) {
  if (spawnSync("redis-server", ["--version"]).status !== 0) return [{ name: "skipped: no redis-server on PATH" }];
  const port = await freePort();
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  try {
    for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const queues = {
      "memory queue": memoryWebhookQueue(),
      "Redis queue (BullMQ)": redisWebhookQueue({ connection: `redis://127.0.0.1:${port}`, prefix: `bench-${randomUUID()}` }),
    };
    const handlers = Object.fromEntries(Object.entries(queues).map(([name, queue]) => [name, createWebhookHandler({ secret: SECRET, queue })]));
    const times = Object.fromEntries(Object.keys(handlers).map((name) => [name, { sequential: [], concurrent: [] }]));
    let id = 0;
    for (let round = 0; round < rounds + 1; round++) {
      for (const [name, handler] of Object.entries(handlers)) {
        const sequential = await timed(deliveries, async () => expectStatus(await handler(signed(++id)), 202));
        const concurrent = await timed(deliveries, async () => expectStatus(await handler(signed(++id)), 202), 16);
        if (round > 0) { // round 0 warms up
          times[name].sequential.push(sequential);
          times[name].concurrent.push(concurrent);
        }
      }
    }
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    const memory = median(times["memory queue"].sequential);
    return Object.entries(times).map(([name, { sequential, concurrent }]) => ({
      name,
      msPerDelivery: round3(median(sequential) / deliveries),
      addedMsVsMemory: round3((median(sequential) - memory) / deliveries),
      ackedPerSecond: Math.round(deliveries / (median(sequential) / 1000)),
      ackedPerSecond16InFlight: Math.round(deliveries / (median(concurrent) / 1000)),
    }));
  } finally {
    redis.kill();
  }
}

function signed(id) {
  const body = JSON.stringify({ event: "message_created", id, account: { id: 1 }, content: "x".repeat(900), message_type: "incoming" });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", SECRET).update(`${timestamp}.${body}`).digest("hex");
  return new Request("http://receiver/", {
    method: "POST",
    headers: { "x-chatwoot-signature": `sha256=${signature}`, "x-chatwoot-timestamp": String(timestamp), "x-chatwoot-delivery": randomUUID() },
    body,
  });
}

async function timed(count, run, inFlight = 1) {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < count) await run();
  }));
  return performance.now() - started;
}

function expectStatus(response, status) {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round3 = (value) => Math.round(value * 1000) / 1000;
