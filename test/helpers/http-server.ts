/**
 * A real HTTP server on 127.0.0.1 and a free port, recording every request it receives, for
 * tests that must see what went over the wire (not a mocked fetch).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closedAfterEach } from "./cleanup.js";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  at: number;
}

export type Handler = (request: ReceivedRequest, response: ServerResponse, index: number) => unknown;

export interface TestServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler, port = 0): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: ReceivedRequest = {
      method: incoming.method ?? "",
      url: incoming.url ?? "",
      headers: incoming.headers,
      body: Buffer.concat(chunks),
      at: performance.now(),
    };
    requests.push(request);
    await handler(request, response, requests.length - 1);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (the kernel gave it to us and we let it go). */
export async function closedPort(): Promise<number> {
  const probe = await startServer(() => undefined);
  await probe.close();
  return probe.port;
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

export function text(response: ServerResponse, status: number, body: string, type = "text/plain", headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": type, ...headers });
  response.end(body);
}

/** A message as the real server renders it, for handlers that answer like Chatwoot. */
export function message(id: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    content: `message ${id}`,
    inbox_id: 3,
    conversation_id: 42,
    message_type: 1,
    content_type: "text",
    status: "sent",
    content_attributes: {},
    created_at: 1764040000 + id,
    private: false,
    source_id: null,
    ...extra,
  };
}

/** For a test file's top level: starts servers on demand and closes them after each test. */
export function useServers(): (handler: Handler) => Promise<TestServer> {
  return closedAfterEach(startServer);
}
