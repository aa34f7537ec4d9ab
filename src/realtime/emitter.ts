/**
 * A small typed event emitter. A listener that throws does not break the stream's state (the
 * others still run, the emitter goes on): its error is rethrown on a fresh microtask, so it
 * surfaces as an uncaught exception, as a throwing EventEmitter listener would.
 */
// An interface (no index signature) satisfies this: each key maps to its listener's arguments.
export type EventMap<M> = { [K in keyof M]: unknown[] };

type AnyListener = (...args: unknown[]) => void;

export class Emitter<M extends EventMap<M>> {
  readonly #listeners = new Map<keyof M, Set<AnyListener>>();

  on<K extends keyof M>(name: K, listener: (...args: M[K]) => void): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener as unknown as AnyListener);
    return () => void set.delete(listener as unknown as AnyListener);
  }

  has(name: keyof M): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends keyof M>(name: K, ...args: M[K]): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...(args as unknown[]));
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
