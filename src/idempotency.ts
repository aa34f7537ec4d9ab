/**
 * Idempotent creates. Chatwoot has no idempotency key (chatwoot#15743), so after an ambiguous
 * failure (a timeout, a connection lost after sending, a 5xx, a garbled 2xx) the client cannot
 * know whether the message was posted. With a key it finds out: every keyed create carries the key
 * in its marker (src/marker.ts); after an ambiguous failure the client waits a moment, lists the
 * messages after the newest one it knew before sending, and resolves with the one that carries
 * the key. Only when none does is the create sent again. When it cannot look (a bot token may not
 * list) or cannot trust what it sees (the server drops the marker), it says so with an
 * UnknownOutcomeError instead of guessing.
 */
import { ApiError, ConnectionError, InvalidResponseError, ServerError, TimeoutError, UnknownOutcomeError } from "./errors.js";
import { markOf, type MarkerWatch } from "./marker.js";
import { sleep } from "./timeout.js";
import type { ListMessagesQuery, Message, MessageList } from "./types.js";

export interface KeyedCreate {
  /** Account and conversation: where the baseline is remembered. */
  scope: string;
  key: string;
  /** One create, with the create's own (safe) retry policy. */
  post(): Promise<Message>;
  list(query: ListMessagesQuery): Promise<MessageList>;
  signal?: AbortSignal | undefined;
}

export interface Reconciler {
  create(request: KeyedCreate): Promise<Message>;
}

interface Settings {
  /** How long to let the server finish a create it may still be processing before looking for it. */
  waitMs: number;
  /** Sends after the first, when the message is provably absent. At least 2. */
  resends: number;
  /** Every create's answer is checked for its marker, keyed or not. */
  markers: MarkerWatch;
}

type Baseline = { newest: number; page: Message[] } | "unlistable";

const PAGE = 100; // what `after` returns at most
const REMEMBERED_KEYS = 1_000;

export function createReconciler({ waitMs, resends, markers }: Settings): Reconciler {
  const baselines = new Map<string, Promise<Baseline>>();
  const results = new Map<string, Promise<Message>>();
  // Keys sent before whose outcome stayed unknown: a new call with one of them looks before it sends.
  const uncertain = new Set<string>();

  /** The newest message id before our first keyed create here (one list call, remembered), or "unlistable". */
  const baseline = (request: KeyedCreate): Promise<Baseline> => {
    let known = baselines.get(request.scope);
    if (!known) {
      known = request.list({}).then(
        ({ payload }) => ({ newest: Math.max(0, ...payload.map((message) => message.id)), page: payload }),
        (error: unknown) => {
          // A bot token answers 401 to anything but create; the create still goes ahead, unverifiable.
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return "unlistable" as const;
          baselines.delete(request.scope);
          throw error;
        },
      );
      baselines.set(request.scope, known);
    }
    return known;
  };

  const find = async (request: KeyedCreate, after: number): Promise<Message | undefined> => {
    for (let cursor = after; ;) {
      const { payload } = await request.list({ after: cursor });
      const found = carrying(payload, request.key);
      if (found || payload.length < PAGE) return found;
      cursor = Math.max(cursor, ...payload.map((message) => message.id));
    }
  };

  const unknown = (request: KeyedCreate, why: string, cause: unknown) =>
    new UnknownOutcomeError(`The create with idempotency key "${request.key}" may or may not have been posted: ${why}`, {
      requestSent: true,
      idempotencyKey: request.key,
      cause,
    });

  const run = async (request: KeyedCreate): Promise<Message> => {
    const start = await baseline(request);
    // Already posted, by an earlier run of this same work (a worker that died after sending)?
    const earlier = start === "unlistable" ? undefined : carrying(start.page, request.key);
    if (earlier) return earlier;
    if (start !== "unlistable" && uncertain.has(request.key)) {
      const found = await find(request, start.newest);
      if (found) return found;
    }
    for (let sends = 1; ; sends++) {
      try {
        const message = await request.post();
        markers.check(message, request.key);
        return message;
      } catch (error) {
        if (!ambiguous(error)) throw error;
        if (start === "unlistable") throw unknown(request, "this token may not list messages to check (an agent bot's token)", error);
        if (markers.dropped()) throw unknown(request, "this server drops the marker, so the message cannot be recognized", error);
        await sleep(waitMs, request.signal);
        const found = await find(request, start.newest).catch((listError: unknown) => {
          throw unknown(request, "the messages could not be listed to check", listError);
        });
        if (found) return found;
        if (sends > resends) throw unknown(request, `not found after ${sends} sends`, error);
      }
    }
  };

  return {
    create(request) {
      const known = results.get(request.key);
      if (known) return known;
      const result = run(request);
      results.set(request.key, result);
      result.then(() => uncertain.delete(request.key), (error: unknown) => {
        results.delete(request.key);
        if (error instanceof UnknownOutcomeError) uncertain.add(request.key);
      });
      if (uncertain.size > REMEMBERED_KEYS) uncertain.delete(uncertain.values().next().value!);
      if (results.size > REMEMBERED_KEYS) results.delete(results.keys().next().value!);
      return result;
    },
  };
}

function carrying(messages: Message[], key: string): Message | undefined {
  return messages.find((message) => markOf(message) === key);
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
