/**
 * The glue between the two families: the contact client's `messages.pager(conversationId)` is
 * realtime's `listMessages`, so the gapless stream resyncs through the contact client (its paths,
 * retries, redaction) against the fake ActionCable server's REST index.
 */
import { describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { connectRealtime, createContactClient, ValidationError, type ClientMessage } from "../../src/index.js";
import { useCleanups } from "../helpers/cleanup.js";
import { type FakeCable, useFakeCables } from "../helpers/fake-cable.js";

const TOKEN = "contact-token-abc";
const SOURCE_ID = "6f2c0b8e-3a1d-4c7e-9b55-PAGERSECRET";
const fake = useFakeCables(); // closed after what each test started against it (below)
const onCleanup = useCleanups();

const session = (server: FakeCable) => createContactClient({ baseUrl: server.url, inboxIdentifier: "inbox1", backoff: { initialMs: 1, maxMs: 5 } }).session(SOURCE_ID);

describe("session.messages.pager(conversationId) as realtime's listMessages", () => {
  it("pages with `before` through the contact client: 45 messages, the whole conversation once, in id order", async () => {
    const server = await fake();
    for (let i = 0; i < 45; i++) server.create({ broadcast: false });
    server.create({ conversationId: 43, broadcast: false });
    const pager = session(server).messages.pager(42);
    const pages: number[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await pager({ ...(before === undefined ? {} : { before }), signal: new AbortController().signal });
      if (page.length === 0) break;
      pages.push(page.map((m) => m.id));
      before = page[0]!.id;
    }
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    expect(pages.reverse().flat()).toEqual(server.messages.filter((m) => m.conversation_id === 42).map((m) => m.id));
  });

  it("a stream fed by it emits every message once, in id order, across a drop with messages created meanwhile", async () => {
    const server = await fake();
    for (let i = 0; i < 25; i++) server.create({ broadcast: false });
    const emitted: ClientMessage[] = [];
    const realtime = connectRealtime({
      url: server.url, pubsubToken: TOKEN, WebSocket: WebSocket as never, conversationId: 42, after: 0,
      listMessages: session(server).messages.pager(42), reorderWindowMs: 0, presenceIntervalMs: 0, backoff: { initialMs: 10, maxMs: 50 },
    });
    onCleanup(() => realtime.close());
    realtime.on("message", (message) => emitted.push(message));
    const until = (test: () => boolean, what: string) => vi.waitFor(() => { if (!test()) throw new Error(`waiting for ${what}`); }, { timeout: 15_000, interval: 5 });
    await until(() => realtime.state === "live" && emitted.length === 25, "the first 25");
    server.create();
    server.drop();
    server.create({ broadcast: false });
    server.create({ broadcast: false });
    await until(() => emitted.length === 28, "the messages created while the socket was down");
    server.create();
    await until(() => emitted.length === 29, "a live one after the reconnect");
    const ids = emitted.map((m) => m.id);
    expect(ids).toEqual(server.messages.map((m) => m.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("the stream's signal aborts the request in flight: an AbortError, and the server saw it begin", async () => {
    const server = await fake();
    const release = server.holdLists();
    onCleanup(release);
    const controller = new AbortController();
    const listing = session(server).messages.pager(42)({ signal: controller.signal });
    await server.until(() => server.lists === 1, "the request to arrive");
    controller.abort();
    await expect(listing).rejects.toMatchObject({ name: "AbortError" });
  });

  it("a bad conversation id is a ValidationError when the pager is made, nothing sent", async () => {
    const server = await fake();
    expect(() => session(server).messages.pager("4/2")).toThrow(ValidationError);
    expect(server.lists).toBe(0);
  });
});
