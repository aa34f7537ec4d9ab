/**
 * A limit on writes in flight, for bulk sending: Chatwoot refuses more than 200 new messages a
 * minute in one conversation (422 "Too many messages") and rate-limits by IP, so a loop of
 * `create` calls should not fire them all at once. Waiting calls go in order and can be aborted.
 */
import { abortError } from "./timeout.js";

export type Limiter = <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

export const unlimited: Limiter = (task) => task();

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task, signal) => {
    if (active >= limit) await turn(waiting, signal);
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function turn(waiting: Array<() => void>, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const go = () => {
      signal?.removeEventListener("abort", abort);
      resolve();
    };
    const abort = () => {
      waiting.splice(waiting.indexOf(go), 1);
      reject(abortError(signal, " while waiting for a write slot"));
    };
    if (signal?.aborted) return abort();
    waiting.push(go);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
