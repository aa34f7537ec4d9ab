/**
 * One call at a time per id, for calls that must not overlap (two creates with one idempotency
 * key: the second must look after the first is done, or both may send). A call may also hold its
 * id a while after it is over (a create that gave up while its message may yet be committed keeps
 * its key "maybe sent" until that is settled). A waiter waits on its own signal and its own
 * timeoutMs only: one caller's abort, timeout or failure never fails another. An id is kept only
 * while a call with it is in flight or held, so the map never outgrows those.
 */
import { deadlines } from "../core/deadlines.js";
import { TimeoutError } from "../core/errors.js";
import { onAbort } from "../core/signals.js";
import { abortError } from "../core/timeout.js";

export type Turns = Map<string, Promise<void>>;

/** Keeps the id busy after the task is over, until the work `later` starts is done (it must not reject). */
export type Hold = (later: () => Promise<void>) => void;

export interface Wait {
  signal?: AbortSignal | undefined;
  /** How long this call may wait for the calls ahead of it: then a TimeoutError, and the task never runs. */
  timeoutMs: number;
  /** Names what was waited for, in the TimeoutError. */
  what: string;
}

export async function waitTurn<T>(turns: Turns, id: string, wait: Wait, task: (hold: Hold) => Promise<T>): Promise<T> {
  if (turns.has(id)) {
    const stop = stopper(wait);
    try {
      // Another waiter may take the turn between the one ahead finishing and us waking up: wait again.
      for (let ahead = turns.get(id); ahead; ahead = turns.get(id)) await Promise.race([ahead, stop.stopped]);
    } finally {
      stop.end();
    }
  }
  const held: Array<Promise<void>> = [];
  const mine = task((later) => held.push(later()));
  const done = mine.then(noop, noop).then(() => Promise.all(held)).then(noop, noop);
  turns.set(id, done);
  void done.then(() => {
    if (turns.get(id) === done) turns.delete(id);
  });
  return mine;
}

/** Rejects on the waiter's abort or when its timeoutMs is up; `end` leaves no timer or listener behind. */
function stopper({ signal, timeoutMs, what }: Wait): { stopped: Promise<never>; end(): void } {
  let cancel = noop;
  let unsubscribe = noop;
  const stopped = new Promise<never>((_, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    cancel = deadlines.schedule(timeoutMs, () => reject(new TimeoutError(`Waited ${timeoutMs} ms for ${what}; nothing was sent`)));
    unsubscribe = onAbort(signal, () => reject(abortError(signal)));
  });
  stopped.catch(noop); // raced while it matters; after `end` it never settles
  return {
    stopped,
    end() {
      cancel();
      unsubscribe();
    },
  };
}

function noop(): void {}
