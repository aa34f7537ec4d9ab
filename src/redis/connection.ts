/**
 * The Redis clients behind the queue. BullMQ 6 no longer builds ioredis clients itself, so they
 * are made here from a `redis://` URL or ioredis options, and closed by whoever made them. Two
 * kinds, because they fail differently on purpose:
 * - the receiver's client must fail fast when Redis is gone (no offline queue, no retry, no
 *   resending after a reconnect, a connect timeout), so that a delivery that cannot be stored is
 *   answered 500 within Chatwoot's 5 s, and is not stored later behind that answer's back;
 * - a worker's client waits out an outage (BullMQ requires `maxRetriesPerRequest: null` there).
 */
import { Redis, type RedisOptions } from "ioredis";

export type RedisConnection = string | RedisOptions;

function create(connection: RedisConnection, overrides: RedisOptions): Redis {
  const client = typeof connection === "string" ? new Redis(connection, overrides) : new Redis({ ...connection, ...overrides });
  // Without a listener a lost connection is an "Unhandled error event" that ends the process.
  client.on("error", () => undefined);
  return client;
}

export function receiverClient(connection: RedisConnection): Redis {
  return create(connection, {
    enableOfflineQueue: false,
    // A command whose connection dropped fails at once, instead of being sent again once Redis is back.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2_000,
    // Keep reconnecting in the background (capped), so that the receiver recovers with Redis.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

export function workerClient(connection: RedisConnection): Redis {
  return create(connection, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2_000) });
}

/** Closes a client we made; gives up politely waiting after a while (Redis may be gone). */
export async function closeClient(client: Redis): Promise<void> {
  await withCap(client.quit().then(() => undefined, () => undefined), 1_000);
  client.disconnect();
}

/** `work`, or undefined after `ms` (the work goes on, unobserved). */
export function withCap<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([work, cap]).finally(() => clearTimeout(timer));
}
