/**
 * Idempotent creates against a fake Chatwoot that commits messages and then fails in every way a
 * network can: exactly one message per key, and every call resolves with it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, ConnectionError, InvalidResponseError, ServerError, TimeoutError, UnknownOutcomeError, ValidationError, type Message } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { FAULTS, startFakeChatwoot, type FakeChatwootOptions } from "../helpers/fake-chatwoot.js";
import { waitTurn, type Turns } from "../../src/application/turns.js";

const fakes: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});
async function fake(options: FakeChatwootOptions = {}) {
  const chatwoot = await startFakeChatwoot(options);
  fakes.push(chatwoot);
  return chatwoot;
}

// timeoutMs bounds the "late" fault only (the server answers once the client has given up); it
// decides no outcome: a slow "ok" that times out is reconciled like any other ambiguous failure.
const options = { timeoutMs: 500, maxRetries: 2 };

describe("idempotencyKey", () => {
  it("the fault matrix: every combination of two failing sends over 240 creates stores one message per key, and each call resolves with it", async () => {
    // Create i meets FAULTS[i % 6] on its first send and FAULTS[(i / 6) % 6] on its second: all 36 pairs, several times.
    const chatwoot = await fake({ fault: (key, nth) => {
      const i = Number(key?.split("-")[1]);
      return nth === 1 ? FAULTS[i % 6]! : nth === 2 ? FAULTS[Math.floor(i / 6) % 6]! : "ok";
    } });
    // A request that reaches the server more than settleMs after the client gave up on it is the documented window:
    // on a loaded machine 30 ms is within reach, so this test gives the server longer (it costs only the absent cases).
    const client = clientFor(chatwoot.url, { ...options, settleMs: 500 });
    const results = new Map<string, Message>();
    const total = 240;
    for (let batch = 0; batch < total; batch += 24) {
      await Promise.all(Array.from({ length: 24 }, async (_, j) => {
        const i = batch + j;
        const key = `key-${i}`;
        results.set(key, await client.messages.create(40 + (i % 4), { content: `answer ${i}` }, { idempotencyKey: key }));
      }));
    }
    for (let i = 0; i < total; i++) {
      const key = `key-${i}`;
      const stored = chatwoot.messages.filter((message) => message.content_attributes.chatwoot_messages_key === key);
      expect(stored, key).toHaveLength(1);
      expect(results.get(key)?.id, key).toBe(stored[0]!.id);
    }
    expect(chatwoot.messages).toHaveLength(total);
    console.log(`fault matrix: ${total} creates, ${chatwoot.posts()} sends, ${chatwoot.messages.length} messages stored, one per key`);
  }, 120_000);

  it("repeated and concurrent calls with one key post once and resolve with the same message", async () => {
    const chatwoot = await fake();
    const client = clientFor(chatwoot.url, options);
    const [a, b] = await Promise.all([
      client.messages.create(42, { content: "once" }, { idempotencyKey: "k-1" }),
      client.messages.create(42, { content: "once" }, { idempotencyKey: "k-1" }),
    ]);
    const c = await client.messages.create(42, { content: "once" }, { idempotencyKey: "k-1" });
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(chatwoot.postsOf("k-1")).toBe(1);
  });

  it("a new client (a restarted worker) with a key already posted finds the message instead of posting again", async () => {
    const chatwoot = await fake();
    const first = await clientFor(chatwoot.url, options).messages.create(42, { content: "reply" }, { idempotencyKey: "reply-77" });
    const again = await clientFor(chatwoot.url, options).messages.create(42, { content: "reply" }, { idempotencyKey: "reply-77" });
    expect(again.id).toBe(first.id);
    expect(chatwoot.postsOf("reply-77")).toBe(1);
  });

  it("a bot token (lists answer 401): the create goes ahead, and an ambiguous failure is UnknownOutcomeError, never a second send", async () => {
    const chatwoot = await fake({ botToken: true, fault: (key) => (key === "bot-2" ? "502-after-commit" : "ok") });
    const client = clientFor(chatwoot.url, options);
    await expect(client.messages.create(42, { content: "fine" }, { idempotencyKey: "bot-1" })).resolves.toMatchObject({ content: "fine" });
    const error = await client.messages.create(42, { content: "unsure" }, { idempotencyKey: "bot-2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect(error).toMatchObject({ requestSent: true, idempotencyKey: "bot-2" });
    expect((error as Error).cause).toBeInstanceOf(ServerError);
    expect(chatwoot.postsOf("bot-2")).toBe(1);
    expect(chatwoot.lists()).toBe(2); // each call asks (a 401 costs one list): nothing remembered decides an outcome
  });

  it("a server that drops the marker is noticed from a create's answer; later ambiguous failures are UnknownOutcomeError", async () => {
    const warnings: string[] = [];
    const chatwoot = await fake({ dropsMarker: true, fault: (key) => (key === "old-2" ? "drop-after-commit" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, logger: { warn: (line) => warnings.push(line) } });
    await client.messages.create(42, { content: "first" }, { idempotencyKey: "old-1" });
    expect(warnings.join("\n")).toContain("dropped the chatwoot_messages_key");
    const error = await client.messages.create(42, { content: "second" }, { idempotencyKey: "old-2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect((error as Error).cause).toBeInstanceOf(ConnectionError);
    expect(chatwoot.posts()).toBe(2);
  });

  it("without a key a create is never sent again after an ambiguous failure, as before", async () => {
    const chatwoot = await fake({ fault: () => "late-after-commit" });
    const error = await clientFor(chatwoot.url, options).messages.create(42, { content: "plain" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(chatwoot.posts()).toBe(1);
    expect(chatwoot.messages[0]!.content_attributes).toEqual({ chatwoot_messages_key: true, chatwoot_messages_by: "chatwoot-messages" }); // still marked, for the echo guard
  });

  it('idempotencyKeys: "auto" gives every create a key, so a 502 after commit is reconciled', async () => {
    const chatwoot = await fake({ fault: (_key, nth) => (nth === 1 ? "502-after-commit" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, idempotencyKeys: "auto" });
    const message = await client.messages.create(42, { content: "auto" });
    expect(chatwoot.messages).toHaveLength(1);
    expect(message.id).toBe(chatwoot.messages[0]!.id);
    expect(typeof message.content_attributes.chatwoot_messages_key).toBe("string");
  });

  it("gives up with UnknownOutcomeError when every send fails before committing and the message never appears", async () => {
    const chatwoot = await fake({ fault: () => "503-before-commit" });
    const error = await clientFor(chatwoot.url, options).messages.create(42, { content: "x" }, { idempotencyKey: "never" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect(chatwoot.postsOf("never")).toBe(3); // the first send and two re-sends, each after looking
    expect(chatwoot.messages).toHaveLength(0);
  });

  it.each([["", "empty"], ["a b", "a space"], ["x".repeat(201), "too long"], [42, "a number"]])("refuses the key %j (%s) before sending", async (key: unknown, _why: string) => {
    const chatwoot = await fake();
    await expect(clientFor(chatwoot.url).messages.create(42, { content: "x" }, { idempotencyKey: key as string })).rejects.toBeInstanceOf(ValidationError);
    expect(chatwoot.posts()).toBe(0);
  });
});

/** Resolves on the fake's next commit: the moment a create has certainly reached the server. */
const committed = (chatwoot: { events: import("node:events").EventEmitter }) => new Promise<void>((resolve) => chatwoot.events.once("commit", () => resolve()));

