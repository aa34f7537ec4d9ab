/**
 * `npm run diff` on a copy of the project: breaking changes since the released spec are caught
 * and named, unless the package version announces them; compatible ones pass.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { root, runSupervised } from "./helpers/processes.js";

const copies: string[] = [];
afterEach(() => copies.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the project as just released: its current spec is the baseline of its current version. */
function copyProject() {
  const dir = mkdtempSync(path.join(tmpdir(), "api-diff-"));
  for (const entry of ["openapi", "generated", "redocly.yaml", "package.json"]) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  cpSync(path.join(dir, "generated", "openapi.json"), path.join(dir, "openapi", "released", `${version}.json`));
  copies.push(dir);
  return dir;
}

function edit(dir: string, file: string, from: string | RegExp, to: string) {
  const full = path.join(dir, "openapi", file);
  const text = readFileSync(full, "utf8");
  expect(text).toMatch(from);
  writeFileSync(full, text.replace(from, to));
}

function diff(dir: string) {
  return runSupervised(process.execPath, [path.join(root, "scripts/diff.mjs")], { env: { ...process.env, SPEC_PROJECT_DIR: dir } });
}

describe("npm run diff", () => {
  it("passes with no change, and prints the changes as Markdown", async () => {
    const result = await diff(copyProject());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^## API diff: the \d+\.\d+\.\d+ spec → the current spec/);
    expect(result.stdout).toMatch(/\*\*0\*\* major · \*\*0\*\* minor · \*\*0\*\* patch/);
  }, 60_000);

  it.each([
    ["removing a response property", "components/schemas/Message.yaml", "\n  status:\n    $ref: ./MessageStatus.yaml", "", /(GET|POST|PATCH|DELETE) \/api\/v1/],
    ["adding a required request field", "components/schemas/UpdateMessageStatusRequest.yaml", "required: [status]", "required: [status, external_error]", /(PATCH|PUT) \/api\/v1\/accounts\/\{account_id\}\/conversations\/\{conversation_id\}\/messages\/\{message_id\}/],
    ["narrowing a type", "components/schemas/UpdateMessageStatusRequest.yaml", "  external_error:\n    type: string", "  external_error:\n    type: string\n    maxLength: 10", /(PATCH|PUT) \/api\/v1\/accounts\/\{account_id\}\/conversations\/\{conversation_id\}\/messages\/\{message_id\}/],
    ["removing an operation", "paths/message.yaml", /\nput:\n[\s\S]*?(?=\ndelete:)/, "", /PUT \/api\/v1\/accounts\/\{account_id\}\/conversations\/\{conversation_id\}\/messages\/\{message_id\}/],
  ])("%s is breaking: exit 1, naming the change and its operation", async (_name, file, from, to, operation) => {
    const dir = copyProject();
    edit(dir, file, from, to);
    const result = await diff(dir);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toMatch(/Breaking changes since \d+\.\d+\.\d+, but package\.json says/);
    expect(result.stderr).toMatch(operation);
  }, 60_000);

  it("a breaking change announced by the version (a minor bump while 0.x) passes", async () => {
    const dir = copyProject();
    edit(dir, "paths/message.yaml", /\nput:\n[\s\S]*?(?=\ndelete:)/, "");
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const [major, minor] = pkg.version.split(".").map(Number);
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, version: `${major}.${minor + 1}.0` }));
    const result = await diff(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("major");
  }, 60_000);

  it("adding an optional request field is not breaking", async () => {
    const dir = copyProject();
    edit(dir, "components/schemas/UpdateMessageStatusRequest.yaml", "properties:\n", "properties:\n  note:\n    type: string\n    description: An optional note.\n");
    const result = await diff(dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/🔴 major/);
  }, 60_000);
});

describe("npm run release:notes", () => {
  const notes = (dir: string) => runSupervised(process.execPath, [path.join(root, "scripts/release-notes.mjs")], { env: { ...process.env, SPEC_PROJECT_DIR: dir } });

  it("refuses to run before the version is bumped", async () => {
    const result = await notes(copyProject());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bump it first");
  }, 60_000);

  it("writes the version's CHANGELOG section and makes the current spec the new baseline", async () => {
    const dir = copyProject();
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const [major, minor] = pkg.version.split(".").map(Number);
    const next = `${major}.${minor + 1}.0`;
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, version: next }));
    const result = await notes(dir);
    expect(result.code, result.stderr).toBe(0);
    const changelog = readFileSync(path.join(dir, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(new RegExp(`^# Changelog\\n\\n## ${next.replace(/\./g, "\\.")} \\(\\d{4}-\\d{2}-\\d{2}\\)\\n\\n### API changes since ${pkg.version.replace(/\./g, "\\.")}`));
    const after = await diff(dir);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`the ${next} spec`);
    expect(after.stdout).toMatch(/\*\*0\*\* major · \*\*0\*\* minor · \*\*0\*\* patch/);
  }, 60_000);
});
