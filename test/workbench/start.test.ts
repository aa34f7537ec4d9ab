/**
 * `npm start` on a copy of the project: a saved spec edit reaches the served docs and generated/,
 * a spec that fails lint keeps the last good docs and mock, Ctrl-C leaves nothing behind, and a
 * busy port is a clear message. Every workbench runs supervised, so a killed test run takes it along.
 */
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import { processesWithArgument, root, spawnSupervised, waitFor } from "../helpers/processes.js";

let project: string;
let workbench: ChildProcess;
let docsUrl: string;
let mockUrl: string;
let mockPort: number;

function startWorkbench(args: string[]) {
  return spawnSupervised(process.execPath, [path.join(root, "scripts/start.mjs"), ...args], { env: { ...process.env, SPEC_PROJECT_DIR: project } });
}

/** A workbench on free ports; resolves once it says it is ready. */
async function readyWorkbench() {
  const docsPort = await freePort();
  const mockPort = await freePort();
  const child = startWorkbench(["--docs-port", String(docsPort), "--mock-port", String(mockPort)]);
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
  project = mkdtempSync(path.join(tmpdir(), "workbench-"));
  for (const entry of ["openapi", "generated", "redocly.yaml"]) cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
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

describe("npm start", () => {
  it("serves the docs and the mock and prints both URLs", async () => {
    expect(outputOf()).toContain(`Docs:  ${docsUrl.slice(0, -1)}`);
    expect(outputOf()).toContain(`Mock:  ${mockUrl}`);
    expect(outputOf()).toMatch(/diff +ok +\d+ ms +since \d+\.\d+\.\d+: \d+ breaking, \d+ minor, \d+ patch/);
    expect(await docsText()).toContain("Create a message in a conversation");
    expect(await mockStatus()).toBe(200);
  });

  // How fast is the bench's business (scripts/bench/pipeline.mjs); here only that it happens, with a generous ceiling.
  it("a saved description edit shows up in the served docs and in generated/", async () => {
    const nonce = `edited-${process.hrtime.bigint()}`;
    const file = path.join(project, "openapi/components/schemas/Message.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/description: The global message id[^\n]*/, `description: The global message id (${nonce}).`));
    await waitFor(async () => (await docsText()).includes(nonce), 60_000, "the edit in the docs");
    await waitFor(() => readFileSync(path.join(project, "generated/schema.d.ts"), "utf8").includes(nonce), 60_000, "the edit in generated/");
    await waitFor(() => outputOf().lastIndexOf("mock      ok") > outputOf().lastIndexOf("docs      ok"), 60_000, "the mock restart");
    expect(await mockStatus()).toBe(200);
  });

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
  });

  it("Ctrl-C stops the docs server and the mock", async () => {
    const own = await readyWorkbench();
    const exited = new Promise<number | null>((resolve) => own.child.once("exit", resolve));
    own.child.kill("SIGINT"); // the supervisor passes it on as it is
    expect(await exited).toBe(0);
    expect(await fetch(`http://127.0.0.1:${own.mockPort}/`).then((r) => r.status, () => 0)).toBe(0);
    await expect(fetch(`http://127.0.0.1:${own.docsPort}/`)).rejects.toThrow();
    expect(processesWithArgument(String(own.mockPort))).toEqual([]);
  }, 90_000);

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
      expect(code).toBe(1);
      expect(said.trim()).toBe(`Port ${busy} on 127.0.0.1 is already in use (another npm start?). Choose another with --docs-port N or DOCS_PORT=N.`);
    } finally {
      holder.close();
    }
  });
});
