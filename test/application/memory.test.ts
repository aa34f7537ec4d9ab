/**
 * Memory stays flat over 10,000 conversations with keyed creates: the client keeps nothing per
 * conversation or per key once a call is over. Against an in-process fake (a fetch function, no
 * sockets) that keeps nothing itself, so that what the heap holds after a collection is the
 * client's.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { clientFor, requestPath } from "../helpers/client.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Each conversation already has 20 messages (as the latest page shows them); creates are answered and forgotten. */
function statelessChatwoot() {
  let nextId = 1_000_000;
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  return async (request: Request): Promise<Response> => {
    const conversation = Number(/\/conversations\/(\d+)\//.exec(request.url)?.[1]);
    if (request.method === "GET") {
      const payload = Array.from({ length: 20 }, (_, i) => ({
        id: conversation * 100 + i, conversation_id: conversation, content: `earlier message ${i} `.repeat(10), content_attributes: {}, message_type: 0,
      }));
      return json({ meta: {}, payload });
    }
    const body = (await request.json()) as { content: string; content_attributes: unknown };
    return json({ id: ++nextId, conversation_id: conversation, content: body.content, content_attributes: body.content_attributes, message_type: 1 });
  };
}

/** The heap once garbage is gone. Between collections, a turn of the event loop: fetch's Request frees what it holds on a signal in a FinalizationRegistry callback. */
async function heapAfterCollection(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  gc();
  return process.memoryUsage().heapUsed;
}

// With a fetch of its own the client takes the general path in both test projects: once is enough.
describe.skipIf(requestPath === "general")("memory", () => {
  it("stays flat over 10,000 conversations with keyed creates, caller's keys and automatic ones", async () => {
    const fetch = statelessChatwoot();
    const given = clientFor("https://chatwoot.test", { fetch });
    const auto = clientFor("https://chatwoot.test", { fetch, idempotencyKeys: "auto" });
    const run = async (from: number, to: number) => {
      for (let batch = from; batch < to; batch += 100) {
        await Promise.all(Array.from({ length: Math.min(100, to - batch) }, async (_, j) => {
          const conversation = batch + j + 1;
          await given.messages.create(conversation, { content: "answer" }, { idempotencyKey: `reply-${conversation}` });
          await auto.messages.create(conversation, { content: "auto answer" });
        }));
      }
    };
    await run(0, 1_000); // warm: code compiled, pools filled
    const before = await heapAfterCollection();
    await run(1_000, 10_000);
    const grown = (await heapAfterCollection()) - before;
    console.log(`heap after 10,000 conversations: ${(grown / 1024).toFixed(0)} KB more than after the first 1,000`);
    // 9,000 conversations: anything kept per conversation (a page of messages is ~8 KB) would be tens of MB.
    expect(grown).toBeLessThan(3 * 1024 * 1024);
  }, 60_000);
});
