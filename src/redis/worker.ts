/**
 * A worker: runs the handler for each stored delivery, with BullMQ's retries and stalled-job
 * recovery. A job whose worker died (its lock is not renewed) goes back to the queue after about
 * `lockMs` and runs on another worker.
 */
import { Worker, type Job } from "bullmq";
import { asError } from "../webhooks/failure.js";
import type { EventHandler, WebhookWorker, WorkOptions } from "../webhooks/queue.js";
import { closeClient, withCap, workerClient, type RedisConnection } from "./connection.js";
import type { JobData } from "./queue.js";

export interface WorkerSettings {
  connection: RedisConnection;
  prefix: string;
  name: string;
  /** Reported errors of the worker itself (lost connections...), not the handler's. */
  onError?: ((error: unknown) => void) | undefined;
}

export function startWorker(handler: EventHandler, { concurrency, lockMs }: Required<WorkOptions>, settings: WorkerSettings): WebhookWorker {
  const client = workerClient(settings.connection);
  const worker = new Worker<JobData>(
    settings.name,
    async (job: Job<JobData>) => {
      try {
        await handler(job.data.event, { deliveryId: job.data.deliveryId ?? undefined, attempt: job.attemptsMade + 1 });
      } catch (error) {
        // BullMQ reads .message of what the processor threw: undefined, null or a string would not fail the job cleanly.
        throw asError(error);
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
      // Finishes the jobs in hand; with Redis gone that would never end, so it is forced after a while.
      const closed = await withCap(worker.close().then(() => true), Math.max(5_000, lockMs));
      if (closed === undefined) await withCap(worker.close(true), 1_000);
      await closeClient(client);
    },
  };
}
