/**
 * Prism must not outlive a test run, even one that is killed. Each case starts a real vitest run
 * whose global setup starts Prism, kills that runner with a signal, and checks that neither
 * Prism's supervisor nor Prism itself is left, and that the port no longer answers.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const vitestBin = path.join(root, "node_modules", "vitest", "vitest.mjs");

describe("Prism is gone when the runner is killed", () => {
  it.each(["SIGINT", "SIGTERM", "SIGKILL"] as const)("%s", async (signal) => {
    const scratch = mkdtempSync(path.join(tmpdir(), "prism-cleanup-"));
    const stateFile = path.join(scratch, "prism.json");
    const runner = spawn(process.execPath, [vitestBin, "run", "--config", "test/fixtures/vitest.hang.config.ts"], {
      cwd: root,
      env: { ...process.env, PRISM_STATE_FILE: stateFile },
      stdio: "ignore",
      detached: true, // its own process group, so that the cleanup below reaches its workers too
    });
    try {
      const state = await waitFor(() => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : undefined), 30_000);
      expect(await accepts(state.port)).toBe(true);
      const prismPids = processesMatching(`-p ${state.port}`);
      expect(prismPids.length).toBeGreaterThan(0);

      process.kill(runner.pid!, signal);

      await waitFor(async () => (!(await accepts(state.port)) && processesMatching(`-p ${state.port}`).length === 0) || undefined, 15_000);
      expect(alive(state.supervisorPid)).toBe(false);
      for (const pid of prismPids) expect(alive(pid)).toBe(false);
    } finally {
      try {
        process.kill(-runner.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

/** Pids whose command line mentions `needle` (read from /proc, no ps needed). */
function processesMatching(needle: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]?.startsWith("Z");
  } catch {
    return false;
  }
}
