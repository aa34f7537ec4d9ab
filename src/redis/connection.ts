/**
 * The Redis clients behind the queue. BullMQ 6 no longer builds ioredis clients itself, so they
 * are made here from a `redis://` URL or ioredis options, and closed by whoever made them. Two
 * kinds, because they fail differently on purpose:
 * - the receiver's client must fail fast when Redis is gone (no offline queue, no retry, no
 *   resending after a reconnect, a connect timeout), so that a delivery that cannot be stored is
 *   answered 500 within Chatwoot's 5 s, and is not stored later behind that answer's back;
 * - a worker's client waits out an outage (BullMQ requires `maxRetriesPerRequest: null` there).
 *
 * Both reconnect in the background until they are closed; closing one (and the copies BullMQ
 * made of it) leaves no reconnect timer and settles every command still waiting.
 *
 * Also what a job holds (JobData): the queue writes it and the worker reads it, so it lives below both.
 */
import { Redis, type RedisOptions } from "ioredis";
import type { WebhookEvent } from "../types.js";

/** What a job holds: the event, its delivery id, and the token of the receiver that stored it. */
export interface JobData {
  event: WebhookEvent;
  deliveryId: string | null;
  token: string;
}

export type RedisConnection = string | RedisOptions;

/** Per client (its copies share its options, and so this flag): once closing, a failed connection is not retried. */
const closing = new WeakMap<Redis, { closing: boolean }>();

function create(connection: RedisConnection, overrides: RedisOptions): Redis {
  const state = { closing: false };
  const options: RedisOptions = {
    ...overrides,
    connectTimeout: 2_000,
    // Keep reconnecting (capped) so that the process recovers with Redis; stop once closing.
    retryStrategy: (times) => (state.closing ? null : Math.min(times * 200, 2_000)),
  };
  const client = typeof connection === "string" ? new Redis(connection, options) : new Redis({ ...connection, ...options });
  // Without a listener a lost connection is an "Unhandled error event" that ends the process.
  client.on("error", () => undefined);
  closing.set(client, state);
  return client;
}

export function receiverClient(connection: RedisConnection): Redis {
  return create(connection, {
    enableOfflineQueue: false,
    // A command whose connection dropped fails at once, instead of being sent again once Redis is back.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
  });
}

export function workerClient(connection: RedisConnection): Redis {
  return create(connection, { maxRetriesPerRequest: null });
}

/**
 * Closes a client we made, and its copies: politely (QUIT) when connected, else by letting the
 * pending reconnect attempt be the last. ioredis's own disconnect() would clear the reconnect timer
 * but never end the client, leaving BullMQ waiting on it (and BullMQ's timers running) forever.
 */
export async function closeClient(client: Redis, copies: Redis[] = []): Promise<void> {
  const state = closing.get(client);
  if (state) state.closing = true;
  if (client.status === "ready") await withCap(client.quit().then(() => undefined, () => undefined), 1_000);
  await Promise.all([client, ...copies].map(end));
}

/** Resolves once the client has ended (bounded: a reconnect attempt takes at most its 2 s delay and 2 s connect timeout). */
async function end(client: Redis): Promise<void> {
  if (client.status === "end") return;
  const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
  // While waiting to reconnect there is no socket to close: the attempt due fails, and is not retried.
  if (client.status !== "reconnecting") client.disconnect();
  await withCap(ended, 6_000);
}

/** `work`, or undefined after `ms` (the work goes on, unobserved). */
export function withCap<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([work, cap]).finally(() => clearTimeout(timer));
}
