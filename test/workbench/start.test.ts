/**
 * `npm start` on a copy of the project: every editor's way of saving reaches the served docs and
 * generated/, a spec that fails lint keeps the last good docs and mock, a Prism that dies comes
 * back, Ctrl-C leaves nothing behind, and bad ports or flags are one line and exit 2. Every
 * workbench runs supervised, so a killed test run takes it along. One workbench serves all the
 * save tests; each waits for its own edit, and for the workbench to be idle again, on events.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import { processesWithArgument, root, runSupervised, spawnSupervised, waitFor } from "../helpers/processes.js";

let project: string;
let workbench: ChildProcess;
let docsUrl: string;
let mockUrl: string;
let mockPort: number;

function startWorkbench(args: string[], dir = project) {
  return spawnSupervised(process.execPath, [path.join(root, "scripts/start.mjs"), ...args], { env: { ...process.env, SPEC_PROJECT_DIR: dir } });
}

function copyProject() {
  const dir = mkdtempSync(path.join(tmpdir(), "workbench-"));
  for (const entry of ["openapi", "generated", "redocly.yaml"]) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  return dir;
}

/** A workbench on free ports; resolves once it says it is ready. */
async function readyWorkbench(dir = project) {
  const docsPort = await freePort();
  const mockPort = await freePort();
  const child = startWorkbench(["--docs-port", String(docsPort), "--mock-port", String(mockPort)], dir);
  let said = "";
  child.stdout.on("data", (chunk) => (said += chunk));
  child.stderr.on("data", (chunk) => (said += chunk));
  await waitFor(() => said.includes("Ctrl-C stops"), 60_000, "the ready line", () => said);
  return { child, docsPort, mockPort, output: () => said };
}

const docsText = () => fetch(docsUrl).then((r) => r.text());
const mockStatus = () =>
  fetch(`${mockUrl}/api/v1/accounts/1/conversations/42/messages`, { headers: { api_access_token: "x" } }).then((r) => r.status, () => 0);

let outputOf: () => string;
beforeAll(async () => {
  project = copyProject();
  // A repository of its own, for `git checkout` of a file.
  const git = ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"];
  execFileSync("git", ["init", "-q"], { cwd: project });
  execFileSync("git", [...git, "add", "openapi"], { cwd: project });
  execFileSync("git", [...git, "commit", "-qm", "spec"], { cwd: project });
  const started = await readyWorkbench();
  workbench = started.child;
  outputOf = started.output;
  mockPort = started.mockPort;
  docsUrl = `http://127.0.0.1:${started.docsPort}/`;
  mockUrl = `http://127.0.0.1:${mockPort}`;
}, 70_000);

afterAll(async () => {
  if (workbench.exitCode === null) {
    const exited = new Promise((resolve) => workbench.once("exit", resolve));
    workbench.kill("SIGTERM");
    await exited;
  }
  rmSync(project, { recursive: true, force: true });
});

const messageYaml = () => path.join(project, "openapi/components/schemas/Message.yaml");
const generatedTypes = () => readFileSync(path.join(project, "generated/schema.d.ts"), "utf8");
const withNonce = (text: string, nonce: string) => {
  expect(text).toMatch(/description: The global message id[^\n]*/);
  return text.replace(/description: The global message id[^\n]*/, `description: The global message id (${nonce}).`);
};
const nonce = (name: string) => `${name}-${process.hrtime.bigint()}`;
/** The workbench has finished every rebuild it had to do. */
const idle = () => /(watching  for the next save|Ctrl-C stops\.)$/.test(outputOf().trimEnd());
/** generated/ (and so lint and generation) caught up with `expected`, and the workbench is idle again. */
async function seen(expected: string, what: string) {
  await waitFor(() => generatedTypes().includes(expected) && idle(), 60_000, what, () => outputOf().slice(-2000));
}
const sed = (nonceText: string) => execFileSync("sed", ["-i", "-e", `s/description: The global message id.*/description: The global message id (${nonceText})./`, messageYaml()]);
const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: project });

