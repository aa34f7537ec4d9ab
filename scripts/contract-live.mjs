// Checks a live Chatwoot against our spec: runs `prism proxy --errors` in front of it, sends each
// operation through the built client (create a private note, list, update its status, delete
// it), and prints what Prism found wrong with each answer. Exits 1 on any violation, and on any
// operation that did not complete (nothing was checked for it); 2 on a usage error. A list sent
// straight to the upstream comes first: when that fails, nothing else is sent.
//
//   npm run contract:live -- --upstream https://chat.example.com --account 1 --conversation 42
//   (token from --token or CHATWOOT_API_TOKEN)
//
// The client only ever talks to the local Prism, so its own rules (https off loopback, no
// redirects) are checked here for the upstream, and scripts/upstream-guard.mjs stops the
// redirects Prism would follow.
import { parseArgs } from "node:util";
import { createChatwootClient } from "../dist/index.js";
import { startPrism } from "./prism.mjs";
import { startUpstreamGuard } from "./upstream-guard.mjs";

const usage =
  "usage: npm run contract:live -- --upstream URL --account N --conversation N [--token T | CHATWOOT_API_TOKEN=T] [--allow-insecure-http]";
let options;
try {
  ({ values: options } = parseArgs({
    options: {
      upstream: { type: "string" },
      token: { type: "string" },
      account: { type: "string" },
      conversation: { type: "string" },
      "allow-insecure-http": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}
const token = options.token ?? process.env.CHATWOOT_API_TOKEN;
if (!options.upstream || !token || !options.account || !options.conversation) fail("--upstream, --account, --conversation and a token are required.");
for (const name of ["account", "conversation"]) {
  if (!/^[1-9]\d{0,15}$/.test(options[name])) fail(`--${name} must be a positive integer id, got "${options[name]}".`);
}
const upstream = checkUpstream(options.upstream, options["allow-insecure-http"] === true);

const problems = [];
const guard = await startUpstreamGuard(upstream, (problem) => problems.push(problem));
const rows = [];
try {
  // First a list sent straight to the upstream (through the guard), before Prism, which takes about a
  // second of CPU to start: an upstream that cannot be reached, refuses the token or has no such
  // conversation is said at once, and nothing is created there.
  const refusal = await firstLook();
  if (refusal) {
    for (const operation of ["createMessage", "listMessages", "updateMessageStatus", "deleteMessage"]) {
      rows.push({ operation, status: "-", violations: [], note: `not run: ${refusal}`, completed: false });
    }
  } else {
    const prism = await startPrism({ mode: "proxy", upstream: guard.url, args: ["--errors"] });
    try {
      await checkOperations(prism.url);
    } finally {
      await prism.stop();
    }
  }
} finally {
  await guard.close();
}

printTable(rows);
const incomplete = rows.filter((row) => !row.completed);
if (incomplete.length > 0) {
  console.error(`\n${incomplete.length} of ${rows.length} operations did not complete (${incomplete.map((row) => row.operation).join(", ")}): nothing was checked for them.`);
}
process.exit(rows.some((row) => row.violations.length > 0) || incomplete.length > 0 ? 1 : 0);

/** Why the upstream's answer to a plain list (not checked against the spec) rules the run out, if it does. */
async function firstLook() {
  const direct = createChatwootClient({ baseUrl: guard.url, apiAccessToken: token, accountId: options.account, maxRetries: 0 });
  const seen = problems.length;
  try {
    await direct.messages.list(options.conversation);
    return undefined;
  } catch (error) {
    return `the first look at the upstream (a list) failed: ${problems.slice(seen).join("; ") || `${error.name}: ${error.message}`}`;
  }
}

/** Each operation through Prism, a row each: its status, and what Prism found wrong with the answer. */
async function checkOperations(prismUrl) {
  let current;
  const client = createChatwootClient({
    baseUrl: prismUrl,
    apiAccessToken: token,
    accountId: options.account,
    maxRetries: 0,
    middleware: [{ onResponse: ({ response }) => void (current.status = response.status, current.violations = violationsOf(response)) }],
  });
  /** Runs one operation; `tolerated` names the documented refusals that still count as checked. */
  const step = async (operation, run, tolerated = []) => {
    current = { operation, status: "-", violations: [], note: "", completed: true };
    rows.push(current);
    const seen = problems.length;
    try {
      return await run();
    } catch (error) {
      current.completed = tolerated.includes(error.name);
      current.note = problems.slice(seen).join("; ") || (error.name === "ServerError" && current.violations.length ? "answer broke the spec" : `${error.name}: ${error.message}`);
      return undefined;
    }
  };
  const skipped = (operation, because) => rows.push({ operation, status: "-", violations: [], note: `not run: ${because} did not complete`, completed: false });
  const conversation = options.conversation;
  const created = await step("createMessage", () =>
    client.messages.create(conversation, { content: `chatwoot-messages contract check ${new Date().toISOString()}`, private: true }),
  );
  await step("listMessages", () => client.messages.list(conversation));
  if (created) {
    // Chatwoot allows status updates for API inboxes only: its documented 403 is a checked answer.
    await step("updateMessageStatus", () => client.messages.updateStatus(conversation, created.id, { status: "delivered" }), ["PermissionDeniedError"]);
    await step("deleteMessage", () => client.messages.delete(conversation, created.id));
  } else {
    skipped("updateMessageStatus", "createMessage");
    skipped("deleteMessage", "createMessage");
  }
}

/** The client's own rules for a base URL, applied to the upstream it cannot see behind Prism. */
function checkUpstream(value, allowInsecureHttp) {
  let url;
  try {
    url = new URL(value);
  } catch {
    fail(`--upstream must be an absolute URL such as https://chat.example.com, got "${value}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") fail(`--upstream must use https: (got ${url.protocol}).`);
  if (url.username || url.password) fail("--upstream must not contain credentials: pass the token with --token or CHATWOOT_API_TOKEN.");
  if (url.search || url.hash) fail("--upstream must not have a query or a fragment.");
  const loopback = url.hostname === "localhost" || url.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol === "http:" && !loopback && !allowInsecureHttp) {
    fail(`--upstream uses plain http to ${url.hostname}, which would send the API token unencrypted: use https, or pass --allow-insecure-http.`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function violationsOf(response) {
  const header = response.headers.get("sl-violations");
  if (!header) return [];
  try {
    return JSON.parse(header).map((v) => `${v.location.join(".")}: ${v.message}`);
  } catch {
    return [header];
  }
}

function printTable(rows) {
  const width = Math.max(...rows.map((row) => row.operation.length), "operation".length);
  console.log(`${"operation".padEnd(width)}  status  violations`);
  for (const row of rows) {
    console.log(`${row.operation.padEnd(width)}  ${String(row.status).padEnd(6)}  ${row.violations.length}${row.note ? `  (${row.note})` : ""}`);
    for (const violation of row.violations) console.log(`${" ".repeat(width)}    - ${violation}`);
  }
}

/** A usage error: what is wrong, the usage, exit 2, nothing sent. */
function fail(message) {
  console.error(`contract:live: ${message}\n${usage}`);
  process.exit(2);
}
