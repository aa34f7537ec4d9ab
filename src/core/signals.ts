/**
 * One "abort" listener per signal, however many calls wait on it. A bulk send that shares one
 * signal across hundreds of calls would otherwise add a listener per queued call and per attempt,
 * and Node prints MaxListenersExceededWarning past ten. The listener goes when its last waiter
 * does, so a long-lived signal keeps nothing of finished calls.
 */
interface Waiters {
  callbacks: Set<() => void>;
  listener: () => void;
}
const bySignal = new WeakMap<AbortSignal, Waiters>();

/** Runs `callback` once when `signal` aborts; the function returned unsubscribes it. */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return noop;
  let waiters = bySignal.get(signal);
  if (!waiters) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      bySignal.delete(signal);
      for (const run of callbacks) run();
    };
    waiters = { callbacks, listener };
    bySignal.set(signal, waiters);
    signal.addEventListener("abort", listener, { once: true });
  }
  const { callbacks, listener } = waiters;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    bySignal.delete(signal);
    signal.removeEventListener("abort", listener);
  };
}

function noop(): void {}
