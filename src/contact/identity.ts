/**
 * identifierHash: what an inbox with identity validation expects as `identifier_hash`, the lowercase
 * hex HMAC-SHA256 of the contact's identifier keyed with the inbox's HMAC token. It belongs on your
 * server: the HMAC token in a browser lets anyone claim to be any contact. The core's HMAC
 * (node:crypto where the runtime has it, Web Crypto elsewhere), so it runs in every runtime.
 */
import { ValidationError } from "../core/errors.js";
import { hmacSha256Hex } from "../core/hmac.js";

export async function identifierHash(identifier: string, hmacToken: string): Promise<string> {
  if (typeof identifier !== "string" || identifier === "") throw new ValidationError("identifier", "must be a non-empty string");
  if (typeof hmacToken !== "string" || hmacToken === "") throw new ValidationError("hmacToken", "is required: the inbox's HMAC token (Settings → Inboxes → Configuration)");
  return hmacSha256Hex(hmacToken, identifier);
}
