import { createChatwootClient, type ChatwootClientOptions } from "../../src/index.js";

export const TOKEN = "tok_9f8e7d6c5b4a3210SECRET";

/** A client for a local test server: fast backoff so retry tests take milliseconds. */
export function clientFor(baseUrl: string, options: Partial<ChatwootClientOptions> = {}) {
  return createChatwootClient({
    baseUrl,
    apiAccessToken: TOKEN,
    accountId: 1,
    backoff: { initialMs: 5, maxMs: 20, maxRetryAfterMs: 2_000 },
    ...options,
  });
}

/** Middleware that sends a request to /messages/<scenario>, so that one test server can answer many scenarios. */
export function routeTo(scenario: string) {
  return {
    onRequest: ({ request }: { request: Request }) => new Request(request.url.replace(/\/messages\/\d+$/, `/messages/${scenario}`), request),
  };
}
