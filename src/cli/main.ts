/**
 * chatwoot-messages: the client from a shell. Bad arguments print the command's usage and exit 2;
 * failures from the server print one line (status and Chatwoot's words, never the token) and
 * exit 1; nothing prints a stack trace.
 */
import { parseArgs } from "node:util";
import { createChatwootClient } from "../client.js";
import { ValidationError } from "../errors.js";
import { UsageError } from "./args.js";
import { messageCommands } from "./messages.js";
import { errorLine, printableJson, type Io } from "./output.js";
import { webhooks } from "./webhooks.js";

const common = {
  "base-url": { type: "string" },
  token: { type: "string" },
  account: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The mock `npm start` runs; MOCK_PORT as there. */
const localMock = (env: Io["env"]) => `http://127.0.0.1:${env.MOCK_PORT || 4010}`;
// The mock needs a token but checks none: never send a real one there.
const PLACEHOLDER_TOKEN = "local-mock-placeholder-token";

const configHelp = (env: Io["env"]) => `Connection (environment, or flags):
  CHATWOOT_BASE_URL    --base-url URL   default: the local mock at ${localMock(env)} (npm start)
  CHATWOOT_API_TOKEN   --token TOKEN    required with a base URL; a flag is visible to every
                                        user of this machine (ps, /proc): prefer the variable
  CHATWOOT_ACCOUNT_ID  --account ID     default 1
  --json               print the API's JSON instead of a summary`;

function mainUsage(env: Io["env"]): string {
  return `usage: chatwoot-messages COMMAND [ARGS] [OPTIONS]

Commands:
${Object.values(messageCommands).map((c) => `  ${c.usage}`).join("\n")}
  webhooks listen [--port N] [--redis URL]
  webhooks trigger EVENT [--to URL] [--example NAME] [--duplicate | --retry | --stale]

Run \`chatwoot-messages COMMAND --help\` for a command's options.

${configHelp(env)}`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const { out, err, env } = io;
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name ? out : err).write(`${mainUsage(env)}\n`);
    return name ? 0 : 2;
  }
  if (name === "webhooks") return webhooks(rest, io);
  const command = messageCommands[name];
  if (!command) {
    err.write(`unknown command "${name}"\n\n${mainUsage(env)}\n`);
    return 2;
  }
  const usage = `usage: chatwoot-messages ${command.usage} [--json]\n\n${configHelp(env)}\n`;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...common, ...command.options }, allowPositionals: true, strict: true });
    if (values.help) {
      out.write(usage);
      return 0;
    }
    if (positionals.length !== command.positionals) throw new UsageError(`${name} takes ${command.positionals} argument(s)`);
    const baseUrl = (values["base-url"] as string | undefined) || env.CHATWOOT_BASE_URL;
    const token = (values.token as string | undefined) || env.CHATWOOT_API_TOKEN;
    if (baseUrl && !token) throw new UsageError(`a token is needed for ${baseUrl}: CHATWOOT_API_TOKEN (or --token)`);
    if (!baseUrl) err.write(`no base URL given: using the local mock at ${localMock(env)}, with a placeholder token (not CHATWOOT_API_TOKEN)\n`);
    const client = createChatwootClient({
      baseUrl: baseUrl || localMock(env),
      apiAccessToken: baseUrl ? token! : PLACEHOLDER_TOKEN,
      accountId: (values.account as string | undefined) ?? (env.CHATWOOT_ACCOUNT_ID || 1),
    });
    const result = await command.run(client, positionals, values);
    out.write(`${values.json ? printableJson(result, 2) : command.summary(result)}\n`);
    return 0;
  } catch (error) {
    // parseArgs' own errors, ours, and the client's refusals of an argument (an id, a status, the account).
    if (error instanceof UsageError || error instanceof ValidationError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    err.write(`${errorLine(error)}\n`);
    return 1;
  }
}
