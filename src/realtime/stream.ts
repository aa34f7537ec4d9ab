/**
 * The gapless message stream of one conversation. Messages come from the socket (at most once,
 * possibly out of order) and from REST resyncs (after every (re)connect and on a timer); they are
 * merged by id and each is emitted once.
 *
 * Ordering rule: messages are emitted in ascending id order. A live message is held until the
 * first resync after the (re)connect has filled the gap below it, and while a resync runs; when
 * caught up it is held `reorderWindowMs` so that frames Chatwoot's workers sent out of order are
 * put back in order. A message that becomes visible only after a higher id was emitted (a slow
 * commit, a frame later than the window, a message the socket lost and a resync found) is still
 * emitted, once, flagged `late: true`: the UI inserts it by id.
 */
import { AbortError, TimeoutError } from "../core/errors.js";
import { retryDelay } from "../core/retry.js";
import type { ClientMessage, RealtimeMessage } from "../types.js";
import { RealtimeError } from "./errors.js";
import type { TimerSet } from "./timers.js";

/** The Client API's messages index for the conversation: the latest 20, or the 20 before `before`, ascending by id. */
export type ListMessages = (query: { before?: number; signal: AbortSignal }) => Promise<ClientMessage[]>;

export interface MessageInfo {
  /** Emitted after a higher id: insert it by id. */
  late: boolean;
  /** Where it was first seen. */
  source: "socket" | "rest";
  /** The `echo_id` it was sent with, when the socket echoed it or `expect(echoId, sent)` bound it. */
  echoId?: string;
}

export interface StreamOptions {
  conversationId: number;
  listMessages: ListMessages | undefined;
  after: number | undefined;
  resyncIntervalMs: number;
  /** A resync (all its pages) not done by then is aborted and reported as a failed one. */
  resyncTimeoutMs: number;
  reorderWindowMs: number;
  backoff: { initialMs: number; maxMs: number };
  random: () => number;
  timers: TimerSet;
  emit(message: ClientMessage, info: MessageInfo): void;
  report(error: RealtimeError): void;
}

export interface Stream {
  live(message: RealtimeMessage): void;
  connected(): void;
  disconnected(): void;
  resync(): void;
  expect(echoId: string, sent?: PromiseLike<{ id: number }>): Promise<ClientMessage>;
  close(): void;
}

const PAGE_SIZE = 20;

interface Waiter {
  resolve(m: ClientMessage): void;
  reject(e: unknown): void;
}

interface Held {
  message: ClientMessage;
  source: "socket" | "rest";
}

