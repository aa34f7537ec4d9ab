/**
 * Where requests may go and what a failed exchange becomes: the connection options both clients
 * check the same way, HTTPS unless the host is this machine, no redirects (fetch would carry the
 * token along), and every low-level failure turned into a ChatwootError so that no bare
 * `TypeError: fetch failed` reaches the caller.
 */
import type { Middleware } from "openapi-fetch";
import { checkAuthHeader, checkToken, type AuthHeader } from "./auth.js";
import { AbortError, ChatwootError, ConnectionError, RedirectError, TimeoutError, ValidationError } from "./errors.js";

/** Where to connect, whatever the API family: the part of ConnectionOptions that is not a token. */
export interface EndpointOptions {
  /** Your Chatwoot installation, e.g. "https://app.chatwoot.com". Plain http only for this machine, unless allowInsecureHttp. */
  baseUrl: string;
  /** A fetch of your own (it receives a Request). Default: the global fetch. */
  fetch?: (input: Request, init?: RequestInit) => Promise<Response>;
  /** Allow plain http to hosts other than loopback. The credentials then travel unencrypted. */
  allowInsecureHttp?: boolean;
  /** openapi-fetch middleware, run after the client's own. */
  middleware?: Middleware[];
}

/** Where and how to connect: shared by createRawClient and createChatwootClient. */
export interface ConnectionOptions extends EndpointOptions {
  /** A user's or agent bot's access token. Kept out of every error, log line and serialization. */
  apiAccessToken: string;
  /** Default "api_access_token"; "Api-Access-Token" survives proxies that drop underscores. */
  authHeader?: AuthHeader;
}

/** ConnectionOptions, checked. */
export interface Connection {
  /** Without a trailing slash. */
  baseUrl: string;
  origin: string;
  token: string;
  authHeader: AuthHeader;
}

/** The checks both clients make of where and how to connect, once, at construction. */
export function checkConnection(options: ConnectionOptions): Connection {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "must be an object");
  const token = checkToken(options.apiAccessToken);
  return { ...checkEndpoint(options), token, authHeader: checkAuthHeader(options.authHeader) };
}

/**
 * Where to connect, checked, for every API family (one without a token too). `credential` names
 * what plain http would expose, in the error that refuses it.
 */
export function checkEndpoint(options: EndpointOptions, credential = "the API token"): { baseUrl: string; origin: string } {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "must be an object");
  const baseUrl = checkBaseUrl(options.baseUrl, options.allowInsecureHttp === true, credential);
  return { baseUrl, origin: new URL(baseUrl).origin };
}

/**
 * An absolute URL a client is given to connect to: required, parseable, and with nothing in it that
 * would travel where it should not (credentials, a query, a fragment). The scheme is the caller's
 * to check.
 */
export function checkAbsoluteUrl(parameter: string, value: unknown): URL {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(parameter, "is required, for example \"https://app.chatwoot.com\"");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(parameter, "is not a valid absolute URL");
  }
  if (url.username || url.password) throw new ValidationError(parameter, "must not contain credentials");
  if (url.search || url.hash) throw new ValidationError(parameter, "must not have a query or a fragment");
  return url;
}

/** Checks baseUrl once, at construction; returns it without a trailing slash. */
function checkBaseUrl(baseUrl: unknown, allowInsecureHttp: boolean, credential: string): string {
  const url = checkAbsoluteUrl("baseUrl", baseUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ValidationError("baseUrl", `must use https: (got ${url.protocol})`);
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new ValidationError(
      "baseUrl",
      `uses plain http to ${url.hostname}, which would send ${credential} unencrypted; use https, or pass allowInsecureHttp: true`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The redirect mode the resource methods give fetch: never "follow". Node's own fetch (undici)
 * gets "error", since in any other mode it copies the request body's stream to be able to replay
 * it, a tenth of a loopback create; it then rejects with "unexpected redirect", without the
 * status or the target. Any other fetch gets "manual" (Cloudflare Workers refuse "error") and
 * answers with the 3xx, or a browser's opaque status 0. Either way the caller gets a RedirectError.
 */
export function redirectMode(userFetch: unknown): RequestRedirect {
  return !userFetch && NODE_FETCH ? "error" : "manual";
}

// openapi-fetch tells Node's fetch apart the same way.
const NODE_FETCH = Boolean((globalThis as { process?: { versions?: { undici?: string } } }).process?.versions?.undici);

/**
 * What a failed exchange means for the caller. `fromFetch` marks fetch's own rejection (the
 * network, or a deadline); a body read that breaks later carries a network code (ECONNRESET,
 * UND_ERR_SOCKET). Anything else, such as a bug in a caller's middleware, is not a connection
 * problem: it is passed on as it is, and never retried.
 */
export function toChatwootError(error: unknown, origin: string, fromFetch = false): unknown {
  if (error instanceof ChatwootError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError") return new TimeoutError("The request timed out", { cause: error });
  if (name === "AbortError") return new AbortError("The request was aborted", { cause: error });
  if (fromFetch && innermostMessage(error) === "unexpected redirect") return new RedirectError(0, undefined, new Headers());
  const code = errorCode(error);
  if (!fromFetch && !(code !== undefined && NETWORK_CODE.test(code))) return error;
  return new ConnectionError(`Could not complete the exchange with ${origin}: ${innermostMessage(error)}`, code, { cause: error });
}

// System errors (ECONNRESET, EPIPE...) and undici's (UND_ERR_SOCKET...); not Node's ERR_INVALID_ARG_TYPE and friends.
const NETWORK_CODE = /^(E[A-Z]+|UND_ERR(_[A-Z]+)+)$/;

/** "fetch failed" says nothing; undici's cause says "connect ECONNREFUSED 127.0.0.1:4010". */
function innermostMessage(error: unknown): string {
  let message = "the connection failed";
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const text = (current as { message?: unknown }).message;
    if (typeof text === "string" && text !== "") message = text;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** undici hides the system error code one or two causes deep (an AggregateError for dual-stack hosts). */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof code === "string") return code;
    const nested = Array.isArray(errors) ? (errors[0] as { code?: unknown } | undefined)?.code : undefined;
    if (typeof nested === "string") return nested;
    current = cause;
  }
  return undefined;
}
