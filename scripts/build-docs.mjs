// Builds the Redoc page from the spec as one self-contained HTML file (Redoc inlined, so it
// renders offline) under build/docs/, which git ignores.
import path from "node:path";
import { projectDir, tool } from "./tools.mjs";

export const docsPath = path.join(projectDir, "build", "docs", "index.html");

export function buildDocs(output = docsPath) {
  tool("redocly", ["build-docs", "messages", "--inlineBundle", "--output", output]);
  return output;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  buildDocs();
  console.log(`${path.relative(projectDir, docsPath)} built in ${Math.round(performance.now() - started)} ms`);
}
