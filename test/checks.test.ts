/**
 * scripts/checks.mjs (`npm test`) runs package.json's check scripts itself, not through npm: each
 * must be a program with plain arguments, which it runs as npm would; and a SIGTERM sent to it
 * alone stops every check it started.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { scriptCommand, ToolError } from "../scripts/tools.mjs";
import { alive, childrenOf, root, spawnSupervised, waitFor } from "./helpers/processes.js";

const checks = ["typecheck", "build"];
const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };

it("runs each check's script as npm would: this Node, or the program from node_modules/.bin, with the script's words", () => {
  const source = readFileSync(path.join(root, "scripts/checks.mjs"), "utf8");
  expect(source).toContain(`const checks = ${JSON.stringify(checks).replaceAll(",", ", ")};`);
  for (const name of checks) {
    const [program, ...args] = scriptCommand(name);
    const [first, ...words] = scripts[name]!.split(" ");
    expect(program).toBe(first === "node" ? process.execPath : path.join(root, "node_modules/.bin", first!));
    expect(args).toEqual(words);
  }
});

it("refuses a script that needs a shell, rather than running it differently", () => {
  expect(scripts["contract:live"]).toContain("&&");
  expect(() => scriptCommand("contract:live")).toThrow(ToolError);
  expect(() => scriptCommand("contract:live")).toThrow(/contract:live.*not a program with plain arguments/);
  expect(() => scriptCommand("no-such-script")).toThrow(ToolError);
});

// A copy of the project for the checks to run in, so that the build it stops is not this checkout's:
// its own scripts and package.json (the scripts find the project from where they are), the rest linked.
const copy = mkdtempSync(path.join(tmpdir(), "checks-"));
afterAll(() => rmSync(copy, { recursive: true, force: true }));
for (const entry of readdirSync(root)) {
  if (["scripts", "package.json"].includes(entry)) cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  else if (!/^(\.git|dist.*|build)$/.test(entry)) symlinkSync(path.join(root, entry), path.join(copy, entry));
}

it("a SIGTERM sent to it alone stops every check it started, and it exits 1 saying so; the build leaves nothing", async () => {
  const run = spawnSupervised(process.execPath, [path.join(copy, "scripts/checks.mjs"), "--no-tests"], { cwd: copy });
  let output = "";
  run.stdout.on("data", (chunk) => (output += chunk));
  run.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => run.once("exit", resolve));
  const started = await waitFor(() => childrenOf(run.pid!).length === checks.length && childrenOf(run.pid!), 30_000, "the checks to start", () => output);
  const build = started.find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("scripts/build.mjs"))!;
  const compilers = await waitFor(() => childrenOf(build).length > 0 && childrenOf(build), 30_000, "the build's tsc", () => output);
  run.kill("SIGTERM");
  expect(await exited).toBe(1);
  expect(output).toContain("Stopped by SIGTERM.");
  // The type check takes seconds: it was running, and the signal reached it.
  expect(output).toMatch(/> typecheck: what it said\nkilled by SIGTERM/);
  expect(output).toMatch(/> build: what it said\nbuild stopped by SIGTERM: dist\/ is as it was/);
  expect([...started, ...compilers].filter(alive)).toEqual([]);
  expect(readdirSync(copy).filter((entry) => entry.startsWith("dist"))).toEqual([]);
}, 60_000);
