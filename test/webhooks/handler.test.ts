/** createWebhookHandler end to end: signed POSTs to a real local HTTP server running the handler. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookHandler, toNodeListener, type WebhookEvent } from "../../src/index.js";
import { SECRET, sign } from "../helpers/sign.js";

const received: Array<{ event: WebhookEvent; deliveryId: string | undefined }> = [];
const errors: unknown[] = [];
let failNext = false;
let waiters: Array<() => void> = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const handler = createWebhookHandler({
    secret: SECRET,
    onEvent: async (event, { deliveryId }) => {
      if (failNext) {
        failNext = false;
        throw new Error("handler failed");
      }
      received.push({ event, deliveryId });
      waiters.splice(0).forEach((resolve) => resolve());
    },
    onError: (error) => {
      errors.push(error);
      waiters.splice(0).forEach((resolve) => resolve());
    },
  });
  server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chatwoot`;
});
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

const settled = () => new Promise<void>((resolve) => waiters.push(resolve));
function deliver(body: string, headers: Record<string, string>) {
  return fetch(url, { method: "POST", headers, body });
}
const body = (id: number) => JSON.stringify({ event: "message_created", id, content: "Olá <b> & 🚚", message_type: "incoming" });

describe("the webhook receiver", () => {
  it("acknowledges a signed delivery with 202 and hands the event to onEvent", async () => {
    const done = settled();
    const response = await deliver(body(1), { ...sign(body(1)), "x-chatwoot-delivery": "d-1" });
    expect(response.status).toBe(202);
    await done;
    expect(received.at(-1)).toEqual({ event: JSON.parse(body(1)), deliveryId: "d-1" });
  });

  it("handles a replayed delivery id once", async () => {
    const before = received.length;
    const done = settled();
    const first = await deliver(body(2), { ...sign(body(2)), "x-chatwoot-delivery": "d-2" });
    await done;
    const replay = await deliver(body(2), { ...sign(body(2)), "x-chatwoot-delivery": "d-2" });
    expect([first.status, replay.status]).toEqual([202, 200]);
    expect(await replay.json()).toEqual({ duplicate: true });
    expect(received.length).toBe(before + 1);
  });

  it("processes a retry of a delivery whose handler failed", async () => {
    failNext = true;
    const failed = settled();
    expect((await deliver(body(3), { ...sign(body(3)), "x-chatwoot-delivery": "d-3" })).status).toBe(202);
    await failed;
    expect(errors).toHaveLength(1);
    const done = settled();
    expect((await deliver(body(3), { ...sign(body(3)), "x-chatwoot-delivery": "d-3" })).status).toBe(202);
    await done;
    expect(received.at(-1)?.deliveryId).toBe("d-3");
  });

  it("answers 401 to a bad signature and 400 to a signed body that is not an event, calling nothing", async () => {
    const before = received.length;
    const forged = await deliver(body(4), sign(body(4), undefined, "wrong-secret"));
    expect(forged.status).toBe(401);
    expect(JSON.stringify(await forged.json())).not.toContain(SECRET);
    expect((await deliver(body(4), { "content-type": "application/json" })).status).toBe(401);
    expect((await deliver("<html>", sign("<html>"))).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
    expect(received.length).toBe(before);
  });
});
