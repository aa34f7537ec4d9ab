/**
 * One deadline per attempt, tied to the caller's signal. Our own AbortController (rather than
 * AbortSignal.any) keeps nothing on the caller's signal once the attempt is over, and its abort
 * reason is already the error the caller should see. The deadline itself is an entry in the
 * shared timer of deadlines.ts, not a timer of its own.
 */
import { deadlines } from "./deadlines.js";
import { AbortError, TimeoutError } from "./errors.js";
import { onAbort } from "./signals.js";

export async function withTimeout<T>(
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  throwIfAborted(callerSignal);
  const controller = new AbortController();
  const cancel = deadlines.schedule(timeoutMs, () => controller.abort(new TimeoutError(`No complete answer within ${timeoutMs} ms`)));
  const unsubscribe = onAbort(callerSignal, () => controller.abort(abortError(callerSignal)));
  try {
    return await attempt(controller.signal);
  } catch (error) {
    // fetch and body reads reject with whatever they like once aborted; the reason is what happened.
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    cancel();
    unsubscribe();
  }
}

/** Waits between retries, cut short by the caller's abort. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(timer);
      reject(abortError(signal));
    });
  });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

export function abortError(signal: AbortSignal | undefined, when = ""): AbortError {
  return new AbortError(`The request was aborted by the caller${when}`, { cause: signal?.reason });
}
