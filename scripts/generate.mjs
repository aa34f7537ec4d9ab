// Regenerates generated/ from openapi/: the bundled spec (what Prism and the docs read) and the
// TypeScript types (what src/ imports). Both are committed; check-generated.mjs keeps them honest.
import { bundle, bundlePath, exitOnToolError, tool, typesFlags } from "./tools.mjs";

const started = performance.now();
exitOnToolError(() => {
  bundle(bundlePath);
  // openapi-typescript reads redocly.yaml's `messages` API and writes x-openapi-ts.output.
  tool("openapi-typescript", typesFlags);
});
console.log(`generated/ regenerated in ${Math.round(performance.now() - started)} ms`);
