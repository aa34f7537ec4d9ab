/**
 * Idempotent creates against a fake Chatwoot that commits messages and then fails in every way a
 * network can: exactly one message per key, and every call resolves with it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, ServerError, TimeoutError, UnknownOutcomeError, ValidationError, type Message } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { FAULTS, startFakeChatwoot, type FakeChatwootOptions } from "../helpers/fake-chatwoot.js";

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
    const client = clientFor(chatwoot.url, options);
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
    expect(chatwoot.messages[0]!.content_attributes).toEqual({ chatwoot_messages_key: true }); // still marked, for the echo guard
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
