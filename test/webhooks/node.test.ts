/** toNodeListener on a real HTTP server on 127.0.0.1: misbehaving clients and handlers never crash it. */
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWebhookHandler, toNodeListener } from "../../src/index.js";
import { SECRET } from "../helpers/sign.js";
import { delivery, messageEvent } from "../helpers/deliveries.js";

let server: Server;
let port: number;
let throwing = false;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  const webhook = createWebhookHandler({ secret: SECRET, maxBodyBytes: 64 * 1024, onEvent: () => undefined, onError: () => undefined });
  server = createServer(toNodeListener((request) => (throwing ? Promise.reject(new Error("handler bug")) : webhook(request))));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
beforeEach(() => void process.on("unhandledRejection", onUnhandled));
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
  throwing = false;
});

async function post(id: number): Promise<number> {
  const request = delivery(messageEvent(id));
  const response = await fetch(`http://127.0.0.1:${port}/chatwoot`, { method: "POST", headers: request.headers, body: await request.text() });
  return response.status;
}

/** Writes raw bytes to the server and resolves with whatever it answers before the socket closes. */
function raw(bytes: string, { hangUpAfterMs }: { hangUpAfterMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("close", () => resolve(answer));
    socket.on("error", () => resolve(answer));
    socket.write(bytes);
    if (hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), hangUpAfterMs);
  });
}

describe("toNodeListener", () => {
  it("a client that hangs up mid-body is no unhandled rejection, and the server keeps serving", async () => {
    for (let i = 0; i < 5; i++) {
      await raw(`POST /chatwoot HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"event":"mess`, { hangUpAfterMs: 20 });
    }
    expect(await post(1)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let any stray rejection surface
    expect(unhandled).toEqual([]);
  });

  it("answers 413 from Content-Length before the body is sent, and closes the connection", async () => {
    const answer = await raw(`POST /chatwoot HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${10 * 1024 * 1024}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(await post(2)).toBe(200);
  });

  it("a handler that throws is answered 500, and the next delivery is served", async () => {
    throwing = true;
    expect(await post(3)).toBe(500);
    throwing = false;
    expect(await post(4)).toBe(200);
    expect(unhandled).toEqual([]);
  });

  it("a chunked body over the limit is cut off with 413", async () => {
    const chunk = "x".repeat(16 * 1024);
    const chunks = Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join("");
    const answer = await raw(`POST /chatwoot HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });
});
