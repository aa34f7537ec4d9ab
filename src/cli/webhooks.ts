/** `webhooks listen`: a verifying receiver that prints each event as one JSON line. */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { createWebhookHandler } from "../webhooks/handler.js";
import { toNodeListener } from "../webhooks/node.js";
import type { WebhookQueue, WebhookWorker } from "../webhooks/queue.js";
import { port, positiveInteger, UsageError } from "./args.js";
import { errorLine, httpUrl, printableJson, printed, type Io } from "./output.js";
import { inFlight, onStopSignal, stopReceiving } from "./shutdown.js";
import { trigger } from "./trigger.js";

const WEBHOOKS_USAGE = `usage: chatwoot-messages webhooks listen [--port 3000] [--host 127.0.0.1] [--allow-unsigned]
                                          [--redis URL] [--concurrency N] [--prefix NAME]

Receives Chatwoot webhooks, verifies each signature, and prints every verified event as one JSON
line on stdout. With a Redis URL, deliveries are stored in Redis before they are acknowledged and
printed by this process's worker; several of these processes can share one Redis.

  CHATWOOT_WEBHOOK_SECRET   the webhook's secret (required)
  --secret SECRET           the same, but visible to every user of this machine (ps, /proc): prefer the variable
  CHATWOOT_REDIS_URL        --redis URL        e.g. redis://127.0.0.1:6379 (needs the bullmq and ioredis packages)
  --concurrency N           events the worker handles at once (with Redis), default 1
  --prefix NAME             with Redis, its key namespace, default chatwoot-messages: two apps on one Redis need two
                            prefixes (on one prefix each would run the other's jobs)

SIGINT or SIGTERM stops it within seconds, Redis down or not: deliveries in flight are answered first.
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
        redis: { type: "string" }, concurrency: { type: "string" }, prefix: { type: "string" }, help: { type: "boolean", short: "h" },
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
    if (values.prefix === "") throw new UsageError("--prefix takes a non-empty name");
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
      queue = redisWebhookQueue({
        connection: redisUrl,
        prefix: (values.prefix as string | undefined) ?? "chatwoot-messages",
        logger: { warn: (message) => void err.write(`${message}\n`) },
      });
    } catch (error) {
      err.write(`${errorLine(error)}\n--redis needs the bullmq and ioredis packages: npm install bullmq ioredis\n`);
      return 1;
    }
  }
  const handler = createWebhookHandler(queue ? { ...common, queue } : { ...common, onEvent: print });
  const server = createServer(toNodeListener(handler));
  const open = inFlight(server);
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  let worker: WebhookWorker | undefined;
  return new Promise((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      err.write(error.code === "EADDRINUSE" ? `port ${listenPort} on ${host} is already in use: choose another with --port\n` : `error: ${error.message}\n`);
      // No job was taken: the worker starts only once the port is ours.
      void Promise.resolve(queue?.close()).finally(() => resolve(1));
    });
    server.listen(listenPort, host, () => {
      const where = httpUrl(host, (server.address() as { port: number }).port);
      err.write(`listening for Chatwoot webhooks on ${where}${queue ? ", storing them in Redis" : ""}\n`);
      worker = queue?.work(print, { concurrency });
    });
    onStopSignal(() => {
      err.write(`stopping: ${open.size} ${open.size === 1 ? "delivery" : "deliveries"} in flight to answer first\n`);
      return stopReceiving(server, open, worker, queue).finally(() => resolve(0));
    });
  });
}
