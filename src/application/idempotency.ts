/**
 * Idempotent creates. Chatwoot has no idempotency key (chatwoot#15743); every keyed create carries
 * its key in its marker (src/marker.ts), and the conversation's message list, read afresh each
 * time, is the only truth about whether a key was posted. Nothing this process remembers decides
 * an outcome: a fresh process and a warm one make the same calls and reach the same answer.
 *
 * - A caller's key may have been posted before (a retried job, another worker): the call looks
 *   first, and resolves with the message it finds.
 * - A key made here (`idempotencyKeys: "auto"`) is new: no look before sending.
 * - After an ambiguous failure (a timeout, a connection lost after sending, a 5xx, a garbled 2xx)
 *   the call looks twice: after `waitMs`, and again once `settleMs` have passed since the failure
 *   (Rails goes on with a request after the client hung up). Only a message absent from both
 *   looks is sent again.
 * - Where it cannot look (a token that may not list) or cannot trust what it sees (a message of
 *   the shape sent but without the marker: the server drops it), an ambiguous failure is an
 *   UnknownOutcomeError and nothing is re-sent.
 * - A call that gives up while its message may yet be committed (the caller's abort after the
 *   create went out, or an UnknownOutcomeError before both looks were made) keeps its key "maybe
 *   sent": the two looks go on in the background, holding the key's turn, so that the next call
 *   with that key in this client looks only after them and finds a commit made within `settleMs`.
 *
 * A look covers the messages after the call's anchor (pages of 100, ascending: ids only grow), or
 * without one the latest page (20 messages).
 */
import { AbortError, ApiError, ConnectionError, InvalidResponseError, ServerError, TimeoutError, UnknownOutcomeError } from "../core/errors.js";
import { deadlines } from "../core/deadlines.js";
import { carries, markOf, type MarkerWatch } from "./marker.js";
import { sameShape, type SentShape } from "./shape.js";
import { sleep } from "../core/timeout.js";
import { waitTurn, type Hold, type Turns } from "./turns.js";
import type { ListMessagesQuery, Message, MessageList } from "../types.js";

export interface KeyedCreate {
  /** Account and conversation: a key is the same key only there. */
  scope: string;
  key: string;
  /** The client's botId: a message is ours only with our key and our `by`. */
  by: string;
  /** Look among the messages after this id; undefined: the latest page. */
  anchor: number | undefined;
  /** Made by this process for this call: nobody can have posted it before. */
  fresh: boolean;
  /** Sends after the first, each only once two looks have not found the message. */
  resends: number;
  /** What was sent, to recognise a message whose marker the server dropped. */
  sent: SentShape;
  /** One create, with the create's own (safe) retry policy. */
  post(): Promise<Message>;
  /** One page of the conversation, with the lookup token when there is one, cut short by `signal` (not the call's). */
  list(query: ListMessagesQuery, signal: AbortSignal | undefined): Promise<MessageList>;
  signal?: AbortSignal | undefined;
  /** The call's timeoutMs: also how long it may wait for an earlier call with its key. */
  timeoutMs: number;
}

export interface Reconciler {
  create(request: KeyedCreate): Promise<Message>;
}

interface Settings {
  /** After an ambiguous failure, the first look waits this long. */
  waitMs: number;
  /** The second look waits until this long after the failure: the window in which a slow commit is still found. */
  settleMs: number;
  /** Every create's answer is checked for its marker, keyed or not. */
  markers: MarkerWatch;
}

const PAGE = 100; // what `after` returns at most

type Look = { found?: Message; unmarked: boolean };

