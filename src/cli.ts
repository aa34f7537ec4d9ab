#!/usr/bin/env node
// The `chatwoot-messages` command. Node only (files, process, http), so it is built apart from the portable client.
import { main } from "./cli/main.js";
import { errorLine } from "./cli/output.js";

process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env }).catch((error: unknown) => {
  process.stderr.write(`${errorLine(error)}\n`);
  return 1;
});
