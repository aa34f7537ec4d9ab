// What a resync of the realtime message stream costs: calls and milliseconds to fetch a whole
// conversation of N messages through connectRealtime (after: 0, the contact client's pager),
// side by side with fetching the same pages by hand (plain fetch, `before` paging: the floor), and
// a resync that finds one message the socket lost. One in-process server on 127.0.0.1 (the Client
// API's messages index: the latest 20 or the 20 before `before`, ascending); no socket ever opens
// (the stream's first resync does not wait for one), so the figures are the REST side alone.
import { createServer } from "node:http";
import { connectRealtime, createContactClient } from "../../dist/index.js";

function message(id) {
  return { id, content: `message ${id}`, message_type: 1, content_type: "text", content_attributes: {}, created_at: 1781700000 + id, conversation_id: 42 };
}

async function startIndex(count) {
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  let calls = 0;
  const server = createServer((request, response) => {
    calls++;
    const before = new URL(request.url, "http://x").searchParams.get("before");
    const page = (before === null ? ids : ids.filter((id) => id < Number(before))).slice(-20).map(message);
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(page));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get calls() { return calls; },
    reset() { calls = 0; },
    add() { ids.push(ids.length + 1); },
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** A WebSocket that never opens: the stream's REST side runs alone. */
class Unopened {
  onopen = null; onmessage = null; onclose = null; onerror = null;
  send() {}
  close() {}
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const path = "/public/api/v1/inboxes/bench/contacts/bench-source/conversations/42/messages";

async function byHand(url) {
  let before;
  let total = 0;
  for (;;) {
    const response = await fetch(`${url}${path}${before === undefined ? "" : `?before=${before}`}`);
    const page = await response.json();
    total += page.length;
    if (page.length < 20) return total;
    before = page[0].id;
  }
}

/** Resolves once the stream emitted `count` messages; then `more()` adds one unbroadcast message and resyncs. */
function throughRealtime(url, count) {
  const pager = createContactClient({ baseUrl: url, inboxIdentifier: "bench" }).session("bench-source").messages.pager(42);
  let emitted = 0;
  let waiting;
  const realtime = connectRealtime({ url, pubsubToken: "bench", WebSocket: Unopened, conversationId: 42, after: 0, listMessages: pager, reorderWindowMs: 0, presenceIntervalMs: 0, resyncIntervalMs: 600_000 });
  const until = (n) => new Promise((resolve) => { waiting = () => emitted >= n && resolve(); waiting(); });
  realtime.on("message", () => { emitted++; waiting?.(); });
  return { realtime, until, get emitted() { return emitted; } };
}

export async function resyncCosts({ sizes = [20, 200, 1000], rounds = 5 } = {}) {
  const rows = [];
  for (const size of sizes) {
    const index = await startIndex(size);
    try {
      const hand = { ms: [], calls: 0 };
      const stream = { ms: [], calls: 0 };
      const one = { ms: [], calls: 0 };
      for (let round = 0; round < rounds; round++) {
        index.reset();
        let start = performance.now();
        await byHand(index.url);
        hand.ms.push(performance.now() - start);
        hand.calls = index.calls;

        index.reset();
        start = performance.now();
        const r = throughRealtime(index.url, size);
        await r.until(size + round); // each round's extra message is part of the conversation too
        stream.ms.push(performance.now() - start);
        stream.calls = index.calls;

        index.reset();
        index.add();
        start = performance.now();
        r.realtime.resync();
        await r.until(size + round + 1);
        one.ms.push(performance.now() - start);
        one.calls = index.calls;
        r.realtime.close();
      }
      const row = (name, m) => ({ name: `${name}, ${size} messages`, calls: m.calls, medianMs: Number(median(m.ms).toFixed(2)) });
      const base = row("by hand (fetch, before paging)", hand);
      const ours = row("connectRealtime first resync (contact pager)", stream);
      rows.push(base, { ...ours, ratioToByHand: Number((ours.medianMs / base.medianMs).toFixed(2)) }, row("a later resync finding 1 lost message", one));
    } finally {
      await index.stop();
    }
  }
  return rows;
}
