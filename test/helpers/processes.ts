/** Waiting for conditions, and looking at ports and processes, for tests that start programs. */
import { readdirSync, readFileSync } from "node:fs";
export { accepts } from "../../scripts/prism.mjs";

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
