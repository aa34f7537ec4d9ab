/** `webhooks listen`: a verifying receiver that prints each event as one JSON line. */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { createWebhookHandler } from "../webhooks/handler.js";
import { toNodeListener } from "../webhooks/node.js";
import type { WebhookQueue } from "../webhooks/queue.js";
import { port, positiveInteger, UsageError } from "./args.js";
import { errorLine, httpUrl, printableJson, printed, type Io } from "./output.js";
import { trigger } from "./trigger.js";

const WEBHOOKS_USAGE = `usage: chatwoot-messages webhooks listen [--port 3000] [--host 127.0.0.1] [--allow-unsigned]
                                          [--redis URL] [--concurrency N]

Receives Chatwoot webhooks, verifies each signature, and prints every verified event as one JSON
line on stdout. With a Redis URL, deliveries are stored in Redis before they are acknowledged and
printed by this process's worker; several of these processes can share one Redis.

  CHATWOOT_WEBHOOK_SECRET   the webhook's secret (required)
  --secret SECRET           the same, but visible to every user of this machine (ps, /proc): prefer the variable
  CHATWOOT_REDIS_URL        --redis URL        e.g. redis://127.0.0.1:6379 (needs the bullmq and ioredis packages)
  --concurrency N           events the worker handles at once (with Redis), default 1
`;

/** `webhooks listen` or `webhooks trigger`. */
export function webhooks(args: string[], io: Io): Promise<number> {
  return args[0] === "trigger" ? trigger(args, io) : listen(args, io);
}

/** Resolves with the exit code once the receiver stops (SIGINT or SIGTERM). */
async function listen(args: string[], { out, err, env }: Io): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let listenPort: number;
  let concurrency: number;
  try {
    const parsed = parseArgs({
      args,
      options: {
        port: { type: "string" }, host: { type: "string" }, secret: { type: "string" }, "allow-unsigned": { type: "boolean" },
        redis: { type: "string" }, concurrency: { type: "string" }, help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
    if (parsed.values.help) {
      out.write(WEBHOOKS_USAGE);
      return 0;
    }
    if (parsed.positionals.join(" ") !== "listen") throw new UsageError("webhooks takes a subcommand: listen, or trigger EVENT");
    values = parsed.values;
    if (!(values.secret ?? env.CHATWOOT_WEBHOOK_SECRET)) throw new UsageError("a secret is needed: CHATWOOT_WEBHOOK_SECRET (or --secret)");
    listenPort = port(values.port, 3000);
    concurrency = positiveInteger("--concurrency", values.concurrency, 1);
  } catch (error) {
    err.write(`${(error as Error).message}\n\n${WEBHOOKS_USAGE}`);
    return 2;
  }
  // Resolves once the line is written: an event that could not be printed (stdout closed) fails,
  // so it is answered 500 (or, with Redis, left in the queue for a retry), never acknowledged.
  const print = (event: unknown) => printed(out, `${printableJson(event)}\n`);
  const common = {
    secret: (values.secret as string | undefined) ?? env.CHATWOOT_WEBHOOK_SECRET!,
    allowUnsigned: values["allow-unsigned"] === true,
    onError: (error: unknown) => void err.write(`${errorLine(error)}\n`),
  };
  const redisUrl = (values.redis as string | undefined) || env.CHATWOOT_REDIS_URL;
  let queue: WebhookQueue | undefined;
  if (redisUrl) {
    try {
      const { redisWebhookQueue } = await import("../redis/queue.js");
      queue = redisWebhookQueue({ connection: redisUrl });
    } catch (error) {
      err.write(`${errorLine(error)}\n--redis needs the bullmq and ioredis packages: npm install bullmq ioredis\n`);
      return 1;
    }
  }
  const worker = queue?.work(print, { concurrency });
  const handler = createWebhookHandler(queue ? { ...common, queue } : { ...common, onEvent: print });
  const server = createServer(toNodeListener(handler));
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  return new Promise((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      err.write(error.code === "EADDRINUSE" ? `port ${listenPort} on ${host} is already in use: choose another with --port\n` : `error: ${error.message}\n`);
      resolve(1);
    });
    server.listen(listenPort, host, () => {
      const where = httpUrl(host, (server.address() as { port: number }).port);
      err.write(`listening for Chatwoot webhooks on ${where}${queue ? ", storing them in Redis" : ""}\n`);
    });
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        server.closeAllConnections();
        server.close(async () => {
          await worker?.close();
          await queue?.close();
          resolve(0);
        });
      });
    }
  });
}
