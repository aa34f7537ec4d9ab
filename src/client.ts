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
import { watchMarkers } from "./marker.js";
import { createMessages, type MessagesResource } from "./messages.js";
import { DEFAULT_BACKOFF, withRetries, type Backoff, type RetryPolicy } from "./retry.js";
import { withTimeout } from "./timeout.js";
import { checkConnection, toChatwootError, type ConnectionOptions } from "./transport.js";
import type { paths } from "./types.js";
import { validateId, validateTransportOptions } from "./validate.js";

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
   */
  idempotencyKey?: string;
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
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const userFetch = options.fetch;
  const logger = options.logger;
  const connection: ConnectionOptions = {
    baseUrl, apiAccessToken: token, authHeader, allowInsecureHttp: options.allowInsecureHttp === true,
    ...(userFetch ? { fetch: userFetch } : {}), middleware: [...(options.middleware ?? [])],
  };
  // Middleware and a fetch of your own see a real Request: they go through openapi-fetch. So does multipart.
  const direct = userFetch || options.middleware?.length || (options as { [GENERAL_PATH]?: boolean })[GENERAL_PATH]
    ? undefined
    : directSender(baseUrl, origin, authHeader, token);
  const general = onFirstNeed(() => import("./general.js").then(({ generalSender }) => generalSender(connection)));

  const send: Send = async (operation, call) => {
    validateTransportOptions(call ?? {});
    const accountId = call?.accountId ?? defaultAccountId;
    if (accountId === undefined) {
      throw new ValidationError("accountId", "is required: give it to createChatwootClient or to this call");
    }
    const account = validateId("accountId", accountId);
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
          return readOutcome(outcome, token, operation.emptyAnswer);
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

  const writes = options.maxConcurrentWrites === undefined ? unlimited : createLimiter(options.maxConcurrentWrites);
  const markers = watchMarkers(logger);
  const reconciler = onFirstNeed(() => import("./idempotency.js").then(({ createReconciler }) =>
    createReconciler({ waitMs: backoff.initialMs * 2, resends: Math.max(2, maxRetries), markers })));
  const autoKeys = options.idempotencyKeys === "auto";
  return Object.freeze({ messages: createMessages(send, { unsafeRetries: options.unsafeRetries === true, writes, reconciler, markers, autoKeys }) });
}

/** Typed data from a 2xx answer, a typed error from anything else. */
function readOutcome<T>({ data, error, response }: RawOutcome, token: string, emptyAnswer?: object): T {
  if (!response.ok) {
    throw errorFromResponse(response.status, redact(error, token) as ChatwootErrorBody, redactHeaders(response.headers, token));
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
    throw new InvalidResponseError(status, `${status} answer is not JSON (${type}): ${(redact(data, token) as string).slice(0, 80)}`, { cause });
  }
  if (typeof value !== "object" || value === null) {
    throw new InvalidResponseError(status, `${status} answer is JSON but not an object`);
  }
  return value as T;
}

function redactHeaders(headers: Headers, token: string): Headers {
  return new Headers([...headers].map(([name, value]): [string, string] => [name, redact(value, token) as string]));
}

/** A server (or a proxy) that echoes request headers must not put the token into our errors. */
function redact(value: unknown, token: string): unknown {
  if (typeof value === "string") return value.split(token).join("[redacted]");
  if (Array.isArray(value)) return value.map((item) => redact(item, token));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, token)]));
  }
  return value;
}
