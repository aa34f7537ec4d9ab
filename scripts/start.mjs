// The spec workbench (`npm start`): lint, regenerate, build the docs, serve them, run a Prism mock,
// then watch openapi/ and do it all again on every save. A spec that fails lint keeps the last
// good docs and mock running. Ctrl-C stops everything.
//
//   npm start -- [--docs-port 8080] [--mock-port 4010]      (or DOCS_PORT, MOCK_PORT)
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { rename } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { watch } from "chokidar";
import { buildDocs, docsPath } from "./build-docs.mjs";
import { startDocsServer } from "./docs-server.mjs";
import { startPrism } from "./prism.mjs";
import { DEFAULT_MOCK_PORT, portSetting } from "../src/cli/port-setting.js";
import { bundlePath, projectDir, readOrEmpty, withoutBanner, writeIfChanged } from "./tools.mjs";

const usage = `usage: npm start -- [--docs-port N] [--mock-port N]

Lints openapi/, regenerates generated/, builds the docs, serves them on 127.0.0.1 (--docs-port or
DOCS_PORT, default 8080), runs a Prism mock on 127.0.0.1 (--mock-port or MOCK_PORT, default 4010),
then does it again after every save under openapi/ or of redocly.yaml. Ctrl-C stops everything.`;

let values;
try {
  ({ values } = parseArgs({ options: { "docs-port": { type: "string" }, "mock-port": { type: "string" }, help: { type: "boolean", short: "h" } } }));
} catch (error) {
  refuse(`${error.message} (see npm start -- --help)`);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const docsPort = port("--docs-port", "DOCS_PORT", 8080);
const mockPort = port("--mock-port", "MOCK_PORT", DEFAULT_MOCK_PORT);
if (docsPort === mockPort) refuse(`The docs and the mock cannot share port ${docsPort}: choose two ports (--docs-port N, --mock-port N).`);
await ensureFree(docsPort, "--docs-port", "DOCS_PORT");
await ensureFree(mockPort, "--mock-port", "MOCK_PORT");

const specDir = path.join(projectDir, "openapi");
const watched = [specDir, path.join(projectDir, "redocly.yaml")];
// All the state, up here: the first pass runs (and Prism may die) before the module reaches the functions below.
let mock, docs, watcher, timer;
let advertised = false;
let busy = false; // a rebuild pass is running
let again = false; // and the spec changed during it
let restarting = Promise.resolve(); // the mock restart in progress
let docsBuiltFrom; // a hash of what the served docs were built from
const stopping = new AbortController(); // aborted on shutdown: start no mock, and stop a docs build in progress
let listens = 0; // how many times a Prism of ours said it listens (at start, and after each reload)
let refusals = 0; // how many times Prism kept its spec because the new bundle had no operation
const heard = new Set(); // resolved on each of those lines
const deaths = []; // when Prism died by itself, within the last minute
// Before anything starts, and long before "Ctrl-C stops" is printed: a SIGINT with no handler kills at once.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => shutDown(0));

const initial = fingerprint();
const ok = await rebuild();
docs = await startDocsServer({ port: docsPort, docsPath, specPath: bundlePath });
// chokidar, not fs.watch: Node 20's recursive fs.watch on Linux loses a file once an editor has
// replaced it by a rename (vim, sed -i, JetBrains, git checkout), and loses the whole tree when the
// folder is renamed away and back. The project folder is watched, filtered down to the spec, so
// that openapi/ itself coming back is seen too.
watcher = watch(projectDir, { ignoreInitial: true, ignored: (file) => !isSpec(path.resolve(file)) });
watcher.on("all", saved);
watcher.on("error", (error) => console.log(`watch     FAILED  ${error.message}`));
await new Promise((resolve) => watcher.once("ready", resolve));
if (fingerprint() !== initial) saved(); // saved while the first pass ran, before the watcher was there
console.log(`Docs:  ${docs.url}`);
advertiseMock();
if (!ok) console.log("The spec has errors: fix them and save; the workbench keeps watching.");
console.log(`Watching ${path.relative(process.cwd(), specDir) || "openapi"}/ for changes. Ctrl-C stops.`);

/** The mock's address and how to use it, once there is a mock to use. */
function advertiseMock() {
  if (advertised) return;
  if (!mock) {
    console.log(`Mock:  not running yet: it starts on 127.0.0.1:${mockPort} with the first save that passes lint`);
    return;
  }
  advertised = true;
  console.log(`Mock:  http://127.0.0.1:${mockPort}  (Prism, --errors)`);
  console.log(`Try:   ${mockPort === 4010 ? "" : `MOCK_PORT=${mockPort} `}npx chatwoot-messages list 42      (the CLI against this mock)`);
  console.log(`       CHATWOOT_WEBHOOK_SECRET=dev npx chatwoot-messages webhooks listen --port 3000`);
  console.log(`       CHATWOOT_WEBHOOK_SECRET=dev npx chatwoot-messages webhooks trigger message_created --to http://127.0.0.1:3000/`);
}

function isSpec(file) {
  return file === projectDir || watched.some((entry) => file === entry || file.startsWith(entry + path.sep));
}

// Saves come in bursts (an editor's temp file and rename, a checkout of many files): wait for a
// quiet moment, then rebuild; a save during a rebuild gets a rebuild of its own afterwards.
function saved() {
  clearTimeout(timer);
  timer = setTimeout(drain, 150);
}
async function drain() {
  if (busy) return void (again = true);
  busy = true;
  try {
    do {
      again = false;
      const before = fingerprint();
      await rebuild();
      // An event the watcher coalesced away still leaves the files changed: the last save wins.
      if (fingerprint() !== before) again = true;
    } while (again);
  } finally {
    busy = false;
  }
  if (!stopping.signal.aborted) console.log("watching  for the next save");
}

/** A hash of every file the rebuild reads, to tell whether the spec changed while it ran. */
function fingerprint() {
  const hash = createHash("sha1");
  const visit = (entry) => {
    let children;
    try {
      children = readdirSync(entry, { withFileTypes: true });
    } catch (error) {
      if (error.code !== "ENOTDIR") return void hash.update(`missing ${entry}\0`);
      try {
        return void hash.update(`${entry}\0`).update(readFileSync(entry));
      } catch {
        return void hash.update(`missing ${entry}\0`); // deleted between the listing and the read
      }
    }
    for (const child of children.sort((a, b) => (a.name < b.name ? -1 : 1))) visit(path.join(entry, child.name));
  };
  watched.forEach(visit);
  return hash.digest("hex");
}

/** One pass; returns false (keeping the last good docs and mock) when the spec fails lint. */
async function rebuild() {
  // Loaded on first use (Redocly's core: a third of a second of CPU), not by a refused flag or --help.
  const [{ bundleSpec, lintSpec }, { apiDiff }] = await Promise.all([import("./redocly.mjs"), import("./diff.mjs")]);
  if (!(await step("lint", lintSpec))) return false;
  const before = { listens, refusals };
  let bundleChanged = false;
  const generated = await step("generate", async () => {
    bundleChanged = await bundleSpec(bundlePath);
    // Loaded on first use (it brings TypeScript), not by a refused flag or --help; then kept.
    const { generatedTypes } = await import("./types.mjs");
    const types = await generatedTypes(bundlePath);
    writeIfChanged(types.output, types.text);
  });
  if (!generated) return false;
  await step("diff", async () => {
    // What the edit does to users of the last release (it gates nothing here; `npm test` does).
    const { summary, baseVersion, version, breaking, announced } = await apiDiff({ revision: bundlePath, markdown: false });
    return `since ${baseVersion}: ${summary.major} breaking, ${summary.minor} minor, ${summary.patch} patch${breaking.length && !announced ? ` (needs a version after ${version})` : ""}`;
  });
  // The page is made from the spec and redocly.yaml's settings: when neither the bundle nor
  // redocly.yaml changed (a comment, a reordering), the served page is already this one.
  const docsFrom = createHash("sha1").update(readOrEmpty(bundlePath)).update("\0").update(readOrEmpty(path.join(projectDir, "redocly.yaml"))).digest("hex");
  if (docsFrom === docsBuiltFrom) console.log("docs      ok  unchanged (the bundle and redocly.yaml are the same)");
  else {
    const next = path.join(path.dirname(docsPath), ".next.html");
    if (!(await step("docs", () => buildDocs(next, { signal: stopping.signal, from: bundlePath })))) return false;
    await rename(next, docsPath); // atomic: a reload never sees a half-written page
    docsBuiltFrom = docsFrom;
  }
  if (!mock) await restartMock();
  else if (bundleChanged) await reloadedMock(before);
  else console.log("mock      ok  unchanged (the bundle is the same)");
  return true;
}

/**
 * Prism watches the bundle and reloads it in its own process, for about a third of the CPU of a new
 * Prism: wait until it says it listens again, or that it keeps the last good spec because the new
 * one has no operation (a new Prism would refuse to start). One that says neither within 15 s is replaced.
 */
async function reloadedMock(before) {
  const started = performance.now();
  const deadline = Date.now() + 15_000;
  const changed = () => listens !== before.listens || refusals !== before.refusals;
  while (!changed() && Date.now() < deadline) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, deadline - Date.now());
      heard.add(() => resolve(clearTimeout(timer)));
    });
  }
  if (listens !== before.listens) console.log(`mock      ok  ${ms(started)}`);
  else if (refusals !== before.refusals) console.log(`mock      FAILED  ${ms(started)}\nThe bundle has no operation: Prism goes on serving the last spec that had some.`);
  else await restartMock();
}

