/**
 * The direct request path. For a resource call that needs nothing only openapi-fetch's machinery
 * gives (no middleware, the global fetch, a JSON or bodiless request), building openapi-fetch's
 * Request, Headers and middleware context costs about as much as the loopback round trip. This
 * builds the same request by hand (the URL from the spec's path template, one plain headers
 * object) and reads the answer the way openapi-fetch's `parseAs: "text"` does, so that both paths
 * give the caller the same outcome. The tests run every resource test on both.
 */
import type { Auth } from "./auth.js";
import { redirectMode, toChatwootError } from "./transport.js";

/** What an openapi-fetch call resolves with, asked to leave successful bodies as text. */
export interface RawOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** A resource call, described the same way to both request paths. */
export interface PreparedRequest {
  method: string;
  /** The spec's template, e.g. "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages". */
  path: string;
  pathParams: Record<string, number | string>;
  query: object | undefined;
  body: unknown;
  signal: AbortSignal;
}

/** Without `auth` (an API family whose credentials are in the path) no token header is sent. */
export function directSender(baseUrl: string, origin: string, auth: Auth | undefined) {
  const redirect = redirectMode(undefined);
  return async ({ method, path, pathParams, query, body, signal }: PreparedRequest): Promise<RawOutcome> => {
    const url = baseUrl + fillPath(path, pathParams) + searchOf(query);
    const headers: Record<string, string> = auth ? { [auth.header]: auth.token } : {};
    let payload: string | undefined;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload, signal, redirect });
    } catch (error) {
      throw toChatwootError(error, origin, true);
    }
    // As openapi-fetch reads an answer with parseAs "text". Its headers test can only be true of an
    // empty body, so it is made only then.
    const text = await response.text();
    if (text === "" && noBody(response)) return response.ok ? { data: undefined, response } : { error: undefined, response };
    if (response.ok) return { data: text, response };
    try {
      return { error: JSON.parse(text), response };
    } catch {
      return { error: text, response };
    }
  };
}

/** openapi-fetch's test for an answer without a body. */
function noBody(response: Response): boolean {
  return response.status === 204 || (response.headers.get("content-length") === "0" && !response.headers.get("transfer-encoding")?.includes("chunked"));
}

/** A path template with its parameters filled in, encoded as openapi-fetch encodes them. */
export function fillPath(path: string, values: Record<string, number | string>): string {
  const parts = templateParts(path);
  let filled = parts[0]!;
  // Odd entries are parameter names, even ones the literal text between them.
  for (let i = 1; i < parts.length; i += 2) filled += encodeURIComponent(String(values[parts[i]!])) + parts[i + 1];
  return filled;
}

// The spec has a handful of templates: each is split once, not matched by a regular expression per call.
const templates = new Map<string, string[]>();
function templateParts(path: string): string[] {
  let parts = templates.get(path);
  if (!parts) templates.set(path, (parts = path.split(/\{(\w+)\}/)));
  return parts;
}

/** openapi-fetch's default query style (form, exploded) for the scalar parameters the spec has. */
function searchOf(query: object | undefined): string {
  let search = "";
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      search += `${search ? "&" : "?"}${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`;
    }
  }
  return search;
}
