// Browser bundle size, minified and gzipped, built with rolldown (the bundler vitest's Vite
// already brings): this client's entry, openapi-fetch alone, and @figuro/chatwoot-sdk.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { rolldown } from "rolldown";
import { root } from "../tools.mjs";

const index = JSON.stringify(path.join(root, "src/index.ts"));
const entries = {
  // What a browser app that sends and reads messages imports; the rest shakes out (sideEffects: false).
  "chatwoot-messages (client)": `export { createChatwootClient, MessageType, ChatwootError, ApiError } from ${index};`,
  "chatwoot-messages (everything, webhooks too)": `export * from ${index};`,
  "openapi-fetch alone": `export { default } from "openapi-fetch";`,
  "@figuro/chatwoot-sdk": `export { default } from "@figuro/chatwoot-sdk";`,
};

export async function bundleSizes() {
  const scratch = mkdtempSync(path.join(root, "node_modules", ".bundle-size-"));
  try {
    const sizes = [];
    for (const [name, source] of Object.entries(entries)) {
      const input = path.join(scratch, `${name.replace(/\W+/g, "-")}.js`);
      writeFileSync(input, source);
      const bundle = await rolldown({ input, platform: "browser", logLevel: "silent" });
      const { output } = await bundle.generate({ format: "es", minify: true, codeSplitting: false });
      await bundle.close();
      const code = output.map((chunk) => chunk.code ?? "").join("");
      sizes.push({ name, minifiedBytes: Buffer.byteLength(code), gzippedBytes: gzipSync(code, { level: 9 }).length });
    }
    return sizes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
