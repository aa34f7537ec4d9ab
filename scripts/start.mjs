// The spec workbench (`npm start`): lint, regenerate, build the docs, serve them, run a Prism mock,
// then watch openapi/ and do it all again on every save. A spec that fails lint keeps the last
// good docs and mock running. Ctrl-C stops everything.
//
//   npm start -- [--docs-port 8080] [--mock-port 4010]      (or DOCS_PORT, MOCK_PORT)
import { watch } from "node:fs";
import { rename } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildDocs, docsPath } from "./build-docs.mjs";
import { startDocsServer } from "./docs-server.mjs";
import { startPrism } from "./prism.mjs";
import { apiDiff } from "./diff.mjs";
import { bundle, bundlePath, projectDir, tool, typesFlags, withoutBanner } from "./tools.mjs";

const { values } = parseArgs({ options: { "docs-port": { type: "string" }, "mock-port": { type: "string" } } });
const docsPort = port("docs", values["docs-port"] ?? process.env.DOCS_PORT ?? "8080");
const mockPort = port("mock", values["mock-port"] ?? process.env.MOCK_PORT ?? "4010");
await ensureFree(docsPort, "--docs-port", "DOCS_PORT");
await ensureFree(mockPort, "--mock-port", "MOCK_PORT");

let mock, docs, watcher, timer;
// Before anything starts, and long before "Ctrl-C stops" is printed: a SIGINT with no handler kills at once.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    watcher?.close();
    clearTimeout(timer);
    await Promise.allSettled([docs?.close(), mock?.stop()]);
    process.exit(0);
  });
}

const ok = await rebuild();
if (!ok) console.log("The spec has errors: fix them and save; the workbench keeps watching.");
docs = await startDocsServer({ port: docsPort, docsPath, specPath: bundlePath });
let running = Promise.resolve();
watcher = watch(path.join(projectDir, "openapi"), { recursive: true }, () => {
  clearTimeout(timer);
  timer = setTimeout(() => (running = running.then(rebuild)), 150);
});
console.log(`Docs:  ${docs.url}`);
console.log(`Mock:  http://127.0.0.1:${mockPort}  (Prism, --errors)`);
console.log(`Try:   ${mockPort === 4010 ? "" : `MOCK_PORT=${mockPort} `}npx chatwoot-messages list 42      (the CLI against this mock)`);
console.log(`       CHATWOOT_WEBHOOK_SECRET=dev npx chatwoot-messages webhooks listen --port 3000`);
console.log(`       CHATWOOT_WEBHOOK_SECRET=dev npx chatwoot-messages webhooks trigger message_created --to http://127.0.0.1:3000/`);
console.log(`Watching ${path.relative(process.cwd(), path.join(projectDir, "openapi")) || "openapi"}/ for changes. Ctrl-C stops.`);

/** One pass; returns false (keeping the last good docs and mock) when the spec fails lint. */
async function rebuild() {
  if (!step("lint", () => tool("redocly", ["lint"]))) return false;
  if (!step("generate", () => (bundle(bundlePath), tool("openapi-typescript", typesFlags)))) return false;
  step("diff", () => {
    // What the edit does to users of the last release (it gates nothing here; `npm test` does).
    const { summary, baseVersion, version, breaking, announced } = apiDiff({ revision: bundlePath });
    return `since ${baseVersion}: ${summary.major} breaking, ${summary.minor} minor, ${summary.patch} patch${breaking.length && !announced ? ` (needs a version after ${version})` : ""}`;
  });
  const next = path.join(path.dirname(docsPath), ".next.html");
  if (!step("docs", () => buildDocs(next))) return false;
  await rename(next, docsPath); // atomic: a reload never sees a half-written page
  const started = performance.now();
  try {
    await mock?.stop();
    mock = await startPrism({ port: mockPort, args: ["--errors"] });
    console.log(`mock      ok  ${ms(started)}`);
  } catch (error) {
    console.log(`mock      FAILED  ${ms(started)}\n${error.message}`);
  }
  return true;
}

function step(name, run) {
  const started = performance.now();
  try {
    const said = run();
    console.log(`${name.padEnd(9)} ok  ${ms(started)}${typeof said === "string" ? `  ${said}` : ""}`);
    return true;
  } catch (error) {
    console.log(`${name.padEnd(9)} FAILED  ${ms(started)}\n${withoutBanner(error.message)}`);
    return false;
  }
}

function ms(started) {
  return `${Math.round(performance.now() - started)} ms`;
}

function port(name, value) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) {
    console.error(`The ${name} port must be a number from 1 to 65535, got "${value}".`);
    process.exit(2);
  }
  return number;
}

function ensureFree(number, flag, variable) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error) => {
      const why = error.code === "EADDRINUSE" ? "is already in use (another npm start?)" : `cannot be used (${error.code})`;
      console.error(`Port ${number} on 127.0.0.1 ${why}. Choose another with ${flag} N or ${variable}=N.`);
      process.exit(1);
    });
    probe.listen(number, "127.0.0.1", () => probe.close(resolve));
  });
}
