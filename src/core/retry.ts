/**
 * Retries with exponential backoff and jitter. Which failures may be retried depends on whether
 * repeating the request is safe: creating a message is not idempotent and Chatwoot has no
 * idempotency key, so a create is retried only when the server provably did not act on it.
 */
import { ApiError, ConnectionError, RateLimitError, TimeoutError, parseRetryAfter } from "./errors.js";
import { sleep } from "./timeout.js";

export interface Backoff {
  /** Delay before the first retry, doubled for each further one. */
  initialMs: number;
  /** The longest delay backoff alone may reach. */
  maxMs: number;
  /** The longest Retry-After we wait out; a server asking for longer gets no retry (the error is thrown). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 8_000, maxRetryAfterMs: 60_000 };

export type RetryPolicy = (error: unknown) => boolean;

/** Reads, status updates and deletes: the same request twice leaves the same state. */
export const retryIdempotent: RetryPolicy = (error) =>
  error instanceof ConnectionError ||
  error instanceof TimeoutError ||
  (error instanceof ApiError && (error.status === 408 || error.status === 429 || error.status >= 500));

/** Creates: only a 429 (refused before processing) or a connection that never reached the server. */
export const retryCreate: RetryPolicy = (error) =>
  error instanceof RateLimitError || (error instanceof ConnectionError && !error.requestSent);

export interface RetryOptions {
  maxRetries: number;
  policy: RetryPolicy;
  backoff: Backoff;
  signal?: AbortSignal | undefined;
  onRetry?: ((error: unknown, retry: number, delayMs: number) => void) | undefined;
}

export async function withRetries<T>(run: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await run();
    } catch (error) {
      if (retry >= options.maxRetries || !options.policy(error)) throw error;
      const delayMs = retryDelay(retry, error, options.backoff);
      // Asked to wait longer than we would: give up now rather than hold a write slot that long.
      if (delayMs === undefined) throw error;
      options.onRetry?.(error, retry + 1, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * The server's Retry-After when it sent a valid one, else exponential backoff with jitter;
 * undefined when Retry-After is beyond `maxRetryAfterMs` (retrying sooner would only be refused).
 */
export function retryDelay(retry: number, error: unknown, backoff: Backoff, random = Math.random): number | undefined {
  const retryAfter = error instanceof ApiError ? parseRetryAfter(error.headers.get("retry-after")) : undefined;
  if (retryAfter !== undefined) return retryAfter * 1000 <= backoff.maxRetryAfterMs ? retryAfter * 1000 : undefined;
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** retry);
  return ceiling / 2 + (ceiling / 2) * random();
}
