/**
 * The built CLI when the reader of its stdout goes away early (`| head -1`, `| true`): quiet, exit
 * 141 as SIGPIPE would give, nothing sent twice, and no event acknowledged that was not printed.
 * The test holds the only read end of the CLI's stdout and closes it before the server answers,
 * so every write the CLI makes after that fails with EPIPE, as in a shell pipeline.
 */
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { json, message, startServer, type Handler } from "../helpers/http-server.js";
import { root, spawnSupervised, waitFor, stopSupervised } from "../helpers/processes.js";
import { SECRET, sign } from "../helpers/sign.js";

const STACK = /^\s+at /m;

/**
 * A server for the CLI, and the CLI with its stdout closed at once: the server answers only once
 * the stdout is closed, so that the CLI's output is certain to meet a closed pipe.
 */
async function withClosedStdout(handler: Handler) {
  let stdoutClosed!: () => void;
  const closed = new Promise<void>((resolve) => (stdoutClosed = resolve));
  const server = await startServer(async (request, response, index) => {
    await closed;
    await handler(request, response, index);
  });
  const run = async (args: string[], env: Record<string, string>) => {
    const child = spawnSupervised(process.execPath, ["dist/cli.js", ...args], { cwd: root, env: { PATH: process.env.PATH ?? "", ...env } });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = once(child, "exit");
    child.stdout.destroy();
    await once(child.stdout, "close");
    stdoutClosed();
    const [code] = await exited;
    return { code, stderr };
  };
  return { server, run };
}

describe("the CLI with its stdout closed early", () => {
  it("send | true: the message is sent once, and the CLI exits 141 without a word", async () => {
    const { server, run } = await withClosedStdout((_request, response) => json(response, 200, message(1234)));
    try {
      const result = await run(["send", "42", "--content", "once"], { CHATWOOT_BASE_URL: server.url, CHATWOOT_API_TOKEN: "t-0001" });
      expect(result).toEqual({ code: 141, stderr: "" });
      expect(server.requests.map((request) => request.method)).toEqual(["POST"]);
    } finally {
      await server.close();
    }
  });

  it("list | head -1: exits 141 without a stack trace, with --json too", async () => {
    const page = { payload: Array.from({ length: 50 }, (_, i) => message(i + 1, { message_type: 0 })) };
    const { server, run } = await withClosedStdout((_request, response) => json(response, 200, page));
    try {
      for (const extra of [[], ["--json"]]) {
        const result = await run(["list", "42", ...extra], { CHATWOOT_BASE_URL: server.url, CHATWOOT_API_TOKEN: "t-0001" });
        expect(result.code).toBe(141);
        expect(result.stderr).not.toMatch(STACK);
        expect(result.stderr).not.toContain("EPIPE");
      }
    } finally {
      await server.close();
    }
  });

  it("webhooks trigger | true: the delivery is sent once, exit 141, quietly", async () => {
    const { server, run } = await withClosedStdout((_request, response) => json(response, 200, { ok: true }));
    try {
      const result = await run(["webhooks", "trigger", "message_created", "--to", `${server.url}/`], { CHATWOOT_WEBHOOK_SECRET: SECRET });
      expect(result).toEqual({ code: 141, stderr: "" });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("webhooks listen answers 500 to an event it could not print, never 200, then stops with 141", async () => {
    const child = spawnSupervised(process.execPath, ["dist/cli.js", "webhooks", "listen", "--port", "0"], {
      env: { PATH: process.env.PATH ?? "", CHATWOOT_WEBHOOK_SECRET: SECRET },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = once(child, "exit");
    try {
      const closed = once(child.stdout, "close");
      child.stdout.destroy();
      await closed;
      const port = await waitFor(() => /listening for Chatwoot webhooks on http:\/\/127\.0\.0\.1:(\d+)\n/.exec(stderr)?.[1], 15_000, "the receiver", () => stderr);
      const body = JSON.stringify({ event: "message_created", id: 1, content: "unprinted" });
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: sign(body), body });
      expect(response.status).toBe(500);
      const [code] = await exited;
      expect(code).toBe(141);
      expect(stderr).not.toMatch(STACK);
    } finally {
      await stopSupervised(child);
    }
  });
});
