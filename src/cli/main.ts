/**
 * chatwoot-messages: the client from a shell. Bad arguments print the command's usage and exit 2;
 * failures from the server print one line (status and Chatwoot's words, never the token) and
 * exit 1; nothing prints a stack trace.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createChatwootClient } from "../application/client.js";
import { ValidationError } from "../core/errors.js";
import { duration, localMock, UsageError } from "./args.js";
import { contact } from "./contact.js";
import { messageCommands } from "./messages.js";
import { errorLine, printable, printableJson, printableLines, withoutCredentials, type Io } from "./output.js";
import { DEFAULT_MOCK_PORT } from "./port-setting.js";
import { webhooks } from "./webhooks.js";

const common = {
  "base-url": { type: "string" },
  token: { type: "string" },
  account: { type: "string" },
  "allow-insecure-http": { type: "boolean" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

// The mock needs a token but checks none: never send a real one there.
const PLACEHOLDER_TOKEN = "local-mock-placeholder-token";

const CONFIG_HELP = `Connection (environment, or flags):
  CHATWOOT_BASE_URL    --base-url URL   default: the local mock of npm start, http://127.0.0.1:${DEFAULT_MOCK_PORT}
                                        (or MOCK_PORT, as there)
  CHATWOOT_API_TOKEN   --token TOKEN    required with a base URL; a flag is visible to every
                                        user of this machine (ps, /proc): prefer the variable
  CHATWOOT_ACCOUNT_ID  --account ID     default 1
  --allow-insecure-http                 allow a plain http:// base URL to another machine (the token
                                        then travels unencrypted); http to this machine needs no flag
  --timeout DURATION   how long each attempt may take, e.g. 10s or 500ms (a bare number is seconds);
                       default 30s (the client's)
  --json               print the API's JSON instead of a summary`;

const MAIN_USAGE = `usage: chatwoot-messages COMMAND [ARGS] [OPTIONS]

Commands:
${Object.values(messageCommands).map((c) => `  ${c.usage}`).join("\n")}
  contact start --inbox IDENT [--name N] [--email E]
  contact send --inbox IDENT --source-id SID --conversation ID --content TEXT
  contact watch --inbox IDENT --source-id SID --pubsub-token TOKEN --conversation ID [--json]
  webhooks listen [--port N] [--redis URL]
  webhooks trigger EVENT [--to URL] [--example NAME] [--duplicate | --retry | --stale]

Run \`chatwoot-messages COMMAND --help\` for a command's options, \`chatwoot-messages --version\` for the version.

${CONFIG_HELP}`;

const WEBHOOKS_OVERVIEW = `usage: chatwoot-messages webhooks listen|trigger [OPTIONS]

Subcommands:
  webhooks listen [OPTIONS]    receive Chatwoot webhooks, verify each signature, print each event
                               as one JSON line
  webhooks trigger EVENT [--to URL] [--example NAME] [--duplicate | --retry | --stale] [--timeout 5s]
                               send a receiver a delivery signed as Chatwoot signs it

Run \`chatwoot-messages webhooks listen --help\` or \`chatwoot-messages webhooks trigger --help\` for their options.

  CHATWOOT_WEBHOOK_SECRET   the webhook's secret, for both
  --secret SECRET           the same, but visible to every user of this machine (ps, /proc): prefer the variable
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const { out, err, env } = io;
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name ? out : err).write(`${MAIN_USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === "--version") {
    out.write(`${await version()}\n`);
    return 0;
  }
  if (name === "contact") return contact(rest, io);
  if (name === "webhooks") {
    const [sub] = rest;
    if (sub !== undefined && sub !== "--help" && sub !== "-h" && sub !== "help") return webhooks(rest, io);
    (sub ? out : err).write(sub ? WEBHOOKS_OVERVIEW : `webhooks takes a subcommand: listen, or trigger EVENT\n\n${WEBHOOKS_OVERVIEW}`);
    return sub ? 0 : 2;
  }
  const command = messageCommands[name];
  if (!command) {
    err.write(`unknown command "${printable(name)}"\n\n${MAIN_USAGE}\n`);
    return 2;
  }
  const usage = `usage: chatwoot-messages ${command.usage} [--json]\n\n${CONFIG_HELP}\n`;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...common, ...command.options }, allowPositionals: true, strict: true });
    if (values.help) {
      out.write(usage);
      return 0;
    }
    if (positionals.length !== command.positionals) throw new UsageError(`${name} takes ${command.positionals} argument(s)`);
    const timeout = values.timeout === undefined ? {} : { timeoutMs: duration("--timeout", values.timeout as string) };
    const baseUrl = (values["base-url"] as string | undefined) || env.CHATWOOT_BASE_URL;
    const token = (values.token as string | undefined) || env.CHATWOOT_API_TOKEN;
    if (baseUrl && !token) throw new UsageError(`a token is needed for ${withoutCredentials(baseUrl)}: CHATWOOT_API_TOKEN (or --token)`);
    if (!baseUrl) err.write(`no base URL given: using the local mock at ${localMock(env)}, with a placeholder token (not CHATWOOT_API_TOKEN)\n`);
    const client = createChatwootClient({
      baseUrl: baseUrl || localMock(env),
      apiAccessToken: baseUrl ? token! : PLACEHOLDER_TOKEN,
      accountId: (values.account as string | undefined) ?? (env.CHATWOOT_ACCOUNT_ID || 1),
      allowInsecureHttp: values["allow-insecure-http"] === true,
      ...timeout,
    });
    const result = await command.run(client, positionals, values);
    // Every line escaped: ids, statuses and types come from the server as much as content does.
    out.write(`${values.json ? printableJson(result, 2) : command.summary(result).map((cells) => cells.map(printable).join("\t")).join("\n")}\n`);
    return 0;
  } catch (error) {
    // parseArgs' own errors, ours, and the client's refusals of an argument (an id, a status, the account).
    if (error instanceof UsageError || error instanceof ValidationError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      // Escaped: the arguments quoted in it may hold control characters.
      err.write(`${printableLines(inCommandLineTerms((error as Error).message))}\n\n${usage}`);
      return 2;
    }
    err.write(`${errorLine(error)}\n`);
    return 1;
  }
}

/** The client's advice names its option; here the flag does the same. */
function inCommandLineTerms(message: string): string {
  return message.replace("pass allowInsecureHttp: true", "pass --allow-insecure-http");
}

/** This package's version, from its package.json (two levels up from dist/cli/ and from src/cli/). */
async function version(): Promise<string> {
  return JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")).version;
}
