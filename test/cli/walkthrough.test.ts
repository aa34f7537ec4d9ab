/**
 * The README's bot walkthrough, as a user would run it: the echo bot code block from README.md,
 * started as its own process against a fake Chatwoot, and `webhooks trigger` sending it signed
 * deliveries. One answer per incoming message, none to itself.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import { startFakeChatwoot } from "../helpers/fake-chatwoot.js";
import { root, runSupervised, spawnSupervised, waitFor } from "../helpers/processes.js";
import { SECRET, sign } from "../helpers/sign.js";

const readme = readFileSync(path.join(root, "README.md"), "utf8");
const botCode = /<!-- echo-bot\.mjs[^\n]*-->\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
// Inside the checkout, where "chatwoot-messages" resolves to this package (build/ is ignored by git).
const botFile = path.join(root, "build", `echo-bot-${process.pid}.mjs`);

let chatwoot: Awaited<ReturnType<typeof startFakeChatwoot>>;
let botUrl: string;
let stopBot: () => Promise<unknown>;

beforeAll(async () => {
  expect(botCode, "the echo bot block in README.md").toBeTruthy();
  mkdirSync(path.dirname(botFile), { recursive: true });
  writeFileSync(botFile, botCode!);
  chatwoot = await startFakeChatwoot();
  const port = await freePort();
  botUrl = `http://127.0.0.1:${port}/`;
  const bot = spawnSupervised(process.execPath, [botFile], {
    env: { PATH: process.env.PATH ?? "", CHATWOOT_BASE_URL: chatwoot.url, CHATWOOT_API_TOKEN: "agent-token", CHATWOOT_WEBHOOK_SECRET: SECRET, PORT: String(port) },
  });
  let said = "";
  bot.stdout.on("data", (chunk) => (said += chunk));
  bot.stderr.on("data", (chunk) => (said += chunk));
  await waitFor(() => said.includes(`echo bot on :${port}`), 20_000, "the echo bot", () => said);
  stopBot = () => {
    const exited = new Promise((resolve) => bot.once("exit", resolve));
    bot.kill("SIGTERM");
    return exited;
  };
}, 40_000);

afterAll(async () => {
  await stopBot?.();
  await chatwoot?.close();
  rmSync(botFile, { force: true });
});

const trigger = (...args: string[]) =>
  runSupervised(process.execPath, ["dist/cli.js", "webhooks", "trigger", "message_created", "--to", botUrl, ...args], {
    env: { PATH: process.env.PATH ?? "", CHATWOOT_WEBHOOK_SECRET: SECRET },
  });

describe("the README's echo bot with webhooks trigger", () => {
  it("answers a contact's message once, through retries, duplicates and its own reply's webhook; refuses a stale delivery", async () => {
    const first = await trigger();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/ message_created \(contactMessage\), delivery [0-9a-f-]{36}, signed at \d+\n-> 200 \{"handled":true\}\n$/);
    expect(chatwoot.messages).toHaveLength(1);
    const [reply] = chatwoot.messages;
    expect(reply!.content).toMatch(/^You said: /);
    const key = reply!.content_attributes.chatwoot_messages_key as string;
    expect(key).toMatch(/^echo-\d+$/);

    const retry = await trigger("--retry");
    expect(retry.code).toBe(0);
    const stamps = [...retry.stdout.matchAll(/signed at (\d+)/g)].map((m) => Number(m[1]));
    expect(stamps).toHaveLength(2);
    expect(stamps[1]!).toBeGreaterThan(stamps[0]!);
    expect(new Set([...retry.stdout.matchAll(/delivery ([0-9a-f-]{36})/g)].map((m) => m[1])).size).toBe(1);

    const duplicate = await trigger("--duplicate");
    expect(duplicate.code).toBe(0);
    expect(duplicate.stdout.match(/-> 200 \{"duplicate":true\}/g)).toHaveLength(2); // the message was answered already

    const stale = await trigger("--stale");
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain("-> 401 ");

    // Chatwoot then sends the bot its own reply as message_created: the echo guard drops it.
    const echo = JSON.stringify({ event: "message_created", id: reply!.id, account: { id: 1 }, message_type: "outgoing", private: false, content: reply!.content, content_attributes: reply!.content_attributes, conversation: { id: 42 } });
    const answer = await fetch(botUrl, { method: "POST", headers: sign(echo), body: echo });
    expect(await answer.json()).toEqual({ skipped: "own message" });

    expect(chatwoot.messages).toHaveLength(1);
    expect(chatwoot.postsOf(key)).toBe(1);
  }, 60_000);

  it("trigger refuses an unknown event or example with its usage (exit 2)", async () => {
    const env = { env: { PATH: process.env.PATH ?? "", CHATWOOT_WEBHOOK_SECRET: SECRET } };
    const unknownEvent = await runSupervised(process.execPath, ["dist/cli.js", "webhooks", "trigger", "message_deleted"], env);
    expect(unknownEvent.code).toBe(2);
    expect(unknownEvent.stderr).toContain('no event "message_deleted"; Chatwoot sends:');
    const unknownExample = await runSupervised(process.execPath, ["dist/cli.js", "webhooks", "trigger", "message_created", "--example", "nope"], env);
    expect(unknownExample.code).toBe(2);
    expect(unknownExample.stderr).toContain("there are: contactMessage, agentReply");
  });
});
