/**
 * A protocol-faithful fake of Chatwoot's realtime side (chatwoot-realtime.md §2-§5) and of the
 * Client API's messages index (chatwoot-client-api.md §4.11), on one real HTTP server on
 * 127.0.0.1 and a free port: `/cable` is a `ws` WebSocketServer speaking ActionCable's JSON
 * (welcome, a ping every `pingIntervalMs`, confirm_subscription with the identifier's exact bytes
 * for a known token and silence for an unknown one, duplicate subscribes ignored, `data` parsed
 * as a JSON string, disconnect frames), and GET …/conversations/{id}/messages answers the latest
 * 20 or the 20 before `before`, ascending. One id sequence for every conversation, as the real
 * `messages.id`. Faults: drop the sockets, stop delivering events while pings go on, go silent,
 * send frames raw (duplicates, out of order), hold list answers until released.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closedAfterEach } from "./cleanup.js";
import { WebSocketServer, type WebSocket } from "ws";

export interface FakeMessage {
  id: number;
  content: string | null;
  message_type: number;
  content_type: string;
  content_attributes: Record<string, unknown>;
  created_at: number;
  conversation_id: number;
  private: boolean;
}

interface Connection {
  socket: WebSocket;
  identifiers: Map<string, string>; // raw identifier -> token, confirmed
  pinger: ReturnType<typeof setInterval>;
  silent: boolean;
}

export interface FakeCableOptions {
  tokens?: string[];
  pingIntervalMs?: number;
}

export async function startFakeCable(options: FakeCableOptions = {}) {
  const tokens = new Set(options.tokens ?? ["contact-token-abc"]);
  const messages: FakeMessage[] = [];
  const connections = new Set<Connection>();
  const received: string[] = []; // every client frame, raw
  let nextId = 100;
  let delivering = true;
  let refusing = false;
  let listGate: Promise<void> | undefined;
  let lists = 0;
  let connectionCount = 0;
  const waiters: Array<() => void> = [];
  const changed = () => waiters.splice(0).forEach((w) => w());

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void answerList(request, response);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request, socket, head) => {
    if (!request.url?.startsWith("/cable")) return socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws));
  });

  async function answerList(request: IncomingMessage, response: ServerResponse) {
    // A page on another port (the Chromium test) may read the index, as from a Chatwoot that allows it.
    response.setHeader("access-control-allow-origin", "*");
    if (request.method === "OPTIONS") {
      response.writeHead(204, { "access-control-allow-headers": "*", "access-control-allow-methods": "GET" }).end();
      return;
    }
    const url = new URL(request.url ?? "/", "http://fake");
    const match = /^\/public\/api\/v1\/inboxes\/[^/]+\/contacts\/[^/]+\/conversations\/(\d+)\/messages$/.exec(url.pathname);
    if (request.method !== "GET" || !match) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Page not found");
      return;
    }
    // The query runs when the request arrives; a held answer is that snapshot, answered late.
    const conversation = Number(match[1]);
    const before = url.searchParams.get("before");
    const visible = messages.filter((m) => m.conversation_id === conversation && !m.private && m.message_type !== 2);
    const page = (before === null ? visible : visible.filter((m) => m.id < Number(before))).slice(-20);
    lists++;
    changed();
    if (listGate) await listGate;
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify(page.map(restShape)));
  }

  function accept(socket: WebSocket) {
    connectionCount++;
    if (refusing) {
      socket.terminate();
      changed();
      return;
    }
    const connection: Connection = {
      socket,
      identifiers: new Map(),
      silent: false,
      pinger: setInterval(() => {
        send(connection, { type: "ping", message: Math.floor(Date.now() / 1000) });
      }, options.pingIntervalMs ?? 50),
    };
    connections.add(connection);
    socket.on("close", () => {
      clearInterval(connection.pinger);
      connections.delete(connection);
      changed();
    });
    socket.on("message", (raw) => {
      const text = String(raw);
      received.push(text);
      changed();
      const command = JSON.parse(text) as { command: string; identifier: string; data?: unknown };
      if (command.command === "subscribe") {
        if (connection.identifiers.has(command.identifier)) return; // duplicate subscribe: ignored, no second confirm
        const params = JSON.parse(command.identifier) as { channel?: string; pubsub_token?: string };
        if (params.channel !== "RoomChannel" || !tokens.has(params.pubsub_token ?? "")) return; // RecordNotFound: silence
        connection.identifiers.set(command.identifier, params.pubsub_token!);
        send(connection, { identifier: command.identifier, type: "confirm_subscription" });
        changed();
      } else if (command.command === "message" && connection.identifiers.has(command.identifier)) {
        if (typeof command.data !== "string") return; // Rails fails to decode an object: logged, nothing sent
        const data = JSON.parse(command.data) as { action?: string };
        if (data.action === "update_presence") {
          send(connection, { identifier: command.identifier, message: { event: "presence.update", data: { account_id: 1, users: { "5": "online" } } } });
        }
      }
    });
    send(connection, { type: "welcome" });
  }

  function send(connection: Connection, frame: unknown) {
    if (connection.silent) return;
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(frame));
  }

  function subscribed(): Array<[Connection, string]> {
    return [...connections].flatMap((c) => [...c.identifiers.keys()].map((id) => [c, id] as [Connection, string]));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake = {
    url,
    messages,
    received,
    get lists() { return lists; },
    get connections() { return connectionCount; },
    get open() { return connections.size; },
    get subscribers() { return subscribed().length; },
    /** Stores a message; broadcasts message.created unless `broadcast: false` (lost) or delivery is off. */
    create(init: { conversationId?: number; content?: string; echoId?: string; broadcast?: boolean; messageType?: number; private?: boolean } = {}): FakeMessage {
      const id = ++nextId;
      const message: FakeMessage = {
        id,
        content: init.content ?? `message ${id}`,
        message_type: init.messageType ?? 1,
        content_type: "text",
        content_attributes: {},
        created_at: 1_781_700_000 + id,
        conversation_id: init.conversationId ?? 42,
        private: init.private ?? false,
      };
      messages.push(message);
      if (init.broadcast !== false) fake.broadcast("message.created", pushShape(message, init.echoId));
      return message;
    },
    /** What a broadcast of this message would carry. */
    push: pushShape,
    broadcast(event: string, data: unknown) {
      if (!delivering) return;
      for (const [connection, identifier] of subscribed()) send(connection, { identifier, message: { event, data } });
    },
    /** Sends a frame as is to every subscriber (for duplicates and out-of-order frames). */
    raw(frame: (identifier: string) => unknown) {
      for (const [connection, identifier] of subscribed()) send(connection, frame(identifier));
    },
    /** Every new socket is dropped as soon as it opens. */
    refuse(on: boolean) { refusing = on; },
    /** Redis lost on the server: pings go on, events stop. */
    deliver(on: boolean) { delivering = on; },
    /** No frame at all, not even pings, on the current sockets. */
    silence() { for (const c of connections) c.silent = true; },
    /** The socket drops without a close frame. */
    drop() { for (const c of connections) c.socket.terminate(); },
    disconnect(reason: string, reconnect: boolean) {
      for (const c of connections) {
        send(c, { type: "disconnect", reason, reconnect });
        c.socket.close();
      }
    },
    /** Holds every list answer until the function returned is called. */
    holdLists(): () => void {
      let release!: () => void;
      listGate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        listGate = undefined;
        release();
      };
    },
    /** Resolves when `test()` holds, checked on every change; rejects after a generous ceiling. */
    until(test: () => boolean, what = "the condition", ceilingMs = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ceilingMs);
        const check = () => {
          if (test()) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    /** The test's listMessages: plain fetch against the REST endpoint. */
    listMessages(conversationId = 42) {
      return async ({ before, signal }: { before?: number; signal: AbortSignal }) => {
        const query = before === undefined ? "" : `?before=${before}`;
        const response = await fetch(`${url}/public/api/v1/inboxes/inbox/contacts/source/conversations/${conversationId}/messages${query}`, { signal });
        if (!response.ok) throw new Error(`list answered ${response.status}`);
        return (await response.json()) as never;
      };
    },
    async close() {
      for (const c of connections) {
        clearInterval(c.pinger);
        c.socket.terminate();
      }
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

export type FakeCable = Awaited<ReturnType<typeof startFakeCable>>;

function restShape(m: FakeMessage) {
  const { private: _private, ...rest } = m;
  return rest;
}

function pushShape(m: FakeMessage, echoId?: string) {
  return {
    ...m,
    account_id: 1,
    inbox_id: 3,
    updated_at: new Date(m.created_at * 1000).toISOString(),
    status: "sent",
    source_id: null,
    sender_type: "User",
    sender_id: 5,
    ...(echoId === undefined ? {} : { echo_id: echoId }),
  };
}

/**
 * For a test file: starts fake servers that are closed after each test. Call it before the file's
 * own afterEach, so that what a test started against a server (a client, a CLI) is stopped first.
 */
export function useFakeCables(): (options?: FakeCableOptions) => Promise<FakeCable> {
  return closedAfterEach(startFakeCable);
}
