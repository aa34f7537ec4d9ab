/**
 * Builds the client: checks the options once and composes the pieces every call goes through:
 * validated options, retries around a per-attempt timeout and log line, one of the two request
 * paths (direct.ts, or general.ts for middleware, a fetch of your own and attachments), and an
 * answer turned into typed data or a typed error.
 */
import { createLimiter, unlimited } from "./concurrency.js";
import { InvalidResponseError, ValidationError, errorFromResponse, type ChatwootErrorBody } from "./errors.js";
import { directSender, fillPath, type PreparedRequest } from "./direct.js";
import { onFirstNeed } from "./lazy.js";
import { logged, type Logger } from "./logging.js";
import { DEFAULT_BOT_ID, watchMarkers } from "./marker.js";
import { createMessages, type MessagesResource } from "./messages.js";
import { DEFAULT_BACKOFF, withRetries, type Backoff, type RetryPolicy } from "./retry.js";
import { withTimeout } from "./timeout.js";
import { checkConnection, toChatwootError, type ConnectionOptions } from "./transport.js";
import type { paths } from "./types.js";
import { validateBackoff, validateBotId, validateId, validateSettleMs, validateTransportOptions } from "./validate.js";
import { checkToken } from "./auth.js";

export interface ChatwootClientOptions extends ConnectionOptions {
  /** The account every call uses unless the call names another. */
  accountId?: number | string;
  /** Per attempt, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2; 0 turns retries off. */
  maxRetries?: number;
  /** Also retry creates after a timeout, a 5xx or a broken connection. The message may then be posted twice. */
  unsafeRetries?: boolean;
  backoff?: Partial<Backoff>;
  /** Off unless given: a line per attempt of the resource methods. Lines never include headers or bodies. */
  logger?: Logger;
  /** At most this many creates, status updates and deletes in flight; the rest wait. Default: no limit. */
  maxConcurrentWrites?: number;
  /** "auto": every create gets an idempotency key, so that an ambiguous failure is reconciled, never re-sent blindly. */
  idempotencyKeys?: "auto" | "off";
  /**
   * Who posts, in every message's marker (`content_attributes.chatwoot_messages_by`): give each bot
   * on one inbox its own, and the same to `createWebhookHandler`. Default "chatwoot-messages".
   */
  botId?: string;
  /**
   * A second token (a user's or agent's) used only to list messages when reconciling keyed creates:
   * an agent bot's own token may not list (401), which leaves an ambiguous failure unknowable.
   */
  lookupToken?: string;
  /**
   * After an ambiguous failure of a keyed create, how long the server is given to commit it: the
   * message is looked for once soon and once this long after the failure, and sent again only if
   * both looks miss it. Default 5000.
   */
  settleMs?: number;
}

