/**
 * Stopping `webhooks listen` on SIGINT or SIGTERM, within seconds whatever state Redis is in:
 * take no new connection, answer the deliveries in flight (each on a connection that then
 * closes), then close the worker and the queue (bounded even with Redis gone). A second signal
 * exits at once.
 */
import type { Server, ServerResponse } from "node:http";
import type { WebhookQueue, WebhookWorker } from "../webhooks/queue.js";

/** How long deliveries in flight may take to be answered (the handler answers within 4 s; a slow client's body may not end). */
const DRAIN_MS = 5_000;

/** Responses not yet finished, so that stopping can ask for their connection to close after them. */
export function inFlight(server: Server): Set<ServerResponse> {
  const open = new Set<ServerResponse>();
  server.on("request", (_request, response: ServerResponse) => {
    open.add(response);
    response.once("close", () => open.delete(response));
  });
  return open;
}

export function onStopSignal(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(signal === "SIGINT" ? 130 : 143);
      stopping = true;
      void stop();
    });
  }
}

export async function stopReceiving(server: Server, open: Set<ServerResponse>, worker: WebhookWorker | undefined, queue: WebhookQueue | undefined): Promise<void> {
  for (const response of open) if (!response.headersSent) response.setHeader("connection", "close");
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
  clearTimeout(timer);
  server.closeAllConnections();
  await worker?.close();
  await queue?.close();
}
