/** Waiting for conditions, starting programs that cannot outlive the test run, and looking at ports and processes. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { canTie, tiedToParent } from "../../scripts/parent-death.mjs";
export { accepts } from "../../scripts/prism.mjs";

export const root = new URL("../..", import.meta.url).pathname;
const supervisor = path.join(root, "scripts", "supervise.mjs");

/**
 * Starts `command` so that it cannot outlive the test run, however the run ends (SIGKILL included).
 * Through setpriv, the kernel SIGKILLs it when this worker is gone (`--pdeathsig`, kept across exec):
 * no process in between, so signals sent to the returned process reach the command itself. Its
 * own children are its business (the workbench's Prism has a supervisor of its own). Without
 * setpriv, under scripts/supervise.mjs, whose stdin is a pipe from this process: when the pipe
 * closes, it stops the command. That is a Node process per command (about 0.1 s of CPU, and the
 * suite starts some 170 commands), and the command is then its child.
 */
export function spawnSupervised(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcessWithoutNullStreams {
  const [program, programArgs] = canTie ? tiedToParent(command, args) : [process.execPath, [supervisor, command, ...args]];
  // stdin: the command's own (setpriv) or the supervisor's pipe; no test writes to it.
  return spawn(program, programArgs, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
}

/** The process that runs `command` itself: the one spawnSupervised returned, or the supervisor's child. */
export function commandPid(child: ChildProcessWithoutNullStreams): number[] {
  return canTie ? [child.pid!] : childrenOf(child.pid!);
}

/** Runs a command to its end under supervision. */
export function runSupervised(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSupervised(command, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/**
 * Records what a killed-runner test needs (ports, pids) for the test that polls for it: written
 * whole or not at all, so that a poll between open and write never reads an empty file.
 */
export function writeState(file: string, state: object): void {
  writeFileSync(`${file}.partial`, JSON.stringify(state));
  renameSync(`${file}.partial`, file);
}

/**
 * A vitest run of test/fixtures/vitest.hang.config.ts, which starts something and hangs until it
 * is killed, for the tests that kill a runner and look for what it left. It runs in a process
 * group of its own; `stateVariable` names the variable through which its setup or fixture tells,
 * with writeState, what it started. `dispose` is the last-resort cleanup, whatever the test did.
 */
export function hangingRunner(stateVariable: string, env: NodeJS.ProcessEnv = {}) {
  const scratch = mkdtempSync(path.join(tmpdir(), "hanging-runner-"));
  const stateFile = path.join(scratch, "state.json");
  const runner = spawn(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "test/fixtures/vitest.hang.config.ts"], {
    cwd: root,
    env: { ...process.env, ...env, [stateVariable]: stateFile },
    stdio: "ignore",
    detached: true,
  });
  return {
    pid: runner.pid!,
    /** What the run started, once it has said so. */
    started: <T>(timeoutMs: number, what: string): Promise<T> =>
      waitFor(() => existsSync(stateFile) && (JSON.parse(readFileSync(stateFile, "utf8")) as T), timeoutMs, what),
    dispose() {
      try {
        process.kill(-runner.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something truthy; fails with `what` (and `context()`) after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what = "condition", context = () => ""): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms${context() ? `:\n${context()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Pids whose command line has `argument` as one of its arguments (read from /proc, no ps needed). */
export function processesWithArgument(argument: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(argument);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]?.startsWith("Z");
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // The command name in /proc/PID/stat may hold spaces: the parent pid is the second field after its ")".
        return Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Stops a program started with spawnSupervised, whatever state it is in: SIGTERM (the supervisor
 * passes it on), and if it has not exited within `graceMs`, SIGKILL to the program and then to the
 * supervisor. A SIGKILL sent to the supervisor alone cannot be passed on, and would leave the
 * program running with no one to stop it.
 */
export async function stopSupervised(child: ChildProcessWithoutNullStreams, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => child.once("exit", () => resolve(true)));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([exited, new Promise<boolean>((resolve) => (timer = setTimeout(resolve, graceMs, false)))]);
  clearTimeout(timer);
  if (stopped) return;
  for (const pid of commandPid(child)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  child.kill("SIGKILL");
}