function prismSaid(line) {
  if (/Prism is listening on /.test(line)) listens += 1;
  else if (/No operations found in the current file/.test(line)) refusals += 1;
  else return;
  for (const resolve of heard) resolve();
  heard.clear();
}

// One restart at a time: a rebuild and a death may both ask for one, and two Prisms on one port
// would make the second fail.
function restartMock() {
  restarting = restarting.then(replaceMock);
  return restarting;
}

async function replaceMock() {
  if (stopping.signal.aborted) return;
  const old = mock;
  mock = undefined; // from here on, its exit is expected
  await old?.stop();
  const started = performance.now();
  try {
    const current = await startPrism({ port: mockPort, args: ["--errors"], onOutput: prismSaid });
    if (stopping.signal.aborted) return void (await current.stop()); // up during the shutdown, which waits for this
    mock = current;
    current.exited.then((code) => mock === current && mockDied(code));
    console.log(`mock      ok  ${ms(started)}`);
    if (docs) advertiseMock();
  } catch (error) {
    console.log(`mock      FAILED  ${ms(started)}\n${error.message}`);
  }
}

// A Prism that dies by itself (killed, out of memory) is started again; one that keeps dying
// would leave a workbench advertising a mock that is not there, so it stops instead.
async function mockDied(code) {
  mock = undefined;
  deaths.push(Date.now());
  while (deaths[0] < Date.now() - 60_000) deaths.shift();
  if (deaths.length > 3) {
    console.error(`mock      DIED (exit ${code}) ${deaths.length} times within a minute: stopping the workbench.`);
    return shutDown(1);
  }
  console.log(`mock      DIED (exit ${code}): restarting`);
  await restartMock();
  if (stopping.signal.aborted) return; // Ctrl-C came meanwhile: the shutdown says nothing more
  if (!mock) {
    console.error("The mock could not be restarted: stopping the workbench.");
    return shutDown(1);
  }
  // Back to waiting, as after a rebuild (a rebuild in progress says so itself when it ends).
  if (!busy && advertised) console.log("watching  for the next save");
}