export interface CallOptions {
  /** The account for this call, instead of the client's. */
  accountId?: number | string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface CreateCallOptions extends CallOptions {
  /** Also retry this create after a timeout, a 5xx or a broken connection (it may be posted twice). Ignored with an idempotency key. */
  unsafeRetries?: boolean;
  /**
   * Makes the create idempotent: the same key resolves with the same message, and after an
   * ambiguous failure the message is looked for before it is sent again. Derive it from what you
   * answer (e.g. `reply-${incomingMessageId}`). Stored in content_attributes.chatwoot_messages_key.
   * The key is looked for before the first send: among the messages after `idempotencyAnchor`, or
   * without one in the conversation's latest 20 messages.
   */
  idempotencyKey?: string;
  /**
   * A message id older than any message this key can have posted, typically the incoming message
   * you answer (ids only grow): the key is looked for among all the messages after it.
   */
  idempotencyAnchor?: number | string;
}

export interface ChatwootClient {
  readonly messages: MessagesResource;
}

/** What an openapi-fetch call resolves with, asked to leave successful bodies as text. */
export interface RawOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** One operation of the spec, as messages.ts describes it; the account id is added per call. */
export interface Operation {
  method: Method;
  /** The spec's path template, e.g. "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages". */
  path: keyof paths;
  /** The path parameters other than account_id. */
  params: Record<string, number>;
  query?: object | undefined;
  body?: unknown;
  /** The body has files: it goes as multipart (through general.ts). */
  multipart?: boolean;
  /** Which failures may be retried. */
  policy: RetryPolicy;
  /** What an empty 2xx answer means, where the server may send one; elsewhere it is an InvalidResponseError. */
  emptyAnswer?: object;
  /** What is wrong with a 2xx JSON answer, if anything: it is then an InvalidResponseError. */
  check?: (value: object) => string | undefined;
}

/** How messages.ts sends: everything but describing the operation is handled here. */
export type Send = <T>(operation: Operation, options: CallOptions | undefined) => Promise<T>;

/** For the project's own tests: every resource call through openapi-fetch, to check that the direct path cannot drift. */
export const GENERAL_PATH = Symbol("chatwoot-messages.generalPath");

export function createChatwootClient(options: ChatwootClientOptions): ChatwootClient {
  const { baseUrl, origin, token, authHeader } = checkConnection(options);
  validateTransportOptions(options);
  const defaultAccountId = options.accountId === undefined ? undefined : validateId("accountId", options.accountId);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  const backoff = { ...DEFAULT_BACKOFF, ...validateBackoff(options.backoff) };
  const botId = options.botId === undefined ? DEFAULT_BOT_ID : validateBotId(options.botId);
  const settleMs = options.settleMs === undefined ? 5_000 : validateSettleMs(options.settleMs);
  const lookupToken = options.lookupToken === undefined ? undefined : checkToken(options.lookupToken, "lookupToken");
  // Neither token may reach an error, whichever of them the request carried.
  const secrets = lookupToken ? [token, lookupToken] : [token];
  const userFetch = options.fetch;
  const logger = options.logger;
  const generalPath = Boolean(userFetch || options.middleware?.length || (options as { [GENERAL_PATH]?: boolean })[GENERAL_PATH]);

  const accountOf = (call: CallOptions | undefined): number => {
    const accountId = call?.accountId ?? defaultAccountId;
    if (accountId === undefined) {
      throw new ValidationError("accountId", "is required: give it to createChatwootClient or to this call");
    }
    return validateId("accountId", accountId);
  };

  /** The whole pipeline for one token: the client's, and the lookup token's for reconciling lists. */
  const senderFor = (apiAccessToken: string): Send => {
    const connection: ConnectionOptions = {
      baseUrl, apiAccessToken, authHeader, allowInsecureHttp: options.allowInsecureHttp === true,
      ...(userFetch ? { fetch: userFetch } : {}), middleware: [...(options.middleware ?? [])],
    };
    // Middleware and a fetch of your own see a real Request: they go through openapi-fetch. So does multipart.
    const direct = generalPath ? undefined : directSender(baseUrl, origin, authHeader, apiAccessToken);
    const general = onFirstNeed(() => import("./general.js").then(({ generalSender }) => generalSender(connection)), "the general request path");
    return async (operation, call) => {
      validateTransportOptions(call ?? {});
      const account = accountOf(call);
      const signal = call?.signal;
      const { method, path, query, body, multipart = false } = operation;
      const pathParams = { account_id: account, ...operation.params };
      const line = () => `${method} ${fillPath(path, pathParams)}`;
      return withRetries(
        () => withTimeout(call?.timeoutMs ?? timeoutMs, signal, async (attemptSignal) => {
          try {
            const request: PreparedRequest = { method, path, pathParams, query, body, signal: attemptSignal };
            const outcome = await logged(logger, line, () =>
              direct && !multipart ? direct(request) : general().then((send) => send({ ...request, multipart })));
            return readOutcome(outcome, secrets, operation);
          } catch (error) {
            throw toChatwootError(error, origin);
          }
        }),
        {
          maxRetries: call?.maxRetries ?? maxRetries,
          policy: operation.policy,
          backoff,
          signal,
          onRetry: (error, retry, delayMs) => logger?.warn?.(`retry ${retry} in ${Math.round(delayMs)} ms after ${(error as Error).name}`),
        },
      );
    };
  };

  const send = senderFor(token);
  const lookup = lookupToken ? senderFor(lookupToken) : send;
  const writes = options.maxConcurrentWrites === undefined ? unlimited : createLimiter(options.maxConcurrentWrites);
  const markers = watchMarkers(logger);
  const reconciler = onFirstNeed(() => import("./idempotency.js").then(({ createReconciler }) =>
    createReconciler({ waitMs: Math.min(backoff.initialMs * 2, settleMs), settleMs, markers })), "the reconciler of idempotent creates");
  const autoKeys = options.idempotencyKeys === "auto";
  return Object.freeze({
    messages: createMessages(send, {
      unsafeRetries: options.unsafeRetries === true, writes, reconciler, markers, autoKeys, botId, maxRetries, accountOf, lookup,
    }),
  });
}

/** Typed data from a 2xx answer, a typed error from anything else. */
function readOutcome<T>({ data, error, response }: RawOutcome, secrets: string[], { emptyAnswer, check }: Operation): T {
  if (!response.ok) {
    throw errorFromResponse(response.status, redact(error, secrets) as ChatwootErrorBody, redactHeaders(response.headers, secrets));
  }
  const status = response.status;
  if ((data === undefined || data === "") && emptyAnswer) return { ...emptyAnswer } as T;
  if (typeof data !== "string" || data === "") {
    throw new InvalidResponseError(status, `${status} answer had an empty body where JSON was expected`);
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (cause) {
    const type = response.headers.get("content-type") ?? "no content type";
    // Redact, then cut: cutting first could leave a token that straddles the cut partly visible.
    // The parser's own error quotes the text it choked on: it goes along redacted, never as it is.
    throw new InvalidResponseError(status, `${status} answer is not JSON (${type}): ${(redact(data, secrets) as string).slice(0, 80)}`, {
      cause: parseFailure(cause),
    });
  }
  if (typeof value !== "object" || value === null) {
    throw new InvalidResponseError(status, `${status} answer is JSON but not an object`);
  }
  const problem = check?.(value);
  if (problem) throw new InvalidResponseError(status, `${status} ${problem}`);
  return value as T;
}

function redactHeaders(headers: Headers, secrets: string[]): Headers {
  return new Headers([...headers].map(([name, value]): [string, string] => [name, redact(value, secrets) as string]));
}

/** A server (or a proxy) that echoes request headers must not put a token into our errors. */
function redact(value: unknown, secrets: string[]): unknown {
  if (typeof value === "string") return secrets.reduce((text, secret) => text.split(secret).join("[redacted]"), value);
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secrets)]));
  }
  return value;
}

/**
 * JSON.parse's SyntaxError quotes the text around where it failed, which can be part of an echoed
 * token, too little of it for `redact` to find: the cause is a copy that quotes nothing of the
 * answer, only where it failed.
 */
function parseFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const where = /position \d+(?: \(line \d+ column \d+\))?/.exec(message)?.[0];
  const copy = new (error instanceof SyntaxError ? SyntaxError : Error)(`the answer is not valid JSON${where ? ` (${where})` : ""}`);
  copy.stack = `${copy.name}: ${copy.message}`; // the parser's stack is ours anyway, and starts with its message
  return copy;
}
