/**
 * The realtime client against a protocol-faithful fake ActionCable server and REST index
 * (test/helpers/fake-cable.ts), with the faults of issue 22. Every scenario ends with each
 * message of the conversation emitted exactly once, in id order. No wall clock decides a test:
 * they wait on events with generous ceilings; intervals are short and injected.
 */
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { connectRealtime, RealtimeError, ValidationError, type ClientMessage, type MessageInfo, type RealtimeOptions, type RealtimeState, type Timers } from "../../src/index.js";
import { useCleanups } from "../helpers/cleanup.js";
import { type FakeCable, useFakeCables } from "../helpers/fake-cable.js";
import { root, runSupervised } from "../helpers/processes.js";

const TOKEN = "contact-token-abc";
const fake = useFakeCables(); // closed after what each test started against it (below)
const onCleanup = useCleanups();

/** Real timers, counted, so a test can see that none is left. */
function countingTimers(): Timers & { pending: Set<unknown> } {
  const pending = new Set<unknown>();
  return {
    pending,
    setTimeout(callback, ms) {
      const handle = setTimeout(() => {
        pending.delete(handle);
        callback();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      pending.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

function connect(server: FakeCable, extra: Partial<RealtimeOptions> = {}) {
  const emitted: Array<{ message: ClientMessage; info: MessageInfo }> = [];
  const errors: RealtimeError[] = [];
  const states: RealtimeState[] = [];
  const created: number[] = [];
  const timers = countingTimers();
  const realtime = connectRealtime({
    url: server.url,
    pubsubToken: TOKEN,
    WebSocket: WebSocket as never,
    conversationId: 42,
    listMessages: server.listMessages(42),
    after: 0,
    resyncIntervalMs: 60_000,
    reorderWindowMs: 0,
    confirmTimeoutMs: 10_000,
    staleAfterMs: 5_000,
    presenceIntervalMs: 0,
    backoff: { initialMs: 10, maxMs: 50 },
    timers,
    ...extra,
  });
  realtime.on("message", (message, info) => emitted.push({ message, info }));
  realtime.on("error", (error) => errors.push(error));
  realtime.on("state", (state) => states.push(state));
  realtime.on("message.created", (data) => created.push(data.id));
  onCleanup(() => realtime.close());
  const ids = () => emitted.map((e) => e.message.id);
  const until = (test: () => boolean, what: string) => vi.waitFor(() => { if (!test()) throw new Error(`waiting for ${what}`); }, { timeout: 15_000, interval: 5 });
  return { realtime, emitted, errors, states, created, timers, ids, until };
}

/**
 * Waits until no resync runs: the start's and the confirmation's have begun, and one more asked
 * after them has emitted a message only it can find.
 */
async function settled(server: FakeCable, c: ReturnType<typeof connect>): Promise<void> {
  await c.until(() => c.realtime.state === "live" && server.lists >= 2, "the first resyncs");
  const probe = server.create({ broadcast: false });
  c.realtime.resync();
  await c.until(() => c.ids().includes(probe.id), "the probe");
}

/** The conversation's messages as the contact sees them, in id order. */
function expected(server: FakeCable, conversationId = 42): number[] {
  return server.messages.filter((m) => m.conversation_id === conversationId && !m.private && m.message_type !== 2).map((m) => m.id);
}

function exactlyOnceInOrder(ids: number[], want: number[]): void {
  expect(ids).toEqual(want);
  expect(new Set(ids).size).toBe(ids.length);
}

describe("the ActionCable protocol", () => {
  it("subscribes after welcome with the byte-identical identifier and sends update_presence with `data` as a JSON string", async () => {
    const server = await fake();
    const c = connect(server, { presenceIntervalMs: 20 });
    const presence: unknown[] = [];
    c.realtime.on("presence.update", (data) => presence.push(data));
    await c.until(() => presence.length >= 2, "two presence.update answers");
    const identifier = `{"channel":"RoomChannel","pubsub_token":"${TOKEN}"}`;
    expect(server.received[0]).toBe(JSON.stringify({ command: "subscribe", identifier }));
    const heartbeats = server.received.slice(1).map((frame) => JSON.parse(frame));
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    for (const beat of heartbeats) expect(beat).toEqual({ command: "message", identifier, data: '{"action":"update_presence"}' });
    expect(c.realtime.state).toBe("live");
  });

  it("subscribes an agent with user_id and account_id", async () => {
    const server = await fake({ tokens: ["agent-token-xyz"] });
    const c = connect(server, { pubsubToken: "agent-token-xyz", userId: 7, accountId: 1 });
    await c.until(() => c.realtime.state === "live", "the confirmation");
    expect(JSON.parse(server.received[0]!)).toEqual({
      command: "subscribe",
      identifier: '{"channel":"RoomChannel","pubsub_token":"agent-token-xyz","account_id":1,"user_id":7}',
    });
  });

  it("no confirmation within the bound: a fatal error that says the token is invalid or stale, then nothing left running", async () => {
    const server = await fake({ tokens: [] });
    const c = connect(server, { pubsubToken: "stale-token-123", confirmTimeoutMs: 200 });
    await c.until(() => c.errors.length > 0, "the error");
    const [error] = c.errors;
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error!.code).toBe("subscription_unconfirmed");
    expect(error!.fatal).toBe(true);
    expect(error!.message).toMatch(/pubsub token is invalid or stale/);
    expect(error!.message).not.toContain("stale-token-123");
    expect(c.realtime.state).toBe("closed");
    expect(c.timers.pending.size).toBe(0); // no reconnect scheduled
    await server.until(() => server.open === 0, "the socket to close");
    expect(server.connections).toBe(1);
  });

  it("reject_subscription and a disconnect that forbids reconnecting are fatal", async () => {
    const server = await fake();
    const rejected = connect(server);
    await rejected.until(() => rejected.realtime.state === "live", "the confirmation");
    server.raw((identifier) => ({ identifier, type: "reject_subscription" }));
    await rejected.until(() => rejected.errors.length > 0, "the error");
    expect(rejected.errors.map((e) => [e.code, e.fatal])).toEqual([["subscription_rejected", true]]);

    const refused = connect(server);
    await refused.until(() => refused.realtime.state === "live", "the confirmation");
    server.disconnect("unauthorized", false);
    await refused.until(() => refused.errors.length > 0, "the error");
    expect(refused.errors[0]!.code).toBe("disconnected");
    expect(refused.errors[0]!.message).toContain("unauthorized");
    expect(refused.timers.pending.size).toBe(0);
  });
});

describe("the gapless stream", () => {
  it("a socket dropped mid-stream: the messages created meanwhile come after the reconnect, each once, in order", async () => {
    const server = await fake();
    const c = connect(server);
    await c.until(() => c.realtime.state === "live", "the confirmation");
    for (let i = 0; i < 3; i++) server.create();
    await c.until(() => c.emitted.length === 3, "three live messages");
    server.drop();
    for (let i = 0; i < 3; i++) server.create(); // nobody is subscribed: lost by the socket
    server.create({ conversationId: 43 }); // another conversation's
    await server.until(() => server.connections === 2 && server.subscribers === 1, "the resubscription");
    for (let i = 0; i < 2; i++) server.create();
    await c.until(() => c.emitted.length === 8, "eight messages");
    exactlyOnceInOrder(c.ids(), expected(server));
    expect(c.emitted.some((e) => e.info.late)).toBe(false);
    expect(c.states).toContain("reconnecting");
  });

  it("reconnects with exponential backoff and jitter, from the start again once confirmed", async () => {
    const server = await fake();
    const lines: string[] = [];
    const c = connect(server, { random: () => 1, backoff: { initialMs: 10, maxMs: 40 }, logger: { debug: (line) => lines.push(line) } });
    await c.until(() => c.realtime.state === "live", "the confirmation");
    server.refuse(true);
    server.drop();
    const delays = () => lines.flatMap((line) => /reconnecting in (\d+) ms/.exec(line)?.[1] ?? []).map(Number);
    await c.until(() => delays().length >= 4, "four reconnects");
    expect(delays().slice(0, 4)).toEqual([10, 20, 40, 40]);
    server.refuse(false);
    await c.until(() => c.realtime.state === "live", "the confirmation again");
    const before = delays().length;
    server.drop();
    await c.until(() => delays().length > before, "the next reconnect");
    expect(delays()[before]).toBe(10);
  });

  it("a disconnect frame with server_restart: reconnects, resubscribes and fills the gap", async () => {
    const server = await fake();
    const c = connect(server);
    await c.until(() => c.realtime.state === "live", "the confirmation");
    server.create();
    await c.until(() => c.emitted.length === 1, "one message");
    server.disconnect("server_restart", true);
    server.create();
    server.create();
    await server.until(() => server.connections === 2 && server.subscribers === 1, "the resubscription");
    server.create();
    await c.until(() => c.emitted.length === 4, "four messages");
    exactlyOnceInOrder(c.ids(), expected(server));
    expect(c.errors).toEqual([]);
  });

  it("pings without events: the messages arrive over REST only, on the resync timer, each once, in order", async () => {
    const server = await fake();
    const c = connect(server, { resyncIntervalMs: 50 });
    await c.until(() => c.realtime.state === "live", "the confirmation");
    server.deliver(false); // the server lost its Redis subscription: pings go on, events stop
    for (let i = 0; i < 25; i++) server.create(); // more than a page
    await c.until(() => c.emitted.length === 25, "25 messages");
    exactlyOnceInOrder(c.ids(), expected(server));
    expect(c.created).toEqual([]);
    expect(c.emitted.every((e) => e.info.source === "rest")).toBe(true);
    expect(server.connections).toBe(1); // pings kept the socket: no reconnect
  });

  it("two missed pings: the silent socket is dropped and reopened, and what it missed is resynced", async () => {
    const server = await fake({ pingIntervalMs: 30 });
    const c = connect(server, { staleAfterMs: 200 });
    await c.until(() => c.realtime.state === "live", "the confirmation");
    server.silence();
    server.create();
    server.create();
    await server.until(() => server.connections === 2 && server.subscribers === 1, "the reconnect");
    await c.until(() => c.emitted.length === 2, "two messages");
    exactlyOnceInOrder(c.ids(), expected(server));
  });

  it("duplicate and out-of-order frames: put back in order within the window, each once", async () => {
    const server = await fake();
    const c = connect(server, { reorderWindowMs: 1_000 });
    await c.until(() => c.realtime.state === "live" && server.lists >= 1, "the confirmation");
    await c.until(() => c.realtime.state === "live", "live");
    const [a, b, d] = [server.create({ broadcast: false }), server.create({ broadcast: false }), server.create({ broadcast: false })];
    const frame = (m: typeof a) => (identifier: string) => ({ identifier, message: { event: "message.created", data: server.push(m) } });
    for (const m of [d, a, d, b, a]) server.raw(frame(m));
    await c.until(() => c.emitted.length === 3, "three messages");
    exactlyOnceInOrder(c.ids(), [a.id, b.id, d.id]);
    expect(c.emitted.some((e) => e.info.late)).toBe(false);
    // A resync that lists them again emits nothing twice.
    const e = server.create({ broadcast: false });
    c.realtime.resync();
    await c.until(() => c.emitted.length === 4, "the resynced message");
    exactlyOnceInOrder(c.ids(), [a.id, b.id, d.id, e.id]);
  });

  it("a slow REST resync racing live frames: live messages wait until the gap below them is filled", async () => {
    const server = await fake();
    const c = connect(server);
    await settled(server, c);
    const lists = server.lists;
    const release = server.holdLists();
    const lost = server.create({ broadcast: false });
    c.realtime.resync();
    await server.until(() => server.lists > lists, "the held list request");
    const live = [server.create(), server.create()];
    await c.until(() => live.every((m) => c.created.includes(m.id)), "the live frames");
    expect(c.ids()).not.toContain(live[0]!.id); // held below the gap
    release();
    await c.until(() => c.emitted.length === 4, "four messages");
    exactlyOnceInOrder(c.ids(), expected(server));
    expect(c.ids().slice(1)).toEqual([lost.id, live[0]!.id, live[1]!.id]);
    expect(c.emitted.some((e) => e.info.late)).toBe(false);
  });

  it("a resync that began before the subscription does not release live messages: the one asked after it fills the gap first", async () => {
    const server = await fake();
    const release = server.holdLists();
    const c = connect(server);
    await c.until(() => c.realtime.state === "live" && server.lists >= 1, "the confirmation during the first, held resync");
    const lost = server.create({ broadcast: false }); // after that resync's snapshot, before any live frame
    const live = server.create();
    await c.until(() => c.created.includes(live.id), "the live frame");
    release();
    await c.until(() => c.emitted.length === 2, "both messages");
    exactlyOnceInOrder(c.ids(), [lost.id, live.id]);
    expect(c.emitted.some((e) => e.info.late)).toBe(false);
  });

  it("a message that shows up after a higher id (a slow commit) is still emitted, once, flagged late", async () => {
    const server = await fake();
    const c = connect(server);
    await settled(server, c);
    const slow = server.create({ broadcast: false }); // committed, but its broadcast never came
    server.create();
    await c.until(() => c.emitted.length === 2, "the live message");
    c.realtime.resync();
    await c.until(() => c.emitted.length === 3, "the late message");
    expect(c.emitted[2]).toMatchObject({ message: { id: slow.id }, info: { late: true, source: "rest" } });
    expect(new Set(c.ids()).size).toBe(3);
  });

  it("a message lost while a resync failed is found by the next successful one, late, even after more than a page came live", async () => {
    const server = await fake();
    const list = server.listMessages(42);
    let failing = false;
    const c = connect(server, { listMessages: (q) => (failing ? Promise.reject(new Error("index down")) : list(q)) });
    await settled(server, c);
    const lost = server.create({ broadcast: false }); // the socket silently lost it
    failing = true;
    c.realtime.resync();
    await c.until(() => c.errors.some((e) => e.code === "resync_failed"), "the failed resync");
    const live = Array.from({ length: 25 }, () => server.create()); // more than a page, all live
    await c.until(() => live.every((m) => c.ids().includes(m.id)), "the live messages");
    failing = false;
    c.realtime.resync();
    await c.until(() => c.ids().includes(lost.id), "the lost message");
    expect(c.emitted.find((e) => e.message.id === lost.id)!.info).toMatchObject({ late: true, source: "rest" });
    expect(new Set(c.ids()).size).toBe(c.ids().length);
    expect([...c.ids()].sort((a, b) => a - b)).toEqual(expected(server));
  });

  it.each([
    ["resyncTimeoutMs", { resyncTimeoutMs: 100 }],
    ["resyncIntervalMs, its default", { resyncIntervalMs: 100 }],
  ] as const)("a listMessages that never settles: the resync is aborted after %s, reported, live messages go on and the next resync runs", async (_, bound) => {
    const server = await fake();
    const list = server.listMessages(42);
    let hanging = false;
    const signals: AbortSignal[] = [];
    const c = connect(server, {
      ...bound,
      listMessages: (q) => {
        if (!hanging) return list(q);
        signals.push(q.signal);
        return new Promise<never>(() => {}); // ignores its signal
      },
    });
    await settled(server, c);
    hanging = true;
    c.realtime.resync();
    await c.until(() => c.errors.some((e) => e.code === "resync_failed" && !e.fatal), "the timed out resync");
    expect(signals[0]!.aborted).toBe(true);
    const live = server.create();
    await c.until(() => c.ids().includes(live.id), "a live message after it");
    hanging = false;
    const lost = server.create({ broadcast: false });
    c.realtime.resync();
    await c.until(() => c.ids().includes(lost.id), "the next resync's message");
  });

  it("starts with the latest page without `after`, and pages back with `before` until it overlaps", async () => {
    const server = await fake();
    for (let i = 0; i < 30; i++) server.create();
    const c = connect(server, { after: undefined });
    await c.until(() => c.emitted.length === 20, "the latest page");
    expect(c.ids()).toEqual(expected(server).slice(-20));
    server.drop();
    for (let i = 0; i < 45; i++) server.create(); // more than two pages while away
    await c.until(() => c.emitted.length === 65, "everything since");
    exactlyOnceInOrder(c.ids(), expected(server).slice(10));
  });
});

describe("echo_id, typing, events, close", () => {
  it("expect(echoId) resolves when the socket echoes it, and by the created id when the socket lost it", async () => {
    const server = await fake();
    const c = connect(server);
    await c.until(() => c.realtime.state === "live", "the confirmation");
    const echoed = c.realtime.expect("echo-1");
    const first = server.create({ echoId: "echo-1" });
    await expect(echoed).resolves.toMatchObject({ id: first.id });
    expect(c.emitted.at(-1)!.info.echoId).toBe("echo-1");

    const lostOne = server.create({ echoId: "echo-2", broadcast: false });
    const resolvedByRest = c.realtime.expect("echo-2", Promise.resolve({ id: lostOne.id }));
    await Promise.resolve();
    c.realtime.resync();
    await expect(resolvedByRest).resolves.toMatchObject({ id: lostOne.id });
    expect(c.emitted.at(-1)!.info).toMatchObject({ echoId: "echo-2", source: "rest" });

    const failed = new Error("422");
    await expect(c.realtime.expect("echo-3", Promise.reject(failed))).rejects.toBe(failed);
  });

  it("expect(echoId) without `sent` resolves when a resync emitted the message before the socket's echo came", async () => {
    const server = await fake();
    const c = connect(server);
    await settled(server, c);
    const echoed = c.realtime.expect("echo-r");
    const message = server.create({ echoId: "echo-r", broadcast: false });
    c.realtime.resync();
    await c.until(() => c.ids().includes(message.id), "the message over REST");
    server.broadcast("message.created", server.push(message, "echo-r")); // the echo, after it
    await expect(echoed).resolves.toMatchObject({ id: message.id });
    expect(c.ids().filter((id) => id === message.id)).toHaveLength(1);
  });

  it("two expect() calls with the same echoId both settle: on the echo, and on close()", async () => {
    const server = await fake();
    const c = connect(server);
    await c.until(() => c.realtime.state === "live", "the confirmation");
    const both = [c.realtime.expect("echo-2x"), c.realtime.expect("echo-2x")];
    const message = server.create({ echoId: "echo-2x" });
    await expect(Promise.all(both)).resolves.toMatchObject([{ id: message.id }, { id: message.id }]);
    const waiting = [c.realtime.expect("echo-never"), c.realtime.expect("echo-never")];
    c.realtime.close();
    for (const w of waiting) await expect(w).rejects.toMatchObject({ name: "AbortError" });
  });

  it("ignores private typing, expires typing without a typing_off, and filters other conversations", async () => {
    const server = await fake();
    const c = connect(server, { typingTimeoutMs: 50 });
    const seen: string[] = [];
    c.realtime.on("conversation.typing_on", (data) => seen.push(`on ${data.conversation.id} ${String(data.is_private)}`));
    c.realtime.on("conversation.typing_off", (data, info) => seen.push(`off ${data.conversation.id} ${info.expired}`));
    c.realtime.on("conversation.status_changed", (data) => seen.push(`status ${data.id} ${data.status}`));
    await c.until(() => c.realtime.state === "live", "the confirmation");
    const typing = (id: number, isPrivate: boolean | string) => ({ conversation: { id, inbox_id: 3, status: "open" }, user: { id: 5, name: "Agent", type: "user" }, is_private: isPrivate, account_id: 1 });
    server.broadcast("conversation.typing_on", typing(42, true));
    server.broadcast("conversation.typing_on", typing(42, "true"));
    server.broadcast("conversation.typing_on", typing(43, false));
    server.broadcast("conversation.status_changed", { id: 43, inbox_id: 3, status: "resolved" });
    server.broadcast("conversation.status_changed", { id: 42, inbox_id: 3, status: "resolved" });
    server.broadcast("conversation.typing_on", typing(42, false));
    await c.until(() => seen.length === 3, "the typing to expire");
    expect(seen).toEqual(["status 42 resolved", "on 42 false", "off 42 true"]);
  });

  it("close() leaves no timer and no socket, and rejects what still waits", async () => {
    const server = await fake();
    const c = connect(server, { presenceIntervalMs: 1_000, typingTimeoutMs: 60_000, resyncIntervalMs: 1_000 });
    await c.until(() => c.realtime.state === "live", "the confirmation");
    server.broadcast("conversation.typing_on", { conversation: { id: 42, inbox_id: 3, status: "open" }, user: { id: 5, type: "user" }, is_private: false });
    await c.until(() => c.timers.pending.size >= 4, "typing, presence, stale and resync timers");
    const waiting = c.realtime.expect("never");
    c.realtime.close();
    expect(c.timers.pending.size).toBe(0);
    expect(c.realtime.state).toBe("closed");
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    await server.until(() => server.open === 0, "the server to see the socket closed");
  });
});

describe("a process that closes it", () => {
  it("exits by itself: close() leaves nothing that keeps it alive (the built package, with ws)", async () => {
    const server = await fake();
    const script = `
      import { connectRealtime } from ${JSON.stringify(path.join(root, "dist/index.js"))};
      import { WebSocket } from "ws";
      const realtime = connectRealtime({ url: process.env.FAKE_URL, pubsubToken: "${TOKEN}", WebSocket, conversationId: 42,
        listMessages: async ({ before, signal }) => (await fetch(process.env.FAKE_URL + "/public/api/v1/inboxes/i/contacts/s/conversations/42/messages" + (before ? "?before=" + before : ""), { signal })).json(),
        presenceIntervalMs: 1000, resyncIntervalMs: 1000 });
      realtime.on("message", (m) => { console.log("message " + m.id); realtime.close(); console.log("closed"); });
    `;
    server.create({ broadcast: false });
    const run = await runSupervised(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, FAKE_URL: server.url } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`message ${server.messages[0]!.id}\nclosed\n`);
    expect(run.code).toBe(0);
  });

  it("close() while the socket is still connecting leaves no error behind (ws reports one after the close)", async () => {
    // A server that takes the connection and never answers the WebSocket handshake: the socket stays connecting.
    const held: Socket[] = [];
    const silent = createNetServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    onCleanup(() => new Promise((resolve) => (held.forEach((socket) => socket.destroy()), silent.close(resolve))));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const script = `
      import { connectRealtime } from ${JSON.stringify(path.join(root, "dist/index.js"))};
      import { WebSocket } from "ws";
      const realtime = connectRealtime({ url: process.env.SILENT_URL, pubsubToken: "${TOKEN}", WebSocket });
      setTimeout(() => { realtime.close(); console.log("closed"); }, 50);
    `;
    const run = await runSupervised(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, SILENT_URL: url } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("closed\n");
    expect(run.code).toBe(0);
  });
});

describe("options and secrets", () => {
  it("refuses bad options with a ValidationError naming them, before opening anything", async () => {
    const base = { url: "https://chat.example.com", pubsubToken: TOKEN, WebSocket: WebSocket as never };
    const cases: Array<[Partial<RealtimeOptions> & Record<string, unknown>, string]> = [
      [{ url: "ftp://chat.example.com" }, "url"],
      [{ url: "http://chat.example.com" }, "url"],
      [{ url: "https://user:pw@chat.example.com" }, "url"],
      [{ pubsubToken: "" }, "pubsubToken"],
      [{ userId: 1 }, "accountId"],
      [{ conversationId: -1 }, "conversationId"],
      [{ listMessages: async () => [] }, "conversationId"],
      [{ resyncIntervalMs: Number.NaN, conversationId: 1 }, "resyncIntervalMs"],
      [{ resyncTimeoutMs: 0, conversationId: 1 }, "resyncTimeoutMs"],
      [{ after: -1 }, "after"],
    ];
    for (const [extra, parameter] of cases) {
      let thrown: unknown;
      try {
        connectRealtime({ ...base, ...extra } as RealtimeOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, parameter).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).parameter).toBe(parameter);
      expect((thrown as Error).message).not.toContain(TOKEN);
    }
    vi.stubGlobal("WebSocket", undefined);
    try {
      expect(() => connectRealtime({ url: base.url, pubsubToken: TOKEN })).toThrow(/WebSocket.*ws/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("the pubsub token is in no log line, error or inspection of the client", async () => {
    const server = await fake();
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
    const c = connect(server, { logger, listMessages: async () => { throw new Error(`boom ${TOKEN}?`); } });
    await c.until(() => c.realtime.state === "live" && c.errors.length > 0, "a failed resync");
    server.drop();
    await server.until(() => server.connections === 2 && server.subscribers === 1, "the reconnect");
    expect(lines.length).toBeGreaterThan(2);
    for (const text of [...lines, inspect(c.realtime, { depth: 5, showHidden: true }), JSON.stringify(c.realtime), ...c.errors.map((e) => e.message)]) {
      expect(text).not.toContain(TOKEN);
    }
    expect(c.errors[0]).toMatchObject({ code: "resync_failed", fatal: false });
  });
});
