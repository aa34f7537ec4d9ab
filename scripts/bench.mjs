// `npm run bench`: what this client costs, measured side by side in one run, as ratios to each
// row's baseline (interleaved rounds, median of per-round ratios, with a raw-vs-raw control).
// Prints tables and writes build/bench/latest.json. `--check` exits 1 when a figure misses its
// goal; `--quick` runs a few calls only (a smoke run, not a measurement) into build/bench/quick.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import createClient from "openapi-fetch";
import { createChatwootClient } from "../dist/index.js";
import { bundleSizes } from "./bench/bundle.mjs";
import { contenders, measure, startServer, withDeadline } from "./bench/latency.mjs";
import { pipelineTimes } from "./bench/pipeline.mjs";
import { receivingRates } from "./bench/receiving.mjs";
import { resyncCosts } from "./bench/resync.mjs";
import { verificationRate } from "./bench/webhooks.mjs";
import { root } from "./tools.mjs";

const quick = process.argv.includes("--quick");
const check = process.argv.includes("--check");
const plan = quick ? { rounds: 2, calls: 10, warmup: 5 } : { rounds: 30, calls: 200, warmup: 500 };
const server = await startServer();
const results = { node: process.version, plan };
try {
  results.create = await measure(contenders(server.url), plan);
  results.list = await measure(listContenders(server.url), plan);
  results.heap = await heapAfter(quick ? 200 : 3_000, server.url);
} finally {
  server.stop();
}
results.webhooks = await verificationRate(quick ? { rounds: 2, iterations: 100 } : { rounds: 20, iterations: 2_000 });
results.receiving = await receivingRates(quick ? { rounds: 1, deliveries: 20 } : { rounds: 5, deliveries: 2_000 });
results.bundle = await bundleSizes();
results.resync = await resyncCosts(quick ? { sizes: [20, 45], rounds: 1 } : { sizes: [20, 200, 1000], rounds: 7 });
results.pipeline = quick ? [] : pipelineTimes();

print("create one message (per call, sequential, loopback)", results.create);
print("list and parse a 20-message page", results.list);
console.log(`\nheap after ${results.heap.calls} creates: ${results.heap.growthKiB} KiB growth (${results.heap.beforeKiB} -> ${results.heap.afterKiB} KiB after GC)`);
print("webhook verification, 5 KB body", results.webhooks);
print("webhook receiving into a queue (202 once stored)", results.receiving);
print("browser bundle (minified, gzip -9): up front, and on first need (middleware, own fetch, attachments, keyed creates)", results.bundle);
print("realtime message stream: a resync over REST (calls, median ms; in-process server, no socket)", results.resync);
if (results.pipeline.length) print("spec pipeline", results.pipeline);

// The goals of the performance issue: the typed client at raw-fetch speed, verification at node:crypto speed.
const ratio = (rows, name) => rows.find((row) => row.name === name)?.ratioToRawFetch;
results.goals = [
  { goal: "create ≤ 1.05× raw fetch", value: ratio(results.create, "chatwoot-messages"), met: ratio(results.create, "chatwoot-messages") <= 1.05 },
  { goal: "list ≤ 1.05× raw fetch", value: ratio(results.list, "chatwoot-messages"), met: ratio(results.list, "chatwoot-messages") <= 1.05 },
  { goal: "verifyWebhook ≥ 0.80× node:crypto", value: results.webhooks[1].ratioToReference, met: results.webhooks[1].ratioToReference >= 0.8 },
  { goal: "client bundle ≤ 8 KB gzip, loaded up front", value: results.bundle[0].gzippedBytes, met: results.bundle[0].gzippedBytes <= 8 * 1024 },
  { goal: "contact client + realtime bundle ≤ 10 KB gzip, up front", value: contactRealtime(results.bundle), met: contactRealtime(results.bundle) <= 10 * 1024 },
  { goal: "heap growth < 2 MB over 3000 creates", value: `${results.heap.growthKiB} KiB`, met: results.heap.growthKiB < 2048 },
];
print("goals", results.goals);

const out = path.join(root, "build", "bench");
mkdirSync(out, { recursive: true });
const file = path.join(out, quick ? "quick.json" : "latest.json");
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
if (check && results.goals.some((goal) => !goal.met)) {
  console.error(`missed: ${results.goals.filter((goal) => !goal.met).map((goal) => goal.goal).join("; ")}`);
  process.exitCode = 1;
}

function contactRealtime(bundle) {
  return bundle.find((row) => row.name === "chatwoot-messages (contact client + realtime)")?.gzippedBytes;
}

function listContenders(url) {
  const target = `${url}/api/v1/accounts/1/conversations/42/messages`;
  const plain = createClient({ baseUrl: url });
  const ours = createChatwootClient({ baseUrl: url, apiAccessToken: "bench-token", accountId: 1 });
  const raw = async (signal) => {
    const response = await fetch(target, { headers: { api_access_token: "bench-token" }, signal });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  };
  return {
    "raw fetch": () => raw(),
    "raw fetch (control)": () => raw(),
    "raw fetch + timeout signal": () => withDeadline(raw),
    "openapi-fetch": async () =>
      (await plain.GET("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages", {
        params: { path: { account_id: 1, conversation_id: 42 } },
        headers: { api_access_token: "bench-token" },
      })).data,
    "chatwoot-messages": () => ours.messages.list(42),
  };
}

async function heapAfter(calls, url) {
  const gc = globalThis.gc ?? (() => {});
  const client = createChatwootClient({ baseUrl: url, apiAccessToken: "bench-token", accountId: 1 });
  for (let i = 0; i < 500; i++) await client.messages.create(42, { content: "warm-up" });
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) await client.messages.create(42, { content: `message ${i}` });
  gc();
  const after = process.memoryUsage().heapUsed;
  const kib = (bytes) => Math.round(bytes / 1024);
  return { calls, beforeKiB: kib(before), afterKiB: kib(after), growthKiB: kib(after - before), gcExposed: Boolean(globalThis.gc) };
}

function print(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}
