/**
 * Prism must not outlive a test run, even one that is killed. Each case starts a real vitest run
 * whose global setup starts Prism, kills that runner with a signal, and checks that neither
 * Prism's supervisor nor Prism itself is left, and that the port no longer answers.
 */
import { describe, expect, it } from "vitest";
import { accepts, alive, hangingRunner, processesWithArgument, waitFor } from "../helpers/processes.js";

describe("Prism is gone when the runner is killed", () => {
  it.each(["SIGINT", "SIGTERM", "SIGKILL"] as const)("%s", async (signal) => {
    const run = hangingRunner("PRISM_STATE_FILE");
    try {
      const state = await run.started<{ port: number; supervisorPid: number }>(30_000, "Prism started");
      expect(await accepts(state.port)).toBe(true);
      const prismPids = processesWithArgument(String(state.port));
      expect(prismPids.length).toBeGreaterThan(0);

      process.kill(run.pid, signal);

      await waitFor(async () => !(await accepts(state.port)) && processesWithArgument(String(state.port)).length === 0, 15_000, "Prism gone");
      expect(alive(state.supervisorPid)).toBe(false);
      for (const pid of prismPids) expect(alive(pid)).toBe(false);
    } finally {
      run.dispose();
    }
  }, 60_000);
});
