/**
 * The queue behind `createWebhookHandler({ queue })`: the receiver stores each verified delivery
 * and answers; workers run the handler function later, at least once, retried with backoff and
 * dead-lettered after `attempts` failures. Two implementations share this interface:
 * `memoryWebhookQueue()` here (one process; lost when the process dies) and
 * `redisWebhookQueue()` from "chatwoot-messages/redis" (durable, shared by many processes).
 */
import type { WebhookEvent } from "../types.js";
import { memoryDeliveryStore } from "./dedupe.js";
import { asError } from "./failure.js";
import { count, nonNegative, positive } from "./numbers.js";

export interface WebhookDelivery {
  /** `X-Chatwoot-Delivery`, when Chatwoot sent one. */
  deliveryId: string | undefined;
  /** 1 for the first run, 2 for the first retry... */
  attempt: number;
}

export type EventHandler = (event: WebhookEvent, delivery: WebhookDelivery) => unknown;

export interface WorkOptions {
  /** Jobs run at once by this worker. Default 1. */
  concurrency?: number;
  /** How long a job is locked by its worker; a job whose worker died runs again elsewhere after about this long. Default 30000. */
  lockMs?: number;
}

/** What both queues take. */
export interface QueueOptions {
  /** Runs of a failing job before it is dead-lettered. Default 5. */
  attempts?: number;
  /** Delay before the first retry, doubled for each further one. Default 1000. */
  backoffMs?: number;
  /** How long a delivery's key is remembered, so that a duplicate is recognized. Default 24 h. */
  dedupeTtlMs?: number;
}

export interface WebhookWorker {
  /** Finishes the jobs in hand, takes no new ones, and disconnects what it opened. */
  close(): Promise<void>;
}

export interface DeadLetter {
  key: string;
  event: WebhookEvent;
  deliveryId: string | undefined;
  attempts: number;
  /** The last failure's message. */
  reason: string;
}

export interface WebhookQueue {
  /**
   * Stores a delivery unless its key, or its `replayKey` (the key of its signature), was seen (kept
   * at least `dedupeTtlMs`). Resolves only once the delivery is stored; rejects when it cannot be,
   * and then nothing is left to store it later.
   */
  add(key: string, event: WebhookEvent, deliveryId: string | undefined, replayKey?: string): Promise<"stored" | "duplicate">;
  work(handler: EventHandler, options?: WorkOptions): WebhookWorker;
  /** Jobs that failed `attempts` times, newest first. */
  deadLetters(): Promise<DeadLetter[]>;
  /** Stops the workers and disconnects. */
  close(): Promise<void>;
}

export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

interface Job {
  key: string;
  event: WebhookEvent;
  deliveryId: string | undefined;
  attempt: number;
}

/**
 * An in-process queue with the same interface and retry rules, for tests and one-process bots.
 * It is NOT durable: what is queued is lost when the process stops, and it dedupes only what this
 * process saw (for `dedupeTtlMs`, as memoryDeliveryStore does). Use `redisWebhookQueue` when either matters.
 */
export function memoryWebhookQueue(options: QueueOptions & { now?: () => number } = {}): WebhookQueue {
  const { attempts, backoffMs, dedupeTtlMs } = queueNumbers(options);
  const seen = memoryDeliveryStore({ ttlMs: dedupeTtlMs, now: options.now ?? Date.now });
  const pending: Job[] = [];
  const dead: DeadLetter[] = [];
  const workers = new Set<() => Promise<void>>();
  const wake = new Set<() => void>();
  let closed = false;

  const signal = () => wake.forEach((run) => run());

  return {
    async add(key, event, deliveryId, replayKey) {
      if (closed) throw new Error("the queue is closed");
      // Nothing can fail between claiming and queueing here: a claimed key is a queued delivery.
      if (replayKey !== undefined && (await seen.claim(replayKey)) !== "claimed") return "duplicate";
      if ((await seen.claim(key)) !== "claimed") return "duplicate";
      pending.push({ key, event, deliveryId, attempt: 1 });
      signal();
      return "stored";
    },

    work(handler, workOptions = {}) {
      const { concurrency } = workNumbers(workOptions);
      let stopping = false;
      const running = new Set<Promise<void>>();
      const retries = new Map<ReturnType<typeof setTimeout>, Job>();

      const run = async (job: Job) => {
        try {
          await handler(job.event, { deliveryId: job.deliveryId, attempt: job.attempt });
        } catch (error) {
          if (job.attempt >= attempts) {
            dead.unshift({ key: job.key, event: job.event, deliveryId: job.deliveryId, attempts: job.attempt, reason: asError(error).message });
            return;
          }
          const retry = { ...job, attempt: job.attempt + 1 };
          const timer = setTimeout(() => {
            retries.delete(timer);
            pending.push(retry);
            signal();
          }, backoffMs * 2 ** (job.attempt - 1));
          retries.set(timer, retry);
        }
      };
      const pump = () => {
        while (!stopping && running.size < concurrency && pending.length > 0) {
          const task = run(pending.shift()!).finally(() => {
            running.delete(task);
            pump();
          });
          running.add(task);
        }
      };
      const close = async () => {
        stopping = true;
        wake.delete(pump);
        workers.delete(close);
        await Promise.all(running);
        // Retries not yet due go back to the queue, for another worker.
        for (const [timer, retry] of retries) {
          clearTimeout(timer);
          pending.push(retry);
        }
        retries.clear();
      };
      wake.add(pump);
      workers.add(close);
      pump();
      return { close };
    },

    async deadLetters() {
      return [...dead];
    },

    async close() {
      closed = true;
      await Promise.all([...workers].map((close) => close()));
    },
  };
}

/** The queues' number options, checked (a ValidationError naming the option) and defaulted. */
export function queueNumbers(options: QueueOptions): Required<QueueOptions> {
  return {
    attempts: count("attempts", options.attempts, 5),
    backoffMs: nonNegative("backoffMs", options.backoffMs, 1_000),
    dedupeTtlMs: positive("dedupeTtlMs", options.dedupeTtlMs, DEFAULT_DEDUPE_TTL_MS),
  };
}

export function workNumbers(options: WorkOptions): Required<WorkOptions> {
  return { concurrency: count("concurrency", options.concurrency, 1), lockMs: positive("lockMs", options.lockMs, 30_000) };
}
