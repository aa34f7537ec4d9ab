/**
 * A Request that is only built when someone needs one. openapi-fetch constructs a WHATWG Request
 * for every call and hands it to fetch; in Node's fetch that construction alone costs about
 * 0.1 ms, a quarter of a loopback round trip. This stand-in carries the same fields (url,
 * method, headers, body, signal) and goes to fetch as (url, init); it turns into a real Request on
 * demand (clone(), json()...), and openapi-fetch's `instanceof Request` checks accept both. It is
 * used only where no caller's middleware runs: middleware gets a real Request (raw.ts).
 */
import { toChatwootError } from "./transport.js";

const LIGHT = Symbol("LightRequest");

export class LightRequest {
  readonly [LIGHT] = true;
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return (typeof Request !== "undefined" && value instanceof Request) || (value as LightRequest | null)?.[LIGHT] === true;
  }

  /** The real thing, for code that needs more than the fields above. */
  toRequest(): Request {
    return new Request(this.url, this as RequestInit);
  }

  clone(): Request {
    return this.toRequest();
  }
  text(): Promise<string> {
    return this.toRequest().text();
  }
  json(): Promise<unknown> {
    return this.toRequest().json();
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.toRequest().arrayBuffer();
  }
  formData(): Promise<FormData> {
    return this.toRequest().formData();
  }
  blob(): Promise<Blob> {
    return this.toRequest().blob();
  }
}

type Fetch = (input: Request, init?: RequestInit) => Promise<Response>;

/**
 * Sends a LightRequest as fetch(url, init); a real Request, or a caller's own fetch, gets a real
 * Request. fetch's rejection, and only that, becomes a ConnectionError (or the deadline's error):
 * openapi-fetch passes it through middleware `onError`, for calls of the typed fetch client too.
 */
export function sendWith(userFetch: Fetch | undefined, origin: string): (request: Request | LightRequest) => Promise<Response> {
  const failed = (error: unknown) => {
    throw toChatwootError(error, origin, true);
  };
  return (request) => {
    if (userFetch) return userFetch(request instanceof Request ? request : (request as LightRequest).toRequest()).catch(failed);
    const sent = request instanceof Request ? globalThis.fetch(request) : globalThis.fetch(request.url, request as RequestInit);
    return sent.catch(failed);
  };
}
