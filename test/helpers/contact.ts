/** Contact clients for tests, on this run's request path (the "general path" vitest project sets it). */
import { GENERAL_PATH } from "../../src/core/send.js";
import { createContactClient, type ContactClientOptions } from "../../src/contact/client.js";
import { requestPath } from "./client.js";

export const INBOX = "x7Hd2LqfTq8cJd5GZ5vU3kWp";
/** A source_id as a test's secret: no error, log line or serialization may show it. */
export const SOURCE_ID = "6f2c0b8e-3a1d-4c7e-9b55-SECRETSOURCE";

/** Fast backoff so that retry tests take milliseconds; `path` overrides this run's request path. */
export function contactClientFor(baseUrl: string, options: Partial<ContactClientOptions> = {}, path = requestPath) {
  return createContactClient({
    baseUrl,
    inboxIdentifier: INBOX,
    backoff: { initialMs: 5, maxMs: 20, maxRetryAfterMs: 2_000 },
    ...options,
    ...(path === "general" ? { [GENERAL_PATH]: true } : {}),
  } as ContactClientOptions);
}
