#!/usr/bin/env node
/**
 * chatwoot-messages: the client from a shell. Each command maps to one client method; errors
 * print one line (status and Chatwoot's words, never the token) and exit non-zero; bad arguments
 * print the command's usage and exit 2. Node only (files, process), so it is built apart from
 * the portable client.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  ApiError, ChatwootError, createChatwootClient, createWebhookHandler, toNodeListener,
  type ChatwootClient, type Message, type MessageStatus,
} from "./index.js";

const LOCAL_MOCK = "http://127.0.0.1:4010";

const common = {
  "base-url": { type: "string" },
  token: { type: "string" },
  account: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const CONFIG_HELP = `Connection (flags or environment):
  --base-url URL   CHATWOOT_BASE_URL    default: the local mock at ${LOCAL_MOCK} (npm start)
  --token TOKEN    CHATWOOT_API_TOKEN   required with a base URL
  --account ID     CHATWOOT_ACCOUNT_ID  default 1
  --json           print the API's JSON instead of a summary`;

interface Command {
  usage: string;
  options: ParseArgsConfig["options"];
  positionals: number;
  run(client: ChatwootClient, args: string[], values: Record<string, unknown>): Promise<unknown>;
  summary(result: unknown): string;
}

const commands: Record<string, Command> = {
  send: {
    usage: "send CONVERSATION [--content TEXT] [--private] [--attach FILE]...",
    options: { content: { type: "string" }, private: { type: "boolean" }, attach: { type: "string", multiple: true } },
    positionals: 1,
    async run(client, [conversation], values) {
      const files = (values.attach as string[] | undefined) ?? [];
      if (values.content === undefined && files.length === 0) throw new UsageError("send needs --content or --attach");
      const attachments = await Promise.all(files.map(async (file) => ({ data: new Uint8Array(await readFile(file)), filename: basename(file) })));
      return client.messages.create(conversation!, {
        ...(values.content !== undefined ? { content: values.content as string } : {}),
        ...(values.private ? { private: true } : {}),
        ...(attachments.length ? { attachments } : {}),
      });
    },
    summary: (message) => `sent message ${(message as Message).id}${(message as Message).private ? " (private note)" : ""}`,
  },
  list: {
    usage: "list CONVERSATION [--before ID] [--after ID] [--no-internal]",
    options: { before: { type: "string" }, after: { type: "string" }, "no-internal": { type: "boolean" } },
    positionals: 1,
    run: (client, [conversation], values) =>
      client.messages.list(conversation!, {
        ...(values.before !== undefined ? { before: toNumber("--before", values.before) } : {}),
        ...(values.after !== undefined ? { after: toNumber("--after", values.after) } : {}),
        ...(values["no-internal"] ? { filter_internal_messages: true as const } : {}),
      }),
    summary: (page) =>
      (page as { payload: Message[] }).payload.map(describe).join("\n") || "(no messages)",
  },
  status: {
    usage: "status CONVERSATION MESSAGE sent|delivered|read|failed [--error TEXT]",
    options: { error: { type: "string" } },
    positionals: 3,
    run: (client, [conversation, message, status], values) =>
      client.messages.updateStatus(conversation!, message!, {
        status: status as MessageStatus,
        ...(values.error !== undefined ? { external_error: values.error as string } : {}),
      }),
    summary: (message) => `message ${(message as Message).id} is ${(message as Message).status ?? "unchanged"}`,
  },
  delete: {
    usage: "delete CONVERSATION MESSAGE",
    options: {},
    positionals: 2,
    run: (client, [conversation, message]) => client.messages.delete(conversation!, message!),
    summary: (message) => `deleted message ${(message as Message).id}`,
  },
};

const TYPES = ["incoming", "outgoing", "activity", "template"];

function describe(message: Message): string {
  const who = message.sender ? `${message.sender.name ?? message.sender.type}` : "system";
  const files = message.attachments?.length ? ` [${message.attachments.length} attachment(s)]` : "";
  const note = message.private ? " (private)" : "";
  return `${message.id}\t${TYPES[message.message_type]}\t${who}${note}: ${message.content ?? ""}${files}`;
}

class UsageError extends Error {}

function toNumber(flag: string, value: unknown): number {
  if (!/^\d+$/.test(String(value))) throw new UsageError(`${flag} takes a message id`);
  return Number(value);
}

const WEBHOOKS_USAGE = `usage: chatwoot-messages webhooks listen --secret SECRET [--port 3000] [--host 127.0.0.1] [--allow-unsigned]

Receives Chatwoot webhooks, verifies each signature, and prints every verified event as one JSON
line on stdout. The secret may also come from CHATWOOT_WEBHOOK_SECRET.
`;

/** `webhooks listen`: a verifying receiver that prints events as JSON lines. Resolves when it stops. */
async function listen(args: string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args,
      options: { port: { type: "string" }, host: { type: "string" }, secret: { type: "string" }, "allow-unsigned": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
    if (parsed.values.help) {
      out.write(WEBHOOKS_USAGE);
      return 0;
    }
    if (parsed.positionals.join(" ") !== "listen") throw new UsageError("the webhooks command has one subcommand: listen");
    values = parsed.values;
    if (!(values.secret ?? env.CHATWOOT_WEBHOOK_SECRET)) throw new UsageError("a secret is needed: --secret or CHATWOOT_WEBHOOK_SECRET");
    if (values.port !== undefined && !/^\d+$/.test(values.port as string)) throw new UsageError("--port takes a number");
  } catch (error) {
    err.write(`${(error as Error).message}\n\n${WEBHOOKS_USAGE}`);
    return 2;
  }
  const handler = createWebhookHandler({
    secret: (values.secret as string | undefined) ?? env.CHATWOOT_WEBHOOK_SECRET!,
    allowUnsigned: values["allow-unsigned"] === true,
    onEvent: (event) => void out.write(`${JSON.stringify(event)}\n`),
  });
  const server = createServer(toNodeListener(handler));
  const port = Number(values.port ?? 3000);
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  return new Promise((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      err.write(error.code === "EADDRINUSE" ? `port ${port} on ${host} is already in use: choose another with --port\n` : `error: ${error.message}\n`);
      resolve(1);
    });
    server.listen(port, host, () => {
      err.write(`listening for Chatwoot webhooks on http://${host}:${(server.address() as { port: number }).port}\n`);
    });
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => server.close(() => resolve(0)));
  });
}

