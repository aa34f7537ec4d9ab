/**
 * The request core's one path for a resource call: the call's options checked, retries around a
 * per-attempt timeout and log line, one of the two request paths (direct.ts, or general.ts for
 * middleware, a fetch of your own and attachments), and the answer turned into typed data or a
 * typed error with every secret redacted. A resource only describes its operations (Operation);
 * an API family builds one sender per token.
 */
import { InvalidResponseError, errorFromResponse, type ChatwootErrorBody } from "./errors.js";
import { directSender, fillPath, type PreparedRequest, type RawOutcome } from "./direct.js";
import { onFirstNeed } from "./lazy.js";
import { logged, type Logger } from "./logging.js";
import { withRetries, type Backoff, type RetryPolicy } from "./retry.js";
import { withTimeout } from "./timeout.js";
import { toChatwootError, type EndpointOptions } from "./transport.js";
import type { AuthHeader } from "./auth.js";
import { validateTransportOptions } from "./validate.js";
import type { paths } from "../types.js";

/** For the project's own tests: every resource call of a client through openapi-fetch, to check that the direct path cannot drift. */
export const GENERAL_PATH = Symbol("chatwoot-messages.generalPath");

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** One operation of the spec; path parameters an API family adds per call (an account id) come from the sender. */
export interface Operation {
  method: Method;
  /** The spec's path template, e.g. "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages". */
  path: keyof paths;
  /** The path parameters the resource knows (the family's own are added by the sender). */
  params: Record<string, number | string>;
  /**
   * Credentials this call carries beyond the sender's (a contact's source_id in the path or the
   * body): redacted like the token from its errors and its log line.
   */
  secrets?: readonly string[];
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

/** What every call may pass, whatever its API family. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

/** How a resource sends: everything but describing the operation is the core's. */
export type Send<Call extends CallOptions = CallOptions> = <T>(operation: Operation, options: Call | undefined) => Promise<T>;

export interface SenderSettings<Call extends CallOptions> {
  /**
   * Checked already (checkConnection, or checkEndpoint for a family without a token): where to,
   * and the token this sender sends, if any. Without one, requests carry no token header.
   */
  connection: EndpointOptions & { apiAccessToken?: string; authHeader?: AuthHeader };
  origin: string;
  /** Every token the client holds: none may reach an error, whichever the request carried. */
  secrets: string[];
  /** Through openapi-fetch for every call (middleware and a fetch of your own see a real Request). */
  generalPath: boolean;
  timeoutMs: number;
  maxRetries: number;
  backoff: Backoff;
  logger: Logger | undefined;
  /** The path parameters the family adds to every call (the Application API's account id). */
  pathParams(call: Call | undefined): Record<string, number | string>;
}

export function createSender<Call extends CallOptions>(settings: SenderSettings<Call>): Send<Call> {
  const { connection, origin, secrets, timeoutMs, maxRetries, backoff, logger } = settings;
  const { baseUrl, authHeader = "api_access_token", apiAccessToken } = connection;
  const auth = apiAccessToken === undefined ? undefined : { token: apiAccessToken, header: authHeader };
  const direct = settings.generalPath ? undefined : directSender(baseUrl, origin, auth);
  const general = onFirstNeed(() => import("./general.js").then(({ generalSender }) => generalSender(connection, origin, auth)), "the general request path");
  return async (operation, call) => {
    validateTransportOptions(call ?? {});
    const signal = call?.signal;
    const { method, path, query, body, multipart = false } = operation;
    const pathParams = { ...settings.pathParams(call), ...operation.params };
    const hidden = operation.secrets?.length ? [...secrets, ...withEncoded(operation.secrets)] : secrets;
    const line = () => redact(`${method} ${fillPath(path, pathParams)}`, hidden) as string;
    return withRetries(
      () => withTimeout(call?.timeoutMs ?? timeoutMs, signal, async (attemptSignal) => {
        try {
          const request: PreparedRequest = { method, path, pathParams, query, body, signal: attemptSignal };
          const outcome = await logged(logger, line, () =>
            direct && !multipart ? direct(request) : general().then((send) => send({ ...request, multipart })));
          return readOutcome(outcome, hidden, operation);
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

/** A credential in a path goes out percent-encoded: both spellings are hidden. */
function withEncoded(values: readonly string[]): string[] {
  return values.flatMap((value) => {
    const encoded = encodeURIComponent(value);
    return encoded === value ? [value] : [value, encoded];
  });
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