export function createReconciler({ waitMs, settleMs, markers }: Settings): Reconciler {
  // Calls with one key in one conversation go one after the other: the second looks after the
  // first is done, and after its background looks if it gave up. Only keys in flight or settling
  // are here (at most settleMs and two looks after a call is over); nothing is kept after them.
  const turns: Turns = new Map();
  const unknown = (request: KeyedCreate, why: string, cause: unknown) =>
    new UnknownOutcomeError(`The create with idempotency key "${request.key}" may or may not have been posted: ${why}`, {
      requestSent: true,
      idempotencyKey: request.key,
      cause,
    });

  /** The messages a look covers: after the anchor, page by page, or the latest page. */
  const look = async (request: KeyedCreate, signal: AbortSignal | undefined): Promise<Look> => {
    const seen: Look = { unmarked: false };
    const examine = (payload: Message[]) => {
      seen.found ??= payload.find((message) => carries(message, request.key, request.by));
      // What we sent, without any marker: the server may have dropped it from our own message.
      seen.unmarked ||= payload.some((message) => !markOf(message) && sameShape(message, request.sent));
    };
    if (request.anchor === undefined) {
      examine((await request.list({}, signal)).payload);
      return seen;
    }
    for (let cursor = request.anchor; ;) {
      const { payload } = await request.list({ after: cursor }, signal);
      examine(payload);
      const newest = Math.max(cursor, ...payload.map((message) => message.id));
      if (seen.found || payload.length < PAGE || newest === cursor) return seen;
      cursor = newest;
    }
  };

  /**
   * The look before the first send of a caller's key: a message, or "unverifiable" when this token
   * may not list. Asked every time (a refusal costs one list): nothing remembered decides it.
   */
  const lookFirst = async (request: KeyedCreate): Promise<Message | "unverifiable" | undefined> => {
    try {
      return (await look(request, request.signal)).found;
    } catch (error) {
      if (!refusesLists(error)) throw error; // nothing was sent: the caller may simply try again
      return "unverifiable";
    }
  };

  /** After an ambiguous failure: the message, or undefined when two looks `settleMs` apart did not find it. */
  const reconcile = async (request: KeyedCreate, failure: unknown, failedAt: number): Promise<Message | undefined> => {
    for (const delay of [waitMs, settleMs]) {
      await sleep(Math.max(0, failedAt + delay - Date.now()), request.signal);
      let seen: Look;
      try {
        seen = await look(request, request.signal);
      } catch (error) {
        if (error instanceof AbortError) throw error; // the caller's: as it is
        throw unknown(request, refusesLists(error) ? "this token may not list messages to check" : "the messages could not be listed to check", error);
      }
      if (seen.found) return seen.found;
      if (seen.unmarked) {
        markers.saw();
        throw unknown(request, "a message like the one sent but without the marker is there: the server may drop the marker", failure);
      }
    }
    return undefined;
  };

  /**
   * The looks of a call that gave up (`failedAt`: when its create failed or was aborted), made in
   * the background with no caller's signal, while the key's turn is held: the next call with the
   * key looks after them. Over once the message is seen (marked or not), the token may not list,
   * or both looks are made; it rejects never, and leaves no timer behind.
   */
  const settle = async (request: KeyedCreate, failedAt: number): Promise<void> => {
    for (const delay of [waitMs, settleMs]) {
      await pause(failedAt + delay - Date.now());
      try {
        const seen = await look(request, undefined);
        if (seen.found || seen.unmarked) return;
      } catch (error) {
        if (refusesLists(error)) return;
      }
    }
  };

  const run = async (request: KeyedCreate, hold: Hold): Promise<Message> => {
    const before = request.fresh ? undefined : await lookFirst(request);
    if (before !== undefined && before !== "unverifiable") return before;
    for (let sends = 1; ; sends++) {
      try {
        const message = await request.post();
        markers.check(message, request.key, request.by);
        return message;
      } catch (error) {
        const maybeSent = ambiguous(error) || error instanceof AbortError;
        if (!maybeSent) throw error;
        const failedAt = Date.now();
        const givingUp = (why: unknown) => {
          if (before !== "unverifiable") hold(() => settle(request, failedAt));
          return why;
        };
        if (error instanceof AbortError) throw givingUp(error); // the caller's abort: at once, and the key stays "maybe sent"
        if (before === "unverifiable") throw unknown(request, "this token may not list messages to check (an agent bot's token; give the client a lookupToken)", error);
        let found: Message | undefined;
        try {
          found = await reconcile(request, error, failedAt);
        } catch (failure) {
          throw givingUp(failure);
        }
        if (found) return found;
        // Both looks were made: the settle window is over, there is nothing left to hold the key for.
        if (sends > request.resends) throw unknown(request, `not found after ${sends} send${sends > 1 ? "s" : ""}`, error);
      }
    }
  };

  return {
    create(request) {
      if (request.fresh) return run(request, noop); // a new key: no other call can have it
      const wait = { signal: request.signal, timeoutMs: request.timeoutMs, what: `an earlier call with the idempotency key "${request.key}"` };
      return waitTurn(turns, `${request.scope}/${request.key}`, wait, (hold) => run(request, hold));
    },
  };
}

/** A background wait: the shared unref'd timer, so that a process with nothing else to do may exit. */
function pause(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => deadlines.schedule(ms, resolve));
}

function noop(): void {}

/** A list refused for the token's rights: 401 (an agent bot's token), 403. */
function refusesLists(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

/** Failures after which the message may or may not exist. */
function ambiguous(error: unknown): boolean {
  return (
    error instanceof TimeoutError ||
    error instanceof ServerError ||
    error instanceof InvalidResponseError ||
    (error instanceof ConnectionError && error.requestSent)
  );
}
