/**
 * Running `onEvent` in the request (no queue): claim every key of the delivery, run it within the
 * deadline, mark the keys done when it succeeds and release them when it fails (so that a retry
 * runs). A duplicate is acknowledged only once the first run is known to have succeeded: its key is
 * "done", or its run in flight here succeeds. A key claimed but not done (running elsewhere, or
 * whose release failed) is answered 500, never "duplicate": a failing store can delay a delivery,
 * never swallow it. Keys this handler claimed and could not release are kept here ("held"), so that
 * the retry of that delivery (to this process) runs it.
 */
import type { WebhookEvent } from "../types.js";
import { answer } from "./answer.js";
import type { DeliveryClaim, DeliveryStore } from "./dedupe.js";
import type { EventHandler } from "./queue.js";

export interface InlineSettings {
  onEvent: EventHandler;
  store: DeliveryStore;
  onError(error: unknown, event: WebhookEvent): void;
  deadlineMs: number;
  waitUntil?: ((work: Promise<unknown>) => void) | undefined;
}

const LATE = Symbol("late");
/** Held keys kept at most (the oldest go first: their retries are then answered 500, as in another process). */
const MAX_HELD = 10_000;

export function inlineRunner({ onEvent, store, onError, deadlineMs, waitUntil }: InlineSettings) {
  /** Runs not finished yet (from their first claim on), by each of their keys. */
  const inFlight = new Map<string, Promise<boolean>>();
  /** Keys claimed by this handler whose release failed: claimed in the store, run by no one. */
  const held = new Set<string>();

  /** Releases keys (all are tried); those that could not be released are held. Reports the first failure. */
  const releaseAll = async (keys: string[], event: WebhookEvent) => {
    const outcomes = await Promise.allSettled(keys.map(async (key) => store.release(key)));
    outcomes.forEach((outcome, i) => outcome.status === "rejected" && hold(keys[i]!));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    if (failed) onError(failed.reason, event);
  };
  const hold = (key: string) => {
    held.add(key);
    if (held.size > MAX_HELD) held.delete(held.values().next().value!);
  };

  /** A held key is this handler's already; any other is claimed in the store. */
  const claim = async (key: string): Promise<DeliveryClaim> => {
    if (held.delete(key)) return "claimed";
    const found = await store.claim(key);
    if (found !== "claimed" && found !== "running" && found !== "done") throw new TypeError(`store.claim returned ${String(found)}, not "claimed", "running" or "done"`);
    return found;
  };

  /** A duplicate: 200 when its first run is done (or succeeds here in time), else 500 so that it is sent again. */
  const duplicateOf = async (key: string, found: DeliveryClaim): Promise<Response> => {
    if (found === "done") return answer(200, { duplicate: true });
    const running = inFlight.get(key);
    if (running === undefined) return answer(500, { error: "The first delivery of this event is not known to be handled yet; send it again" });
    const outcome = await withinDeadline(running, deadlineMs);
    if (outcome === true) return answer(200, { duplicate: true });
    return answer(500, { error: outcome === LATE ? "The first delivery of this event is still being handled; send it again" : "The first delivery of this event failed; send it again" });
  };

  /** True when onEvent succeeded (its keys then marked done); on failure the keys are released and both failures reported. */
  const run = async (event: WebhookEvent, deliveryId: string | undefined, keys: string[]) => {
    try {
      await onEvent(event, { deliveryId, attempt: 1 });
    } catch (error) {
      await releaseAll(keys, event);
      onError(error, event);
      return false;
    }
    try {
      await Promise.all(keys.map(async (key) => store.done(key)));
    } catch (error) {
      // It ran: the answer is still 200. Its duplicates are answered 500 (not known done) until the keys expire.
      onError(error, event);
    }
    return true;
  };

  return async (event: WebhookEvent, deliveryId: string | undefined, keys: string[]): Promise<Response> => {
    // Registered from the first claim on, so that a duplicate arriving mid-claim waits for this run.
    let settle!: (ran: boolean) => void;
    const work = new Promise<boolean>((resolve) => (settle = resolve));
    const mine: string[] = [];
    void work.finally(() => mine.forEach((key) => inFlight.get(key) === work && inFlight.delete(key)));
    /** Not run: what was claimed for it is released (or held). */
    const abandon = async () => {
      await releaseAll(mine, event);
      settle(false);
    };
    for (const key of keys) {
      let found: DeliveryClaim;
      try {
        found = await claim(key);
      } catch (error) {
        onError(error, event);
        await abandon();
        return answer(500, { error: "The delivery store is unavailable; send it again" });
      }
      if (found !== "claimed") {
        await abandon();
        return duplicateOf(key, found);
      }
      mine.push(key);
      inFlight.set(key, work);
    }
    void run(event, deliveryId, keys).then(settle, () => settle(false));
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
