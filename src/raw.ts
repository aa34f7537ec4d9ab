/**
 * The typed fetch client: openapi-fetch's own `{ data, error, response }` calls over the spec's
 * `paths`, with the same checks, auth header and no-redirect rule as the resource methods, and no
 * retries, timeouts or logging. A factory of its own rather than a property of the resource
 * client, so that an app which never uses it does not carry openapi-fetch.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { authMiddleware, checkAuthHeader, checkToken, type AuthHeader } from "./auth.js";
import { ValidationError } from "./errors.js";
import { LightRequest, sendWith } from "./request.js";
import { checkBaseUrl } from "./transport.js";
import type { paths } from "./types.js";

/** Where and how to connect: shared by createRawClient and createChatwootClient. */
export interface ConnectionOptions {
  /** Your Chatwoot installation, e.g. "https://app.chatwoot.com". Plain http only for this machine, unless allowInsecureHttp. */
  baseUrl: string;
  /** A user's or agent bot's access token. Kept out of every error, log line and serialization. */
  apiAccessToken: string;
  /** A fetch of your own (it receives a Request). Default: the global fetch. */
  fetch?: (input: Request, init?: RequestInit) => Promise<Response>;
  /** Default "api_access_token"; "Api-Access-Token" survives proxies that drop underscores. */
  authHeader?: AuthHeader;
  /** Allow plain http to hosts other than loopback. The token then travels unencrypted. */
  allowInsecureHttp?: boolean;
  /** openapi-fetch middleware, run after the client's own. */
  middleware?: Middleware[];
}

export function createRawClient(options: ConnectionOptions): Client<paths> {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "must be an object");
  const token = checkToken(options.apiAccessToken);
  const baseUrl = checkBaseUrl(options.baseUrl, options.allowInsecureHttp === true);
  const origin = new URL(baseUrl).origin;
  const raw = createClient<paths>({
    baseUrl,
    Request: LightRequest as unknown as typeof Request,
    fetch: sendWith(options.fetch, origin) as (request: Request) => Promise<Response>,
    redirect: "manual",
  });
  raw.use(authMiddleware(token, checkAuthHeader(options.authHeader), origin));
  for (const middleware of options.middleware ?? []) raw.use(middleware);
  return raw;
}
