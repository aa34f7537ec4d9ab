/**
 * The typed fetch client: openapi-fetch's own `{ data, error, response }` calls over the spec's
 * `paths`, with the same checks, auth header and no-redirect rule as the resource methods, and no
 * retries, timeouts or logging. A factory of its own rather than a property of the resource
 * client, so that an app which never uses it does not carry openapi-fetch.
 */
import createClient, { type Client } from "openapi-fetch";
import { authMiddleware } from "./auth.js";
import { LightRequest, sendWith } from "./request.js";
import { checkConnection, type ConnectionOptions } from "./transport.js";
import type { paths } from "../types.js";

export function createRawClient(options: ConnectionOptions): Client<paths> {
  const { baseUrl, origin, token, authHeader } = checkConnection(options);
  const middleware = options.middleware ?? [];
  const raw = createClient<paths>({
    baseUrl,
    // Middleware gets a real Request (`new Request(request, init)` must work); without any, nobody
    // sees it, and the stand-in saves building one.
    Request: middleware.length ? Request : (LightRequest as unknown as typeof Request),
    fetch: sendWith(options.fetch, origin) as (request: Request) => Promise<Response>,
    redirect: "manual",
  });
  raw.use(authMiddleware(token, authHeader, origin));
  for (const each of middleware) raw.use(each);
  return raw;
}
