/**
 * `webhooks trigger EVENT`: sends a receiver a delivery signed exactly as Chatwoot signs it, built
 * from the spec's named examples, with a fresh delivery id and timestamp; `--duplicate`, `--retry`
 * and `--stale` send what Chatwoot's own misbehaviours look like. Prints the receiver's answers.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { signWebhook } from "../webhooks/sign.js";
import { duration, UsageError } from "./args.js";
import { errorLine, printable, printableLines, type Io } from "./output.js";

const TRIGGER_USAGE = `usage: chatwoot-messages webhooks trigger EVENT [--to URL] [--example NAME] [--duplicate | --retry | --stale]
                                                 [--timeout 5s]

Sends a correctly signed delivery of EVENT (message_created, message_updated, conversation_status_changed...),
built from the spec's named examples, with a fresh X-Chatwoot-Delivery and timestamp, and prints the answer.
Exits 0 when every answer is 2xx, 1 otherwise.

  --to URL          the receiver, an http:// or https:// URL, default http://127.0.0.1:3000/ (webhooks listen's default)
  --example NAME    which of the event's examples (default: its first)
  --duplicate       send it twice, same delivery id and signature
  --retry           send it, then again a second later with the same delivery id, a new timestamp and
                    signature (an agent-bot retry)
  --stale           send it once, signed 10 minutes ago (a receiver should refuse it)
  --timeout DURATION  how long to wait for each answer, e.g. 500ms or 2s; default 5s, after which
                    Chatwoot gives up on a delivery too
  CHATWOOT_WEBHOOK_SECRET   the secret to sign with (or --secret, visible to other users in ps)
`;

interface Example {
  name: string;
  value: Record<string, unknown>;
}

export async function trigger(args: string[], { out, err, env }: Io): Promise<number> {
  let event: string;
  let example: Example;
  let to: URL;
  let secret: string;
  let mode: "once" | "duplicate" | "retry" | "stale";
  let timeoutMs: number;
  try {
    const { values, positionals } = parseArgs({
      args,
      options: {
        to: { type: "string" }, secret: { type: "string" }, example: { type: "string" },
        duplicate: { type: "boolean" }, retry: { type: "boolean" }, stale: { type: "boolean" }, timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
    if (values.help) {
      out.write(TRIGGER_USAGE);
      return 0;
    }
    if (positionals.length !== 2) throw new UsageError("webhooks trigger takes one EVENT");
    event = positionals[1]!;
    const examples = await examplesOf(event);
    const chosen = values.example === undefined ? examples[0] : examples.find((candidate) => candidate.name === values.example);
    if (!chosen) throw new UsageError(`no example "${values.example}" for ${event}; there are: ${examples.map((e) => e.name).join(", ")}`);
    example = chosen;
    to = receiverUrl(values.to ?? "http://127.0.0.1:3000/");
    timeoutMs = values.timeout === undefined ? CHATWOOT_WAITS_MS : duration("--timeout", values.timeout);
    secret = values.secret ?? env.CHATWOOT_WEBHOOK_SECRET ?? "";
    if (!secret) throw new UsageError("a secret is needed: CHATWOOT_WEBHOOK_SECRET (or --secret)");
    const modes = (["duplicate", "retry", "stale"] as const).filter((name) => values[name]);
    if (modes.length > 1) throw new UsageError("--duplicate, --retry and --stale go one at a time");
    mode = modes[0] ?? "once";
  } catch (error) {
    if (!(error instanceof UsageError) && !(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw error;
    err.write(`${printableLines((error as Error).message)}\n\n${TRIGGER_USAGE}`);
    return 2;
  }

  const body = JSON.stringify(example.value);
  const now = () => Math.floor(Date.now() / 1000);
  const deliveryId = crypto.randomUUID();
  const first = await signWebhook({ body, secret, deliveryId, timestamp: mode === "stale" ? now() - 600 : now() });
  const sends = [first];
  if (mode === "duplicate") sends.push(first);
  const answers: boolean[] = [];
  try {
    for (let i = 0; i < sends.length + (mode === "retry" ? 1 : 0); i++) {
      let headers = sends[i];
      if (!headers) {
        // Timestamps are whole seconds: the retry is signed in a later second than the first send.
        const firstSecond = Number(first["x-chatwoot-timestamp"]);
        while (now() <= firstSecond) await new Promise((resolve) => setTimeout(resolve, 50));
        headers = await signWebhook({ body, secret, deliveryId, timestamp: now() });
      }
      out.write(`POST ${to.href} ${event} (${example.name}), delivery ${deliveryId}, signed at ${headers["x-chatwoot-timestamp"]}\n`);
      const response = await fetch(to, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      out.write(`-> ${response.status} ${printable(text.slice(0, 200))}\n`);
      answers.push(response.ok);
    }
  } catch (error) {
    if ((error as Error).name === "TimeoutError") {
      err.write(`error: no answer from ${to.href} within ${timeoutMs / 1000} s${timeoutMs === CHATWOOT_WAITS_MS ? " (Chatwoot gives up then too)" : ""}\n`);
      return 1;
    }
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    err.write(`${errorLine(error)}${cause ? `: ${printable(cause)}` : ""} (is a receiver listening at ${to.href}?)\n`);
    return 1;
  }
  return answers.every(Boolean) ? 0 : 1;
}

/** How long Chatwoot waits for a webhook's answer before it gives up on the delivery. */
const CHATWOOT_WAITS_MS = 5_000;

/**
 * --to: an absolute http(s) URL ("localhost:3000" parses as one with the scheme "localhost:"), with
 * no user name or password (fetch refuses them). The value is not echoed: "user:password@host"
 * would put the password on the screen.
 */
function receiverUrl(value: string): URL {
  const refusal = new UsageError("--to takes an http:// or https:// URL, such as http://127.0.0.1:3000/");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refusal;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw refusal;
  if (url.username || url.password) throw new UsageError("--to must not hold a user name or password");
  return url;
}

/** The spec's named examples for `event`: its own first; then, for an event whose schema it shares, another's with the name changed. */
async function examplesOf(event: string): Promise<Example[]> {
  const spec = JSON.parse(await readFile(new URL("../../generated/openapi.json", import.meta.url), "utf8"));
  const resolve = (node: any): any => (node?.$ref ? resolve(node.$ref.slice(2).split("/").reduce((at: any, key: string) => at[key], spec)) : node);
  const exact: Example[] = [];
  const alike: Example[] = [];
  const known = new Set<string>();
  for (const item of Object.values<any>(spec.webhooks)) {
    const media = item.post.requestBody.content["application/json"];
    const names = eventNames(resolve(media.schema), resolve);
    names.forEach((name) => known.add(name));
    for (const [name, node] of Object.entries<any>(media.examples ?? {})) {
      const value = resolve(node).value;
      if (value.event === event) exact.push({ name, value });
      else if (names.includes(event)) alike.push({ name, value: { ...value, event } });
    }
  }
  const found = [...exact, ...alike];
  if (found.length === 0) throw new UsageError(`no event "${event}"; Chatwoot sends: ${[...known].sort().join(", ")}`);
  return found;
}

/** The `event` enum of a webhook body schema, through its allOf parts. */
function eventNames(schema: any, resolve: (node: any) => any): string[] {
  const own: string[] = resolve(schema?.properties?.event)?.enum ?? [];
  return [...own, ...(schema?.allOf ?? []).flatMap((part: any) => eventNames(resolve(part), resolve))];
}
