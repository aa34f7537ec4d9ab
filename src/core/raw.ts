/**
 * The typed fetch client: openapi-fetch's own `{ data, error, response }` calls over the spec's
 * `paths`, with the same checks, auth header and no-redirect rule as the resource methods, and no
 * retries, timeouts or logging. A factory of its own rather than a property of the resource
 * client, so that an app which never uses it does not carry openapi-fetch.
 */
import createClient, { type Client } from "openapi-fetch";
import { authMiddleware, type Auth } from "./auth.js";
import { LightRequest, sendWith } from "./request.js";
import { checkConnection, type ConnectionOptions, type EndpointOptions } from "./transport.js";
import type { paths } from "../types.js";

export function createRawClient(options: ConnectionOptions): Client<paths> {
  const { baseUrl, origin, token, authHeader } = checkConnection(options);
  return openapiClient(options, baseUrl, origin, { token, header: authHeader });
}

/** openapi-fetch over the spec's paths, checked already; an API family without a token passes no `auth`. */
export function openapiClient(options: EndpointOptions, baseUrl: string, origin: string, auth: Auth | undefined): Client<paths> {
  const middleware = options.middleware ?? [];
  const raw = createClient<paths>({
    baseUrl,
    // Middleware gets a real Request (`new Request(request, init)` must work); without any, nobody
    // sees it, and the stand-in saves building one.
    Request: middleware.length ? Request : (LightRequest as unknown as typeof Request),
    fetch: sendWith(options.fetch, origin) as (request: Request) => Promise<Response>,
    redirect: "manual",
  });
  if (auth) raw.use(authMiddleware(auth.token, auth.header, origin));
  for (const each of middleware) raw.use(each);
  return raw;
}
