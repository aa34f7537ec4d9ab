/** The package as npm would publish it: contents, publint, Are The Types Wrong, and the exports map. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

describe("the published package", () => {
  it("contains the built client, its types, the generated spec and types, and nothing else", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: root });
    const files: string[] = JSON.parse(stdout)[0].files.map((file: { path: string }) => file.path);
    for (const needed of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "dist/cli.js", "generated/schema.d.ts", "generated/openapi.json"]) {
      expect(files).toContain(needed);
    }
    const unexpected = files.filter((file) => !/^(package\.json|README\.md|LICENSE|dist\/[\w-]+\.(js|d\.ts)|generated\/(schema\.d\.ts|openapi\.json))$/.test(file));
    expect(unexpected).toEqual([]);
    expect(files.some((file) => /^(test|scripts|openapi|src|build)\//.test(file) || /\.test\./.test(file))).toBe(false);
  });

  it("passes publint --strict", async () => {
    const { stdout } = await run(bin("publint"), ["--strict"], { cwd: root });
    expect(stdout).toContain("All good!");
  }, 60_000);

  it("passes Are The Types Wrong (ESM-only profile)", async () => {
    const { stdout } = await run(bin("attw"), ["--pack", ".", "--profile", "esm-only", "--format", "ascii"], { cwd: root });
    expect(stdout).not.toMatch(/❌|💀 Resolution failed[^\n]*\n[^\n]*node16 \(from ESM\)/);
  }, 60_000);

  it("resolves through its own exports map", async () => {
    // A computed name, so that type-checking does not need dist/ (built later in npm test).
    const name = "chatwoot-messages";
    const client = await import(name);
    expect(typeof client.createChatwootClient).toBe("function");
    expect(client.MessageType.Template).toBe(3);
    expect(readFileSync(`${root}dist/cli.js`, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("is side-effect free and ships no Node-only import in the client", () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
    expect(pkg.sideEffects).toBe(false);
    for (const file of ["index", "client", "messages", "errors", "retry", "timeout", "validate", "multipart", "pagination", "auth", "transport", "logging", "request", "types"]) {
      expect(readFileSync(`${root}dist/${file}.js`, "utf8"), file).not.toMatch(/from "node:|require\(/);
    }
  });
});
