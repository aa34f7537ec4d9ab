/**
 * One timer for every in-flight deadline. A setTimeout/clearTimeout pair per attempt is a good
 * part of what a timeout costs; here a call adds itself to a list (one per duration, so each list
 * is already in deadline order) and removes itself when done, and one unref'd timer is armed for
 * the earliest deadline. Removal never rearms: the armed timer fires, finds nothing due, and
 * rearms for the next.
 */
interface Entry {
  at: number;
  /** Still in its list: neither fired nor cancelled. */
  live: boolean;
  fire: () => void;
  prev: Entry | undefined;
  next: Entry | undefined;
}
interface List {
  head: Entry | undefined;
  tail: Entry | undefined;
}
type Timer = ReturnType<typeof setTimeout>;

export interface Deadlines {
  /** Calls `fire` after `ms`, unless the function returned is called first. */
  schedule(ms: number, fire: () => void): () => void;
}

export function createDeadlines(
  now: () => number = () => performance.now(),
  // Wrapped, not passed as is: called as `timers.set(...)`, a browser's setTimeout gets `this` = that
  // object and throws "Illegal invocation" (Node does not care; Chromium does).
  timers: { set: (run: () => void, ms: number) => Timer; clear: (timer: Timer) => void } = {
    set: (run, ms) => setTimeout(run, ms),
    clear: (timer) => clearTimeout(timer),
  },
): Deadlines {
  const lists = new Map<number, List>();
  let timer: Timer | undefined;
  let armedAt = Infinity;

  const remove = (ms: number, list: List, entry: Entry) => {
    entry.live = false;
    if (entry.prev) entry.prev.next = entry.next;
    else list.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else list.tail = entry.prev;
    if (!list.head) lists.delete(ms);
  };

  const arm = (at: number) => {
    if (timer !== undefined) timers.clear(timer);
    armedAt = at;
    timer = timers.set(tick, Math.max(0, Math.ceil(at - now())));
    (timer as { unref?: () => void }).unref?.(); // a pending deadline keeps no process alive
  };

  const tick = () => {
    timer = undefined;
    armedAt = Infinity;
    const time = now();
    for (const [ms, list] of lists) {
      for (let entry = list.head; entry && entry.at <= time; entry = list.head) {
        remove(ms, list, entry);
        entry.fire();
      }
    }
    let earliest = Infinity;
    for (const list of lists.values()) earliest = Math.min(earliest, list.head!.at);
    if (earliest < armedAt) arm(earliest);
  };

  return {
    schedule(ms, fire) {
      let list = lists.get(ms);
      if (!list) lists.set(ms, (list = { head: undefined, tail: undefined }));
      const entry: Entry = { at: now() + ms, live: true, fire, prev: list.tail, next: undefined };
      if (list.tail) list.tail.next = entry;
      else list.head = entry;
      list.tail = entry;
      if (entry.at < armedAt) arm(entry.at);
      const owner = list;
      return () => {
        if (entry.live) remove(ms, owner, entry);
      };
    },
  };
}

export const deadlines = createDeadlines();
