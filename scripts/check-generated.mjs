// Fails when generated/ no longer matches openapi/, i.e. someone edited the spec without
// running `npm run generate`, or edited a generated file by hand.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleSpec } from "./redocly.mjs";
import { exitOnToolError, projectDir, readOrEmpty } from "./tools.mjs";

/** The files of DIR's generated/ that no longer match its openapi/; a ToolError when the spec does not bundle. */
export async function staleFiles(dir = projectDir) {
  const stale = [];
  const scratch = mkdtempSync(path.join(tmpdir(), "chatwoot-messages-check-"));
  try {
    const fresh = path.join(scratch, "openapi.json");
    await bundleSpec(fresh, dir);
    if (readFileSync(fresh, "utf8") !== readOrEmpty(path.join(dir, "generated", "openapi.json"))) stale.push("generated/openapi.json");
    // Loaded only now (it brings TypeScript, about 1 s of CPU): a spec that does not bundle never needs it.
    const { generatedTypes } = await import("./types.mjs");
    const types = await generatedTypes(fresh, dir);
    if (types.text !== readOrEmpty(types.output)) stale.push(path.relative(dir, types.output));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // A spec that does not bundle is not "stale": say what Redocly said, and check nothing more.
  const stale = await exitOnToolError(() => staleFiles());
  if (stale.length > 0) {
    console.error(`Stale: ${stale.join(", ")} no longer match openapi/. Run \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
  console.log("generated/ matches openapi/");
}
