/**
 * The general request path, for what direct.ts leaves out: with middleware, a fetch of your own
 * or attachments, a resource call goes through openapi-fetch's machinery (a Request, the
 * middleware hooks, a multipart body built afresh for each attempt). send.ts loads this module
 * on first need. Both paths describe the call the same way and read the answer the same way.
 */
import type { PreparedRequest, RawOutcome } from "./direct.js";
import { toFormData } from "./multipart.js";
import { createRawClient } from "./raw.js";
import { redirectMode, type ConnectionOptions } from "./transport.js";

export interface GeneralRequest extends PreparedRequest {
  multipart: boolean;
}

/** openapi-fetch's `request`, without the per-path typing that messages.ts has already applied. */
type AnyRequest = (method: string, path: string, init: Record<string, unknown>) => Promise<RawOutcome>;

export function generalSender(connection: ConnectionOptions) {
  const request = createRawClient(connection).request as unknown as AnyRequest;
  const redirect = redirectMode(connection.fetch);
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