async function shutDown(code) {
  stopping.abort();
  await watcher?.close();
  clearTimeout(timer);
  // A mock being started (after a death, or by a rebuild) would outlive us: it stops once up.
  await restarting;
  const last = mock;
  mock = undefined;
  await Promise.allSettled([docs?.close(), last?.stop()]);
  process.exit(code);
}

async function step(name, run) {
  const started = performance.now();
  try {
    const said = await run();
    console.log(`${name.padEnd(9)} ok  ${ms(started)}${typeof said === "string" ? `  ${said}` : ""}`);
    return true;
  } catch (error) {
    // A step that Ctrl-C stopped (the docs build) did not fail: say nothing.
    if (!stopping.signal.aborted) console.log(`${name.padEnd(9)} FAILED  ${ms(started)}\n${withoutBanner(error.message)}`);
    return false;
  }
}

function ms(started) {
  return `${Math.round(performance.now() - started)} ms`;
}

/** A port from its flag or, failing that, its environment variable: read as the CLI reads MOCK_PORT. */
function port(flag, variable, fallback) {
  const fromFlag = values[flag.slice(2)] !== undefined;
  try {
    return portSetting(fromFlag ? flag : variable, fromFlag ? values[flag.slice(2)] : process.env[variable], fallback);
  } catch (error) {
    refuse(error.message);
  }
}

/** A usage error: one line, exit 2, before anything has started. */
function refuse(message) {
  console.error(message);
  process.exit(2);
}

function ensureFree(number, flag, variable) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error) => {
      const why = error.code === "EADDRINUSE" ? "is already in use (another npm start?)" : `cannot be used (${error.code})`;
      refuse(`Port ${number} on 127.0.0.1 ${why}. Choose another with ${flag} N or ${variable}=N.`);
    });
    probe.listen(number, "127.0.0.1", () => probe.close(resolve));
  });
}
