/** Signs like Chatwoot's lib/webhooks/trigger.rb, independently of the code under test (node:crypto). */
import { createHmac } from "node:crypto";

export const SECRET = "whsec_4f1c7d0a9b8e2c3d5f6a7b8c9d0e1f2a";

export function sign(body: string | Buffer, timestamp = Math.floor(Date.now() / 1000), secret = SECRET) {
  const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  return {
    "content-type": "application/json",
    "x-chatwoot-signature": `sha256=${signature}`,
    "x-chatwoot-timestamp": String(timestamp),
  } as Record<string, string>;
}
