/**
 * Opt-in logging: nothing is logged unless a logger is given. A line names the method, the path,
 * the status and the time taken; headers (and so the token) and bodies are never logged.
 */
import type { Middleware } from "openapi-fetch";

export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

export function loggingMiddleware(logger: Logger): Middleware {
  const started = new Map<string, number>();
  const line = (request: Request) => `${request.method} ${new URL(request.url).pathname}`;
  return {
    onRequest({ id }) {
      started.set(id, performance.now());
    },
    onResponse({ id, request, response }) {
      logger.debug?.(`${line(request)} -> ${response.status} in ${elapsed(started, id)} ms`);
    },
    onError({ id, request, error }) {
      logger.warn?.(`${line(request)} failed after ${elapsed(started, id)} ms: ${(error as Error).name}`);
    },
  };
}

function elapsed(started: Map<string, number>, id: string): number {
  const start = started.get(id) ?? performance.now();
  started.delete(id);
  return Math.round(performance.now() - start);
}
