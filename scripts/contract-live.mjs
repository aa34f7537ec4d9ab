// Checks a live Chatwoot against our spec: runs `prism proxy --errors` in front of it, sends each
// operation through the built client (create a private note, list, update its status, delete
// it), and prints what Prism found wrong with each answer. Exits 1 on any violation.
//
//   npm run contract:live -- --upstream https://chat.example.com --account 1 --conversation 42
//   (token from --token or CHATWOOT_API_TOKEN)
import { parseArgs } from "node:util";
import { createChatwootClient } from "../dist/index.js";
import { startPrism } from "./prism.mjs";

const usage = "usage: npm run contract:live -- --upstream URL --account N --conversation N [--token T | CHATWOOT_API_TOKEN=T]";
let options;
try {
  ({ values: options } = parseArgs({
    options: {
      upstream: { type: "string" },
      token: { type: "string" },
      account: { type: "string" },
      conversation: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail(`${error.message}\n${usage}`);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}
const token = options.token ?? process.env.CHATWOOT_API_TOKEN;
if (!options.upstream || !token || !options.account || !options.conversation) fail(usage);

const prism = await startPrism({ mode: "proxy", upstream: options.upstream, args: ["--errors"] });
const rows = [];
try {
  let current;
  const client = createChatwootClient({
    baseUrl: prism.url,
    apiAccessToken: token,
    accountId: options.account,
    maxRetries: 0,
    middleware: [{ onResponse: ({ response }) => void (current.status = response.status, current.violations = violationsOf(response)) }],
  });
  const step = async (operation, run) => {
    current = { operation, status: "-", violations: [], note: "" };
    rows.push(current);
    try {
      return await run();
    } catch (error) {
      current.note = error.name === "ServerError" && current.violations.length ? "answer broke the spec" : `${error.name}: ${error.message}`;
      return undefined;
    }
  };
  const conversation = options.conversation;
  const created = await step("createMessage", () =>
    client.messages.create(conversation, { content: `chatwoot-messages contract check ${new Date().toISOString()}`, private: true }),
  );
  await step("listMessages", () => client.messages.list(conversation));
  if (created) {
    await step("updateMessageStatus", () => client.messages.updateStatus(conversation, created.id, { status: "delivered" }));
    await step("deleteMessage", () => client.messages.delete(conversation, created.id));
  }
} finally {
  await prism.stop();
}

printTable(rows);
process.exit(rows.some((row) => row.violations.length > 0) ? 1 : 0);

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

function fail(message) {
  console.error(message);
  process.exit(2);
}
