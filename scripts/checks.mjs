// `npm test`: the checks (typecheck, build) side by side, and the tests (vitest) as soon as the one
// check they need, build (dist/), has passed, while typecheck goes on beside them: each is its own
// process and none reads what another writes. typecheck runs at the lowest CPU priority (nice 19),
// so that it takes the time the build and the tests leave idle instead of slowing them.
// The spec's lint, the drift check, the API diff and the import rules are tests: each runs the same
// code as its command (`npm run lint`, `check:generated`, `diff`, `deps`) on the project as it is, in
// a test process that has the libraries loaded already (test/redocly.test.ts, generation.test.ts,
// diff.test.ts, package/layers.test.ts); a process of their own each cost about 6 s of CPU more.
// A check that ends prints one line; one that fails prints its output whole after the tests. The
// exit code is 1 if anything failed, naming what. `node scripts/checks.mjs --no-tests`: the checks alone.
import { spawn } from "node:child_process";
import { root, scriptCommand } from "./tools.mjs";

const checks = ["typecheck", "build"];
const withTests = !process.argv.includes("--no-tests");
const children = new Set();
let stopped; // the signal that stopped the run

// A signal sent to this process alone reaches none of the checks or the tests: pass it on, wait for
// them, and fail. (From a terminal, Ctrl-C reaches them all at once anyway.)
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopped = signal;
    for (const child of children) child.kill(signal);
  });
}

function track(child) {
  children.add(child);
  child.once("close", () => children.delete(child));
  return child;
}

/** Runs the script NAME with its output kept; resolves when it ends, after saying so in one line. */
function check(name, { nice = false } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    // Not through npm: its start-up cost a quarter of a second of CPU per check.
    const command = scriptCommand(name);
    const [program, ...args] = nice ? ["nice", "-n", "19", ...command] : command;
    // Not `detached`: a session of its own is a scheduling group of its own, where nice 19 means nothing.
    const child = track(spawn(program, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] }));
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const done = (code, extra = "") => {
      const ms = Math.round(performance.now() - started);
      console.log(`> ${name}  (${code === 0 ? "ok" : `FAILED, exit ${code}`}, ${ms} ms)`);
      resolve({ name, code, output: output + extra });
    };
    child.on("error", (error) => done(1, `${error.message}\n`));
    child.on("close", (code, signal) => done(code ?? 1, signal ? `killed by ${signal}\n` : ""));
  });
}

/** vitest, with the terminal: its report is the run's. */
function tests() {
  return new Promise((resolve) => {
    const child = track(spawn(process.execPath, [`${root}/node_modules/vitest/vitest.mjs`, "run"], { cwd: root, stdio: "inherit" }));
    child.on("close", (code) => resolve({ name: "tests", code: code ?? 1, output: "" }));
  });
}

const running = new Map(checks.map((name) => [name, check(name, { nice: withTests && name !== "build" })]));
const results = [];
if (withTests) {
  const build = await running.get("build");
  results.push(build);
  running.delete("build");
  if (build.code === 0 && !stopped) results.push(await tests());
  else console.log("> tests  (not run: the build failed)");
}
results.push(...(await Promise.all(running.values())));

const failed = results.filter((result) => result.code !== 0);
for (const { name, output } of failed) if (output.trim()) console.log(`\n> ${name}: what it said\n${output.trimEnd()}`);
if (stopped) console.error(`\nStopped by ${stopped}.`);
if (failed.length > 0) console.error(`\nFailed: ${failed.map((result) => result.name).join(", ")}`);
if (stopped || failed.length > 0) process.exit(1);
