// Per-call cost of creating a message, side by side: raw fetch, plain openapi-fetch, this client
// and @figuro/chatwoot-sdk, in interleaved rounds against one local server process.
import { fork } from "node:child_process";
import createClient from "openapi-fetch";
import figuro from "@figuro/chatwoot-sdk";
import { createChatwootClient } from "../../dist/index.js";

const TOKEN = "bench-token";
const BODY = { content: "Hello, how can I help you?", private: false };
const PATH = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages";

export async function startServer() {
  const child = fork(new URL("./server.mjs", import.meta.url), { stdio: "ignore" });
  const port = await new Promise((resolve) => child.once("message", resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

export function contenders(url) {
  const target = `${url}/api/v1/accounts/1/conversations/42/messages`;
  const plain = createClient({ baseUrl: url });
  const ours = createChatwootClient({ baseUrl: url, apiAccessToken: TOKEN, accountId: 1 });
  const Figuro = figuro.default ?? figuro;
  const sdk = new Figuro({ config: { basePath: url, token: TOKEN } });
  return {
    "raw fetch": () => rawCreate(target),
    // The same as the baseline, measured as a contender: its ratio shows the noise of the method.
    "raw fetch (control)": () => rawCreate(target),
    // What any client with a timeout pays in undici: the same request with a 30 s AbortSignal.
    "raw fetch + timeout signal": () => withDeadline((signal) => rawCreate(target, signal)),
    // The floor of this client's own choices: a deadline, and redirect "error" (undici copies the body otherwise).
    "raw fetch + timeout signal, redirect error": () => withDeadline((signal) => rawCreate(target, signal, "error")),
    "openapi-fetch": async () => {
      const { data, error } = await plain.POST(PATH, {
        params: { path: { account_id: 1, conversation_id: 42 } },
        headers: { api_access_token: TOKEN },
        body: BODY,
      });
      if (error) throw new Error("error");
      return data;
    },
    "chatwoot-messages": () => ours.messages.create(42, BODY),
    "@figuro/chatwoot-sdk": () => sdk.messages.create({ accountId: 1, conversationId: 42, data: BODY }),
  };
}

/** A 30 s deadline, as any client with a timeout sets one. */
export async function withDeadline(run) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** The create request built by hand, as a user of plain fetch would. */
async function rawCreate(target, signal, redirect) {
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json", api_access_token: TOKEN },
    body: JSON.stringify(BODY),
    signal,
    redirect,
  });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

/**
 * Runs each contender `calls` times per round, in many short rounds with the order alternating,
 * after a warm-up. A contender's ratio is the median over rounds of (its median / the first
 * contender's median in the same round), so that drift of the machine between rounds cancels out.
 */
export async function measure(runs, { rounds, calls, warmup }) {
  const names = Object.keys(runs);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const ratios = Object.fromEntries(names.map((name) => [name, []]));
  for (const run of Object.values(runs)) for (let i = 0; i < warmup; i++) await run();
  for (let round = 0; round < rounds; round++) {
    const order = Object.entries(runs);
    if (round % 2) order.reverse(); // no contender always goes first
    const medians = {};
    for (const [name, run] of order) {
      const times = [];
      for (let i = 0; i < calls; i++) {
        const started = performance.now();
        await run();
        times.push(performance.now() - started);
      }
      samples[name].push(...times);
      medians[name] = median(times);
    }
    for (const name of names) ratios[name].push(medians[name] / medians[names[0]]);
  }
  return names.map((name) => {
    const times = samples[name];
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    return {
      name,
      calls: times.length,
      medianMs: round3(median(sorted)),
      p99Ms: round3(sorted[Math.floor(sorted.length * 0.99)]),
      callsPerSecond: Math.round(1000 / mean),
      ratioToRawFetch: Math.round(median(ratios[name]) * 100) / 100,
    };
  });
}

function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const round3 = (n) => Math.round(n * 1000) / 1000;
