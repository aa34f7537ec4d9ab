/**
 * `redisWebhookQueue`: the WebhookQueue on Redis through BullMQ, shared by every receiver and
 * worker process that names the same Redis and prefix. A delivery's key is its BullMQ job id, so
 * storing it is atomic across processes: of two receivers given the same delivery at once, one
 * stores it and the other learns it is a duplicate. Jobs (and so their keys) are kept at least
 * `dedupeTtlMs`; failed ones (the dead letters) at least 7 days.
 */
import { Queue, type Job } from "bullmq";
import type { WebhookEvent } from "../types.js";
import { DEFAULT_DEDUPE_TTL_MS, type DeadLetter, type QueueOptions, type WebhookQueue, type WebhookWorker } from "../webhooks/queue.js";
import { closeClient, receiverClient, withCap, type RedisConnection } from "./connection.js";
import { startWorker } from "./worker.js";

export interface RedisWebhookQueueOptions extends QueueOptions {
  /** A `redis://` (or `rediss://`) URL, or ioredis options. */
  connection: RedisConnection;
  /** The key namespace, so that several apps can share one Redis. Default "chatwoot-messages". */
  prefix?: string;
  /** How long storing a delivery may take before the receiver gives up (503). Default 3000, under Chatwoot's 5 s. */
  storeTimeoutMs?: number;
  /** Errors of the queue's own connections (Redis went away...). Default: ignored; `add` rejects instead. */
  onError?(error: unknown): void;
}

/** What a job holds: the event, its delivery id, and the token of the receiver that stored it. */
export interface JobData {
  event: WebhookEvent;
  deliveryId: string | null;
  token: string;
}

const NAME = "chatwoot-webhooks";
const DEAD_LETTER_AGE_S = 7 * 24 * 60 * 60;

export function redisWebhookQueue(options: RedisWebhookQueueOptions): WebhookQueue {
  const { connection, prefix = "chatwoot-messages", attempts = 5, backoffMs = 1_000, dedupeTtlMs = DEFAULT_DEDUPE_TTL_MS, storeTimeoutMs = 3_000 } = options;
  const client = receiverClient(connection);
  const queue = new Queue<JobData>(NAME, { connection: client, prefix });
  queue.on("error", (error) => options.onError?.(error));
  const workers = new Set<WebhookWorker>();
  const keepS = Math.ceil(dedupeTtlMs / 1000);

  const store = async (key: string, event: WebhookEvent, deliveryId: string | undefined) => {
    const token = crypto.randomUUID();
    await queue.add("delivery", { event, deliveryId: deliveryId ?? null, token }, {
      jobId: key,
      attempts,
      backoff: { type: "exponential", delay: backoffMs },
      removeOnComplete: { age: keepS },
      removeOnFail: { age: Math.max(keepS, DEAD_LETTER_AGE_S) },
    });
    // BullMQ returns the existing job when the id is taken: only our own token says we stored it.
    const stored = await queue.getJob(key);
    return (stored?.data as JobData | undefined)?.token === token ? "stored" : "duplicate";
  };

  return {
    async add(key, event, deliveryId) {
      const outcome = await withCap(store(key, event, deliveryId), storeTimeoutMs);
      if (outcome === undefined) throw new Error(`Redis did not store the delivery within ${storeTimeoutMs} ms`);
      return outcome;
    },

    work(handler, workOptions = {}) {
      const worker = startWorker(handler, workOptions, { connection, prefix, name: NAME, onError: options.onError });
      workers.add(worker);
      return {
        async close() {
          workers.delete(worker);
          await worker.close();
        },
      };
    },

    async deadLetters(): Promise<DeadLetter[]> {
      const failed = (await queue.getFailed()) as Job<JobData>[];
      return failed.map((job) => ({
        key: job.id!,
        event: job.data.event,
        deliveryId: job.data.deliveryId ?? undefined,
        attempts: job.attemptsMade,
        reason: job.failedReason,
      }));
    },

    async close() {
      await Promise.all([...workers].map((worker) => worker.close()));
      workers.clear();
      await withCap(queue.close(), 2_000);
      await closeClient(client);
    },
  };
}