/** Each editor's way of saving `nonce` into Message.yaml. */
const saveStyles: [string, (file: string, nonceText: string) => void][] = [
  // sed -i writes a temp file and renames it over the file, as JetBrains' safe write does.
  ["rename over the file (sed -i)", (_file, n) => sed(n)],
  [
    "backup rename, then a new file (vim)",
    (file, n) => {
      const text = readFileSync(file, "utf8");
      renameSync(file, `${file}~`);
      writeFileSync(file, withNonce(text, n));
      unlinkSync(`${file}~`);
    },
  ],
  [
    "delete and recreate",
    (file, n) => {
      const text = readFileSync(file, "utf8");
      rmSync(file);
      writeFileSync(file, withNonce(text, n));
    },
  ],
  // After the renames above: Node 20's recursive fs.watch no longer saw this one.
  ["in place, after all the renames",  (file, n) => writeFileSync(file, withNonce(readFileSync(file, "utf8"), n))],
];

describe("npm start sees every way of saving", () => {
  it.each(saveStyles)("%s: the save reaches generated/ and the served docs, and the mock is back", async (_style, save) => {
    const text = nonce("saved");
    save(messageYaml(), text);
    await seen(text, "the save in generated/");
    expect(await docsText()).toContain(text);
    expect(outputOf().lastIndexOf("mock      ok")).toBeGreaterThan(outputOf().lastIndexOf("docs      ok"));
    expect(await mockStatus()).toBe(200);
  }, 90_000);

  it("git checkout of the file", async () => {
    const committed = nonce("committed");
    writeFileSync(messageYaml(), withNonce(readFileSync(messageYaml(), "utf8"), committed));
    git("commit", "-qm", "committed", "--", "openapi/components/schemas/Message.yaml");
    const edited = nonce("edited");
    writeFileSync(messageYaml(), withNonce(readFileSync(messageYaml(), "utf8"), edited));
    await seen(edited, "the edit in generated/");
    git("checkout", "--", "openapi/components/schemas/Message.yaml");
    await seen(committed, "the checked-out file in generated/");
    expect(generatedTypes()).not.toContain(edited);
  }, 120_000);

  it("the openapi/ folder renamed away and back, then a save", async () => {
    const moved = path.join(project, "openapi-moved");
    renameSync(path.join(project, "openapi"), moved);
    renameSync(moved, path.join(project, "openapi"));
    const text = nonce("after-restore");
    writeFileSync(messageYaml(), withNonce(readFileSync(messageYaml(), "utf8"), text));
    await seen(text, "the save after the folder came back");
  }, 120_000);

  it("rapid saves: the last one wins, in generated/ and in the docs", async () => {
    const texts = Array.from({ length: 6 }, (_, i) => nonce(`rapid${i}`));
    for (const text of texts) sed(text);
    await seen(texts.at(-1)!, "the last save in generated/");
    expect(await docsText()).toContain(texts.at(-1));
    for (const text of texts.slice(0, -1)) expect(generatedTypes()).not.toContain(text);
  }, 120_000);
});

