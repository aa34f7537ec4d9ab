/** The built `chatwoot-messages` command, end to end against the Prism mock. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { closedPort, json, startServer } from "../helpers/http-server.js";
import { root, runSupervised, spawnSupervised, waitFor } from "../helpers/processes.js";

const TOKEN = "cli-secret-token-0001";

/** The built CLI, supervised so that it cannot outlive a killed test run. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? "", CHATWOOT_BASE_URL: inject("prismUrl"), CHATWOOT_API_TOKEN: TOKEN };
  return runSupervised(process.execPath, ["dist/cli.js", ...args], { cwd: root, env: { ...base, ...env } });
}

describe("chatwoot-messages", () => {
  it("send prints the new message's id, or its JSON with --json", async () => {
    expect(await cli(["send", "42", "--content", "Hello"])).toMatchObject({ code: 0, stdout: "sent message 1234\n", stderr: "" });
    const json = await cli(["send", "42", "--content", "Note", "--private", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: 1234, message_type: 1 });
  });

  it("send --attach uploads files (repeatable)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cli-attach-"));
    writeFileSync(path.join(dir, "a.json"), '{"reserved": "?&=#"}');
    writeFileSync(path.join(dir, "b.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    try {
      const result = await cli(["send", "42", "--attach", path.join(dir, "a.json"), "--attach", path.join(dir, "b.png")]);
      expect(result, result.stderr).toMatchObject({ code: 0, stdout: "sent message 1234\n" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("list prints one line per message", async () => {
    const { code, stdout } = await cli(["list", "42", "--before", "1300"]);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([
      "1226\tincoming\tAlex Contact: Hi, where is my refund?",
      "1227\tactivity\tsystem: Conversation was assigned to Jane Doe",
      "1228\toutgoing\tJane Doe: Let me check that for you.",
    ]);
  });

  it("status, delete, retry and translate", async () => {
    expect(await cli(["status", "42", "1242", "read"])).toMatchObject({ code: 0, stdout: "message 1242 is read\n" });
    expect(await cli(["delete", "42", "1239"])).toMatchObject({ code: 0, stdout: "deleted message 1239\n" });
    expect(await cli(["retry", "42", "1243"])).toMatchObject({ code: 0, stdout: "message 1243 handed to its channel again (sent)\n" });
    expect(await cli(["translate", "42", "1243", "es"])).toMatchObject({ code: 0, stdout: "Tu pedido fue enviado hoy.\n" });
  });

  it("an API error is one line with the status and Chatwoot's words, exit 1, never the token", async () => {
    const server = await startServer((request, response) =>
      json(response, 404, { error: "Resource could not be found", echo: String(request.headers["api_access_token"]) }, { "x-request-id": "r-1" }),
    );
    try {
      const result = await cli(["delete", "42", "7"], { CHATWOOT_BASE_URL: server.url });
      expect(result).toEqual({ code: 1, stdout: "", stderr: "error: 404 Resource could not be found (request id r-1)\n" });
      expect(server.requests[0]!.headers["api_access_token"]).toBe(TOKEN);
    } finally {
      await server.close();
    }
  });

  it("a connection failure is one line too", async () => {
    const port = await closedPort();
    const result = await cli(["list", "42"], { CHATWOOT_BASE_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: ConnectionError: Could not complete the exchange with http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED[^\n]*\n$/);
  });

  it("without a base URL it talks to the local mock (MOCK_PORT, as npm start), says so, and never sends the real token there", async () => {
    const mock = await startServer((_request, response) => json(response, 200, { payload: [] }));
    try {
      const result = await cli(["list", "42"], { CHATWOOT_BASE_URL: "", MOCK_PORT: String(mock.port) });
      expect(result).toMatchObject({ code: 0, stdout: "(no messages)\n" });
      expect(result.stderr.split("\n")[0]).toBe(`no base URL given: using the local mock at http://127.0.0.1:${mock.port}, with a placeholder token (not CHATWOOT_API_TOKEN)`);
      expect(mock.requests).toHaveLength(1);
      expect(JSON.stringify(mock.requests[0]!.headers)).not.toContain(TOKEN);
    } finally {
      await mock.close();
    }
  });

  it("prints customers' text with control characters escaped, in summaries and in --json", async () => {
    const hostile = "Hi\u001b]0;pwned\u0007\u001b[31mred\u009b2J\u202eevil\nline";
    const page = { payload: [{ id: 5, content: hostile, message_type: 0, content_type: "text", private: false, created_at: 1, conversation_id: 42, sender: { id: 1, type: "contact", name: "Eve\u001b[2J" } }] };
    const server = await startServer((_request, response) => json(response, 200, page));
    try {
      for (const args of [["list", "42"], ["list", "42", "--json"]]) {
        const result = await cli(args, { CHATWOOT_BASE_URL: server.url });
        expect(result.code).toBe(0);
        expect(result.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
        expect(result.stdout).toContain("\\u001b]0;pwned");
      }
      const summary = await cli(["list", "42"], { CHATWOOT_BASE_URL: server.url });
      expect(summary.stdout.trim().split("\n")).toHaveLength(1); // a newline in content does not forge a second line
      const parsed = JSON.parse((await cli(["list", "42", "--json"], { CHATWOOT_BASE_URL: server.url })).stdout);
      expect(parsed.payload[0].content).toBe(hostile); // escaped for the terminal, still the same JSON
    } finally {
      await server.close();
    }
  });

  it.each([
    [["send"], "send takes 1 argument(s)"],
    [["send", "42"], "send needs --content or --attach"],
    [["send", "42", "--bogus"], "Unknown option '--bogus'"],
    [["list", "42", "--before", "soon"], "--before takes a message id"],
    [["list", "abc"], "conversationId must be a positive integer"],
    [["delete", "42", "1/../2"], "messageId must be a positive integer"],
    [["status", "42", "7", "bogus"], "body.status must be one of"],
    [["list", "42", "--account", "x"], "accountId must be a positive integer"],
    [["list", "42", "--token"], "argument missing"],
    [["webhooks", "listen", "--port", "99999"], "--port takes a number from 0 to 65535"],
    [["webhooks", "listen", "--bogus"], "Unknown option '--bogus'"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [[], "usage: chatwoot-messages COMMAND"],
  ])("bad arguments %j print usage and exit 2, with no stack trace", async (args, message) => {
    const result = await cli(args, { CHATWOOT_WEBHOOK_SECRET: "s" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("usage: chatwoot-messages");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("the help says flags with secrets are visible to other users, and names the variables", async () => {
    expect((await cli(["list", "--help"])).stdout).toMatch(/visible to every\s+user of this machine/);
    const listen = await cli(["webhooks", "--help"]);
    expect(listen.stdout).toContain("CHATWOOT_WEBHOOK_SECRET");
    expect(listen.stdout).toContain("visible to every user of this machine");
  });

  it("works as `npx chatwoot-messages` from the checkout: built and executable", async () => {
    const { statSync } = await import("node:fs");
    expect(statSync(path.join(root, "dist/cli.js")).mode & 0o111).toBe(0o111);
    const result = await runSupervised("npx", ["--no-install", "chatwoot-messages", "--help"], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" } });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("usage: chatwoot-messages COMMAND") });
  });

  it.each(["send", "list", "status", "delete", "retry", "translate"])("%s --help prints its usage", async (command) => {
    const result = await cli([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`usage: chatwoot-messages ${command}`);
    expect(result.stdout).toContain("CHATWOOT_API_TOKEN");
  });

  it("a base URL without a token is refused before anything is sent", async () => {
    const result = await cli(["list", "42"], { CHATWOOT_API_TOKEN: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a token is needed");
  });
});

describe("chatwoot-messages webhooks listen", () => {
  it("prints each verified event as one JSON line, refuses forged ones, and survives a client that hangs up mid-body", async () => {
    const { connect } = await import("node:net");
    const { sign, SECRET } = await import("../helpers/sign.js");
    // Port 0: the OS picks a free one, and the CLI says which.
    const child = spawnSupervised(process.execPath, ["dist/cli.js", "webhooks", "listen", "--port", "0"], { env: { PATH: process.env.PATH ?? "", CHATWOOT_WEBHOOK_SECRET: SECRET } });
    try {
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const port = await waitFor(() => /listening for Chatwoot webhooks on http:\/\/127\.0\.0\.1:(\d+)\n/.exec(stderr)?.[1], 15_000, "the receiver to listen", () => stderr);
      const url = `http://127.0.0.1:${port}/`;
      // Half a request, then the client is gone: this used to kill the process with an unhandled rejection.
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), "127.0.0.1", () => {
          socket.write("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 500\r\n\r\n{\"event\":");
          setTimeout(() => { socket.destroy(); resolve(); }, 50);
        });
      });
      const events = [{ event: "message_created", id: 1, content: "Olá & <b>" }, { event: "message_updated", id: 1, content_attributes: { deleted: true } }];
      for (const event of events) {
        const body = JSON.stringify(event);
        expect((await fetch(url, { method: "POST", headers: sign(body), body })).status).toBe(200);
      }
      const forged = JSON.stringify({ event: "message_created", id: 666 });
      expect((await fetch(url, { method: "POST", headers: sign(forged, undefined, "nope"), body: forged })).status).toBe(401);
      await waitFor(() => stdout.split("\n").length >= 3, 15_000, "two printed events", () => stdout);
      expect(stdout.trim().split("\n").map((line) => JSON.parse(line))).toEqual(events);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(0);
  });

  it("--redis: stores each delivery in Redis, answers 202, and its worker prints the event", async () => {
    const { startRedis } = await import("../helpers/redis.js");
    const { sign, SECRET } = await import("../helpers/sign.js");
    const redis = await startRedis();
    const child = spawnSupervised(process.execPath, ["dist/cli.js", "webhooks", "listen", "--port", "0", "--concurrency", "2"], {
      env: { PATH: process.env.PATH ?? "", CHATWOOT_WEBHOOK_SECRET: SECRET, CHATWOOT_REDIS_URL: redis.url },
    });
    try {
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const port = await waitFor(() => /on http:\/\/127\.0\.0\.1:(\d+), storing them in Redis\n/.exec(stderr)?.[1], 15_000, "the receiver", () => stderr);
      const event = { event: "message_created", id: 31, account: { id: 1 }, content: "durable" };
      const body = JSON.stringify(event);
      const headers = { ...sign(body), "x-chatwoot-delivery": "cli-redis-1" };
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers, body })).status).toBe(202);
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers, body })).status).toBe(200);
      await waitFor(() => stdout.includes("\n"), 15_000, "the printed event", () => stdout + stderr);
      expect(JSON.parse(stdout.trim())).toEqual(event);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      await redis.stop();
    }
  });

  it("needs a secret", async () => {
    const result = await cli(["webhooks", "listen"], { CHATWOOT_WEBHOOK_SECRET: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a secret is needed");
  });
});
