/**
 * Signs a delivery exactly as Chatwoot does, for your own tests and for `webhooks trigger`:
 * the headers of a POST whose body is `body`. No Node-only code.
 */
import { ValidationError } from "../core/errors.js";
import { hmacHex } from "../core/hmac.js";

export interface SignWebhookOptions {
  /** The exact body that will be sent (a string, or its bytes). */
  body: string | Uint8Array;
  secret: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** `X-Chatwoot-Delivery`; default a fresh UUID. */
  deliveryId?: string;
}

export async function signWebhook({ body, secret, timestamp = Math.floor(Date.now() / 1000), deliveryId = crypto.randomUUID() }: SignWebhookOptions): Promise<Record<string, string>> {
  if (typeof secret !== "string" || secret === "") throw new ValidationError("secret", "is required");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new ValidationError("timestamp", `must be whole seconds since 1970, got ${String(timestamp)}`);
  return {
    "content-type": "application/json",
    "x-chatwoot-delivery": deliveryId,
    "x-chatwoot-timestamp": String(timestamp),
    "x-chatwoot-signature": `sha256=${await hmacHex(secret, String(timestamp), body)}`,
  };
}
