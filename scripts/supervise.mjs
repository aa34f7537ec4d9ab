// Runs a command as our child and stops it when our standard input closes, i.e. when the process
// that spawned us is gone, however it died (a SIGKILL runs no cleanup code, but the kernel still
// closes its end of the pipe). Usage: node scripts/supervise.mjs COMMAND [ARGS...]
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
}

process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.on("error", stop);
process.stdin.resume();
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, stop);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
