// Webhook verifications per second for a 5 KB body, beside a plain node:crypto reference
// (createHmac + timingSafeEqual + JSON.parse), in interleaved rounds; the ratio is the median of
// the per-round ratios of rates.
import { createHmac, timingSafeEqual } from "node:crypto";
import { verifyWebhook } from "../../dist/index.js";
import { hmacImplementation } from "../../dist/core/hmac.js";

export async function verificationRate({ rounds, iterations }) {
  const secret = "bench-webhook-secret";
  // 5 KB of JSON with non-ASCII text and the characters Rails escapes.
  let content = "Olá <b>&</b> 🚚 ".repeat(400);
  let body = Buffer.from(JSON.stringify({ event: "message_created", id: 1, content }));
  while (body.length > 5120) body = Buffer.from(JSON.stringify({ event: "message_created", id: 1, content: (content = content.slice(0, -1)) }));
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  const headers = { "x-chatwoot-signature": `sha256=${signature}`, "x-chatwoot-timestamp": String(timestamp) };

  const contenders = {
    "node:crypto HMAC + parse (reference)": async () => {
      const mac = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
      if (!timingSafeEqual(mac, Buffer.from(signature, "hex"))) throw new Error("mismatch");
      JSON.parse(body.toString("utf8"));
    },
    [`verifyWebhook (${hmacImplementation})`]: () => verifyWebhook({ rawBody: body, headers, secret }),
  };
  const rates = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (const run of Object.values(contenders)) for (let i = 0; i < 1000; i++) await run();
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of round % 2 ? Object.entries(contenders).reverse() : Object.entries(contenders)) {
      const started = performance.now();
      for (let i = 0; i < iterations; i++) await run();
      rates[name].push(iterations / ((performance.now() - started) / 1000));
    }
  }
  const [reference] = Object.keys(contenders);
  return Object.entries(rates).map(([name, list]) => ({
    name,
    bodyBytes: body.length,
    perSecond: Math.round(median(list)),
    ratioToReference: Math.round(median(list.map((rate, round) => rate / rates[reference][round])) * 100) / 100,
  }));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
