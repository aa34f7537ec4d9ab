// Runs a command as our child and stops it when our standard input closes, i.e. when the process
// that spawned us is gone, however it died (a SIGKILL runs no cleanup code, but the kernel still
// closes its end of the pipe). A signal sent to us is passed on as it is (Ctrl-C stays SIGINT).
// Where util-linux's setpriv is (Linux), the command is also tied to us (parent-death.mjs): the
// kernel kills it if we are killed ourselves (nothing else could tell it then).
// Usage: node scripts/supervise.mjs COMMAND [ARGS...]
import { spawn } from "node:child_process";
import { tiedToParent } from "./parent-death.mjs";

const [command, ...args] = process.argv.slice(2);
const child = spawn(...tiedToParent(command, args), { stdio: ["ignore", "inherit", "inherit"] });

let stopping = false;
function stop(signal = "SIGTERM") {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
  setTimeout(() => child.kill("SIGKILL"), 10_000).unref(); // room for a clean exit on a busy machine
}

process.stdin.on("end", () => stop());
process.stdin.on("close", () => stop());
process.stdin.on("error", () => stop());
process.stdin.resume();
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => stop(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