export function createStream(o: StreamOptions): Stream {
  // Ids emitted above `floor`; the ids at or below it are pruned once a resync confirms them (see
  // confirm()), so that the dedupe set holds only what came since the last successful resync.
  const emitted = new Set<number>();
  const held = new Map<number, Held>();
  const echoes = new Map<number, string>(); // message id -> echo_id, from the socket or a resolved send
  const waiting = new Map<string, Waiter[]>(); // every expect() of an echo_id, settled together
  let floor = o.after; // ids at or below it are never emitted (again); set by the first resync when not given
  let highest: number | undefined; // the highest id emitted, live ones included: decides `late`
  // The highest id REST has listed with everything below it down to `floor`: a resync pages back
  // until it reaches this one, not `highest`, since ids that came live may sit above a gap.
  let confirmed: number | undefined;
  let caughtUp = o.listMessages === undefined;
  let running: AbortController | undefined;
  let again = false;
  let failures = 0;
  let connects = 0; // a resync fills the gap of a (re)connect only if it started after it
  let windowTimer: unknown;
  let nextResync: unknown;
  let closed = false;

  function hold(message: ClientMessage, source: Held["source"]): void {
    if (emitted.has(message.id) || held.has(message.id)) return;
    if (floor !== undefined && message.id <= floor) return;
    held.set(message.id, { message, source });
  }

  function flush(): void {
    o.timers.clear(windowTimer);
    windowTimer = undefined;
    for (const id of [...held.keys()].sort((a, b) => a - b)) {
      const { message, source } = held.get(id)!;
      held.delete(id);
      if (emitted.has(id)) continue;
      const late = highest !== undefined && id < highest;
      emitted.add(id);
      highest = Math.max(highest ?? id, id);
      const echoId = echoes.get(id);
      echoes.delete(id);
      o.emit(message, echoId === undefined ? { late, source } : { late, source, echoId });
      if (echoId !== undefined) settle(echoId, message);
    }
  }

  function settle(echoId: string, message: ClientMessage): void {
    const entries = waiting.get(echoId);
    if (!entries) return;
    waiting.delete(echoId);
    for (const entry of entries) entry.resolve(message);
  }

  /** After a successful resync: REST listed every id from `floor` to the newest it found. */
  function confirm(messages: ClientMessage[]): void {
    for (const m of messages) confirmed = Math.max(confirmed ?? m.id, m.id);
    if (confirmed === undefined || floor === undefined || confirmed <= floor) return;
    // Everything up to `confirmed` is now emitted or held, and no resync reads below it again:
    // raise the floor to it and forget those ids (hold() drops them by the floor).
    floor = confirmed;
    for (const id of emitted) if (id <= floor) emitted.delete(id);
  }

  function flushAfterWindow(): void {
    if (o.reorderWindowMs === 0) return flush();
    windowTimer ??= o.timers.set(o.reorderWindowMs, () => {
      windowTimer = undefined;
      if (caughtUp && !running) flush();
    });
  }

  function schedule(ms: number): void {
    o.timers.clear(nextResync);
    nextResync = o.timers.set(ms, () => {
      nextResync = undefined;
      resync();
    });
  }

  async function fetchSince(signal: AbortSignal): Promise<ClientMessage[]> {
    const list = o.listMessages!;
    const found: ClientMessage[] = [];
    const mark = confirmed ?? floor; // what REST has confirmed: page back until a page reaches it
    let before: number | undefined;
    for (;;) {
      const page = await list(before === undefined ? { signal } : { before, signal });
      if (signal.aborted) throw signal.reason; // timed out meanwhile: its answer comes too late to count
      if (!Array.isArray(page)) throw new TypeError("listMessages did not resolve with an array");
      found.push(...page.filter((m) => m && Number.isSafeInteger(m.id) && m.conversation_id === o.conversationId));
      if (page.length < PAGE_SIZE) {
        if (floor === undefined) floor = 0; // the whole conversation fits: everything is new
        return found;
      }
      const lowest = Math.min(...page.map((m) => m.id));
      if (floor === undefined) {
        floor = lowest - 1; // the stream starts with the latest page
        return found;
      }
      if (mark === undefined || lowest <= mark || (before !== undefined && lowest >= before)) return found;
      before = lowest;
    }
  }

  function resync(): void {
    if (closed || !o.listMessages) return;
    if (running) {
      again = true;
      return;
    }
    const controller = new AbortController();
    const startedAfter = connects;
    running = controller;
    o.timers.clear(nextResync);
    // A listMessages that ignores the signal and never settles must not stop the stream: bound it.
    const timer = o.timers.set(o.resyncTimeoutMs, () => controller.abort(new TimeoutError(`The REST resync took longer than ${o.resyncTimeoutMs} ms`)));
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }));
    Promise.race([fetchSince(controller.signal), aborted]).then(
      (messages) => {
        o.timers.clear(timer);
        if (closed || running !== controller) return;
        for (const message of messages) hold(message, "rest");
        confirm(messages);
        failures = 0;
        if (startedAfter === connects) caughtUp = true;
        finish(controller, o.resyncIntervalMs);
      },
      (error: unknown) => {
        o.timers.clear(timer);
        if (closed || running !== controller) return;
        o.report(new RealtimeError("resync_failed", `The REST resync failed (${(error as Error | null)?.name ?? "error"}); live messages go on and the next resync fills the gap`, { fatal: false, cause: error }));
        caughtUp = true; // keep live messages flowing; what the socket lost comes with a later resync, late
        const delay = retryDelay(failures++, undefined, { ...o.backoff, maxRetryAfterMs: 0 }, o.random) ?? o.backoff.maxMs;
        finish(controller, Math.min(delay, o.resyncIntervalMs));
      },
    );
  }

  function finish(controller: AbortController, nextInMs: number): void {
    if (running !== controller) return;
    running = undefined;
    if (caughtUp) flush(); // else a (re)connect came during it: the resync asked since fills its gap first
    if (again) {
      again = false;
      resync();
    } else {
      schedule(nextInMs);
    }
  }

  return {
    live(message) {
      if (message.private || message.message_type === 2) return; // the Client API never lists them
      const client = toClientMessage(message);
      if (message.echo_id !== undefined && message.echo_id !== null) {
        const echoId = String(message.echo_id);
        // Already emitted (a resync found it first; REST has no echo_id) or confirmed below the floor:
        // it is not emitted again, but whoever expects its echo gets it now.
        if (emitted.has(message.id) || (floor !== undefined && message.id <= floor)) settle(echoId, client);
        else echoes.set(message.id, echoId);
      }
      hold(client, "socket");
      if (caughtUp && !running) flushAfterWindow();
    },
    connected() {
      connects++;
      caughtUp = o.listMessages === undefined;
      resync();
    },
    disconnected() {
      if (o.listMessages) caughtUp = false;
    },
    resync,
    expect(echoId, sent) {
      return new Promise<ClientMessage>((resolve, reject) => {
        if (closed) return reject(new AbortError("The realtime client is closed"));
        const entry: Waiter = { resolve, reject };
        const entries = waiting.get(echoId);
        if (entries) entries.push(entry);
        else waiting.set(echoId, [entry]);
        const pending = () => waiting.get(echoId)?.includes(entry) === true;
        sent?.then(
          (created) => {
            if (!pending() || !created || !Number.isSafeInteger(created.id)) return;
            if (emitted.has(created.id) || (floor !== undefined && created.id <= floor)) settle(echoId, created as ClientMessage);
            else echoes.set(created.id, echoId);
          },
          (error: unknown) => {
            const list = waiting.get(echoId);
            if (!list?.includes(entry)) return;
            list.splice(list.indexOf(entry), 1);
            if (list.length === 0) waiting.delete(echoId);
            reject(error);
          },
        );
      });
    },
    close() {
      closed = true;
      running?.abort();
      running = undefined;
      for (const entry of [...waiting.values()].flat()) entry.reject(new AbortError("The realtime client was closed before the message came back"));
      waiting.clear();
      held.clear();
    },
  };
}

/** The socket's message, cut to what the Client API returns, so both sources emit the same shape. */
export function toClientMessage(m: RealtimeMessage): ClientMessage {
  const message: ClientMessage = {
    id: m.id,
    content: m.content,
    message_type: m.message_type,
    content_type: m.content_type,
    content_attributes: m.content_attributes,
    created_at: m.created_at,
    conversation_id: m.conversation_id,
  };
  if (m.attachments !== undefined) message.attachments = m.attachments;
  if (m.sender !== undefined) message.sender = m.sender;
  return message;
}
