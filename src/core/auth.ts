/**
 * Puts the token on requests to the configured origin, and nowhere else: a typed fetch client call given
 * another baseUrl goes out without it. The token lives only in this closure, never on an object
 * that could be logged or serialized.
 */
import type { Middleware } from "openapi-fetch";
import { ValidationError } from "./errors.js";

/** Chatwoot reads either spelling; nginx drops header names with underscores unless told otherwise. */
export type AuthHeader = "api_access_token" | "Api-Access-Token";

/** The token a request carries, and in which header. */
export interface Auth {
  token: string;
  header: AuthHeader;
}

export function authMiddleware(token: string, header: AuthHeader, origin: string): Middleware {
  const other = header === "api_access_token" ? "Api-Access-Token" : "api_access_token";
  // A prefix test is exact here: the origin ends where the path's "/" begins (":4000/" is not ":40001/").
  const sameOrigin = `${origin}/`;
  return {
    onRequest({ request }) {
      request.headers.delete(other);
      if (request.url.startsWith(sameOrigin)) request.headers.set(header, token);
      else request.headers.delete(header);
    },
  };
}

export function checkToken(token: unknown, parameter = "apiAccessToken"): string {
  // Checked here because fetch's own error for a bad header value quotes the value.
  if (typeof token !== "string" || token === "") throw new ValidationError(parameter, "is required");
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new ValidationError(parameter, "must be printable ASCII without spaces (is it the whole token, with no line break?)");
  }
  return token;
}

export function checkAuthHeader(header: unknown): AuthHeader {
  if (header === undefined) return "api_access_token";
  if (header === "api_access_token" || header === "Api-Access-Token") return header;
  throw new ValidationError("authHeader", "must be \"api_access_token\" or \"Api-Access-Token\"");
}
