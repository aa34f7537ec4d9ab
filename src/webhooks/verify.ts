/**
 * Verifies a Chatwoot webhook delivery: `X-Chatwoot-Signature` is `sha256=` + hex
 * HMAC-SHA256(secret, "{X-Chatwoot-Timestamp}.{raw body}"), with node:crypto where the runtime has
 * it and Web Crypto elsewhere (hmac.ts), compared in constant time. The secret never appears in an error.
 */
import { ChatwootError, ValidationError } from "../core/errors.js";
import type { WebhookEvent } from "../types.js";
import { hmacMatches } from "../core/hmac.js";

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
  /** The webhook's, agent bot's or API inbox's secret; several while rotating (any of them verifies). */
  secret: string | readonly string[];
  /** How far the timestamp may be from now, either way: a finite number of seconds, 0 or more. Default 300. */
  toleranceSeconds?: number;
  /** Accept deliveries with no signature at all (servers before 4.11.2 / 4.13.0). Default false. */
  allowUnsigned?: boolean;
  /** The current time in milliseconds; for tests. */
  now?: number;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const decoder = new TextDecoder();
const TIMESTAMP = /^[0-9]{1,12}$/;

/** Every failure is a ChatwootError: WebhookVerificationError for the delivery, ValidationError for the options. */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  if (typeof options !== "object" || options === null) throw new ValidationError("options", "must be an object");
  const { rawBody, headers, allowUnsigned = false, now = Date.now() } = options;
  const secrets = checkSecrets(options.secret);
  const toleranceSeconds = checkTolerance(options.toleranceSeconds);
  if (typeof headers !== "object" || headers === null) throw new ValidationError("headers", "must be a Headers object or a plain object");
  const body = asBody(rawBody);
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

  let valid = false;
  for (const secret of secrets) if ((valid = await hmacMatches(secret, timestamp.trim(), body, hex))) break;
  if (!valid) fail("signature_mismatch", "X-Chatwoot-Signature does not match the body and timestamp");
  return parseEvent(body);
}

/** One secret or a non-empty list of them, each a non-empty string. */
export function checkSecrets(secret: unknown): readonly string[] {
  const list = typeof secret === "string" ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === "string" && item !== "")) {
    throw new ValidationError("secret", "is required: the webhook's secret (a non-empty string, or a list of them while rotating)");
  }
  return list;
}

/** NaN (from Number(process.env.X)) would silently turn replay protection off: refuse it. */
export function checkTolerance(value: unknown): number {
  if (value === undefined) return 300;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValidationError("toleranceSeconds", `must be a finite number of seconds, 0 or more, got ${String(value)}`);
  }
  return value;
}

/** Header lookup for Headers or a plain object (Node's IncomingHttpHeaders included), case-insensitively. */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function parseEvent(body: string | Uint8Array): WebhookEvent {
  let event: unknown;
  try {
    event = JSON.parse(typeof body === "string" ? body : decoder.decode(body));
  } catch {
    fail("invalid_body", "The body is not JSON");
  }
  if (typeof event !== "object" || event === null || typeof (event as { event?: unknown }).event !== "string") {
    fail("invalid_body", "The body is not a Chatwoot event (no \"event\" name)");
  }
  return event as WebhookEvent;
}

/** The body as given (a string or bytes, never copied); an ArrayBuffer is viewed as bytes. */
function asBody(body: unknown): string | Uint8Array {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new ValidationError("rawBody", "must be a string, a Uint8Array or an ArrayBuffer: the body exactly as received");
}

function fail(reason: WebhookFailure, message: string): never {
  throw new WebhookVerificationError(reason, message);
}
