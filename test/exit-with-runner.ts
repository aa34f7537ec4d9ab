/**
 * vitest setup file, run in every test worker: a worker whose runner died (even by SIGKILL) exits
 * at once. Without it the worker lives on until its test ends, and so do the pipes that keep the
 * supervised programs it started (scripts/supervise.mjs) alive.
 */
// Once per worker: a worker runs many files (isolate: false), and this file runs before each.
const marker = Symbol.for("chatwoot-messages.exit-with-runner");
if (process.connected && !(marker in globalThis)) {
  Object.defineProperty(globalThis, marker, { value: true });
  process.once("disconnect", () => process.exit(1));
}