function mainUsage(): string {
  return `usage: chatwoot-messages COMMAND [ARGS] [OPTIONS]

Commands:
${Object.values(commands).map((c) => `  ${c.usage}`).join("\n")}
  webhooks listen --secret SECRET [--port N]

Run \`chatwoot-messages COMMAND --help\` for a command's options.

${CONFIG_HELP}`;
}

async function main(argv: string[], env: NodeJS.ProcessEnv, out = process.stdout, err = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name ? out : err).write(`${mainUsage()}\n`);
    return name ? 0 : 2;
  }
  if (name === "webhooks") return listen(rest, env, out, err);
  const command = commands[name];
  if (!command) {
    err.write(`unknown command "${name}"\n\n${mainUsage()}\n`);
    return 2;
  }
  const commandUsage = `usage: chatwoot-messages ${command.usage} [--json]\n\n${CONFIG_HELP}\n`;
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: { ...common, ...command.options }, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      out.write(commandUsage);
      return 0;
    }
    if (parsed.positionals.length !== command.positionals) throw new UsageError(`${name} takes ${command.positionals} argument(s)`);
  } catch (error) {
    err.write(`${(error as Error).message}\n\n${commandUsage}`);
    return 2;
  }

  const { values, positionals } = parsed;
  const baseUrl = (values["base-url"] as string | undefined) ?? env.CHATWOOT_BASE_URL;
  const token = (values.token as string | undefined) ?? env.CHATWOOT_API_TOKEN;
  if (baseUrl && !token) {
    err.write(`a token is needed for ${baseUrl}: --token or CHATWOOT_API_TOKEN\n`);
    return 2;
  }
  if (!baseUrl) err.write(`no base URL given: using the local mock at ${LOCAL_MOCK}\n`);
  try {
    const client = createChatwootClient({
      baseUrl: baseUrl ?? LOCAL_MOCK,
      apiAccessToken: token ?? "local-mock-token",
      accountId: (values.account as string | undefined) ?? env.CHATWOOT_ACCOUNT_ID ?? 1,
    });
    const result = await command.run(client, positionals, values);
    out.write(`${values.json ? JSON.stringify(result, null, 2) : command.summary(result)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`${error.message}\n\n${commandUsage}`);
      return 2;
    }
    err.write(`${oneLine(error)}\n`);
    return 1;
  }
}

/** One readable line; ChatwootError messages never carry the token. */
function oneLine(error: unknown): string {
  if (error instanceof ApiError) return `error: ${error.message}${error.requestId ? ` (request id ${error.requestId})` : ""}`;
  if (error instanceof ChatwootError) return `error: ${error.name}: ${error.message}`;
  return `error: ${(error as Error)?.message ?? String(error)}`;
}

process.exitCode = await main(process.argv.slice(2), process.env);
