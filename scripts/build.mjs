// Compiles src/ to dist/: the portable library (no Node types), then the Node-only CLI, and keeps
// the CLI executable so that `npx chatwoot-messages` works from a checkout (tsc drops the exec bit).
// It builds beside dist/ and swaps the result in, so that whatever runs dist/ meanwhile (a test, the
// CLI) never finds it half written or gone.
import { chmodSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { root, tool } from "./tools.mjs";

const dist = path.join(root, "dist");
const next = path.join(root, `dist.next-${process.pid}`);
const old = path.join(root, `dist.old-${process.pid}`);
// A signal (Ctrl-C, a stopped `npm test`) must not leave dist.next-* behind, nor swap in half a
// build: it is heard once the tsc running then has ended (Ctrl-C stops that one too), and the
// build stops there, through the finally below.
let stopped;
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => (stopped ??= signal));
async function step(run) {
  let failure;
  try {
    run();
  } catch (error) {
    failure = error;
    if (error.signal) stopped ??= error.signal; // the tsc got it (Ctrl-C, a process group's signal)
  }
  await new Promise((resolve) => setImmediate(resolve)); // one turn of the event loop: a pending signal's handler runs
  if (stopped) throw new Error(`stopped by ${stopped}`);
  if (failure) throw failure;
}
try {
  await step(() => tool("tsc", ["-p", path.join(root, "tsconfig.build.json"), "--outDir", next]));
  // Emitted only: `typecheck` checks the Node-only code with Node's types, and the line above the rest
  // without them; checking it all again here cost about 3 s of CPU.
  await step(() => tool("tsc", ["-p", path.join(root, "tsconfig.cli.json"), "--outDir", next, "--noCheck"]));
  chmodSync(path.join(next, "cli.js"), 0o755);
  try {
    renameSync(dist, old);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  renameSync(next, dist);
} catch (error) {
  if (!stopped) throw error;
  console.error(`build stopped by ${stopped}: dist/ is as it was`);
  process.exitCode = 1;
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}
