// Regenerates generated/ from openapi/: the bundled spec (what Prism and the docs read) and the
// TypeScript types (what src/ imports). Both are committed; check-generated.mjs keeps them honest.
import { writeFileSync } from "node:fs";
import { bundleSpec } from "./redocly.mjs";
import { bundlePath, exitOnToolError } from "./tools.mjs";

const started = performance.now();
await exitOnToolError(() => bundleSpec(bundlePath));
// openapi-typescript reads redocly.yaml's `messages` API; the types go to its x-openapi-ts.output.
// Loaded only now (it brings TypeScript): a spec that does not bundle never needs it.
const { generatedTypes } = await import("./types.mjs");
const types = await exitOnToolError(() => generatedTypes(bundlePath));
writeFileSync(types.output, types.text);
console.log(`generated/ regenerated in ${Math.round(performance.now() - started)} ms`);
