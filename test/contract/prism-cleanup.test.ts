/**
 * Prism must not outlive a test run, even one that is killed. Each case starts a real vitest run
 * whose global setup starts Prism, kills that runner with a signal, and checks that neither
 * Prism's supervisor nor Prism itself is left, and that the port no longer answers.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { accepts, alive, processesWithArgument, waitFor } from "../helpers/processes.js";

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
      const state = await waitFor(() => existsSync(stateFile) && JSON.parse(readFileSync(stateFile, "utf8")), 30_000, "Prism started");
      expect(await accepts(state.port)).toBe(true);
      const prismPids = processesWithArgument(String(state.port));
      expect(prismPids.length).toBeGreaterThan(0);

      process.kill(runner.pid!, signal);

      await waitFor(async () => !(await accepts(state.port)) && processesWithArgument(String(state.port)).length === 0, 15_000, "Prism gone");
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
