/**
 * Every timer the realtime client sets goes through one TimerSet, so that close() can clear them
 * all and tests can pass their own clock (or count what is pending).
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface TimerSet {
  set(ms: number, callback: () => void): unknown;
  clear(handle: unknown): void;
  clearAll(): void;
}

export function timerSet(timers: Timers): TimerSet {
  const pending = new Set<unknown>();
  return {
    set(ms, callback) {
      const handle: unknown = timers.setTimeout(() => {
        pending.delete(handle);
        callback();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clear(handle) {
      if (handle === undefined || !pending.delete(handle)) return;
      timers.clearTimeout(handle);
    },
    clearAll() {
      for (const handle of pending) timers.clearTimeout(handle);
      pending.clear();
    },
  };
}
