/**
 * Running `onEvent` in the request (no queue): claim every key of the delivery, run it within the
 * deadline, release the keys when it fails (so that a retry runs), and answer a duplicate of a run
 * still in flight with that run's outcome: a duplicate is acknowledged only once the first run is
 * known to have succeeded.
 */
import type { WebhookEvent } from "../types.js";
import { answer } from "./answer.js";
import type { DeliveryStore } from "./dedupe.js";
import type { EventHandler } from "./queue.js";

export interface InlineSettings {
  onEvent: EventHandler;
  store: DeliveryStore;
  onError(error: unknown, event: WebhookEvent): void;
  deadlineMs: number;
  waitUntil?: ((work: Promise<unknown>) => void) | undefined;
}

const LATE = Symbol("late");

export function inlineRunner({ onEvent, store, onError, deadlineMs, waitUntil }: InlineSettings) {
  /** Runs not finished yet, by each of their keys. */
  const inFlight = new Map<string, Promise<boolean>>();

  /** Claims every key; returns the first one already seen (after releasing those just claimed), or undefined. */
  const claimAll = async (keys: string[]): Promise<string | undefined> => {
    const claimed: string[] = [];
    for (const key of keys) {
      if (await store.claim(key)) {
        claimed.push(key);
        continue;
      }
      await Promise.all(claimed.map((c) => store.release(c)));
      return key;
    }
    return undefined;
  };

  /** While the first run is in flight here, its outcome is awaited: 500 if it fails or is still running at the deadline. */
  const duplicateOf = async (seenKey: string): Promise<Response> => {
    const running = inFlight.get(seenKey);
    if (running === undefined) return answer(200, { duplicate: true });
    const outcome = await withinDeadline(running, deadlineMs);
    if (outcome === true) return answer(200, { duplicate: true });
    return answer(500, { error: outcome === LATE ? "The first delivery of this event is still being handled; send it again" : "The first delivery of this event failed; send it again" });
  };

  /** True when onEvent succeeded; on failure the keys are released and both failures reported. */
  const run = async (event: WebhookEvent, deliveryId: string | undefined, keys: string[]) => {
    try {
      await onEvent(event, { deliveryId, attempt: 1 });
      return true;
    } catch (error) {
      try {
        await Promise.all(keys.map((key) => store.release(key)));
      } catch (releaseError) {
        onError(releaseError, event);
      }
      onError(error, event);
      return false;
    }
  };

  return async (event: WebhookEvent, deliveryId: string | undefined, keys: string[]): Promise<Response> => {
    let seenKey: string | undefined;
    try {
      seenKey = await claimAll(keys);
    } catch (error) {
      onError(error, event);
      return answer(500, { error: "The delivery store is unavailable; send it again" });
    }
    if (seenKey !== undefined) return duplicateOf(seenKey);
    const work = run(event, deliveryId, keys);
    for (const key of keys) inFlight.set(key, work);
    void work.finally(() => keys.forEach((key) => inFlight.get(key) === work && inFlight.delete(key)));
    waitUntil?.(work);
    const outcome = await withinDeadline(work, deadlineMs);
    if (outcome === LATE) return answer(202, { accepted: true });
    return outcome ? answer(200, { handled: true }) : answer(500, { error: "The handler failed" });
  };
}

function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => (timer = setTimeout(resolve, ms, LATE)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
