/**
 * identifierHash: what an inbox with identity validation expects as `identifier_hash`, the lowercase
 * hex HMAC-SHA256 of the contact's identifier keyed with the inbox's HMAC token. It belongs on your
 * server: the HMAC token in a browser lets anyone claim to be any contact. Web Crypto, so it runs in
 * Node, Deno, Bun and edge runtimes alike.
 */
import { ValidationError } from "../core/errors.js";

const encoder = new TextEncoder();

export async function identifierHash(identifier: string, hmacToken: string): Promise<string> {
  if (typeof identifier !== "string" || identifier === "") throw new ValidationError("identifier", "must be a non-empty string");
  if (typeof hmacToken !== "string" || hmacToken === "") throw new ValidationError("hmacToken", "is required: the inbox's HMAC token (Settings → Inboxes → Configuration)");
  const key = await crypto.subtle.importKey("raw", encoder.encode(hmacToken), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(identifier)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
