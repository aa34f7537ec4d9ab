/**
 * `npm run diff` on a copy of the project: breaking changes since the released spec are caught
 * and named, unless the package version announces them; compatible ones pass. `release:notes`
 * on a copy too: versions, pre-releases, and a CHANGELOG.md that already has a life of its own.
 * What the command prints and its exit codes are checked on the command; which changes are
 * breaking, and what the report says of them, on apiDiff (what the command prints) in this process,
 * where Redocly's core is loaded once rather than once per case.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiDiff } from "../scripts/diff.mjs";
import { ReleaseRefused, releaseNotes } from "../scripts/release-notes.mjs";
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
  // What `npm run diff` checks on the project as it is (npm test runs it here): the command fails
  // when a breaking change since the last release is not announced, or when there is no release.
  it("the project as it is: every breaking change since the last release is announced by package.json's version", async () => {
    const diff = await apiDiff({ dir: root, markdown: false });
    expect(diff.breaking.length === 0 || diff.announced, `breaking changes since ${diff.baseVersion}, not announced by ${diff.version}:\n${diff.breaking.join("\n")}`).toBe(true);
  }, 60_000);

  it("passes with no change, and prints the changes as Markdown", async () => {
    const result = await diff(copyProject());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^## API diff: the \d+\.\d+\.\d+ spec → the current spec/);
    expect(result.stdout).toMatch(/\*\*0\*\* major · \*\*0\*\* minor · \*\*0\*\* patch/);
  }, 60_000);

  it("a breaking change exits 1, naming the change and its operation, with what would announce it", async () => {
    const dir = copyProject();
    edit(dir, "components/schemas/UpdateMessageStatusRequest.yaml", "required: [status]", "required: [status, external_error]");
    const result = await diff(dir);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toMatch(/Breaking changes since \d+\.\d+\.\d+, but package\.json says \d+\.\d+\.\d+ \(a breaking change needs a new minor version while 0\.x\):/);
    expect(result.stderr).toMatch(/^- (PATCH|PUT) \/api\/v1\/accounts\/\{account_id\}\/conversations\/\{conversation_id\}\/messages\/\{message_id\}: /m);
    expect(result.stdout).toMatch(/\*\*[1-9]\d*\*\* major · \*\*\d+\*\* minor · \*\*\d+\*\* patch · needs a new \*\*minor\*\* version to announce it \(0\.x\)/);
  }, 60_000);

  it.each([
    ["removing a response property", "components/schemas/Message.yaml", "\n  status:\n    $ref: ./MessageStatus.yaml", "", /(GET|POST|PATCH|DELETE) \/api\/v1/],
    ["adding a required request field", "components/schemas/UpdateMessageStatusRequest.yaml", "required: [status]", "required: [status, external_error]", /(PATCH|PUT) \/api\/v1\/accounts\/\{account_id\}\/conversations\/\{conversation_id\}\/messages\/\{message_id\}/],
    ["narrowing a type", "components/schemas/UpdateMessageStatusRequest.yaml", "  external_error:\n    type: string", "  external_error:\n    type: string\n    maxLength: 10", /(PATCH|PUT) \/api\/v1\/accounts\/\{account_id\}\/conversations\/\{conversation_id\}\/messages\/\{message_id\}/],
    ["removing an operation", "paths/message.yaml", /\nput:\n[\s\S]*?(?=\ndelete:)/, "", /PUT \/api\/v1\/accounts\/\{account_id\}\/conversations\/\{conversation_id\}\/messages\/\{message_id\}/],
  ])("%s is breaking, unannounced, and named with its operation", async (_name, file, from, to, operation) => {
    const dir = copyProject();
    edit(dir, file, from, to);
    const result = await apiDiff({ dir });
    expect(result.announced).toBe(false);
    expect(result.breaking.length).toBeGreaterThan(0);
    expect(result.breaking.join("\n")).toMatch(operation);
    // Under 0.x a minor bump announces it: Redocly's "requires a major bump" would send users to 1.0.
    expect(result.markdown).not.toContain("requires a **major** bump");
    expect(result.markdown).toMatch(/\*\*[1-9]\d*\*\* major · \*\*\d+\*\* minor · \*\*\d+\*\* patch · needs a new \*\*minor\*\* version to announce it \(0\.x\)/);
  }, 60_000);

  it("a breaking change announced by the version (a minor bump while 0.x) passes", async () => {
    const dir = copyProject();
    edit(dir, "paths/message.yaml", /\nput:\n[\s\S]*?(?=\ndelete:)/, "");
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const [major, minor] = pkg.version.split(".").map(Number);
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, version: `${major}.${minor + 1}.0` }));
    const result = await apiDiff({ dir });
    expect(result.announced).toBe(true);
    expect(result.markdown).toContain(`**1** major · **0** minor · **0** patch · announced by **${major}.${minor + 1}.0**`);
  }, 60_000);

  it("the Location column points at files that are still there, at lines that exist", async () => {
    const dir = copyProject();
    edit(dir, "components/schemas/UpdateMessageStatusRequest.yaml", "properties:\n", "properties:\n  note:\n    type: string\n    description: An optional note.\n");
    edit(dir, "paths/message.yaml", /\nput:\n[\s\S]*?(?=\ndelete:)/, "");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ version: "0.3.0" }));
    const result = await apiDiff({ dir });
    const locations = result.markdown.split("\n").filter((line) => /^\| \S+ (major|minor|patch)/u.test(line)).map((line) => line.split(" | ")[3]!);
    expect(locations.length).toBe(2);
    for (const location of locations) {
      const [file, line] = location.split(":");
      expect(existsSync(path.join(dir, file!)), location).toBe(true);
      expect(readFileSync(path.join(dir, file!), "utf8").split("\n").length).toBeGreaterThanOrEqual(Number(line));
    }
    expect(locations.some((location) => location.startsWith("openapi/released/0.2.0.json:"))).toBe(true);
  }, 60_000);

  it("without any released spec, says how to make the first one (no stack trace)", async () => {
    const dir = copyProject();
    for (const file of readdirSync(path.join(dir, "openapi/released"))) if (file.endsWith(".json")) rmSync(path.join(dir, "openapi/released", file));
    const result = await diff(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toMatch(/^No released spec to compare with: openapi\/released\/ has no VERSION\.json yet\. .*run `npm run release:notes`/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("adding an optional request field is not breaking", async () => {
    const dir = copyProject();
    edit(dir, "components/schemas/UpdateMessageStatusRequest.yaml", "properties:\n", "properties:\n  note:\n    type: string\n    description: An optional note.\n");
    const result = await apiDiff({ dir });
    expect(result.breaking).toEqual([]);
    expect(result.summary.minor).toBeGreaterThan(0);
    expect(result.markdown).not.toMatch(/🔴 major/);
  }, 60_000);
});

// The command is run where its exit code and words are the point; what it writes is checked on
// releaseNotes (what the command runs) in this process.
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
    const after = await apiDiff({ dir });
    expect(after.breaking).toEqual([]);
    expect(after.markdown).toContain(`the ${next} spec`);
    expect(after.markdown).toMatch(/\*\*0\*\* major · \*\*0\*\* minor · \*\*0\*\* patch/);
  }, 60_000);

  const setVersion = (dir: string, version: string) => {
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, version }));
    return pkg.version as string;
  };

  it("refuses a version below the last release, and writes nothing", async () => {
    const dir = copyProject();
    const released = setVersion(dir, "0.1.9");
    const result = await notes(dir);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`package.json says 0.1.9, which is not above the last release, ${released}: set a higher version.`);
    expect(existsSync(path.join(dir, "CHANGELOG.md"))).toBe(false);
    expect(existsSync(path.join(dir, "openapi/released/0.1.9.json"))).toBe(false);
  }, 60_000);

  it("a pre-release is a baseline that diff then uses, and a second run writes nothing twice", async () => {
    const dir = copyProject();
    setVersion(dir, "0.3.0-beta.1");
    expect(await releaseNotes(dir)).toEqual(["CHANGELOG.md: section 0.3.0-beta.1 written; openapi/released/0.3.0-beta.1.json is the new baseline."]);
    expect(existsSync(path.join(dir, "openapi/released/0.3.0-beta.1.json"))).toBe(true);
    const after = await apiDiff({ dir });
    expect(after.breaking).toEqual([]);
    expect(after.markdown).toMatch(/^## API diff: the 0\.3\.0-beta\.1 spec → the current spec/);
    const changelog = readFileSync(path.join(dir, "CHANGELOG.md"), "utf8");
    await expect(releaseNotes(dir)).rejects.toThrow(new ReleaseRefused("package.json still says 0.3.0-beta.1, the released version: bump it first (npm version minor|major|patch, or a pre-release such as npm version preminor --preid beta)."));
    expect(readFileSync(path.join(dir, "CHANGELOG.md"), "utf8")).toBe(changelog);
    expect(changelog.match(/^## 0\.3\.0-beta\.1 /gm)).toHaveLength(1);
  }, 90_000);

  it("keeps an existing CHANGELOG.md intact: CRLF, a Keep a Changelog introduction, [Unreleased] notes, link references", async () => {
    const dir = copyProject();
    const released = setVersion(dir, "0.3.0");
    const before = [
      "# Changelog",
      "",
      "All notable changes to this project will be documented in this file.",
      "",
      "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),",
      "and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).",
      "",
      "## [Unreleased]",
      "",
      "### Added",
      "",
      "- A note someone wrote by hand.",
      "",
      `## [${released}] - 2026-01-01`,
      "",
      "### Fixed",
      "",
      "- Something.",
      "",
      `[unreleased]: https://example.com/compare/v${released}...HEAD`,
      `[${released}]: https://example.com/releases/tag/v${released}`,
      "",
    ].join("\r\n");
    writeFileSync(path.join(dir, "CHANGELOG.md"), before);
    expect(await releaseNotes(dir)).toContain("CHANGELOG.md has notes under [Unreleased]: move those that ship in 0.3.0 into its section.");
    const after = readFileSync(path.join(dir, "CHANGELOG.md"), "utf8");
    const at = before.indexOf(`## [${released}]`);
    expect(after.startsWith(before.slice(0, at))).toBe(true);
    expect(after.endsWith(before.slice(at))).toBe(true);
    const added = after.slice(at, after.length - (before.length - at));
    expect(added).toMatch(/^## \[0\.3\.0\] - \d{4}-\d{2}-\d{2}\r\n\r\n### API changes since /);
    expect(added.replaceAll("\r\n", "")).not.toContain("\n");
    expect(added.endsWith("\r\n\r\n")).toBe(true);
  }, 60_000);
});
