/**
 * The import rules of .dependency-cruiser.cjs (run on src/ by `npm run deps` in npm test) catch
 * what they are for: a copy of src/ with one breach added fails, naming the rule and the import.
 * dependency-cruiser runs in this process, through its API with the same options as its command
 * (`npm run deps`): loaded once for the five copies, instead of once per copy.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cruise } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { root } from "../helpers/processes.js";

const scratch = mkdtempSync(path.join(tmpdir(), "layers-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the project's rules on a copy of src/ after `breach` edited it. */
async function cruiseWith(name: string, breach: (src: string) => void) {
  const copy = path.join(scratch, name);
  cpSync(path.join(root, "src"), path.join(copy, "src"), { recursive: true });
  cpSync(path.join(root, "generated"), path.join(copy, "generated"), { recursive: true });
  for (const file of [".dependency-cruiser.cjs", "tsconfig.json", "package.json"]) cpSync(path.join(root, file), path.join(copy, file));
  breach(path.join(copy, "src"));
  // As `depcruise src --config .dependency-cruiser.cjs` run in the copy, without changing this process's directory.
  const options = await extractDepcruiseOptions(path.join(copy, ".dependency-cruiser.cjs"));
  const tsConfig = path.join(copy, options.tsConfig!.fileName!);
  const result = await cruise(["src"], { ...options, tsConfig: { fileName: tsConfig }, baseDir: copy, validate: true, outputType: "err" }, undefined, { tsConfig: extractTSConfig(tsConfig) });
  return { code: result.exitCode, stdout: String(result.output) };
}

describe("the import rules", () => {
  it.each([
    ["a circle made by a type-only import", "no-circular", (src: string) =>
      appendFileSync(path.join(src, "core/lazy.ts"), '\nimport type { Send } from "./send.js";\nexport type Circle = Send;\n'), "src/core/lazy.ts"],
    ["the core importing an API family", "core-imports-no-family", (src: string) =>
      appendFileSync(path.join(src, "core/errors.ts"), '\nimport type { MessagesResource } from "../application/messages.js";\nexport type Up = MessagesResource;\n'), "src/core/errors.ts → src/application/messages.ts"],
    ["a module importing an entry", "nothing-imports-an-entry", (src: string) =>
      appendFileSync(path.join(src, "webhooks/sign.ts"), '\nexport { createChatwootClient } from "../index.js";\n'), "src/webhooks/sign.ts → src/index.ts"],
    ["portable code importing a node: module", "portable-code-imports-no-node", (src: string) =>
      writeFileSync(path.join(src, "core/clock.ts"), 'import { hrtime } from "node:process";\nexport const now = () => hrtime.bigint();\n'), "src/core/clock.ts"],
  ])("%s fails, naming the rule and the import", async (name, rule, breach, where) => {
    const result = await cruiseWith(rule, breach);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain(`error ${rule}: ${where}`);
  }, 60_000);

  it("the tree as it is passes", async () => {
    const result = await cruiseWith("as-is", () => {});
    expect(result.stdout).toContain("no dependency violations found");
    expect(result.code).toBe(0);
  }, 60_000);
});
