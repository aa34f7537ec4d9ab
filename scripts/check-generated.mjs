// Fails when generated/ no longer matches openapi/, i.e. someone edited the spec without
// running `npm run generate`, or edited a generated file by hand.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { bundleSpec } from "./redocly.mjs";
import { bundlePath, exitOnToolError, readOrEmpty } from "./tools.mjs";

const stale = [];
const scratch = mkdtempSync(path.join(tmpdir(), "chatwoot-messages-check-"));
// A spec that does not bundle is not "stale": say what Redocly said, and check nothing more.
await exitOnToolError(async () => {
  try {
    const fresh = path.join(scratch, "openapi.json");
    await bundleSpec(fresh);
    if (readFileSync(fresh, "utf8") !== readOrEmpty(bundlePath)) stale.push("generated/openapi.json");
    // Loaded only now (it brings TypeScript, about 1 s of CPU): a spec that does not bundle never needs it.
    const { generatedTypes } = await import("./types.mjs");
    const types = await generatedTypes(fresh);
    if (types.text !== readOrEmpty(types.output)) stale.push("generated/schema.d.ts");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

if (stale.length > 0) {
  console.error(`Stale: ${stale.join(", ")} no longer match openapi/. Run \`npm run generate\` and commit the result.`);
  process.exit(1);
}
console.log("generated/ matches openapi/");
