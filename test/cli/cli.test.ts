/** The built `chatwoot-messages` command, end to end against the Prism mock. */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { closedPort, json, startServer } from "../helpers/http-server.js";

const root = new URL("../..", import.meta.url).pathname;
const TOKEN = "cli-secret-token-0001";

async function cli(args: string[], env: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? "", CHATWOOT_BASE_URL: inject("prismUrl"), CHATWOOT_API_TOKEN: TOKEN };
  return promisify(execFile)(process.execPath, ["dist/cli.js", ...args], { cwd: root, env: { ...base, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
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
    const result = await cli(["send", "42", "--attach", path.join(dir, "a.json"), "--attach", path.join(dir, "b.png")]);
    expect(result).toMatchObject({ code: 0, stdout: "sent message 1234\n" });
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

  it("status and delete", async () => {
    expect(await cli(["status", "42", "1242", "read"])).toMatchObject({ code: 0, stdout: "message 1242 is read\n" });
    expect(await cli(["delete", "42", "1239"])).toMatchObject({ code: 0, stdout: "deleted message 1239\n" });
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

  it("without a base URL it talks to the local mock and says so", async () => {
    const result = await cli(["list", "42"], { CHATWOOT_BASE_URL: "", CHATWOOT_API_TOKEN: "" });
    expect(result.stderr.split("\n")[0]).toBe("no base URL given: using the local mock at http://127.0.0.1:4010");
  });

  it.each([
    [["send"], "send takes 1 argument(s)"],
    [["send", "42"], "send needs --content or --attach"],
    [["send", "42", "--bogus"], "Unknown option '--bogus'"],
    [["list", "42", "--before", "soon"], "--before takes a message id"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [[], "usage: chatwoot-messages COMMAND"],
  ])("bad arguments %j print usage and exit 2", async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("usage: chatwoot-messages");
  });

  it.each(["send", "list", "status", "delete"])("%s --help prints its usage", async (command) => {
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
  it("prints each verified event as one JSON line and refuses forged ones", async () => {
    const { spawn } = await import("node:child_process");
    const { freePort } = await import("../../scripts/prism.mjs");
    const { sign, SECRET } = await import("../helpers/sign.js");
    const port = await freePort();
    const child = spawn(process.execPath, ["dist/cli.js", "webhooks", "listen", "--port", String(port), "--secret", SECRET], { cwd: root });
    try {
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      while (!stderr.includes("listening")) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stderr).toBe(`listening for Chatwoot webhooks on http://127.0.0.1:${port}\n`);
      const url = `http://127.0.0.1:${port}/`;
      const events = [{ event: "message_created", id: 1, content: "Olá & <b>" }, { event: "message_updated", id: 1, content_attributes: { deleted: true } }];
      for (const event of events) {
        const body = JSON.stringify(event);
        expect((await fetch(url, { method: "POST", headers: sign(body), body })).status).toBe(202);
      }
      const forged = JSON.stringify({ event: "message_created", id: 666 });
      expect((await fetch(url, { method: "POST", headers: sign(forged, undefined, "nope"), body: forged })).status).toBe(401);
      while (stdout.split("\n").length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(stdout.trim().split("\n").map((line) => JSON.parse(line))).toEqual(events);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(0);
  });

  it("needs a secret", async () => {
    const result = await cli(["webhooks", "listen"], { CHATWOOT_WEBHOOK_SECRET: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a secret is needed");
  });
});
