// Browser bundle size, minified and gzipped, built with rolldown (the bundler vitest's Vite
// already brings), split as a browser build splits it: what a page loads up front (the entry
// and the chunks it imports), and apart from it what loads on first need (client.ts's dynamic
// imports: general.ts for middleware, a fetch of your own or attachments; idempotency.ts for
// keyed creates).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { rolldown } from "rolldown";
import { root } from "../tools.mjs";

const index = JSON.stringify(path.join(root, "src/index.ts"));
export const entries = {
  // What a browser app that sends and reads messages imports; the rest shakes out (sideEffects: false).
  "chatwoot-messages (client)": `export { createChatwootClient, MessageType, ChatwootError, ApiError } from ${index};`,
  "chatwoot-messages (typed fetch client)": `export { createRawClient } from ${index};`,
  // What a chat UI of your own imports for the contact's side (the Client API).
  "chatwoot-messages (contact client)": `export { createContactClient, ChatwootError, ApiError } from ${index};`,
  // A chat UI of your own: the contact client and the realtime stream over it.
  "chatwoot-messages (contact client + realtime)": `export { createContactClient, connectRealtime, ChatwootError, ApiError, RealtimeError } from ${index};`,
  "chatwoot-messages (everything, webhooks too)": `export * from ${index};`,
  "openapi-fetch alone": `export { default } from "openapi-fetch";`,
  "@figuro/chatwoot-sdk": `export { default } from "@figuro/chatwoot-sdk";`,
};

/** One entry's bundle: the code and the modules (paths from the checkout) loaded up front and on first need. */
export async function bundle(source) {
  const scratch = mkdtempSync(path.join(root, "node_modules", ".bundle-size-"));
  try {
    const input = path.join(scratch, "entry.js");
    writeFileSync(input, source);
    const build = await rolldown({ input, platform: "browser", logLevel: "silent" });
    const { output } = await build.generate({ format: "es", minify: true });
    await build.close();
    const chunks = new Map(output.filter((chunk) => chunk.type === "chunk").map((chunk) => [chunk.fileName, chunk]));
    const upFront = new Set();
    const load = (fileName) => upFront.has(fileName) || (upFront.add(fileName), chunks.get(fileName).imports.forEach(load));
    load([...chunks.values()].find((chunk) => chunk.isEntry).fileName);
    const part = (loaded) => {
      const parts = [...chunks.values()].filter((chunk) => upFront.has(chunk.fileName) === loaded);
      const modules = parts.flatMap((chunk) => Object.keys(chunk.modules)).map((id) => path.relative(root, id)).filter((id) => !id.includes(".bundle-size-"));
      return { code: parts.map((chunk) => chunk.code).join("\n"), modules };
    };
    return { upFront: part(true), onFirstNeed: part(false) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function bundleSizes() {
  const gzipped = (code) => (code ? gzipSync(code, { level: 9 }).length : 0);
  const sizes = [];
  for (const [name, source] of Object.entries(entries)) {
    const { upFront, onFirstNeed } = await bundle(source);
    sizes.push({ name, minifiedBytes: Buffer.byteLength(upFront.code), gzippedBytes: gzipped(upFront.code), onFirstNeedGzippedBytes: gzipped(onFirstNeed.code) });
  }
  return sizes;
}
