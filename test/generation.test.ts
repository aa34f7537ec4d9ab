/**
 * `check:generated` on a copy of the project: it passes as committed, and fails with a clear
 * message after a spec edit that was not regenerated, or a hand edit of a generated file. A YAML
 * error is Redocly's message once, exit 1, no stack, for `generate` as for `check:generated`; and
 * `npm run docs` works where the checkout's path has a space.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { staleFiles } from "../scripts/check-generated.mjs";

const root = new URL("..", import.meta.url).pathname;
const copies: string[] = [];
afterEach(() => copies.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyProject() {
  const dir = mkdtempSync(path.join(tmpdir(), "drift-"));
  for (const entry of ["openapi", "generated", "redocly.yaml"]) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  copies.push(dir);
  return dir;
}

async function check(dir: string, script = "scripts/check-generated.mjs") {
  return promisify(execFile)(process.execPath, [path.join(root, script)], { env: { ...process.env, SPEC_PROJECT_DIR: dir } }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );
}

function edit(file: string, from: string, to: string) {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

// What is stale is found in this process (staleFiles: what the command runs); the command itself
// is run where its exit code and words are the point.
describe("check:generated", () => {
  // What `npm run check:generated` checks; npm test runs it here.
  it("passes on the committed files", async () => {
    expect(await staleFiles(copyProject()), "generated/ no longer matches openapi/: run `npm run generate` and commit the result").toEqual([]);
  });

  it("finds both files stale after a spec edit that was not regenerated", async () => {
    const dir = copyProject();
    edit(path.join(dir, "openapi/components/schemas/Message.yaml"), "The global message id.", "The global message id (edited).");
    expect(await staleFiles(dir)).toEqual(["generated/openapi.json", "generated/schema.d.ts"]);
  });

  it("fails after a hand edit of the generated types, naming the file and what to run", async () => {
    const dir = copyProject();
    edit(path.join(dir, "generated/schema.d.ts"), "message_type: components", "message_type?: components");
    const result = await check(dir);
    expect(result.code).toBe(1);
    expect(result.output).toBe("Stale: generated/schema.d.ts no longer match openapi/. Run `npm run generate` and commit the result.\n");
  });
});

describe("a YAML error", () => {
  it.each(["scripts/generate.mjs", "scripts/check-generated.mjs"])("%s prints Redocly's message once and exits 1, without a stack trace", async (script) => {
    const dir = copyProject();
    const generated = readFileSync(path.join(dir, "generated/openapi.json"), "utf8");
    writeFileSync(path.join(dir, "openapi/components/schemas/Message.yaml"), `${readFileSync(path.join(dir, "openapi/components/schemas/Message.yaml"), "utf8")}  broken: [unclosed\n`);
    const result = await check(dir, script);
    expect(result.code).toBe(1);
    expect(result.output.match(/Failed to parse: [^\n]*Message\.yaml/g)).toHaveLength(1);
    expect(result.output).toContain("broken: [unclosed");
    expect(result.output).not.toMatch(/\n\s+at /);
    expect(result.output).not.toContain("Stale:");
    expect(readFileSync(path.join(dir, "generated/openapi.json"), "utf8")).toBe(generated);
  });
});

describe("npm run docs", () => {
  it("builds the page in a checkout whose path has a space", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "docs in a path with spaces-"));
    copies.push(dir);
    for (const entry of ["openapi", "redocly.yaml", "package.json", "scripts"]) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
    symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    const env = { ...process.env };
    delete env.SPEC_PROJECT_DIR;
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, "scripts/build-docs.mjs")], { cwd: dir, env });
    expect(stdout).toMatch(/^build\/docs\/index\.html built in \d+ ms\n$/);
    const page = path.join(dir, "build/docs/index.html");
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, "utf8")).toContain("Create a message in a conversation");
  });
});
