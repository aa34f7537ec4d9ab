/**
 * `contact start`, `contact send` and `contact watch` (in watch.ts): the contact's side of an API inbox from a shell, through the
 * contact client (no token: the inbox identifier and the session's source_id are the credentials).
 * Bad arguments print the usage and exit 2; failures print one line and exit 1.
 */
import { parseArgs } from "node:util";
import { createContactClient } from "../contact/client.js";
import { ValidationError } from "../core/errors.js";
import { duration, localMock, positiveInteger, UsageError } from "./args.js";
import { errorLine, printable, printableJson, printableLines, type Io } from "./output.js";
import { DEFAULT_MOCK_PORT } from "./port-setting.js";
import { watch } from "./watch.js";

const CONNECTION_HELP = `  CHATWOOT_BASE_URL    --base-url URL   default: the local mock of npm start, http://127.0.0.1:${DEFAULT_MOCK_PORT}
                                        (or MOCK_PORT, as there)
  --inbox IDENT        the API inbox's identifier (Settings → Inboxes → Configuration)
  --allow-insecure-http                 allow a plain http:// base URL to another machine
  --timeout DURATION   how long each attempt may take, e.g. 10s or 500ms; default 30s
  --json               print JSON instead of a summary`;

export const CONTACT_USAGE = `usage: chatwoot-messages contact start --inbox IDENT [--name N] [--email E] [--json]
       chatwoot-messages contact send --inbox IDENT --source-id SID --conversation ID --content TEXT [--json]
       chatwoot-messages contact watch --inbox IDENT --source-id SID --pubsub-token TOKEN --conversation ID [--json]
                                       [--resync-seconds N] [--after ID] [--confirm-timeout DURATION]

  contact start   creates a contact session and a conversation in it; prints the session's source_id
                  and pubsub_token (its credentials: keep them secret) and the conversation's id
  contact send    sends a message as that contact
  contact watch   prints each message of the conversation the contact can see, once, in id order
                  (from the latest 20; --json: one line per message as the Client API returns it),
                  through reconnects (what the socket lost is fetched over REST), until SIGINT or
                  SIGTERM (exit 0); a pubsub token the server never confirms exits 1
  --source-id SID      the session's source_id; CHATWOOT_SOURCE_ID does the same without showing it
                       to every user of this machine (ps, /proc)
  --pubsub-token TOKEN the session's pubsub_token; CHATWOOT_PUBSUB_TOKEN likewise keeps it out of ps
  --resync-seconds N   how often to check over REST for messages the socket lost; default 30
  --after ID           print only messages after this id (0: the whole conversation)
  --confirm-timeout DURATION  how long the server may take to confirm the subscription; default 10s

${CONNECTION_HELP}
`;

const options = {
  inbox: { type: "string" }, name: { type: "string" }, email: { type: "string" }, "source-id": { type: "string" },
  conversation: { type: "string" }, content: { type: "string" }, "base-url": { type: "string" },
  "pubsub-token": { type: "string" }, "resync-seconds": { type: "string" }, after: { type: "string" }, "confirm-timeout": { type: "string" },
  "allow-insecure-http": { type: "boolean" }, timeout: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" },
} as const;

export async function contact(args: string[], { out, err, env }: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (values.help) {
      out.write(CONTACT_USAGE);
      return 0;
    }
    const [sub, ...extra] = positionals;
    if ((sub !== "start" && sub !== "send" && sub !== "watch") || extra.length) throw new UsageError("contact takes a subcommand: start, send or watch");
    if (!values.inbox) throw new UsageError(`contact ${sub} needs --inbox IDENT`);
    const baseUrl = values["base-url"] || env.CHATWOOT_BASE_URL || undefined;
    if (!baseUrl) err.write(`no base URL given: using the local mock at ${localMock(env)}\n`);
    const client = createContactClient({
      baseUrl: baseUrl ?? localMock(env),
      inboxIdentifier: values.inbox,
      allowInsecureHttp: values["allow-insecure-http"] === true,
      ...(values.timeout === undefined ? {} : { timeoutMs: duration("--timeout", values.timeout) }),
    });
    if (sub === "start") {
      const session = await client.contacts.create({
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.email !== undefined ? { email: values.email } : {}),
      });
      const conversation = await client.session(session.source_id).conversations.create();
      const started = { source_id: session.source_id, pubsub_token: session.pubsub_token, contact_id: session.id, conversation_id: conversation.id };
      out.write(values.json ? `${printableJson(started)}\n` : Object.entries(started).map(([key, value]) => `${key}\t${printable(String(value))}`).join("\n") + "\n");
      return 0;
    }
    const sourceId = values["source-id"] ?? env.CHATWOOT_SOURCE_ID;
    if (!sourceId) throw new UsageError(`contact ${sub} needs --source-id SID (or CHATWOOT_SOURCE_ID)`);
    if (values.conversation === undefined) throw new UsageError(`contact ${sub} needs --conversation ID`);
    if (sub === "watch") {
      const pubsubToken = values["pubsub-token"] ?? env.CHATWOOT_PUBSUB_TOKEN;
      if (!pubsubToken) throw new UsageError("contact watch needs --pubsub-token TOKEN (or CHATWOOT_PUBSUB_TOKEN)");
      const conversationId = positiveInteger("--conversation", values.conversation, 0);
      return await watch({
        baseUrl: baseUrl ?? localMock(env),
        allowInsecureHttp: values["allow-insecure-http"] === true,
        session: client.session(sourceId),
        conversationId,
        pubsubToken,
        json: values.json === true,
        ...(values.after === undefined ? {} : { after: values.after === "0" ? 0 : positiveInteger("--after", values.after, 0) }),
        ...(values["resync-seconds"] === undefined ? {} : { resyncIntervalMs: duration("--resync-seconds", values["resync-seconds"]) }),
        ...(values["confirm-timeout"] === undefined ? {} : { confirmTimeoutMs: duration("--confirm-timeout", values["confirm-timeout"]) }),
      }, { out, err, env });
    }
    if (values.content === undefined) throw new UsageError("contact send needs --content TEXT");
    const message = await client.session(sourceId).messages.create(values.conversation, { content: values.content });
    out.write(values.json ? `${printableJson(message)}\n` : `${printable(`sent message ${message.id} (echo_id ${message.echo_id})`)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ValidationError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`${printableLines((error as Error).message.replace("pass allowInsecureHttp: true", "pass --allow-insecure-http"))}\n\n${CONTACT_USAGE}`);
      return 2;
    }
    err.write(`${errorLine(error)}\n`);
    return 1;
  }
}

