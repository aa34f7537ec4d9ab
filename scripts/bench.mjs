// `npm run bench`: what this client costs, measured side by side in one run. Prints tables and
// writes build/bench/latest.json. `--quick` runs a few calls only (a smoke run, not a measurement)
// and writes build/bench/quick.json instead.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import createClient from "openapi-fetch";
import { createChatwootClient } from "../dist/index.js";
import { bundleSizes } from "./bench/bundle.mjs";
import { contenders, measure, startServer } from "./bench/latency.mjs";
import { pipelineTimes } from "./bench/pipeline.mjs";
import { receivingRates } from "./bench/receiving.mjs";
import { verificationRate } from "./bench/webhooks.mjs";
import { root } from "./tools.mjs";

const quick = process.argv.includes("--quick");
const plan = quick ? { rounds: 1, calls: 20, warmup: 5 } : { rounds: 5, calls: 2000, warmup: 500 };
const server = await startServer();
const results = { node: process.version, plan };
try {
  results.create = await measure(contenders(server.url), plan);
  results.list = await measure(listContenders(server.url), plan);
  results.heap = await heapAfter(quick ? 200 : 10_000, server.url);
} finally {
  server.stop();
}
results.webhooks = await verificationRate(quick ? 200 : 20_000);
results.receiving = await receivingRates(quick ? { rounds: 1, deliveries: 20 } : { rounds: 5, deliveries: 2_000 });
results.bundle = await bundleSizes();
results.pipeline = quick ? [] : pipelineTimes();

print("create one message (per call, sequential, loopback)", results.create);
print("list and parse a 100-message page", results.list);
console.log(`\nheap after ${results.heap.calls} creates: ${results.heap.growthKiB} KiB growth (${results.heap.beforeKiB} -> ${results.heap.afterKiB} KiB after GC)`);
print("webhook verification", results.webhooks);
print("webhook receiving into a queue (202 once stored)", results.receiving);
print("browser bundle (minified, gzip -9)", results.bundle);
if (results.pipeline.length) print("spec pipeline", results.pipeline);

const out = path.join(root, "build", "bench");
mkdirSync(out, { recursive: true });
const file = path.join(out, quick ? "quick.json" : "latest.json");
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);

function listContenders(url) {
  const target = `${url}/api/v1/accounts/1/conversations/42/messages`;
  const plain = createClient({ baseUrl: url });
  const ours = createChatwootClient({ baseUrl: url, apiAccessToken: "bench-token", accountId: 1 });
  return {
    "raw fetch": async () => (await fetch(target, { headers: { api_access_token: "bench-token" } })).json(),
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
