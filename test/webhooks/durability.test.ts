/**
 * "Loses nothing" needs Redis set up for it (AOF, noeviction): the queue reads the settings when it
 * connects and warns through its logger, or refuses to store with requireDurableRedis. Each case
 * on a real redis-server started with those settings.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createWebhookHandler } from "../../src/index.js";
import { redisWebhookQueue } from "../../src/redis.js";
import { delivery, messageEvent } from "../helpers/deliveries.js";
import { waitFor } from "../helpers/processes.js";
import { startRedis } from "../helpers/redis.js";
import { SECRET } from "../helpers/sign.js";

const DURABLE = ["--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction"];

/** A receiver on a Redis started with `settings`; what it warned, and its answer to one delivery. */
async function receiveOn(settings: string[], requireDurableRedis = false) {
  const redis = await startRedis(undefined, settings);
  const warnings: string[] = [];
  const queue = redisWebhookQueue({ connection: redis.url, prefix: `durable-${randomUUID()}`, requireDurableRedis, logger: { warn: (line) => void warnings.push(line) } });
  const handler = createWebhookHandler({ secret: SECRET, queue, onError: () => undefined });
  try {
    const status = (await handler(delivery(messageEvent(1)))).status;
    if (!requireDurableRedis) await waitFor(() => warnings.length > 0 || settings === DURABLE, 10_000, "the settings to be checked");
    return { status, warnings };
  } finally {
    await queue.close();
    await redis.stop();
  }
}

describe("Redis durability settings", () => {
  it("AOF and noeviction: stored, no warning", async () => {
    expect(await receiveOn(DURABLE, true)).toEqual({ status: 202, warnings: [] });
  });

  it("no AOF (the Debian and Docker default): a warning naming appendonly; stored unless requireDurableRedis, then 500", async () => {
    const warned = await receiveOn(["--appendonly", "no"]);
    expect(warned.status).toBe(202);
    expect(warned.warnings).toEqual([expect.stringContaining('appendonly is "no"')]);
    const refused = await receiveOn(["--appendonly", "no"], true);
    expect(refused.status).toBe(500);
  }, 30_000);

  it("an eviction policy: a warning naming maxmemory-policy", async () => {
    const { warnings } = await receiveOn([...DURABLE, "--maxmemory-policy", "allkeys-lru"]);
    expect(warnings).toEqual([expect.stringContaining('maxmemory-policy is "allkeys-lru"')]);
    expect(warnings[0]).not.toContain("appendonly");
  });

  it("CONFIG disabled (managed Redis): tolerated, with a warning that the settings are unknown", async () => {
    const { status, warnings } = await receiveOn(["--appendonly", "no", "--rename-command", "CONFIG", ""], true);
    expect(status).toBe(202);
    expect(warnings).toEqual([expect.stringContaining("could not read Redis's persistence settings")]);
  });
});
