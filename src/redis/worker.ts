/**
 * A worker: runs the handler for each stored delivery, with BullMQ's retries and stalled-job
 * recovery. A job whose worker died (its lock is not renewed) goes back to the queue after about
 * `lockMs` and runs on another worker.
 */
import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { asError } from "../webhooks/failure.js";
import type { EventHandler, WebhookWorker, WorkOptions } from "../webhooks/queue.js";
import { closeClient, withCap, workerClient, type JobData, type RedisConnection } from "./connection.js";

export interface WorkerSettings {
  connection: RedisConnection;
  prefix: string;
  name: string;
  /** Reported errors of the worker itself (lost connections...), not the handler's. */
  onError?: ((error: unknown) => void) | undefined;
}

export function startWorker(handler: EventHandler, { concurrency, lockMs }: Required<WorkOptions>, settings: WorkerSettings): WebhookWorker {
  const client = workerClient(settings.connection);
  const copies = ownCopies(client);
  // The handlers in hand, so that closing waits for them, and for Redis only while it is there.
  const inHand = new Set<Promise<unknown>>();
  const worker = new Worker<JobData>(
    settings.name,
    async (job: Job<JobData>) => {
      const run = (async () => handler(job.data.event, { deliveryId: job.data.deliveryId ?? undefined, attempt: job.attemptsMade + 1 }))();
      inHand.add(run);
      try {
        await run;
      } catch (error) {
        // BullMQ reads .message of what the processor threw: undefined, null or a string would not fail the job cleanly.
        throw asError(error);
      } finally {
        inHand.delete(run);
      }
    },
    {
      connection: client,
      prefix: settings.prefix,
      concurrency,
      lockDuration: lockMs,
      // The stalled check runs twice per lock period, so a dead worker's job is back within about 1.5 × lockMs.
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
      // A job whose worker died is run again, not failed (BullMQ's default of 1 would fail it the second time).
      maxStalledCount: 10,
      drainDelay: 1,
    },
  );
  worker.on("error", (error) => settings.onError?.(error));

  return {
    async close() {
      // BullMQ's polite close waits for the jobs in hand, writes their outcome and ends its blocking read;
      // with Redis gone the last two never end, and a handler that never returns holds it (and BullMQ's
      // lock timer) forever. So: no new job; the handlers in hand get up to lockMs (after that another
      // worker runs their jobs anyway); then a polite close when they are done and Redis is there (a few
      // seconds), a forced one otherwise; then every connection is ended, which also ends BullMQ's waits.
      void worker.pause(true).catch(() => undefined);
      const finished = await withCap(Promise.allSettled([...inHand]).then(() => true), lockMs);
      const connected = client.status === "ready";
      const closing = worker.close(!(finished && connected)).catch(() => undefined);
      await withCap(closing, connected ? 5_000 : 0);
      await closeClient(client, copies);
      await withCap(closing, 1_000);
    },
  };
}

/** The connections BullMQ makes from ours (its blocking reader), so that closing can cut them when Redis is gone. */
function ownCopies(client: Redis): Redis[] {
  const copies: Redis[] = [];
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (...args: Parameters<Redis["duplicate"]>) => {
    const copy = duplicate(...args);
    copy.on("error", () => undefined);
    copies.push(copy);
    return copy;
  };
  return copies;
}
