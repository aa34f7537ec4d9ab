/**
 * `webhooks listen` stopping and starting: signals with Redis unreachable, a delivery in flight at
 * SIGTERM, a port already taken, and --prefix. The built CLI, supervised, on a real Redis.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { connect, createServer, type AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisWebhookQueue } from "../../src/redis.js";
import { freePort } from "../../scripts/prism.mjs";
import { messageEvent } from "../helpers/deliveries.js";
import { commandPid, spawnSupervised, waitFor, stopSupervised } from "../helpers/processes.js";
import { startRedis, type TestRedis } from "../helpers/redis.js";
import { SECRET, sign } from "../helpers/sign.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis?.stop());

interface Cli {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** The signal goes to the CLI itself, not through the supervisor (which would SIGKILL it after a while). */
  signal(signal: NodeJS.Signals): void;
}

function listen(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawnSupervised(process.execPath, ["dist/cli.js", "webhooks", "listen", ...args], {
    env: { PATH: process.env.PATH ?? "", CHATWOOT_WEBHOOK_SECRET: SECRET, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.once("exit", resolve)),
    signal: (signal) => commandPid(child).forEach((pid) => process.kill(pid, signal)),
  };
}

const listening = (cli: Cli) => waitFor(() => /listening for Chatwoot webhooks on http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.stderr())?.[1], 20_000, "the receiver to listen", cli.stderr).then(Number);
/** The exit code, or "still running" after a generous ceiling. */
const exitCode = (cli: Cli) => Promise.race([cli.exited, new Promise((resolve) => setTimeout(resolve, 25_000, "still running"))]);

describe("webhooks listen: stopping", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("with Redis unreachable, answers 500 (not stored) and exits 0 on %s", async (signal) => {
    const cli = listen(["--port", "0", "--redis", `redis://127.0.0.1:${await freePort()}`]);
    try {
      const port = await listening(cli);
      const body = JSON.stringify(messageEvent(1));
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: sign(body), body })).status).toBe(500);
      cli.signal(signal);
      expect(await exitCode(cli)).toBe(0);
      expect(cli.stdout()).toBe("");
    } finally {
      await stopSupervised(cli.child);
    }
  }, 60_000);

  it("answers a delivery in flight at SIGTERM before closing its connection; --prefix names where it is stored", async () => {
    const prefix = `cli-${randomUUID()}`;
    const cli = listen(["--port", "0", "--redis", redis.url, "--prefix", prefix]);
    try {
      const port = await listening(cli);
      const body = JSON.stringify(messageEvent(77));
      const head = Object.entries({ ...sign(body), "x-chatwoot-delivery": "in-flight", "content-length": String(Buffer.byteLength(body)) })
        .map(([name, value]) => `${name}: ${value}\r\n`).join("");
      const socket = connect(port, "127.0.0.1");
      let answer = "";
      socket.on("data", (chunk) => (answer += chunk));
      const closed = new Promise((resolve) => socket.once("close", resolve));
      await new Promise((resolve) => socket.once("connect", resolve));
      // "Expect: 100-continue": the server says when it has the request, before its body is sent.
      socket.write(`POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nexpect: 100-continue\r\n${head}\r\n`);
      await waitFor(() => answer.startsWith("HTTP/1.1 100 Continue"), 20_000, "the request to be read", () => answer);
      cli.signal("SIGTERM");
      await waitFor(() => cli.stderr().includes("stopping: 1 delivery in flight to answer first"), 20_000, "the receiver to stop", cli.stderr);
      socket.write(body);
      await closed; // the receiver closes the connection after answering
      expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202 /);
      expect(answer.toLowerCase()).toContain("connection: close");
      expect(await exitCode(cli)).toBe(0);
      const own = new Redis(redis.url);
      try {
        expect(await own.exists(`${prefix}:chatwoot-webhooks:message_created.1.77`)).toBe(1);
      } finally {
        own.disconnect();
      }
    } finally {
      await stopSupervised(cli.child);
    }
  }, 60_000);

  it("exits 1, taking no job, when its port is in use", async () => {
    const prefix = `busy-${randomUUID()}`;
    const queue = redisWebhookQueue({ connection: redis.url, prefix, logger: {} });
    await queue.add("message_created.1.5", messageEvent(5) as never, undefined);
    await queue.close();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const cli = listen(["--port", String((taken.address() as AddressInfo).port), "--redis", redis.url, "--prefix", prefix]);
    try {
      expect(await exitCode(cli)).toBe(1);
      expect(cli.stderr()).toContain("is already in use");
      expect(cli.stdout()).toBe("");
      const inspect = new Queue("chatwoot-webhooks", { connection: { url: redis.url }, prefix });
      try {
        expect(await inspect.getJobCounts("wait", "active", "completed")).toEqual({ wait: 1, active: 0, completed: 0 });
      } finally {
        await inspect.close();
      }
    } finally {
      await stopSupervised(cli.child);
      taken.close();
    }
  }, 60_000);
});
