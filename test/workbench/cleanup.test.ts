/**
 * A test run killed with SIGKILL runs no cleanup code, yet the workbench a test started must go
 * with it: start.mjs, its supervisor, its docs server and its Prism.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { accepts, alive, hangingRunner, processesWithArgument, root, waitFor } from "../helpers/processes.js";

it("a workbench started by a test is gone when the runner is SIGKILLed", async () => {
  // On a copy of the spec: the workbench writes generated/ and build/, which the other tests read.
  const project = mkdtempSync(path.join(tmpdir(), "workbench-killed-"));
  for (const entry of ["openapi", "generated", "redocly.yaml"]) cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
  const run = hangingRunner("WORKBENCH_STATE_FILE", { HANG_FIXTURE: "test/fixtures/workbench-hang.fixture.ts", SPEC_PROJECT_DIR: project });
  try {
    const state = await run.started<{ docsPort: number; mockPort: number; supervisorPid: number }>(90_000, "the workbench started");
    const pids = [state.supervisorPid, ...processesWithArgument(String(state.mockPort)), ...processesWithArgument(String(state.docsPort))];
    expect(await accepts(state.mockPort)).toBe(true);
    expect(await accepts(state.docsPort)).toBe(true);

    process.kill(run.pid, "SIGKILL");

    await waitFor(async () => !(await accepts(state.mockPort)) && !(await accepts(state.docsPort)), 30_000, "ports released");
    await waitFor(() => pids.every((pid) => !alive(pid)), 30_000, "processes gone", () => pids.filter(alive).join(" "));
    expect(processesWithArgument(String(state.mockPort))).toEqual([]);
  } finally {
    run.dispose();
    rmSync(project, { recursive: true, force: true });
  }
}, 150_000);
