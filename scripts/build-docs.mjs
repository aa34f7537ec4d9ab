// Builds the Redoc page from the spec as one self-contained HTML file (Redoc inlined, so it
// renders offline) under build/docs/, which git ignores.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exitOnToolError, projectDir, tool } from "./tools.mjs";

export const docsPath = path.join(projectDir, "build", "docs", "index.html");

/**
 * `from`: redocly.yaml's `messages` API (openapi/, resolved file by file), or a bundle of it that is
 * known to be fresh (the workbench's, just written): the same page, for about 12% less CPU.
 */
export async function buildDocs(output = docsPath, { signal, from = "messages" } = {}) {
  await tool("redocly", ["build-docs", from, "--inlineBundle", "--output", output], { signal });
  return output;
}

// Paths, not URLs: a URL spells a space as %20, so a checkout in "My Projects" never matched.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await exitOnToolError(() => buildDocs());
  console.log(`${path.relative(projectDir, docsPath)} built in ${Math.round(performance.now() - started)} ms`);
}
