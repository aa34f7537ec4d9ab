/**
 * connectRealtime: Chatwoot's ActionCable channel (`/cable`, RoomChannel) on any standard
 * WebSocket. One socket at a time: wait for `welcome`, subscribe with the byte-identical
 * identifier, expect `confirm_subscription` within a bound (Chatwoot answers an unknown token
 * with silence), drop and reopen the socket with backoff and jitter when it closes, on a
 * `disconnect` frame that allows it, or when no frame (not even a ping) came for `staleAfterMs`.
 * Events are dispatched by name, filtered by conversation; messages feed the gapless stream.
 */
import type { ClientMessage, RealtimeConversation, RealtimeEvent, RealtimeMessage, RealtimeMessageUpdate, RealtimePresence, RealtimeTyping } from "../types.js";
import { ValidationError } from "../core/errors.js";
import { retryDelay } from "../core/retry.js";
import { Emitter } from "./emitter.js";
import { RealtimeError } from "./errors.js";
import { checkOptions, type RealtimeOptions, type WebSocketLike } from "./options.js";
import { createStream, type MessageInfo, type Stream } from "./stream.js";
import { timerSet } from "./timers.js";
import { createTyping } from "./typing.js";

export type RealtimeState = "connecting" | "live" | "reconnecting" | "closed";

/** Each event's listener arguments. */
export interface RealtimeEventMap {
  /** The gapless stream (with `conversationId`): each message once, in id order (`info.late` for the exceptions). */
  message: [message: ClientMessage, info: MessageInfo];
  "message.created": [data: RealtimeMessage];
  "message.updated": [data: RealtimeMessageUpdate];
  "conversation.created": [data: RealtimeConversation];
  "conversation.updated": [data: RealtimeConversation];
  "conversation.status_changed": [data: RealtimeConversation];
  /** An agent typing (never private-note typing). */
  "conversation.typing_on": [data: RealtimeTyping];
  /** The typing stopped, or `expired` after `typingTimeoutMs` without a typing_off. */
  "conversation.typing_off": [data: RealtimeTyping, info: { expired: boolean }];
  "presence.update": [data: RealtimePresence];
  /** Every stream frame's `{event, data}` as received, unfiltered (agents get many more events). */
  event: [event: RealtimeEvent | { event: string; data: unknown }];
  state: [state: RealtimeState];
  error: [error: RealtimeError];
}

export interface Realtime {
  /** Adds a listener; the function returned removes it. */
  on<K extends keyof RealtimeEventMap>(event: K, listener: (...args: RealtimeEventMap[K]) => void): () => void;
  /**
   * Resolves with the message sent with this `echo_id` when the stream emits it: by the socket's
   * echo, or, given `sent` (the create call's promise), by the id it resolves with, so that a
   * message the socket lost still resolves when a resync finds it. Rejects when `sent` rejects or on close().
   */
  expect(echoId: string, sent?: PromiseLike<{ id: number }>): Promise<ClientMessage>;
  /** Resync over REST now (say, when the page becomes visible again). */
  resync(): void;
  readonly state: RealtimeState;
  /** Closes the socket and clears every timer; pending `expect`s reject. */
  close(): void;
}

const PROTOCOLS = ["actioncable-v1-json", "actioncable-unsupported"];

