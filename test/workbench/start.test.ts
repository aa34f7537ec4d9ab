/**
 * `npm start` on a copy of the project: a saved spec edit reaches the served docs and generated/
 * within 5 seconds, a spec that fails lint keeps the last good docs and mock, Ctrl-C leaves
 * nothing behind, and a busy port is a clear message.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import { processesWithArgument, waitFor } from "../helpers/processes.js";

const root = new URL("../..", import.meta.url).pathname;
let project: string;
let workbench: ChildProcess;
let output = "";
let docsUrl: string;
let mockUrl: string;
let mockPort: number;

function startWorkbench(args: string[]) {
  const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, SPEC_PROJECT_DIR: project },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return child;
}

const docsText = () => fetch(docsUrl).then((r) => r.text());
const mockStatus = () =>
  fetch(`${mockUrl}/api/v1/accounts/1/conversations/42/messages`, { headers: { api_access_token: "x" } }).then((r) => r.status, () => 0);

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), "workbench-"));
  for (const entry of ["openapi", "generated", "redocly.yaml"]) cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
  const docsPort = await freePort();
  mockPort = await freePort();
  docsUrl = `http://127.0.0.1:${docsPort}/`;
  mockUrl = `http://127.0.0.1:${mockPort}`;
  workbench = startWorkbench(["--docs-port", String(docsPort), "--mock-port", String(mockPort)]);
  workbench.stdout!.on("data", (chunk) => (output += chunk));
  workbench.stderr!.on("data", (chunk) => (output += chunk));
  await waitFor(() => output.includes("Ctrl-C stops"), 30_000, "the ready line", () => output);
}, 40_000);

afterAll(() => {
  try {
    process.kill(-workbench.pid!, "SIGKILL");
  } catch {
    // already stopped by the last test
  }
  rmSync(project, { recursive: true, force: true });
});

describe("npm start", () => {
  it("serves the docs and the mock and prints both URLs", async () => {
    expect(output).toContain(`Docs:  ${docsUrl.slice(0, -1)}`);
    expect(output).toContain(`Mock:  ${mockUrl}`);
    expect(await docsText()).toContain("Create a message in a conversation");
    expect(await mockStatus()).toBe(200);
  });

  it("a saved description edit shows up in the served docs and in generated/ within 5 seconds", async () => {
    const nonce = `edited-${Date.now()}`;
    const file = path.join(project, "openapi/components/schemas/Message.yaml");
    const saved = Date.now();
    writeFileSync(file, readFileSync(file, "utf8").replace("description: The global message id.", `description: The global message id (${nonce}).`));
    await waitFor(async () => (await docsText()).includes(nonce), 5_000, "the edit in the docs");
    await waitFor(() => readFileSync(path.join(project, "generated/schema.d.ts"), "utf8").includes(nonce), 5_000, "the edit in generated/");
    expect(Date.now() - saved).toBeLessThan(5_000);
    await waitFor(() => output.includes("mock      ok") && output.lastIndexOf("mock      ok") > output.lastIndexOf("docs      ok"), 10_000, "the mock restart");
    expect(await mockStatus()).toBe(200);
  });

  it("a spec that fails lint prints the errors and keeps the last good docs and mock", async () => {
    const docsBefore = await docsText();
    const file = path.join(project, "openapi/paths/message.yaml");
    const mark = output.length;
    writeFileSync(file, readFileSync(file, "utf8").replace("operationId: deleteMessage", "operationId: updateMessageStatus"));
    await waitFor(() => output.slice(mark).includes("lint      FAILED"), 10_000, "the lint failure");
    expect(output.slice(mark)).toMatch(/operationId|unique/i);
    expect(output.slice(mark)).not.toContain("generate  ok");
    expect(await docsText()).toBe(docsBefore);
    expect(await mockStatus()).toBe(200);
  });

  it("Ctrl-C stops the docs server and the mock", async () => {
    const exited = new Promise<number | null>((resolve) => workbench.once("exit", resolve));
    process.kill(workbench.pid!, "SIGINT");
    expect(await exited).toBe(0);
    expect(await mockStatus()).toBe(0);
    await expect(fetch(docsUrl)).rejects.toThrow();
    const prismLeft = processesWithArgument(String(mockPort));
    expect(prismLeft).toEqual([]);
  });

  it("a port in use is a clear message, not a stack trace", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const busy = (holder.address() as { port: number }).port;
    try {
      const child = startWorkbench(["--docs-port", String(busy), "--mock-port", String(await freePort())]);
      let said = "";
      child.stdout!.on("data", (chunk) => (said += chunk));
      child.stderr!.on("data", (chunk) => (said += chunk));
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(1);
      expect(said.trim()).toBe(`Port ${busy} on 127.0.0.1 is already in use (another npm start?). Choose another with --docs-port N or DOCS_PORT=N.`);
    } finally {
      holder.close();
    }
  });
});
