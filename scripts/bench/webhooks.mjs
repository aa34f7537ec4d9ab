// Webhook verifications per second for a 5 KB body, the key imported once and reused,
// beside node:crypto's HMAC as a reference for the machine.
import { createHmac, timingSafeEqual } from "node:crypto";
import { verifyWebhook } from "../../dist/index.js";

export async function verificationRate(iterations) {
  const secret = "bench-webhook-secret";
  // 5 KB of JSON with non-ASCII text and the characters Rails escapes.
  let content = "Olá <b>&</b> 🚚 ".repeat(400);
  let body = Buffer.from(JSON.stringify({ event: "message_created", id: 1, content }));
  while (body.length > 5120) body = Buffer.from(JSON.stringify({ event: "message_created", id: 1, content: (content = content.slice(0, -1)) }));
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  const headers = { "x-chatwoot-signature": `sha256=${signature}`, "x-chatwoot-timestamp": String(timestamp) };

  const run = async (verify) => {
    for (let i = 0; i < Math.min(1000, iterations); i++) await verify();
    const started = performance.now();
    for (let i = 0; i < iterations; i++) await verify();
    return Math.round(iterations / ((performance.now() - started) / 1000));
  };
  // A server verifies deliveries as they come, many in flight: Web Crypto then uses both cores.
  const concurrently = async (verify, inFlight = 64) => {
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next++ < iterations) await verify();
    }));
    return Math.round(iterations / ((performance.now() - started) / 1000));
  };
  const verify = () => verifyWebhook({ rawBody: body, headers, secret });
  const ours = await run(verify);
  const oursConcurrent = await concurrently(verify);
  const nodeHmac = await run(() => {
    const mac = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
    if (!timingSafeEqual(mac, Buffer.from(signature, "hex"))) throw new Error("mismatch");
    JSON.parse(body.toString("utf8"));
  });
  return [
    { name: "verifyWebhook (Web Crypto)", bodyBytes: body.length, perSecond: ours },
    { name: "verifyWebhook, 64 in flight", bodyBytes: body.length, perSecond: oursConcurrent },
    { name: "node:crypto HMAC + parse (reference)", bodyBytes: body.length, perSecond: nodeHmac },
  ];
}