describe("npm start", () => {
  it("serves the docs and the mock and prints both URLs", async () => {
    expect(outputOf()).toContain(`Docs:  ${docsUrl.slice(0, -1)}`);
    expect(outputOf()).toContain(`Mock:  ${mockUrl}`);
    expect(outputOf()).toMatch(/diff +ok +\d+ ms +since \d+\.\d+\.\d+: \d+ breaking, \d+ minor, \d+ patch/);
    expect(await docsText()).toContain("Create a message in a conversation");
    expect(await mockStatus()).toBe(200);
  });

  // How fast is the bench's business (scripts/bench/pipeline.mjs); here only that it happens, with a generous ceiling.
  it("a malformed request to the docs server is answered 400, and the docs go on", async () => {
    expect(await rawStatusLine(Number(new URL(docsUrl).port), "GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toBe("HTTP/1.1 400 Bad Request");
    expect(await docsText()).toContain("Create a message in a conversation");
    expect(workbench.exitCode).toBe(null);
  });

  it("a Prism that dies is noticed and restarted", async () => {
    await waitFor(idle, 60_000, "an idle workbench", () => outputOf().slice(-2000));
    const [prism, ...others] = prismPids(mockPort);
    expect(others).toEqual([]);
    const mark = outputOf().length;
    process.kill(prism!, "SIGKILL");
    await waitFor(() => /mock {6}DIED[^\n]*restarting\nmock {6}ok/.test(outputOf().slice(mark)), 60_000, "the restart", () => outputOf().slice(mark));
    expect(await mockStatus()).toBe(200);
    expect(prismPids(mockPort)).not.toContain(prism);
  }, 90_000);

  it("a save that leaves the bundle as it was rewrites nothing, and leaves the docs and the mock alone", async () => {
    await waitFor(idle, 60_000, "an idle workbench", () => outputOf().slice(-2000));
    const bundle = path.join(project, "generated/openapi.json");
    const written = statSync(bundle).mtimeMs;
    const prisms = prismPids(mockPort);
    const mark = outputOf().length;
    appendFileSync(messageYaml(), `# a comment (${nonce("comment")})\n`);
    await waitFor(() => outputOf().slice(mark).includes("mock      ok  unchanged") && idle(), 60_000, "the rebuild", () => outputOf().slice(mark));
    expect(outputOf().slice(mark)).toContain("docs      ok  unchanged"); // not built again
    // Prism reloads whenever the file is written: it was not.
    expect(statSync(bundle).mtimeMs).toBe(written);
    expect(prismPids(mockPort)).toEqual(prisms);
    expect(await mockStatus()).toBe(200);
  }, 90_000);

  it("a spec that fails lint prints the errors and keeps the last good docs and mock", async () => {
    const file = path.join(project, "openapi/paths/message.yaml");
    const good = readFileSync(file, "utf8");
    const mark = outputOf().length;
    const docsBefore = await docsText();
    try {
      writeFileSync(file, good.replace("operationId: deleteMessage", "operationId: updateMessageStatus"));
      await waitFor(() => outputOf().slice(mark).includes("lint      FAILED"), 60_000, "the lint failure");
      expect(outputOf().slice(mark)).toMatch(/operationId|unique/i);
      expect(outputOf().slice(mark)).not.toContain("generate  ok");
      expect(await docsText()).toBe(docsBefore);
      expect(await mockStatus()).toBe(200);
    } finally {
      // Put the good spec back, and wait for it, so that no other test depends on running before this one.
      const again = outputOf().length;
      writeFileSync(file, good);
      await waitFor(() => outputOf().slice(again).includes("mock      ok"), 60_000, "the recovery");
    }
  }, 150_000);

  it("a spec that fails lint at start advertises no mock until a save passes; Ctrl-C then stops the docs server and the mock, even one being restarted", async () => {
    const dir = copyProject();
    const file = path.join(dir, "openapi/paths/message.yaml");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, good.replace("operationId: deleteMessage", "operationId: updateMessageStatus"));
    const own = await readyWorkbench(dir);
    const exited = new Promise<number | null>((resolve) => own.child.once("exit", resolve));
    try {
      expect(own.output()).toContain("lint      FAILED");
      expect(own.output()).toContain(`Mock:  not running yet: it starts on 127.0.0.1:${own.mockPort} with the first save that passes lint`);
      expect(own.output()).not.toContain("Mock:  http");
      expect(own.output()).not.toContain("chatwoot-messages list");
      expect(await fetch(`http://127.0.0.1:${own.mockPort}/`).then((r) => r.status, () => 0)).toBe(0);

      writeFileSync(file, good);
      await waitFor(() => own.output().includes(`Mock:  http://127.0.0.1:${own.mockPort}`), 60_000, "the mock advertised", own.output);
      expect(own.output().indexOf("mock      ok")).toBeLessThan(own.output().indexOf("Mock:  http"));

      // Ctrl-C while the mock is being started again: the new Prism must not outlive the workbench.
      const mark = own.output().length;
      for (const pid of prismPids(own.mockPort)) process.kill(pid, "SIGKILL");
      await waitFor(() => own.output().slice(mark).includes("DIED"), 60_000, "the death noticed", own.output);
      own.child.kill("SIGINT"); // to the workbench itself (setpriv execs it)
      expect(await exited).toBe(0);
      expect(own.output()).not.toContain("could not be restarted"); // Ctrl-C stopped it, nothing failed
      expect(await fetch(`http://127.0.0.1:${own.mockPort}/`).then((r) => r.status, () => 0)).toBe(0);
      await expect(fetch(`http://127.0.0.1:${own.docsPort}/`)).rejects.toThrow();
      expect(processesWithArgument(String(own.mockPort))).toEqual([]);
    } finally {
      if (own.child.exitCode === null) own.child.kill("SIGKILL");
      // Only now: a project deleted under a running workbench makes its Prism (which watches the
      // bundle) go, and the workbench start another.
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("a port in use is a clear message, not a stack trace", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const busy = (holder.address() as { port: number }).port;
    try {
      const child = startWorkbench(["--docs-port", String(busy), "--mock-port", String(await freePort())]);
      let said = "";
      child.stdout.on("data", (chunk) => (said += chunk));
      child.stderr.on("data", (chunk) => (said += chunk));
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(2);
      expect(said.trim()).toBe(`Port ${busy} on 127.0.0.1 is already in use (another npm start?). Choose another with --docs-port N or DOCS_PORT=N.`);
    } finally {
      holder.close();
    }
  });
});

describe("npm start refuses", () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runSupervised(process.execPath, [path.join(root, "scripts/start.mjs"), ...args], { env: { ...process.env, DOCS_PORT: "", MOCK_PORT: "", ...env } });

  it.each([
    [["--docs-port", "4321", "--mock-port", "4321"], {}, "The docs and the mock cannot share port 4321: choose two ports (--docs-port N, --mock-port N)."],
    [["--docs-port", "4321"], { MOCK_PORT: "4321" }, "The docs and the mock cannot share port 4321: choose two ports (--docs-port N, --mock-port N)."],
    [["--docs-port", "80a"], {}, '--docs-port takes a port number from 1 to 65535, got "80a"'],
    [["--mock-port", "70000"], {}, '--mock-port takes a port number from 1 to 65535, got "70000"'],
    [[], { MOCK_PORT: "0x10" }, 'MOCK_PORT takes a port number from 1 to 65535, got "0x10"'], // as the CLI reads it
    [["--port", "1"], {}, /^Unknown option '--port'.*\(see npm start -- --help\)$/],
    [["docs"], {}, /^Unexpected argument 'docs'.*\(see npm start -- --help\)$/],
  ])("%j %j: one line, exit 2, nothing started", async (args, env, message) => {
    const result = await run(args, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    if (typeof message === "string") expect(result.stderr.trim()).toBe(message);
    else expect(result.stderr.trim()).toMatch(message);
  });

  it("--help says what it does and exits 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm start -- \[--docs-port N\] \[--mock-port N\]/);
    expect(result.stdout).toContain("MOCK_PORT");
  });
});

/** Prism's own process for the mock on `port` (not its supervisor, not the workbench that names the port). */
function prismPids(port: number): number[] {
  return processesWithArgument(String(port)).filter((pid) => {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return args.some((arg) => arg.includes("prism-cli")) && !args.some((arg) => arg.endsWith("supervise.mjs"));
  });
}

/** Sends `request` as it is (no client would send it) and resolves with the status line. */
function rawStatusLine(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("end", () => resolve(answer.split("\r\n")[0]!));
    socket.on("error", reject);
  });
}
