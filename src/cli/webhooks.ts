/** `webhooks listen`: a verifying receiver that prints each event as one JSON line. */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { createWebhookHandler } from "../webhooks/handler.js";
import { toNodeListener } from "../webhooks/node.js";
import { port, UsageError } from "./args.js";
import { printableJson, type Io } from "./output.js";

export const WEBHOOKS_USAGE = `usage: chatwoot-messages webhooks listen [--port 3000] [--host 127.0.0.1] [--allow-unsigned]

Receives Chatwoot webhooks, verifies each signature, and prints every verified event as one JSON
line on stdout.

  CHATWOOT_WEBHOOK_SECRET   the webhook's secret (required)
  --secret SECRET           the same, but visible to every user of this machine (ps, /proc): prefer the variable
`;

/** Resolves with the exit code once the receiver stops (SIGINT or SIGTERM). */
export async function webhooks(args: string[], { out, err, env }: Io): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let listenPort: number;
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
    if (!(values.secret ?? env.CHATWOOT_WEBHOOK_SECRET)) throw new UsageError("a secret is needed: CHATWOOT_WEBHOOK_SECRET (or --secret)");
    listenPort = port(values.port, 3000);
  } catch (error) {
    err.write(`${(error as Error).message}\n\n${WEBHOOKS_USAGE}`);
    return 2;
  }
  const handler = createWebhookHandler({
    secret: (values.secret as string | undefined) ?? env.CHATWOOT_WEBHOOK_SECRET!,
    allowUnsigned: values["allow-unsigned"] === true,
    onEvent: (event) => void out.write(`${printableJson(event)}\n`),
    onError: (error) => void err.write(`handler failed: ${(error as Error)?.name ?? "error"}\n`),
  });
  const server = createServer(toNodeListener(handler));
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  return new Promise((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      err.write(error.code === "EADDRINUSE" ? `port ${listenPort} on ${host} is already in use: choose another with --port\n` : `error: ${error.message}\n`);
      resolve(1);
    });
    server.listen(listenPort, host, () => {
      err.write(`listening for Chatwoot webhooks on http://${host}:${(server.address() as { port: number }).port}\n`);
    });
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        server.closeAllConnections();
        server.close(() => resolve(0));
      });
    }
  });
}
