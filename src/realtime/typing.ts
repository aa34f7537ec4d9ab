/**
 * Typing indicators: an agent's private-note typing is dropped (Chatwoot sends it to the contact
 * with `is_private` true, as a boolean or the string "true"), and a typing_on that no typing_off
 * follows clears itself after `timeoutMs` (the widget's 30 s), reported as a typing_off with
 * `expired: true`. A typing_off for someone not shown typing is dropped.
 */
import type { RealtimeTyping } from "../types.js";
import type { TimerSet } from "./timers.js";

export interface Typing {
  on(data: RealtimeTyping): void;
  off(data: RealtimeTyping): void;
}

export function createTyping(
  timers: TimerSet,
  timeoutMs: number,
  emitOn: (data: RealtimeTyping) => void,
  emitOff: (data: RealtimeTyping, expired: boolean) => void,
): Typing {
  const active = new Map<string, unknown>();
  return {
    on(data) {
      if (data.is_private === true || data.is_private === "true") return;
      const key = typistKey(data);
      timers.clear(active.get(key));
      active.set(key, timers.set(timeoutMs, () => {
        active.delete(key);
        emitOff(data, true);
      }));
      emitOn(data);
    },
    off(data) {
      const key = typistKey(data);
      if (!active.has(key)) return;
      timers.clear(active.get(key));
      active.delete(key);
      emitOff(data, false);
    },
  };
}

function typistKey(data: RealtimeTyping): string {
  const user = (data.user ?? {}) as { type?: unknown; id?: unknown };
  return `${data.conversation?.id}:${String(user.type)}:${String(user.id)}`;
}
