/**
 * The general request path, for what direct.ts leaves out: with middleware, a fetch of your own
 * or attachments, a resource call goes through openapi-fetch's machinery (a Request, the
 * middleware hooks, a multipart body built afresh for each attempt). send.ts loads this module
 * on first need. Both paths describe the call the same way and read the answer the same way.
 */
import type { PreparedRequest, RawOutcome } from "./direct.js";
import { toFormData } from "./multipart.js";
import type { Auth } from "./auth.js";
import { openapiClient } from "./raw.js";
import { redirectMode, type EndpointOptions } from "./transport.js";

export interface GeneralRequest extends PreparedRequest {
  multipart: boolean;
}

/** openapi-fetch's `request`, without the per-path typing that messages.ts has already applied. */
type AnyRequest = (method: string, path: string, init: Record<string, unknown>) => Promise<RawOutcome>;

/** `endpoint` is checked already (baseUrl without its trailing slash); without `auth` no token header is sent. */
export function generalSender(endpoint: EndpointOptions, origin: string, auth: Auth | undefined) {
  const request = openapiClient(endpoint, endpoint.baseUrl, origin, auth).request as unknown as AnyRequest;
  const redirect = redirectMode(endpoint.fetch);
  return ({ method, path, pathParams, query, body, multipart, signal }: GeneralRequest): Promise<RawOutcome> =>
    request(method, path, {
      params: { path: pathParams, query },
      body,
      ...(multipart ? { bodySerializer: toFormData } : {}),
      parseAs: "text",
      signal,
      redirect,
    });
}
