/**
 * connectRealtime's options, checked once: a bad one is a ValidationError naming it, and nothing
 * is opened. The pubsub_token is a credential: no message here quotes it.
 */
import { ValidationError } from "../core/errors.js";
import type { Logger } from "../core/logging.js";
import { checkAbsoluteUrl, isLoopback } from "../core/transport.js";
import { requireObject, show, validateId, validateMs } from "../core/validate.js";
import type { ListMessages } from "./stream.js";
import { realTimers, type Timers } from "./timers.js";

/** What a standard WebSocket offers that this client uses (browsers, Deno, Bun, Node ≥ 22, `ws`). */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface RealtimeOptions {
  /** Your Chatwoot installation, e.g. "https://chat.example.com" (the socket goes to wss://…/cable), or the ws(s):// URL itself. */
  url: string;
  /** The contact's `pubsub_token` (Client API contact create/show), or an agent's. A credential: never logged. */
  pubsubToken: string;
  /** Agents only: their user id and account id (a contact subscription must not send a user id). */
  userId?: number;
  accountId?: number;
  /** Default: globalThis.WebSocket. On Node 20 pass `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** The conversation (display id) to follow: events of others are not emitted, and its messages form the `message` stream. */
  conversationId?: number;
  /** The Client API's messages index for that conversation; without it the stream is not gapless (socket only). */
  listMessages?: ListMessages;
  /** Emit only messages with a higher id (`0`: the whole conversation). Default: start with the latest page. */
  after?: number;
  /** How often to resync over REST when nothing else triggers it; bounds how late a message the socket lost shows up. Default 30000. */
  resyncIntervalMs?: number;
  /** A resync (all its pages) not done within this is aborted (its signal) and reported as a non-fatal `resync_failed`; live messages go on and the next resync runs. Default: `resyncIntervalMs`. */
  resyncTimeoutMs?: number;
  /** How long a live message waits for lower ids arriving out of order. Default 250. */
  reorderWindowMs?: number;
  /** No `confirm_subscription` within this: the token is invalid or stale (fatal). Default 10000. */
  confirmTimeoutMs?: number;
  /** The server pings every 3 s: no frame for this long (two missed pings and a second) and the socket is dropped and reopened. Default 7000. */
  staleAfterMs?: number;
  /** `update_presence` heartbeat; 15000 (≤ 15 s keeps a contact online on servers before v4.11.2; 60000 is enough after); 0: none. */
  presenceIntervalMs?: number;
  /** A typing_on without a typing_off clears itself after this. Default 30000. */
  typingTimeoutMs?: number;
  /** Reconnect delays: exponential with jitter. Default { initialMs: 500, maxMs: 30000 }. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Allow ws:// (or http://) to hosts other than this machine: the token then travels unencrypted. */
  allowInsecureHttp?: boolean;
  logger?: Logger;
  /** For tests: the clock every timer goes through, and the jitter's random source. */
  timers?: Timers;
  random?: () => number;
}

export interface CheckedOptions {
  cableUrl: string;
  identifier: string;
  WebSocket: WebSocketConstructor;
  conversationId: number | undefined;
  listMessages: ListMessages | undefined;
  after: number | undefined;
  resyncIntervalMs: number;
  resyncTimeoutMs: number;
  reorderWindowMs: number;
  confirmTimeoutMs: number;
  staleAfterMs: number;
  presenceIntervalMs: number;
  typingTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
  logger: Logger | undefined;
  timers: Timers;
  random: () => number;
}

