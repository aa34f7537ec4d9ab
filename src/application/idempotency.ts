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
 * - Where it cannot look (a token that may not list) or cannot trust what it sees (the server
 *   drops the marker), an ambiguous failure is an UnknownOutcomeError and nothing is re-sent.
 *
 * A look covers the messages after the call's anchor (pages of 100, ascending: ids only grow), or
 * without one the latest page (20 messages).
 */
import { ApiError, AuthenticationError, ConnectionError, InvalidResponseError, ServerError, TimeoutError, UnknownOutcomeError } from "../core/errors.js";
import { carries, markOf, type MarkerWatch } from "./marker.js";
import { sleep } from "../core/timeout.js";
import { waitTurn, type Turns } from "./turns.js";
import type { ListMessagesQuery, Message, MessageList } from "../types.js";

export interface KeyedCreate {
  /** Account and conversation: a key is the same key only there. */
  scope: string;
  account: number;
  key: string;
  /** The client's botId: a message is ours only with our key and our `by`. */
  by: string;
  /** Look among the messages after this id; undefined: the latest page. */
  anchor: number | undefined;
  /** Made by this process for this call: nobody can have posted it before. */
  fresh: boolean;
  /** Sends after the first, each only once two looks have not found the message. */
  resends: number;
  /** What was sent, to recognise a message whose marker the server dropped: its content, REST message_type and private flag. */
  sent: { content: string | null | undefined; messageType: number; private: boolean };
  /** One create, with the create's own (safe) retry policy. */
  post(): Promise<Message>;
  /** One page of the conversation, with the lookup token when there is one. */
  list(query: ListMessagesQuery): Promise<MessageList>;
  signal?: AbortSignal | undefined;
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
  // first is done. Only calls in flight are here; nothing is kept after them.
  const turns: Turns = new Map();
  // Accounts where a list answered 401: the token's kind (an agent bot's) or rights, not this call's;
  // not asked again there. It only saves a call that would be refused: the outcome is the same.
  const unlistable = new Set<number>();
  const refused = (request: KeyedCreate, error: unknown) => {
    if (!(error instanceof AuthenticationError)) return;
    if (unlistable.size >= 1_000) unlistable.clear();
    unlistable.add(request.account);
  };

  const unknown = (request: KeyedCreate, why: string, cause: unknown) =>
    new UnknownOutcomeError(`The create with idempotency key "${request.key}" may or may not have been posted: ${why}`, {
      requestSent: true,
      idempotencyKey: request.key,
      cause,
    });

  /** The messages a look covers: after the anchor, page by page, or the latest page. */
  const look = async (request: KeyedCreate): Promise<Look> => {
    const seen: Look = { unmarked: false };
    const examine = (payload: Message[]) => {
      seen.found ??= payload.find((message) => carries(message, request.key, request.by));
      // What we sent, without any marker: the server may have dropped it from our own message.
      seen.unmarked ||= request.sent.content != null && payload.some((message) => !markOf(message) && sameAs(message, request.sent));
    };
    if (request.anchor === undefined) {
      examine((await request.list({})).payload);
      return seen;
    }
    for (let cursor = request.anchor; ;) {
      const { payload } = await request.list({ after: cursor });
      examine(payload);
      const newest = Math.max(cursor, ...payload.map((message) => message.id));
      if (seen.found || payload.length < PAGE || newest === cursor) return seen;
      cursor = newest;
    }
  };

  /** The look before the first send of a caller's key: a message, or "unverifiable" when this token may not list. */
  const lookFirst = async (request: KeyedCreate): Promise<Message | "unverifiable" | undefined> => {
    if (unlistable.has(request.account)) return "unverifiable";
    try {
      return (await look(request)).found;
    } catch (error) {
      if (!refusesLists(error)) throw error; // nothing was sent: the caller may simply try again
      refused(request, error);
      return "unverifiable";
    }
  };

  /** After an ambiguous failure: the message, or undefined when two looks `settleMs` apart did not find it. */
  const reconcile = async (request: KeyedCreate, failure: unknown, unverifiable: boolean): Promise<Message | undefined> => {
    if (unverifiable || unlistable.has(request.account)) throw unknown(request, "this token may not list messages to check (an agent bot's token; give the client a lookupToken)", failure);
    if (markers.dropped()) throw unknown(request, "this server drops the marker, so the message cannot be recognized", failure);
    const failedAt = Date.now();
    for (const delay of [waitMs, settleMs]) {
      await sleep(Math.max(0, failedAt + delay - Date.now()), request.signal);
      let seen: Look;
      try {
        seen = await look(request);
      } catch (error) {
        refused(request, error);
        throw unknown(request, refusesLists(error) ? "this token may not list messages to check" : "the messages could not be listed to check", error);
      }
      if (seen.found) return seen.found;
      if (seen.unmarked) {
        markers.saw();
        throw unknown(request, "a message with this content but without the marker is there: the server may drop the marker", failure);
      }
    }
    return undefined;
  };

  const run = async (request: KeyedCreate): Promise<Message> => {
    const before = request.fresh ? undefined : await lookFirst(request);
    if (before !== undefined && before !== "unverifiable") return before;
    for (let sends = 1; ; sends++) {
      try {
        const message = await request.post();
        markers.check(message, request.key, request.by);
        return message;
      } catch (error) {
        if (!ambiguous(error)) throw error;
        const found = await reconcile(request, error, before === "unverifiable");
        if (found) return found;
        if (sends > request.resends) throw unknown(request, `not found after ${sends} send${sends > 1 ? "s" : ""}`, error);
      }
    }
  };

  return {
    create(request) {
      if (request.fresh) return run(request);
      return waitTurn(turns, `${request.scope}/${request.key}`, request.signal, () => run(request));
    },
  };
}

function sameAs(message: Message, sent: KeyedCreate["sent"]): boolean {
  return message.content === sent.content && message.message_type === sent.messageType && (message.private ?? false) === sent.private;
}

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
