/**
 * scripts/redocly.mjs runs Redocly's lint and diff in process with @redocly/openapi-core: that is
 * Redocly CLI's own library only while both are the same version, and the reports must be the CLI's.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { apiDiff } from "../scripts/diff.mjs";
import { lintSpec } from "../scripts/redocly.mjs";

const root = new URL("..", import.meta.url).pathname;
const version = (name: string) => JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version as string;
const scratch = mkdtempSync(path.join(tmpdir(), "redocly-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("@redocly/openapi-core is pinned to the version of @redocly/cli, installed as pinned", () => {
  const { devDependencies } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  expect(devDependencies["@redocly/openapi-core"]).toMatch(/^\d+\.\d+\.\d+$/);
  expect(devDependencies["@redocly/openapi-core"]).toBe(devDependencies["@redocly/cli"]);
  expect(version("@redocly/openapi-core")).toBe(devDependencies["@redocly/openapi-core"]);
  expect(version("@redocly/cli")).toBe(devDependencies["@redocly/cli"]);
});

it.each(["redocly", "diff"])("scripts/%s.d.mts declares what scripts/%s.mjs exports", async (name) => {
  const declared = [...readFileSync(path.join(root, `scripts/${name}.d.mts`), "utf8").matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]);
  expect(declared.sort()).toEqual(Object.keys(await import(`../scripts/${name}.mjs`)).sort());
});

it("the spec as it is passes lint (what `npm run lint` checks; npm test runs it here, with Redocly's core loaded already)", async () => {
  await expect(lintSpec(root)).resolves.toBeUndefined();
}, 60_000);

it("a spec that fails lint: the same problems, in the same words, as `redocly lint`", async () => {
  for (const entry of ["openapi", "redocly.yaml"]) cpSync(path.join(root, entry), path.join(scratch, entry), { recursive: true });
  const file = path.join(scratch, "openapi/paths/message.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("operationId: deleteMessage", "operationId: updateMessageStatus"));
  const ours = await lintSpec(scratch).then(() => "passed", (error: Error) => error.message);
  const cli = await promisify(execFile)(path.join(root, "node_modules/.bin/redocly"), ["lint"], { cwd: scratch }).then(
    () => ({ stdout: "passed", stderr: "" }),
    (error: { stdout: string; stderr: string }) => error,
  );
  // The CLI prints the problems on stdout, and its summary among other lines on stderr.
  expect(cli.stdout).toMatch(/unique `operationId`/);
  expect(ours).toContain(cli.stdout.trim());
  const summary = /^❌ Validation failed with .*$/m.exec(cli.stderr)?.[0];
  expect(summary).toBe("❌ Validation failed with 1 error.");
  expect(ours.endsWith(summary!)).toBe(true);
}, 60_000);

it("the diff's table: the rows `redocly diff --format markdown` prints, in its order", async () => {
  const dir = path.join(scratch, "diff");
  for (const entry of ["openapi", "redocly.yaml", "package.json"]) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  const file = path.join(dir, "openapi/components/schemas/UpdateMessageStatusRequest.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("required: [status]", "required: [status, external_error]").replace("properties:\n", "properties:\n  note:\n    type: string\n    description: A note.\n"));
  const ours = await apiDiff({ dir });
  const base = `openapi/released/${ours.baseVersion}.json`;
  const args = ["diff", base, "build/api-diff/openapi.json", "--config", path.join(root, "openapi/released/redocly.yaml"), "--format", "markdown", "--fail-on", "none"];
  const { stdout } = await promisify(execFile)(path.join(root, "node_modules/.bin/redocly"), args, { cwd: dir });
  const rows = (markdown: string) => markdown.split("\n").filter((line) => /^\| (🔴|🟢|⚪) /u.test(line));
  expect(rows(stdout).length).toBeGreaterThan(10);
  expect(rows(ours.markdown)).toEqual(rows(stdout));
}, 60_000);
