/**
 * One call at a time per id, for calls that must not overlap (two creates with one idempotency
 * key: the second must look after the first is done, or both may send). A waiter waits on its own
 * signal only: one caller's abort or timeout never fails another. An id is kept only while a call
 * with it is in flight, so the map never outgrows the calls in flight.
 */
import { onAbort } from "../core/signals.js";
import { abortError } from "../core/timeout.js";

export type Turns = Map<string, Promise<void>>;

export async function waitTurn<T>(turns: Turns, id: string, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
  // Another waiter may take the turn between the one ahead finishing and us waking up: wait again.
  for (let ahead = turns.get(id); ahead; ahead = turns.get(id)) await settledOrAborted(ahead, signal);
  const mine = task();
  const done = mine.then(noop, noop);
  turns.set(id, done);
  void done.then(() => {
    if (turns.get(id) === done) turns.delete(id);
  });
  return mine;
}

function settledOrAborted(ahead: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return ahead;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const unsubscribe = onAbort(signal, () => reject(abortError(signal)));
    void ahead.then(() => {
      unsubscribe();
      resolve();
    });
  });
}

function noop(): void {}
