/**
 * A limit on writes in flight, for bulk sending: Chatwoot refuses more than 200 new messages a
 * minute in one conversation (422 "Too many messages") and rate-limits by IP, so a loop of
 * `create` calls should not fire them all at once. Waiting calls go in order and can be aborted.
 * A finished call hands its slot straight to the next waiter, so a call that arrives in between
 * cannot slip past the limit.
 */
import { onAbort } from "./signals.js";
import { abortError } from "./timeout.js";

export type Limiter = <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

export const unlimited: Limiter = (task) => task();

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting = new Set<() => void>();

  const release = () => {
    const next = waiting.values().next().value;
    if (next === undefined) active--;
    else {
      waiting.delete(next);
      next(); // the slot changes hands: `active` stays as it is
    }
  };

  const acquire = (signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal, " while waiting for a write slot"));
      const go = () => {
        unsubscribe();
        resolve();
      };
      const unsubscribe = onAbort(signal, () => {
        waiting.delete(go);
        reject(abortError(signal, " while waiting for a write slot"));
      });
      waiting.add(go);
    });

  return async (task, signal) => {
    if (active < limit) active++;
    else await acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  };
}
