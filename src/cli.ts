#!/usr/bin/env node
// The `chatwoot-messages` command. Node only (files, process, http), so it is built apart from the portable client.
import { main } from "./cli/main.js";
import { CLOSED_PIPE_EXIT, errorLine } from "./cli/output.js";

// A reader that goes away early (`| head -1`, `| true`) makes writes to stdout fail with EPIPE
// (Node ignores SIGPIPE): without a listener, that 'error' event would end the command with a
// stack trace. The command finishes what it was doing (a message is sent once, never again
// because of the pipe) and exits 141, as a program stopped by SIGPIPE would.
let stdoutFailed = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (stdoutFailed) return;
  stdoutFailed = true;
  process.exitCode = error.code === "EPIPE" ? CLOSED_PIPE_EXIT : 1;
  if (error.code !== "EPIPE") process.stderr.write(`${errorLine(error)}\n`);
  // A running `webhooks listen` can print nothing more: it stops as on SIGTERM (a clean shutdown,
  // after answering the delivery it could not print with a failure).
  if (process.listenerCount("SIGTERM") > 0) process.kill(process.pid, "SIGTERM");
});
// With stderr gone as well there is nowhere left to report anything.
process.stderr.on("error", () => undefined);

const code = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env }).catch((error: unknown) => {
  process.stderr.write(`${errorLine(error)}\n`);
  return 1;
});
process.exitCode = stdoutFailed ? process.exitCode : code;
