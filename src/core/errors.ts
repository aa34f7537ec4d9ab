/**
 * Every error this client throws is a ChatwootError. An HTTP answer outside 2xx becomes the
 * ApiError subclass that names its status; failures before an answer arrives get their own
 * classes. No error holds the request, its headers or the token, so none can leak them through
 * `message`, `stack`, `JSON.stringify` or `util.inspect`.
 */

/** The error bodies Chatwoot really sends (the public docs describe a shape no server sends). */
export type ChatwootErrorBody =
  | { error: string }
  | { errors: string[] }
  | { message: string; attributes: string[] }
  | string
  | Record<string, unknown>
  | undefined;

export class ChatwootError extends Error {
  override name = "ChatwootError";
}

export class ApiError extends ChatwootError {
  override name = "ApiError";
  /** The HTTP status; 0 for a redirect whose status the runtime hides (a browser's opaque redirect, Node's fetch). */
  readonly status: number;
  /** The parsed body: JSON when it parsed, else the text. */
  readonly body: ChatwootErrorBody;
  /** The server's `x-request-id`, to quote when reporting the problem. */
  readonly requestId: string | undefined;
  readonly headers: Headers;

  constructor(status: number, body: ChatwootErrorBody, headers: Headers, message?: string) {
    super(message ?? describeStatus(status, body));
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.requestId = headers.get("x-request-id") ?? undefined;
  }
}

export class AuthenticationError extends ApiError { override name = "AuthenticationError"; }
export class PermissionDeniedError extends ApiError { override name = "PermissionDeniedError"; }
export class NotFoundError extends ApiError { override name = "NotFoundError"; }
export class UnprocessableEntityError extends ApiError { override name = "UnprocessableEntityError"; }
export class ServerError extends ApiError { override name = "ServerError"; }

export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  /** Seconds the server asked us to wait (`Retry-After`), when it said. Chatwoot's own 429 never does. */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: ChatwootErrorBody, headers: Headers) {
    super(status, body, headers);
    this.retryAfter = parseRetryAfter(headers.get("retry-after"));
  }
}

/**
 * A 3xx answer. Redirects are never followed: fetch would carry the token to wherever they point.
 * Through Node's own fetch the status is 0 and `location` unknown (see redirectMode in transport.ts).
 */
export class RedirectError extends ApiError {
  override name = "RedirectError";
  readonly location: string | undefined;

  constructor(status: number, body: ChatwootErrorBody, headers: Headers) {
    const location = headers.get("location") ?? undefined;
    super(status, body, headers,
      `${status ? `${status} redirect` : "Redirect"}${location ? ` to ${redactUrl(location)}` : ""} not followed: ` +
        "the token would travel with it. Point baseUrl at the final address" +
        (location ? "." : " (`curl -I` on the URL shows it)."));
    this.location = location;
  }
}

/** No answer: the connection failed or broke. `requestSent: false` means the server provably never saw the request. */
export class ConnectionError extends ChatwootError {
  override name = "ConnectionError";
  readonly code: string | undefined;
  readonly requestSent: boolean;

  constructor(message: string, code: string | undefined, options?: { cause?: unknown; requestSent?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.requestSent = options?.requestSent ?? !NEVER_SENT_CODES.has(code ?? "");
  }
}

export class TimeoutError extends ChatwootError { override name = "TimeoutError"; }
export class AbortError extends ChatwootError { override name = "AbortError"; }

/** A 2xx answer whose body is not the JSON the spec promises (a proxy page, a truncated body...). */
export class InvalidResponseError extends ChatwootError {
  override name = "InvalidResponseError";
  constructor(readonly status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A create whose outcome cannot be known: it may or may not have been posted, and the client
 * could not find out (a bot token may not list messages; the server dropped the marker). Nothing
 * was re-sent. Look for the message yourself, or accept the risk and send again.
 */
export class UnknownOutcomeError extends ChatwootError {
  override name = "UnknownOutcomeError";
  /** Whether the request may have reached the server. */
  readonly requestSent: boolean;
  readonly idempotencyKey: string | undefined;
  constructor(message: string, { requestSent, idempotencyKey, cause }: { requestSent: boolean; idempotencyKey: string | undefined; cause?: unknown }) {
    super(message, { cause });
    this.requestSent = requestSent;
    this.idempotencyKey = idempotencyKey;
  }
}

/** Refused before sending: nothing went over the wire. `parameter` names what is wrong. */
export class ValidationError extends ChatwootError {
  override name = "ValidationError";
  constructor(readonly parameter: string, problem: string) {
    super(`${parameter} ${problem}`);
  }
}

/** Maps an HTTP answer outside 2xx to the class that names what happened. */
export function errorFromResponse(status: number, body: ChatwootErrorBody, headers: Headers): ApiError {
  if (status === 0 || (status >= 300 && status < 400)) return new RedirectError(status, body, headers);
  if (status === 401) return new AuthenticationError(status, body, headers);
  if (status === 403) return new PermissionDeniedError(status, body, headers);
  if (status === 404) return new NotFoundError(status, body, headers);
  if (status === 422) return new UnprocessableEntityError(status, body, headers);
  if (status === 429) return new RateLimitError(status, body, headers);
  if (status >= 500) return new ServerError(status, body, headers);
  return new ApiError(status, body, headers);
}

// Failures where no byte of the request reached the server, so even a create may be retried.
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH"]);

const MAX_DETAIL = 200;

/** "404 Resource could not be found": the status and Chatwoot's own words, whichever shape they came in. */
function describeStatus(status: number, body: ChatwootErrorBody): string {
  const detail = errorText(body);
  if (!detail) return `${status} status code (no body)`;
  return detail.startsWith(`${status} `) ? detail : `${status} ${detail}`;
}

function errorText(body: ChatwootErrorBody): string {
  if (typeof body === "string") return shorten(textOfMarkup(body));
  if (body === undefined || body === null || typeof body !== "object") return "";
  const { error, errors, message, attributes } = body as Record<string, unknown>;
  if (typeof error === "string") return shorten(error);
  if (Array.isArray(errors)) return shorten(errors.join("; "));
  if (typeof message === "string") {
    return shorten(Array.isArray(attributes) && attributes.length ? `${message} (${attributes.join(", ")})` : message);
  }
  return shorten(JSON.stringify(body));
}

/** A proxy's 502 page says what happened in its <title> or <h1>; the rest is markup. */
function textOfMarkup(text: string): string {
  if (!/^\s*</.test(text)) return text.trim();
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1];
  return (title ?? text.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();
}

function shorten(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

// RFC 9110 §10.2.3: delta-seconds, or an HTTP-date in one of its three forms (IMF-fixdate, and
// the obsolete RFC 850 and asctime ones), always GMT. Date.parse alone takes "5," or "-1" as dates.
const DELTA_SECONDS = /^[0-9]+$/;
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT|[A-Z][a-z]{5,8}, [0-9]{2}-[A-Z][a-z]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4})$/;

/** Seconds to wait from a Retry-After header; anything that is not a valid value is ignored (undefined). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim() ?? "";
  if (DELTA_SECONDS.test(text)) return Number(text);
  if (!HTTP_DATE.test(text)) return undefined;
  const date = Date.parse(text.endsWith(" GMT") ? text : `${text} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** Keeps a URL's origin and path; its query could carry secrets. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(an invalid URL)";
  }
}
