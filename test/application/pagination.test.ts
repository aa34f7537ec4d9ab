import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { json, message, startServer, type TestServer } from "../helpers/http-server.js";

// 45 messages with ids 101..145, paged like Chatwoot: the 20 newest below `before`, oldest first.
const IDS = Array.from({ length: 45 }, (_, i) => 101 + i);
let server: TestServer;
beforeAll(async () => {
  server = await startServer((request, response) => {
    const before = Number(new URL(request.url, "http://x").searchParams.get("before") ?? Infinity);
    const page = IDS.filter((id) => id < before).slice(-20);
    json(response, 200, { meta: { labels: [], additional_attributes: {}, contact: { id: 1, name: "A", type: "contact" }, agent_last_seen_at: null, assignee_last_seen_at: null }, payload: page.map((id) => message(id)) });
  });
});
afterAll(() => server.close());

describe("iterate", () => {
  it("walks from the newest page back, yielding every message once, newest first", async () => {
    server.requests.length = 0;
    const seen: number[] = [];
    for await (const m of clientFor(server.url).messages.iterate(42)) seen.push(m.id);
    expect(seen).toEqual([...IDS].reverse());
    expect(server.requests.map((r) => r.url)).toEqual([
      "/api/v1/accounts/1/conversations/42/messages",
      "/api/v1/accounts/1/conversations/42/messages?before=126",
      "/api/v1/accounts/1/conversations/42/messages?before=106",
      "/api/v1/accounts/1/conversations/42/messages?before=101",
    ]);
  });

  it("starts below a cursor and passes filter_internal_messages on", async () => {
    server.requests.length = 0;
    const seen: number[] = [];
    for await (const m of clientFor(server.url).messages.iterate(42, { before: 111, filter_internal_messages: true })) seen.push(m.id);
    expect(seen).toEqual([110, 109, 108, 107, 106, 105, 104, 103, 102, 101]);
    expect(server.requests[0]!.url).toBe("/api/v1/accounts/1/conversations/42/messages?before=111&filter_internal_messages=true");
  });

  it("stops when the caller breaks out, sending no further request", async () => {
    server.requests.length = 0;
    for await (const m of clientFor(server.url).messages.iterate(42)) if (m.id === 140) break;
    expect(server.requests).toHaveLength(1);
  });

  it("honours the signal between pages", async () => {
    server.requests.length = 0;
    const controller = new AbortController();
    const seen: number[] = [];
    const walk = async () => {
      for await (const m of clientFor(server.url).messages.iterate(42, {}, { signal: controller.signal })) {
        seen.push(m.id);
        if (seen.length === 25) controller.abort();
      }
    };
    await expect(walk()).rejects.toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(25);
    expect(server.requests).toHaveLength(2);
  });

  it("a server that ignores the cursor cannot make it loop", async () => {
    const stuck = await startServer((_request, response) => json(response, 200, { meta: {}, payload: [message(1), message(2)] }));
    try {
      const seen: number[] = [];
      for await (const m of clientFor(stuck.url).messages.iterate(42)) seen.push(m.id);
      expect(seen).toEqual([2, 1]);
      expect(stuck.requests).toHaveLength(2);
    } finally {
      await stuck.close();
    }
  });
});
