/**
 * `redisWebhookQueue`: the WebhookQueue on Redis through BullMQ, shared by every receiver and
 * worker process that names the same Redis and prefix. A delivery's key is its BullMQ job id, and
 * its signature its BullMQ deduplication id, both checked and written by the one script that stores
 * the job: of two receivers given the same delivery at once, one stores it and the other learns it
 * is a duplicate, and a signature is only ever remembered with the job it stored (a "duplicate" is
 * always a delivery that is stored). Jobs (and so their keys) are kept at least `dedupeTtlMs`;
 * failed ones (the dead letters) at least 7 days; signatures `dedupeTtlMs`.
 *
 * A store that fails is never carried out later: nothing is sent to Redis unless it is connected
 * now, and once `add` has given up (the receiver answers 500), nothing more is sent for it. Only a
 * command already on the wire may still complete (Redis answered too late); then the delivery is
 * stored, and Chatwoot's retry of it (same delivery id, or the same message) is a duplicate.
 */
import { Queue, type Job } from "bullmq";
import { ValidationError } from "../core/errors.js";
import type { Logger } from "../core/logging.js";
import { positive } from "../webhooks/numbers.js";
import { queueNumbers, workNumbers, type DeadLetter, type QueueOptions, type WebhookQueue, type WebhookWorker } from "../webhooks/queue.js";
import type { WebhookEvent } from "../types.js";
import { closeClient, receiverClient, withCap, type JobData, type RedisConnection } from "./connection.js";
import { checkDurability, durabilityWarning, type DurabilityReport } from "./durability.js";
import { startWorker } from "./worker.js";

export interface RedisWebhookQueueOptions extends QueueOptions {
  /** A `redis://` (or `rediss://`) URL, or ioredis options. */
  connection: RedisConnection;
  /** The key namespace: two apps on one Redis need different prefixes (else each runs the other's jobs). Default "chatwoot-messages". */
  prefix?: string;
  /** How long storing a delivery may take before the receiver gives up (500). Default 3000, under Chatwoot's 5 s. */
  storeTimeoutMs?: number;
  /** Errors of the queue's own connections (Redis went away...). Default: ignored; `add` rejects instead. */
  onError?(error: unknown): void;
  /** Where the check of Redis's persistence settings warns (once connected). Default: console. */
  logger?: Pick<Logger, "warn">;
  /** Refuse to store (500) while Redis is seen to be set up to lose data (no AOF, an eviction policy). Default false: warn only. */
  requireDurableRedis?: boolean;
}

const NAME = "chatwoot-webhooks";
const DEAD_LETTER_AGE_S = 7 * 24 * 60 * 60;

export function redisWebhookQueue(options: RedisWebhookQueueOptions): WebhookQueue {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "must be an object");
  const { connection, prefix = "chatwoot-messages" } = options;
  if (typeof connection !== "string" && (typeof connection !== "object" || connection === null)) {
    throw new ValidationError("connection", "is required: a redis:// URL or ioredis options");
  }
  if (typeof prefix !== "string" || prefix === "") throw new ValidationError("prefix", `must be a non-empty string, got ${String(prefix)}`);
  const { attempts, backoffMs, dedupeTtlMs } = queueNumbers(options);
  const storeTimeoutMs = positive("storeTimeoutMs", options.storeTimeoutMs, 3_000);
  const logger = options.logger ?? console;

  const client = receiverClient(connection);
  const queue = new Queue<JobData>(NAME, { connection: client, prefix });
  queue.on("error", (error) => options.onError?.(error));
  const workers = new Set<WebhookWorker>();
  const keepS = Math.ceil(dedupeTtlMs / 1000);

  // Checked on every (re)connection; warned once per distinct finding.
  let durability: Promise<DurabilityReport> | undefined;
  let warned: string | undefined;
  const check = () => {
    durability = checkDurability(client);
    void durability.then((report) => {
      const warning = durabilityWarning(report);
      if (warning !== undefined && warning !== warned) logger.warn?.(warning);
      warned = warning;
    });
  };
  client.on("ready", check);

  let whenReady: Promise<void> | undefined;
  const connected = (): Promise<void> | void => {
    if (client.status === "ready") return;
    return (whenReady ??= new Promise<void>((resolve) => client.once("ready", () => ((whenReady = undefined), resolve()))));
  };

  const attempt = async (key: string, event: WebhookEvent, deliveryId: string | undefined, replayKey: string | undefined, given: { up: boolean }) => {
    // Waits for the connection within the receiver's time only: once it has given up (and answered 500),
    // nothing is sent for this delivery, even when Redis comes back.
    const live = () => {
      if (!given.up) throw new Error("the receiver gave up on this delivery: it was not stored");
      if (client.status !== "ready") throw new Error("Redis is not connected: the delivery was not stored");
    };
    await connected();
    await queue.waitUntilReady();
    if (options.requireDurableRedis) {
      const report = await durability!;
      if (report.problems.length) throw new Error(`Redis is not set up to keep deliveries (requireDurableRedis): ${report.problems.join("; ")}`);
    }
    live();
    const token = crypto.randomUUID();
    const job = await queue.add("delivery", { event, deliveryId: deliveryId ?? null, token }, {
      jobId: key,
      // The signature is remembered by BullMQ in the script that stores the job, so it names a stored job or nothing:
      // a receiver whose store failed leaves no signature behind to make another receiver's copy a "duplicate".
      ...(replayKey === undefined ? {} : { deduplication: { id: replayKey, ttl: dedupeTtlMs } }),
      attempts,
      backoff: { type: "exponential", delay: backoffMs },
      removeOnComplete: { age: keepS },
      removeOnFail: { age: Math.max(keepS, DEAD_LETTER_AGE_S) },
    });
    // Another job id: the signature was already seen, with the job it stored (that job exists).
    if (job.id !== key) return "duplicate" as const;
    // BullMQ returns the existing job when the id is taken: only our own token says we stored it.
    const stored = await queue.getJob(key);
    if ((stored?.data as JobData | undefined)?.token === token) return "stored" as const;
    // A duplicate by its key: BullMQ did not look at the signature then. Remember it as naming that (existing) job,
    // so that this copy re-sent under a new delivery id is a duplicate too.
    // Best effort: the answer is "duplicate" whether or not this is remembered.
    if (replayKey !== undefined && stored !== undefined && given.up && client.status === "ready") {
      await client.set(`${prefix}:${NAME}:de:${replayKey}`, key, "PX", dedupeTtlMs, "NX").catch(() => undefined);
    }
    return "duplicate" as const;
  };

  return {
    async add(key, event, deliveryId, replayKey) {
      const given = { up: true };
      const work = attempt(key, event, deliveryId, replayKey, given);
      work.catch(() => undefined); // once given up on, its failure has no one to tell
      const outcome = await withCap(work, storeTimeoutMs);
      if (outcome === undefined) {
        given.up = false;
        throw new Error(`Redis did not store the delivery within ${storeTimeoutMs} ms`);
      }
      return outcome;
    },

    work(handler, workOptions = {}) {
      const worker = startWorker(handler, workNumbers(workOptions), { connection, prefix, name: NAME, onError: options.onError });
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
      client.off("ready", check);
      await Promise.all([...workers].map((worker) => worker.close()));
      workers.clear();
      await withCap(queue.close(), 2_000);
      await closeClient(client);
    },
  };
}
