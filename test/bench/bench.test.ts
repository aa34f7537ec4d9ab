/** `npm run bench --quick` runs end to end and reports every contender with its ratio (no timing is asserted). */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

it("the benchmark runs and writes its report", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "scripts/bench.mjs", "--quick"], { cwd: root });
  for (const name of ["raw fetch", "raw fetch + timeout signal", "openapi-fetch", "chatwoot-messages", "@figuro/chatwoot-sdk", "ratioToRawFetch", "gzippedBytes", "verifyWebhook (node:crypto)", "ratioToReference", "Redis queue (BullMQ)", "ackedPerSecond", "goals", "a later resync finding 1 lost message"]) {
    expect(stdout).toContain(name);
  }
  const report = JSON.parse(readFileSync(`${root}build/bench/quick.json`, "utf8"));
  expect(report.create.map((row: { name: string }) => row.name)).toEqual([
    "raw fetch", "raw fetch (control)", "raw fetch + timeout signal", "raw fetch + timeout signal, redirect error", "openapi-fetch", "chatwoot-messages", "@figuro/chatwoot-sdk",
  ]);
  expect(report.list.map((row: { name: string }) => row.name)).toEqual(["raw fetch", "raw fetch (control)", "raw fetch + timeout signal", "openapi-fetch", "chatwoot-messages"]);
  expect(report.goals.map((row: { goal: string }) => row.goal)).toHaveLength(6);
  expect(report.create[0].ratioToRawFetch).toBe(1);
  expect(report.bundle.map((row: { name: string }) => row.name)).toEqual([
    "chatwoot-messages (client)",
    "chatwoot-messages (typed fetch client)",
    "chatwoot-messages (contact client)",
    "chatwoot-messages (contact client + realtime)",
    "chatwoot-messages (everything, webhooks too)",
    "openapi-fetch alone",
    "@figuro/chatwoot-sdk",
  ]);
  // The resync figures count what they claim: a whole conversation of 45 is 3 pages (20, 20, 5), one lost message one page.
  const resync = Object.fromEntries(report.resync.map((row: { name: string; calls: number }) => [row.name, row.calls]));
  expect(resync["by hand (fetch, before paging), 45 messages"]).toBe(3);
  expect(resync["connectRealtime first resync (contact pager), 45 messages"]).toBe(3);
  expect(resync["a later resync finding 1 lost message, 45 messages"]).toBe(1);
}, 60_000);
