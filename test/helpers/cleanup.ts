/** Undoing what a test started, after each test of the file that calls these at its top level. */
import { afterEach } from "vitest";

/** `start`, with everything it started closed after each test. */
export function closedAfterEach<Options extends unknown[], Started extends { close(): Promise<unknown> }>(
  start: (...options: Options) => Promise<Started>,
): (...options: Options) => Promise<Started> {
  const started: Started[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((thing) => thing.close()));
  });
  return async (...options) => {
    const thing = await start(...options);
    started.push(thing);
    return thing;
  };
}

/** Registers a cleanup; the cleanups run after each test, one at a time, the last registered first. */
export function useCleanups(): (cleanup: () => unknown) => void {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => void cleanups.push(cleanup);
}