export function connectRealtime(options: RealtimeOptions): Realtime {
  const o = checkOptions(options);
  const events = new Emitter<RealtimeEventMap>();
  const timers = timerSet(o.timers);
  const log = (line: string) => o.logger?.debug?.(`realtime: ${line}`);
  let state: RealtimeState = "connecting";
  let socket: WebSocketLike | undefined;
  // The current socket's timers: no frame for staleAfterMs, the confirmation bound, the next heartbeat.
  const connection: { stale?: unknown; confirm?: unknown; presence?: unknown; subscribed?: boolean; confirmed?: boolean } = {};
  let reconnectTimer: unknown;
  let attempt = 0;
  let closed = false;

  const stream: Stream | undefined = o.conversationId === undefined ? undefined : createStream({
    conversationId: o.conversationId,
    listMessages: o.listMessages,
    after: o.after,
    resyncIntervalMs: o.resyncIntervalMs,
    resyncTimeoutMs: o.resyncTimeoutMs,
    reorderWindowMs: o.reorderWindowMs,
    backoff: o.backoff,
    random: o.random,
    timers,
    emit: (message, info) => events.emit("message", message, info),
    report: (error) => report(error),
  });
  const typing = createTyping(timers, o.typingTimeoutMs,
    (data) => events.emit("conversation.typing_on", data),
    (data, expired) => events.emit("conversation.typing_off", data, { expired }));

  function setState(next: RealtimeState): void {
    if (state === next) return;
    state = next;
    events.emit("state", next);
  }

  function report(error: RealtimeError): void {
    o.logger?.warn?.(`realtime: ${error.message}`);
    events.emit("error", error);
  }

  function open(): void {
    if (closed) return;
    setState("connecting");
    log(`connecting to ${o.cableUrl}`);
    let ws: WebSocketLike;
    try {
      ws = new o.WebSocket(o.cableUrl, PROTOCOLS);
    } catch (error) {
      log(`could not open the socket (${(error as Error | null)?.name ?? "error"})`);
      return reconnect("the socket could not be opened");
    }
    socket = ws;
    const mine = <E>(handler: (event: E) => void) => (event: E) => {
      if (socket === ws) handler(event);
    };
    const alive = () => {
      timers.clear(connection.stale);
      connection.stale = timers.set(o.staleAfterMs, () => reconnect(`no frame for ${o.staleAfterMs} ms (missed pings)`));
    };
    alive();
    ws.onopen = mine(alive);
    ws.onclose = mine(() => reconnect("the socket closed"));
    ws.onerror = mine(() => log("socket error"));
    ws.onmessage = mine((event: { data: unknown }) => {
      alive();
      frame(ws, typeof event.data === "string" ? event.data : String(event.data));
    });
  }

  function frame(ws: WebSocketLike, text: string): void {
    let parsed: { type?: unknown; identifier?: unknown; message?: unknown; reason?: unknown; reconnect?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch {
      return log("ignored a frame that is not JSON");
    }
    if (typeof parsed !== "object" || parsed === null) return;
    switch (parsed.type) {
      case "welcome":
        // Once per socket: the server ignores a duplicate subscribe without a second confirmation.
        if (connection.subscribed) return;
        connection.subscribed = true;
        ws.send(JSON.stringify({ command: "subscribe", identifier: o.identifier }));
        timers.clear(connection.confirm);
        connection.confirm = timers.set(o.confirmTimeoutMs, () => fail("subscription_unconfirmed",
          `The realtime channel did not confirm the subscription within ${o.confirmTimeoutMs} ms: the pubsub token is invalid or stale ` +
          "(Chatwoot answers an unknown token with neither a confirmation nor a rejection), or the server's pub/sub is down. " +
          "Reload the contact over the Client API for a current pubsub_token."));
        return;
      case "ping":
        return;
      case "confirm_subscription":
        if (parsed.identifier !== o.identifier || connection.confirmed) return;
        connection.confirmed = true;
        timers.clear(connection.confirm);
        attempt = 0;
        log("subscription confirmed");
        setState("live");
        heartbeat(ws);
        stream?.connected();
        return;
      case "reject_subscription":
        if (parsed.identifier === o.identifier) fail("subscription_rejected", "The realtime channel rejected the subscription: the pubsub token is invalid or stale.");
        return;
      case "disconnect": {
        const reason = typeof parsed.reason === "string" ? parsed.reason : "unknown";
        if (parsed.reconnect === false) return fail("disconnected", `The realtime server disconnected us (${reason}) and asked not to reconnect.`);
        return reconnect(`the server asked to reconnect (${reason})`);
      }
    }
    if (parsed.identifier === o.identifier && typeof parsed.message === "object" && parsed.message !== null) {
      dispatch(parsed.message as { event?: unknown; data?: unknown });
    }
  }

  function heartbeat(ws: WebSocketLike): void {
    if (o.presenceIntervalMs === 0) return;
    connection.presence = timers.set(o.presenceIntervalMs, () => {
      if (socket !== ws) return;
      ws.send(JSON.stringify({ command: "message", identifier: o.identifier, data: JSON.stringify({ action: "update_presence" }) }));
      heartbeat(ws);
    });
  }

  function dispatch(message: { event?: unknown; data?: unknown }): void {
    const { event, data } = message;
    if (typeof event !== "string" || typeof data !== "object" || data === null) return;
    events.emit("event", message as { event: string; data: unknown });
    const ours = (id: unknown) => o.conversationId === undefined || id === o.conversationId;
    switch (event) {
      case "message.created": {
        const m = data as RealtimeMessage;
        if (!Number.isSafeInteger(m.id) || !ours(m.conversation_id)) return;
        events.emit("message.created", m);
        stream?.live(m);
        return;
      }
      case "message.updated":
        if (ours((data as RealtimeMessage).conversation_id)) events.emit("message.updated", data as RealtimeMessageUpdate);
        return;
      case "conversation.created":
      case "conversation.updated":
      case "conversation.status_changed":
        if (ours((data as RealtimeConversation).id)) events.emit(event, data as RealtimeConversation);
        return;
      case "conversation.typing_on":
      case "conversation.typing_off": {
        const typingData = data as RealtimeTyping;
        if (!ours(typingData.conversation?.id)) return;
        if (event === "conversation.typing_on") typing.on(typingData);
        else typing.off(typingData);
        return;
      }
      case "presence.update":
        events.emit("presence.update", data as RealtimePresence);
        return;
    }
  }

  function dropSocket(): void {
    for (const handle of [connection.stale, connection.confirm, connection.presence]) timers.clear(handle);
    connection.stale = connection.confirm = connection.presence = undefined;
    connection.subscribed = connection.confirmed = false;
    const ws = socket;
    socket = undefined;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    // A socket closed while still connecting reports an error afterwards (the `ws` package emits it on
    // the next tick, and an error nobody listens to would crash the process): it is abandoned, so its
    // error is ignored.
    ws.onerror = () => {};
    try {
      ws.close(1000);
    } catch {
      // closing a socket that is still connecting throws in some runtimes; it is abandoned either way
    }
  }

  function reconnect(why: string): void {
    if (closed) return;
    dropSocket();
    stream?.disconnected();
    const delay = retryDelay(attempt++, undefined, { ...o.backoff, maxRetryAfterMs: 0 }, o.random) ?? o.backoff.maxMs;
    log(`reconnecting in ${Math.round(delay)} ms: ${why}`);
    setState("reconnecting");
    timers.clear(reconnectTimer);
    reconnectTimer = timers.set(delay, open);
  }

  function fail(code: RealtimeError["code"], message: string): void {
    if (closed) return;
    report(new RealtimeError(code, message, { fatal: true }));
    close();
  }

  function close(): void {
    if (closed) return;
    closed = true;
    dropSocket();
    stream?.close();
    timers.clearAll();
    setState("closed");
    events.clear();
  }

  open();
  stream?.resync(); // REST first paint, without waiting for the socket
  return {
    on: (event, listener) => events.on(event, listener),
    expect: (echoId, sent) => {
      if (!stream) return Promise.reject(new ValidationError("conversationId", "is required for expect(): it follows one conversation's messages"));
      return stream.expect(String(echoId), sent);
    },
    resync: () => stream?.resync(),
    get state() {
      return state;
    },
    close,
  };
}
