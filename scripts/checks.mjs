// `npm test`'s checks before the tests (lint, check:generated, diff, typecheck, deps, build), run
// side by side instead of one after the other: each is its own process and none reads what another
// writes (build writes dist/, which only the tests read). Each one's output is printed once, whole,
// in this order, when it ends; the exit code is 1 if any failed, naming them.
import { spawn } from "node:child_process";
import { root } from "./tools.mjs";

const checks = ["lint", "check:generated", "diff", "typecheck", "deps", "build"];
const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ["npm", []];

function run(name) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(npm[0], [...npm[1], "run", "-s", name], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ name, code: 1, output: `${output}${error.message}\n`, started }));
    child.on("close", (code, signal) => resolve({ name, code: code ?? 1, output: signal ? `${output}killed by ${signal}\n` : output, started }));
  });
}

// Printed in order as soon as each and those before it are done.
const results = checks.map(run);
const failed = [];
for (const [i, pending] of results.entries()) {
  const { name, code, output, started } = await pending;
  console.log(`\n> ${checks[i]}  (${code === 0 ? "ok" : `FAILED, exit ${code}`}, ${Math.round(performance.now() - started)} ms)`);
  if (output.trim()) console.log(output.trimEnd());
  if (code !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join(", ")}`);
  process.exit(1);
}
