/** The package as npm would publish it: contents, publint, Are The Types Wrong, and the exports map. */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

describe("the published package", () => {
  it("contains the built client, its types, the generated spec and types, and nothing else", async () => {
    // --ignore-scripts: `prepare` would rebuild dist/ under the feet of the tests running beside this one.
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root });
    const files: string[] = JSON.parse(stdout)[0].files.map((file: { path: string }) => file.path);
    for (const needed of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "dist/cli.js", "generated/schema.d.ts", "generated/openapi.json"]) {
      expect(files).toContain(needed);
    }
    const unexpected = files.filter((file) => !/^(package\.json|README\.md|LICENSE|dist\/([\w-]+\/)*[\w-]+\.(js|d\.ts)|generated\/(schema\.d\.ts|openapi\.json))$/.test(file));
    expect(unexpected).toEqual([]);
    expect(files.some((file) => /^(test|scripts|openapi|src|build)\//.test(file) || /\.test\./.test(file))).toBe(false);
  });

  it("passes publint --strict", async () => {
    const { stdout } = await run(bin("publint"), ["--strict"], { cwd: root });
    expect(stdout).toContain("All good!");
  }, 60_000);

  it("passes Are The Types Wrong (ESM-only profile)", async () => {
    const { stdout } = await run(bin("attw"), ["--pack", ".", "--profile", "esm-only", "--format", "ascii"], { cwd: root, env: { ...process.env, npm_config_ignore_scripts: "true" } });
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

  it("is side-effect free, and nothing the main entry imports is Node-only", () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
    expect(pkg.sideEffects).toBe(false);
    // Every module dist/index.js reaches, followed import by import: a new module cannot be forgotten here.
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      const code = readFileSync(file, "utf8");
      expect(code, file).not.toMatch(/from "node:|import\("node:|require\(/);
      for (const [, specifier] of code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        if (specifier!.startsWith(".")) visit(path.resolve(path.dirname(file), specifier!));
        else expect(["openapi-fetch"], `${file} imports ${specifier}`).toContain(specifier);
      }
    };
    visit(`${root}dist/index.js`);
    const sources = readdirSync(`${root}src`, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !/^(cli|redis)(\.ts|\/)/.test(file));
    expect([...reached].map((file) => path.relative(`${root}dist`, file).replace(/\.js$/, ".ts")).sort()).toEqual(sources.sort());
  });
});
