// A command that the kernel kills when the thread that started it is gone, however it died
// (SIGKILL included): through util-linux's setpriv --pdeathsig, which sets that and then execs the
// command, so nothing stands in between. Where there is no setpriv (not Linux), the command as it is.
import { existsSync } from "node:fs";

const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find(existsSync);

/** Whether tiedToParent ties anything: callers without it need a supervisor of their own. */
export const canTie = setpriv !== undefined;

/**
 * [program, args] that run `command` with `args`, killed with the process that spawns them.
 * @param {string} command
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
export function tiedToParent(command, args) {
  return setpriv ? [setpriv, ["--pdeathsig", "KILL", "--", command, ...args]] : [command, args];
}
