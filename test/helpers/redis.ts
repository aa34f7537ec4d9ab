/**
 * A real Redis (Debian's redis-server) for a test file: its own server on a free loopback port,
 * no persistence unless `settings` say otherwise (later settings win), supervised so that it goes
 * with a killed run, and stopped by `stop()`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/prism.mjs";
import { accepts, spawnSupervised, waitFor } from "./processes.js";

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(port?: number, settings: string[] = []): Promise<TestRedis> {
  const chosen = port ?? (await freePort());
  const dir = mkdtempSync(path.join(tmpdir(), "redis-"));
  const child = spawnSupervised("redis-server", ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning", ...settings]);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await waitFor(async () => child.exitCode !== null || (await accepts(chosen)), 15_000, "redis-server listening", () => output);
  if (child.exitCode !== null) throw new Error(`redis-server did not start:\n${output}`);
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