export function checkOptions(input: RealtimeOptions): CheckedOptions {
  const options = requireObject("options", input) as unknown as RealtimeOptions;
  const token = options.pubsubToken;
  if (typeof token !== "string" || token === "" || /[\s\u0000-\u001f"\\]/.test(token)) {
    throw new ValidationError("pubsubToken", "must be the non-empty pubsub_token of a contact session (or an agent)");
  }
  const agent = options.userId !== undefined || options.accountId !== undefined;
  if (agent && (options.userId === undefined || options.accountId === undefined)) {
    throw new ValidationError(options.userId === undefined ? "userId" : "accountId", "is required with the other: an agent subscribes with both");
  }
  // The identifier is built once: every later command must send the same bytes (ActionCable's subscription key).
  const identifier = JSON.stringify(
    agent
      ? { channel: "RoomChannel", pubsub_token: token, account_id: validateId("accountId", options.accountId), user_id: validateId("userId", options.userId) }
      : { channel: "RoomChannel", pubsub_token: token },
  );
  const conversationId = options.conversationId === undefined ? undefined : validateId("conversationId", options.conversationId);
  if (options.listMessages !== undefined && typeof options.listMessages !== "function") {
    throw new ValidationError("listMessages", "must be a function ({ before?, signal }) => Promise<ClientMessage[]>");
  }
  if (options.listMessages && conversationId === undefined) {
    throw new ValidationError("conversationId", "is required with listMessages: the stream follows one conversation");
  }
  const after = options.after;
  if (after !== undefined && !(Number.isSafeInteger(after) && after >= 0)) {
    throw new ValidationError("after", `must be a message id (a whole number, 0 for the whole conversation), got ${show(after)}`);
  }
  const backoff = options.backoff === undefined ? {} : requireObject("backoff", options.backoff);
  const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof WebSocketClass !== "function") {
    throw new ValidationError("WebSocket", "is required here: this runtime has no global WebSocket (Node 20: pass `WebSocket` from the `ws` package)");
  }
  const timers = options.timers ?? realTimers;
  if (typeof timers?.setTimeout !== "function" || typeof timers.clearTimeout !== "function") {
    throw new ValidationError("timers", "must have setTimeout and clearTimeout");
  }
  if (options.random !== undefined && typeof options.random !== "function") throw new ValidationError("random", "must be a function");
  const resyncIntervalMs = ms("resyncIntervalMs", options.resyncIntervalMs, 30_000, 1);
  return {
    cableUrl: cableUrl(options.url, options.allowInsecureHttp === true),
    identifier,
    WebSocket: WebSocketClass,
    conversationId,
    listMessages: options.listMessages,
    after,
    resyncIntervalMs,
    // By default a resync may take as long as the pause between two: a hung one never delays the next by more.
    resyncTimeoutMs: ms("resyncTimeoutMs", options.resyncTimeoutMs, resyncIntervalMs, 1),
    reorderWindowMs: ms("reorderWindowMs", options.reorderWindowMs, 250, 0),
    confirmTimeoutMs: ms("confirmTimeoutMs", options.confirmTimeoutMs, 10_000, 1),
    staleAfterMs: ms("staleAfterMs", options.staleAfterMs, 7_000, 1),
    presenceIntervalMs: ms("presenceIntervalMs", options.presenceIntervalMs, 15_000, 0),
    typingTimeoutMs: ms("typingTimeoutMs", options.typingTimeoutMs, 30_000, 1),
    backoff: {
      initialMs: ms("backoff.initialMs", backoff.initialMs, 500, 0),
      maxMs: ms("backoff.maxMs", backoff.maxMs, 30_000, 0),
    },
    logger: options.logger,
    timers,
    random: options.random ?? Math.random,
  };
}

function ms(parameter: string, value: unknown, fallback: number, min: number): number {
  return value === undefined ? fallback : validateMs(parameter, value, min);
}

/** The base URL's /cable with a ws scheme; a ws(s):// URL as given. */
function cableUrl(value: unknown, allowInsecure: boolean): string {
  const url = checkAbsoluteUrl("url", value);
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  if (!secure && url.protocol !== "http:" && url.protocol !== "ws:") {
    throw new ValidationError("url", `must use https: or wss: (got ${url.protocol})`);
  }
  if (!secure && !allowInsecure && !isLoopback(url.hostname)) {
    throw new ValidationError("url", `uses plain ${url.protocol.slice(0, -1)} to ${url.hostname}, which would send the pubsub token unencrypted; use https, or pass allowInsecureHttp: true`);
  }
  if (url.protocol === "ws:" || url.protocol === "wss:") return url.href;
  return `${secure ? "wss:" : "ws:"}//${url.host}${url.pathname.replace(/\/+$/, "")}/cable`;
}