describe("the server's list is the only truth", () => {
  it("a job retried on another, warm worker (which answered in that conversation before) finds the first worker's send", async () => {
    const chatwoot = await fake({ fault: (key, nth) => (key === "reply-2" && nth === 1 ? "late-after-commit" : "ok") });
    const workerB = clientFor(chatwoot.url, options);
    await workerB.messages.create(42, { content: "earlier answer" }, { idempotencyKey: "reply-1" });
    // Worker A sends, and dies before its job is acknowledged: its call never completes.
    const death = new AbortController();
    void committed(chatwoot).then(() => death.abort());
    const workerA = clientFor(chatwoot.url, { ...options, timeoutMs: 60_000 });
    await expect(workerA.messages.create(42, { content: "answer" }, { idempotencyKey: "reply-2", signal: death.signal })).rejects.toThrow();
    const retried = await workerB.messages.create(42, { content: "answer" }, { idempotencyKey: "reply-2" });
    expect(chatwoot.postsOf("reply-2")).toBe(1);
    expect(retried.id).toBe(chatwoot.messages.at(-1)!.id);
  });

  it("an abort after sending leaves the key \"maybe sent\": the same client's retry looks first", async () => {
    const chatwoot = await fake({ fault: (key, nth) => (key === "k-abort" && nth === 1 ? "late-after-commit" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, timeoutMs: 60_000 });
    await client.messages.create(42, { content: "warm" }, { idempotencyKey: "warm-up" }).catch(() => undefined);
    const abort = new AbortController();
    void committed(chatwoot).then(() => abort.abort());
    await expect(client.messages.create(42, { content: "x" }, { idempotencyKey: "k-abort", signal: abort.signal })).rejects.toThrow();
    const again = await client.messages.create(42, { content: "x" }, { idempotencyKey: "k-abort" });
    expect(chatwoot.postsOf("k-abort")).toBe(1);
    expect(again.content_attributes).toMatchObject({ chatwoot_messages_key: "k-abort" });
  });

  it("one caller's abort never fails another caller's create with the same key", async () => {
    const chatwoot = await fake({ fault: (_key, nth) => (nth === 1 ? "late-after-commit" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, timeoutMs: 60_000 });
    const abort = new AbortController();
    void committed(chatwoot).then(() => abort.abort());
    const [first, second] = await Promise.allSettled([
      client.messages.create(42, { content: "x" }, { idempotencyKey: "shared", signal: abort.signal }),
      client.messages.create(42, { content: "x" }, { idempotencyKey: "shared" }),
    ]);
    expect(first.status).toBe("rejected");
    expect(second).toMatchObject({ status: "fulfilled", value: { id: chatwoot.messages[0]!.id } });
    expect(chatwoot.postsOf("shared")).toBe(1);
  });

  it("the same key in another conversation or account is another key: each posts its own message", async () => {
    const chatwoot = await fake();
    const client = clientFor(chatwoot.url, options);
    const a = await client.messages.create(42, { content: "a" }, { idempotencyKey: "same" });
    const b = await client.messages.create(43, { content: "b" }, { idempotencyKey: "same" });
    const c = await client.messages.create(42, { content: "c" }, { idempotencyKey: "same", accountId: 2 });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(chatwoot.messages.map((m) => [m.account_id, m.conversation_id, m.content])).toEqual([[1, 42, "a"], [1, 43, "b"], [2, 42, "c"]]);
  });

  it("a 2xx list without payload is an InvalidResponseError, nothing is sent, and the next call lists again", async () => {
    const chatwoot = await fake({ listFault: (nth) => (nth === 1 ? "no-payload" : "ok") });
    const client = clientFor(chatwoot.url, options);
    await expect(client.messages.create(42, { content: "x" }, { idempotencyKey: "odd" })).rejects.toBeInstanceOf(InvalidResponseError);
    expect(chatwoot.posts()).toBe(0);
    await expect(client.messages.create(42, { content: "x" }, { idempotencyKey: "odd" })).resolves.toMatchObject({ content: "x" });
    expect(chatwoot.postsOf("odd")).toBe(1);
    await expect(client.messages.list(42)).resolves.toMatchObject({ payload: [{ content: "x" }] });
  });

  it("a server that commits after the first look (Rails finishing a request the client gave up on) gets no second send", async () => {
    const chatwoot = await fake({ fault: (_key, nth) => (nth === 1 ? "502-commit-after-next-list" : "ok") });
    const message = await clientFor(chatwoot.url, options).messages.create(42, { content: "slow" }, { idempotencyKey: "slow-1" });
    expect(chatwoot.messages).toHaveLength(1);
    expect(message.id).toBe(chatwoot.messages[0]!.id);
    expect(chatwoot.postsOf("slow-1")).toBe(1);
  });

  it("per-call maxRetries bounds a keyed create's sends", async () => {
    const chatwoot = await fake({ fault: () => "503-before-commit" });
    const client = clientFor(chatwoot.url, options); // maxRetries 2
    await expect(client.messages.create(42, { content: "x" }, { idempotencyKey: "none", maxRetries: 0 })).rejects.toBeInstanceOf(UnknownOutcomeError);
    expect(chatwoot.postsOf("none")).toBe(1);
    await expect(client.messages.create(42, { content: "x" }, { idempotencyKey: "one", maxRetries: 1 })).rejects.toBeInstanceOf(UnknownOutcomeError);
    expect(chatwoot.postsOf("one")).toBe(2);
  });

  it("an anchor: the key is found among all the messages after it, past the latest page and across pages of 100", async () => {
    const chatwoot = await fake();
    const question = chatwoot.incoming(42, "where is my order?");
    for (let i = 0; i < 105; i++) chatwoot.incoming(42, `chatter ${i}`);
    const first = await clientFor(chatwoot.url, options).messages.create(42, { content: "here" }, { idempotencyKey: `reply-${question.id}`, idempotencyAnchor: question.id });
    for (let i = 0; i < 25; i++) chatwoot.incoming(42, `more ${i}`);
    const listsBefore = chatwoot.lists();
    const again = await clientFor(chatwoot.url, options).messages.create(42, { content: "here" }, { idempotencyKey: `reply-${question.id}`, idempotencyAnchor: question.id });
    expect(again.id).toBe(first.id);
    expect(chatwoot.postsOf(`reply-${question.id}`)).toBe(1);
    expect(chatwoot.lists() - listsBefore).toBe(2); // 100 after the anchor, then the rest
  });

  it("what it costs: one list before the first send of a caller's key, none for an automatic key", async () => {
    const chatwoot = await fake();
    await clientFor(chatwoot.url, options).messages.create(42, { content: "given" }, { idempotencyKey: "given-1" });
    expect(chatwoot.lists()).toBe(1);
    await clientFor(chatwoot.url, { ...options, idempotencyKeys: "auto" }).messages.create(42, { content: "auto" });
    expect(chatwoot.lists()).toBe(1);
    expect(chatwoot.posts()).toBe(2);
  });

  it("a bot token with a lookupToken: lists go with the lookup token, and an ambiguous failure is reconciled", async () => {
    const chatwoot = await fake({ botToken: true, userTokens: ["user-token-123"], fault: (_key, nth) => (nth === 1 ? "502-after-commit" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, lookupToken: "user-token-123" });
    const message = await client.messages.create(42, { content: "sure" }, { idempotencyKey: "bot-3" });
    expect(message.id).toBe(chatwoot.messages[0]!.id);
    expect(chatwoot.postsOf("bot-3")).toBe(1);
  });

  it("a server that drops the marker is noticed on the first ambiguous create of a fresh process: UnknownOutcomeError, sent once", async () => {
    const chatwoot = await fake({ dropsMarker: true, fault: (_key, nth) => (nth === 1 ? "drop-after-commit" : "ok") });
    const question = chatwoot.incoming(42, "hi");
    const error = await clientFor(chatwoot.url, options).messages
      .create(42, { content: "hello" }, { idempotencyKey: "fresh-1", idempotencyAnchor: question.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect((error as Error).message).toContain("drop the marker");
    expect(chatwoot.posts()).toBe(1);
  });

  it("a contact's message with the same text is not taken for ours with its marker dropped: the create is re-sent once absent", async () => {
    const chatwoot = await fake({ fault: (_key, nth) => (nth === 1 ? "503-before-commit" : "ok") });
    chatwoot.incoming(42, "ok");
    const reply = await clientFor(chatwoot.url, options).messages.create(42, { content: "ok" }, { idempotencyKey: "ok-1" });
    expect(chatwoot.postsOf("ok-1")).toBe(2);
    expect(chatwoot.messages.map((m) => [m.message_type, m.content])).toEqual([[0, "ok"], [1, "ok"]]);
    expect(reply.id).toBe(chatwoot.messages[1]!.id);
  });

  it("an anchor without a key is refused before sending", async () => {
    const chatwoot = await fake();
    await expect(clientFor(chatwoot.url).messages.create(42, { content: "x" }, { idempotencyAnchor: 5 })).rejects.toBeInstanceOf(ValidationError);
    expect(chatwoot.posts()).toBe(0);
  });

  it("an abort after the create went out, committed by the server only later: the retry waits for the key's background looks and finds it", async () => {
    // The server commits only after the next list once the client hung up: the old client's retry looked at once,
    // before the commit, and sent again.
    const chatwoot = await fake({ fault: (key, nth) => (key === "k-later" && nth === 1 ? "hang-commit-after-next-list" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, timeoutMs: 60_000 });
    const abort = new AbortController();
    chatwoot.events.once("received", () => abort.abort());
    const error = await client.messages.create(42, { content: "x" }, { idempotencyKey: "k-later", signal: abort.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError); // at once: the looks go on without the caller
    const again = await client.messages.create(42, { content: "x" }, { idempotencyKey: "k-later" });
    expect(chatwoot.postsOf("k-later")).toBe(1);
    expect(again.id).toBe(chatwoot.messages[0]!.id);
    expect(chatwoot.lists()).toBe(4); // the first look, two in the background (the commit lands after the first of them), the retry's
  });

  it("a call queued behind an aborted one with the same key looks only after the aborted call's background looks", async () => {
    const chatwoot = await fake({ fault: (key, nth) => (key === "k-queued" && nth === 1 ? "hang-commit-after-next-list" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, timeoutMs: 60_000 });
    const abort = new AbortController();
    chatwoot.events.once("received", () => abort.abort());
    const [first, second] = await Promise.allSettled([
      client.messages.create(42, { content: "x" }, { idempotencyKey: "k-queued", signal: abort.signal }),
      client.messages.create(42, { content: "x" }, { idempotencyKey: "k-queued" }),
    ]);
    expect(first).toMatchObject({ status: "rejected", reason: expect.any(AbortError) });
    expect(second).toMatchObject({ status: "fulfilled", value: { id: chatwoot.messages[0]!.id } });
    expect(chatwoot.postsOf("k-queued")).toBe(1);
  });

  it("the wait for an earlier call with the same key is bounded by the call's timeoutMs: TimeoutError, nothing sent", async () => {
    const chatwoot = await fake({ fault: (_key, nth) => (nth === 1 ? "late-after-commit" : "ok") });
    const client = clientFor(chatwoot.url, { ...options, timeoutMs: 60_000 });
    const abort = new AbortController();
    const ceiling = setTimeout(() => abort.abort(), 10_000); // only so that a client without the bound cannot wait forever
    const first = client.messages.create(42, { content: "x" }, { idempotencyKey: "k-wait", signal: abort.signal }).catch((e: unknown) => e);
    await committed(chatwoot); // the first call holds the key's turn, its create in flight
    const second = await client.messages.create(42, { content: "x" }, { idempotencyKey: "k-wait", timeoutMs: 50 }).catch((e: unknown) => e);
    clearTimeout(ceiling);
    abort.abort();
    expect(second).toBeInstanceOf(TimeoutError);
    expect((second as Error).message).toContain("an earlier call with the idempotency key");
    expect(await first).toBeInstanceOf(AbortError);
    expect(chatwoot.postsOf("k-wait")).toBe(1);
  }, 20_000);

  it("a list answer with null among its messages is an InvalidResponseError, and nothing is sent", async () => {
    const chatwoot = await fake({ listFault: (nth) => (nth === 1 ? "null-entry" : "ok") });
    const client = clientFor(chatwoot.url, options);
    const error = await client.messages.create(42, { content: "x" }, { idempotencyKey: "nulls" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("payload[0] is not a message");
    expect(chatwoot.posts()).toBe(0);
  });

  it("a warm client asks the server as a fresh one does: a list once refused in the account does not stop the next look", async () => {
    // The lookup token is refused in one conversation only (an agent not in that inbox): the first list answers 401.
    const chatwoot = await fake({ listFault: (nth) => (nth === 1 ? "401" : "ok") });
    const warm = clientFor(chatwoot.url, options);
    await warm.messages.create(41, { content: "a" }, { idempotencyKey: "k-41" });
    const other = await clientFor(chatwoot.url, options).messages.create(42, { content: "b" }, { idempotencyKey: "k-42" }); // another worker
    const again = await warm.messages.create(42, { content: "b" }, { idempotencyKey: "k-42" }); // the job run again here
    expect(again.id).toBe(other.id);
    expect(chatwoot.postsOf("k-42")).toBe(1);
  });

  it.each([
    ["cards without text (and a key of its own the server drops)", { content_type: "cards", content_attributes: { items: [{ title: "Starter", actions: [{ type: "postback", text: "Choose", payload: "S" }] }], x_mine: 1 } }],
    ["attachments only", { attachments: [{ data: new Uint8Array([1, 2, 3]), filename: "a.txt" }] }],
  ])("a server that drops the marker: %s is recognised by its shape, UnknownOutcomeError, sent once", async (_what, body) => {
    const chatwoot = await fake({ dropsMarker: true, fault: (_key, nth) => (nth === 1 ? "502-after-commit" : "ok") });
    const question = chatwoot.incoming(42, "hi");
    const error = await clientFor(chatwoot.url, options).messages
      .create(42, body as never, { idempotencyKey: "shape-1", idempotencyAnchor: question.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect((error as Error).message).toContain("drop the marker");
    expect(chatwoot.posts()).toBe(1);
  });

  it("a message of another shape without a marker (other cards) is not taken for ours: the create is re-sent once absent", async () => {
    const chatwoot = await fake({ dropsMarker: true, fault: (_key, nth) => (nth === 1 ? "503-before-commit" : "ok") });
    const card = (title: string) => ({ content_type: "cards" as const, content_attributes: { items: [{ title, actions: [{ type: "postback", text: "Go", payload: title }] }] } });
    await clientFor(chatwoot.url, options).messages.create(42, card("Earlier"), { idempotencyKey: "shape-0" });
    const reply = await clientFor(chatwoot.url, options).messages.create(42, card("Later"), { idempotencyKey: "shape-2" });
    expect(chatwoot.postsOf("shape-2")).toBe(2);
    expect(reply.id).toBe(chatwoot.messages.at(-1)!.id);
  });

  it("a key is kept only while a call with it runs or is held by its background looks: the next call runs after them, and nothing is left", async () => {
    const turns: Turns = new Map();
    const wait = { timeoutMs: 60_000, what: "the call ahead" };
    const order: string[] = [];
    let endLooks!: () => void;
    const looks = new Promise<void>((resolve) => (endLooks = resolve));
    await waitTurn(turns, "k", wait, async (hold) => {
      hold(() => looks.then(() => void order.push("background looks over")));
      throw new Error("gave up");
    }).catch(() => order.push("first call rejected"));
    expect(turns.size).toBe(1); // held: the call is over, its key is not
    const next = waitTurn(turns, "k", wait, async () => void order.push("next call runs"));
    endLooks();
    await next;
    expect(order).toEqual(["first call rejected", "background looks over", "next call runs"]);
    await new Promise((resolve) => setTimeout(resolve, 0)); // the map is tidied once the last turn has settled
    expect(turns.size).toBe(0);
  });
});
