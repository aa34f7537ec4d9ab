/**
 * Verifies a Chatwoot webhook delivery: `X-Chatwoot-Signature` is `sha256=` + hex
 * HMAC-SHA256(secret, "{X-Chatwoot-Timestamp}.{raw body}"). Web Crypto only, so it runs in Node,
 * Deno, Bun, browsers and edge runtimes; the comparison is Web Crypto's own `verify`, which does
 * not leak where the signatures differ. The secret never appears in an error.
 */
import { ChatwootError } from "./errors.js";
import type { WebhookEvent } from "./types.js";

export type WebhookFailure =
  | "missing_signature"
  | "malformed_signature"
  | "missing_timestamp"
  | "malformed_timestamp"
  | "stale_timestamp"
  | "signature_mismatch"
  | "invalid_body";

export class WebhookVerificationError extends ChatwootError {
  override name = "WebhookVerificationError";
  constructor(readonly reason: WebhookFailure, message: string) {
    super(message);
  }
}

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The body exactly as received: verify bytes, never re-serialized JSON. */
  rawBody: string | Uint8Array | ArrayBuffer;
  headers: WebhookHeaders;
  /** The webhook's, agent bot's or API inbox's secret. */
  secret: string;
  /** How far the timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number;
  /** Accept deliveries with no signature at all (servers before 4.11.2 / 4.13.0). Default false. */
  allowUnsigned?: boolean;
  /** The current time in milliseconds; for tests. */
  now?: number;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TIMESTAMP = /^[0-9]{1,12}$/;

export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const { rawBody, headers, secret, toleranceSeconds = 300, allowUnsigned = false, now = Date.now() } = options;
  if (typeof secret !== "string" || secret === "") throw new TypeError("verifyWebhook needs the webhook secret");
  const body = toBytes(rawBody);
  const signature = header(headers, "x-chatwoot-signature");
  const timestamp = header(headers, "x-chatwoot-timestamp");

  if (signature === undefined && timestamp === undefined && allowUnsigned) return parseEvent(body);
  if (signature === undefined) fail("missing_signature", "The delivery has no X-Chatwoot-Signature header");
  const hex = SIGNATURE.exec(signature.trim())?.[1];
  if (!hex) fail("malformed_signature", "X-Chatwoot-Signature is not sha256= followed by 64 hex digits");
  if (timestamp === undefined) fail("missing_timestamp", "The delivery has no X-Chatwoot-Timestamp header");
  if (!TIMESTAMP.test(timestamp.trim())) fail("malformed_timestamp", "X-Chatwoot-Timestamp is not a number of seconds");
  const skew = Math.abs(now / 1000 - Number(timestamp));
  if (skew > toleranceSeconds) {
    fail("stale_timestamp", `X-Chatwoot-Timestamp is ${Math.round(skew)} s away from now (tolerance ${toleranceSeconds} s)`);
  }

  const signed = concat(encoder.encode(`${timestamp.trim()}.`), body);
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), fromHex(hex) as BufferSource, signed as BufferSource);
  if (!valid) fail("signature_mismatch", "X-Chatwoot-Signature does not match the body and timestamp");
  return parseEvent(body);
}

/** Header lookup for Headers or a plain object (Node's IncomingHttpHeaders included), case-insensitively. */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

// Importing the key costs more than the HMAC of a small body: keep a few, by secret.
const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 16) keys.delete(keys.keys().next().value!);
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    keys.set(secret, key);
  }
  return key;
}

function parseEvent(body: Uint8Array): WebhookEvent {
  let event: unknown;
  try {
    event = JSON.parse(decoder.decode(body));
  } catch {
    fail("invalid_body", "The body is not JSON");
  }
  if (typeof event !== "object" || event === null || typeof (event as { event?: unknown }).event !== "string") {
    fail("invalid_body", "The body is not a Chatwoot event (no \"event\" name)");
  }
  return event as WebhookEvent;
}

function toBytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("rawBody must be a string, a Uint8Array or an ArrayBuffer");
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function fail(reason: WebhookFailure, message: string): never {
  throw new WebhookVerificationError(reason, message);
}
