/**
 * A test run killed with SIGKILL runs no cleanup code, yet the workbench a test started must go
 * with it: start.mjs, its supervisor, its docs server and its Prism.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { accepts, alive, processesWithArgument, root, waitFor } from "../helpers/processes.js";

it("a workbench started by a test is gone when the runner is SIGKILLed", async () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "workbench-cleanup-"));
  const stateFile = path.join(scratch, "state.json");
  const runner = spawn(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "test/fixtures/vitest.hang.config.ts"], {
    cwd: root,
    env: { ...process.env, HANG_FIXTURE: "test/fixtures/workbench-hang.fixture.ts", WORKBENCH_STATE_FILE: stateFile },
    stdio: "ignore",
    detached: true, // its own process group, for the last-resort cleanup below
  });
  try {
    const state = await waitFor(() => existsSync(stateFile) && JSON.parse(readFileSync(stateFile, "utf8")), 90_000, "the workbench started");
    const pids = [state.supervisorPid, ...processesWithArgument(String(state.mockPort)), ...processesWithArgument(String(state.docsPort))];
    expect(await accepts(state.mockPort)).toBe(true);
    expect(await accepts(state.docsPort)).toBe(true);

    process.kill(runner.pid!, "SIGKILL");

    await waitFor(async () => !(await accepts(state.mockPort)) && !(await accepts(state.docsPort)), 30_000, "ports released");
    await waitFor(() => pids.every((pid) => !alive(pid)), 30_000, "processes gone", () => pids.filter(alive).join(" "));
    expect(processesWithArgument(String(state.mockPort))).toEqual([]);
  } finally {
    try {
      process.kill(-runner.pid!, "SIGKILL");
    } catch {
      // already gone
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}, 150_000);
