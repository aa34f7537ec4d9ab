/**
 * `chatwoot-messages contact watch`: the built command, supervised, against the fake ActionCable
 * server and its Client API messages index (test/helpers/fake-cable.ts). No wall clock decides:
 * each step waits for output with a generous ceiling.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import { useCleanups } from "../helpers/cleanup.js";
import { type FakeCable, useFakeCables } from "../helpers/fake-cable.js";
import { root, runSupervised, spawnSupervised, stopSupervised } from "../helpers/processes.js";

const TOKEN = "contact-token-abc";
const SOURCE_ID = "6f2c0b8e-3a1d-4c7e-9b55-WATCHSECRET";
const fake = useFakeCables(); // closed after what each test started against it (below)
const onCleanup = useCleanups();

function env(server: FakeCable, token = TOKEN) {
  return { PATH: process.env.PATH ?? "", CHATWOOT_BASE_URL: server.url, CHATWOOT_PUBSUB_TOKEN: token, CHATWOOT_SOURCE_ID: SOURCE_ID };
}

function watch(server: FakeCable, extra: string[] = []) {
  const child: ChildProcessWithoutNullStreams = spawnSupervised(process.execPath, ["dist/cli.js", "contact", "watch", "--inbox", "inbox1", "--conversation", "42", ...extra], { cwd: root, env: env(server) });
  onCleanup(() => stopSupervised(child));
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const lines = () => stdout.split("\n").filter(Boolean);
  const until = (test: () => boolean, what: string) =>
    vi.waitFor(() => { if (!test()) throw new Error(`waiting for ${what}; stdout: ${stdout}; stderr: ${stderr}`); }, { timeout: 20_000, interval: 20 });
  return { child, lines, until, stderr: () => stderr };
}

describe("chatwoot-messages contact watch", () => {
  it("--json prints each message once, in id order, across a server-side drop; updates, typing and other conversations are not printed; SIGTERM exits 0", async () => {
    const server = await fake();
    server.create({ broadcast: false });
    server.create({ broadcast: false, private: true });
    server.create({ broadcast: false });
    const w = watch(server, ["--json", "--after", "0", "--resync-seconds", "60"]);
    await w.until(() => w.lines().length === 2 && server.subscribers === 1, "the history and the subscription");
    const live = server.create({ content: "live one" });
    server.broadcast("message.updated", { ...server.push(live), content: "edited" });
    server.broadcast("conversation.typing_on", { conversation: { id: 42 }, user: { id: 5, name: "Agent" }, is_private: false });
    server.create({ conversationId: 43 });
    await w.until(() => w.lines().length === 3, "the live message");
    server.drop();
    server.create({ broadcast: false, content: "while down 1" });
    server.create({ broadcast: false, content: "while down 2" });
    await w.until(() => w.lines().length === 5, "the messages created while the socket was down");
    server.create({ content: "after the reconnect" });
    await w.until(() => w.lines().length === 6, "a live message after the reconnect");
    const printed = w.lines().map((line) => JSON.parse(line) as { id: number; content: string; conversation_id: number });
    const want = server.messages.filter((m) => m.conversation_id === 42 && !m.private);
    expect(printed.map((m) => m.id)).toEqual(want.map((m) => m.id));
    expect(printed.map((m) => m.content)).toEqual(want.map((m) => m.content));
    expect(printed[2]).toMatchObject({ id: live.id, content: "live one", conversation_id: 42, message_type: 1 });
    expect(server.connections).toBeGreaterThanOrEqual(2);
    await stopSupervised(w.child);
    expect(w.child.exitCode).toBe(0);
    expect(w.stderr() + w.lines().join("")).not.toContain(TOKEN);
    expect(w.stderr()).not.toContain(SOURCE_ID);
  });

  it("without --json, one line per message: id, sender, content", async () => {
    const server = await fake();
    server.create({ broadcast: false, content: "hello\u001b[31m", messageType: 0 });
    const w = watch(server);
    await w.until(() => w.lines().length === 1, "the latest page");
    expect(w.lines()).toEqual([`#${server.messages[0]!.id}\tcontact\thello\\u001b[31m`]);
  });

  it("a token the server never confirms: exit 1, a message naming the cause, never the token", async () => {
    const server = await fake();
    const result = await runSupervised(process.execPath, ["dist/cli.js", "contact", "watch", "--inbox", "inbox1", "--conversation", "42", "--confirm-timeout", "300ms"], {
      cwd: root, env: env(server, "stale-token-xyz"),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/subscription|pubsub token is invalid or stale/);
    expect(result.stderr).toMatch(/invalid or stale/);
    expect(result.stderr + result.stdout).not.toContain("stale-token-xyz");
  });

  it("no pubsub token: usage, exit 2, nothing opened", async () => {
    const server = await fake();
    const result = await runSupervised(process.execPath, ["dist/cli.js", "contact", "watch", "--inbox", "inbox1", "--conversation", "42"], {
      cwd: root, env: { ...env(server), CHATWOOT_PUBSUB_TOKEN: "" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs --pubsub-token TOKEN \(or CHATWOOT_PUBSUB_TOKEN\)/);
    expect(server.connections + server.lists).toBe(0);
  });
});
