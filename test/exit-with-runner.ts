/**
 * vitest setup file, run in every test worker: a worker whose runner died (even by SIGKILL) exits
 * at once. Without it the worker lives on until its test ends, and so do the pipes that keep the
 * supervised programs it started (scripts/supervise.mjs) alive.
 */
if (process.connected) process.once("disconnect", () => process.exit(1));
