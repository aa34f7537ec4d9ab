// Starts Prism on 127.0.0.1 under scripts/supervise.mjs, so that it cannot outlive the process
// that started it, and resolves once Prism says it listens and the port accepts. Used by the tests,
// `npm start` and contract:live.
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import path from "node:path";
import { bundlePath, root } from "./tools.mjs";

const prismBin = path.join(root, "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
const supervisor = path.join(root, "scripts", "supervise.mjs");

/**
 * @param {{ port?: number, args?: string[], spec?: string, mode?: "mock" | "proxy", upstream?: string, onOutput?: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, pid: number, exited: Promise<number | string>, stop: () => Promise<void> }>}
 */
export async function startPrism({ port, args = [], spec = bundlePath, mode = "mock", upstream, onOutput } = {}) {
  const chosen = port ?? (await freePort());
  const prismArgs = [prismBin, mode, spec, ...(upstream ? [upstream] : []), "-h", "127.0.0.1", "-p", String(chosen), ...args];
  const child = spawn(process.execPath, [supervisor, process.execPath, ...prismArgs], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk) => {
    output += chunk;
    if (onOutput) for (const line of String(chunk).split("\n")) if (line.trim()) onOutput(line);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  /** Resolves with the exit code (or signal name) when Prism, and so its supervisor, is gone. */
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const late = setTimeout(() => child.kill("SIGTERM"), 5_000); // the supervisor stops Prism on SIGTERM too
    await exited;
    clearTimeout(late);
  };
  try {
    await waitForPrism(chosen, exited, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${chosen}`,
    port: chosen,
    pid: child.pid,
    exited,
    stop,
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Ready once Prism itself says it listens on the port, and the port accepts. A port that accepts
 * is not enough: when something else holds it, Prism fails to bind and exits, while the holder
 * goes on accepting.
 */
async function waitForPrism(port, exited, output, timeoutMs = 30_000) {
  let gone = false;
  exited.then(() => (gone = true));
  const listening = new RegExp(`Prism is listening on http://127\\.0\\.0\\.1:${port}\\b`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`Prism exited before listening on port ${port}:\n${output()}`);
    if (listening.test(output()) && (await accepts(port))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Prism did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${output()}`);
}

/** @param {number} port */
export function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
