import { createChatwootClient, GENERAL_PATH, type ChatwootClientOptions } from "../../src/application/client.js";
import { createRawClient } from "../../src/core/raw.js";
import type { ConnectionOptions } from "../../src/core/transport.js";

/** Which request path the resource methods take in this run (the "general path" vitest project sets it). */
export const requestPath = process.env.CHATWOOT_TEST_PATH === "general" ? "general" : "direct";

export const TOKEN = "tok_9f8e7d6c5b4a3210SECRET";

/** A client for a local test server: fast backoff so retry tests take milliseconds. */
export function clientFor(baseUrl: string, options: Partial<ChatwootClientOptions> = {}) {
  return createChatwootClient({
    baseUrl,
    apiAccessToken: TOKEN,
    accountId: 1,
    backoff: { initialMs: 5, maxMs: 20, maxRetryAfterMs: 2_000 },
    settleMs: 30, // tests make slow commits happen on events, not by waiting
    ...options,
    ...(requestPath === "general" ? { [GENERAL_PATH]: true } : {}),
  } as ChatwootClientOptions);
}

/** The typed fetch client for a local test server. */
export function rawFor(baseUrl: string, options: Partial<ConnectionOptions> = {}) {
  return createRawClient({ baseUrl, apiAccessToken: TOKEN, ...options });
}

/** Middleware that sends a request to /messages/<scenario>, so that one test server can answer many scenarios. */
export function routeTo(scenario: string) {
  return {
    onRequest: ({ request }: { request: Request }) => new Request(request.url.replace(/\/messages\/\d+$/, `/messages/${scenario}`), request),
  };
}
