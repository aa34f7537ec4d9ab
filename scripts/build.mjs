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
// A signal (Ctrl-C, a stopped `npm test`) stops the tsc running, and the build with it: no
// dist.next-* left behind, and half a build is never swapped in.
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop.abort(signal));
try {
  await tool("tsc", ["-p", path.join(root, "tsconfig.build.json"), "--outDir", next], { signal: stop.signal });
  // Emitted only: `typecheck` checks the Node-only code with Node's types, and the line above the rest
  // without them; checking it all again here cost about 3 s of CPU.
  await tool("tsc", ["-p", path.join(root, "tsconfig.cli.json"), "--outDir", next, "--noCheck"], { signal: stop.signal });
  stop.signal.throwIfAborted();
  chmodSync(path.join(next, "cli.js"), 0o755);
  try {
    renameSync(dist, old);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  renameSync(next, dist);
} catch (error) {
  if (!stop.signal.aborted) throw error;
  console.error(`build stopped by ${stop.signal.reason}: dist/ is as it was`);
  process.exitCode = 1;
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}
