/**
 * `check:generated` on a copy of the project: it passes as committed, and fails with a clear
 * message after a spec edit that was not regenerated, or a hand edit of a generated file.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const copies: string[] = [];
afterEach(() => copies.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyProject() {
  const dir = mkdtempSync(path.join(tmpdir(), "drift-"));
  for (const entry of ["openapi", "generated", "redocly.yaml"]) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  copies.push(dir);
  return dir;
}

async function check(dir: string) {
  return promisify(execFile)(process.execPath, [path.join(root, "scripts/check-generated.mjs")], { env: { ...process.env, SPEC_PROJECT_DIR: dir } }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );
}

function edit(file: string, from: string, to: string) {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe("check:generated", () => {
  it("passes on the committed files", async () => {
    expect(await check(copyProject())).toEqual({ code: 0, output: "generated/ matches openapi/\n" });
  });

  it("fails after a spec edit that was not regenerated", async () => {
    const dir = copyProject();
    edit(path.join(dir, "openapi/components/schemas/Message.yaml"), "The global message id.", "The global message id (edited).");
    const result = await check(dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain("Stale: generated/openapi.json, generated/schema.d.ts no longer match openapi/. Run `npm run generate`");
  });

  it("fails after a hand edit of the generated types", async () => {
    const dir = copyProject();
    edit(path.join(dir, "generated/schema.d.ts"), "message_type: components", "message_type?: components");
    const result = await check(dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain("Stale: generated/schema.d.ts");
  });
});
