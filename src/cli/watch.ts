/**
 * `contact watch`: one conversation's messages as the contact sees them, each printed once in id
 * order, through reconnects, until SIGINT or SIGTERM. The realtime client does the work (socket,
 * resyncs over the contact client's pager); this file picks a WebSocket, prints, and decides the
 * exit code: 0 when stopped by a signal, 1 on a fatal realtime error (a token never confirmed).
 */
import type { ContactSession } from "../contact/session.js";
import { connectRealtime, type Realtime } from "../realtime/connect.js";
import type { RealtimeOptions, WebSocketConstructor } from "../realtime/options.js";
import type { ClientMessage } from "../types.js";
import { errorLine, printable, printableJson, type Io } from "./output.js";
import { onStopSignal } from "./shutdown.js";

export interface WatchSettings {
  baseUrl: string;
  allowInsecureHttp: boolean;
  session: ContactSession;
  conversationId: number;
  pubsubToken: string;
  json: boolean;
  after?: number;
  resyncIntervalMs?: number;
  confirmTimeoutMs?: number;
}

const SENDERS: Record<number, string> = { 0: "contact", 1: "agent", 3: "template" };

/** Node ≥ 22 and other runtimes have a global WebSocket; Node 20 needs the `ws` package (an optional peer). */
export async function webSocketClass(): Promise<WebSocketConstructor | undefined> {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  try {
    return (await import("ws")).WebSocket as unknown as WebSocketConstructor;
  } catch {
    return undefined;
  }
}

export async function watch(settings: WatchSettings, { out, err }: Io): Promise<number> {
  const WebSocket = await webSocketClass();
  if (!WebSocket) {
    err.write("error: contact watch needs a WebSocket: this Node has none built in; npm install ws\n");
    return 1;
  }
  const options: RealtimeOptions = {
    url: settings.baseUrl,
    allowInsecureHttp: settings.allowInsecureHttp,
    pubsubToken: settings.pubsubToken,
    WebSocket,
    conversationId: settings.conversationId,
    listMessages: settings.session.messages.pager(settings.conversationId),
    ...(settings.after === undefined ? {} : { after: settings.after }),
    ...(settings.resyncIntervalMs === undefined ? {} : { resyncIntervalMs: settings.resyncIntervalMs }),
    ...(settings.confirmTimeoutMs === undefined ? {} : { confirmTimeoutMs: settings.confirmTimeoutMs }),
  };
  // Throws a ValidationError before anything opens: the caller prints the usage.
  const realtime: Realtime = connectRealtime(options);
  return new Promise((resolve) => {
    const stop = (code: number) => {
      realtime.close();
      resolve(code);
    };
    realtime.on("message", (message, { late }) => {
      out.write(settings.json ? `${printableJson(message)}\n` : `${line(message)}${late ? "\t(late)" : ""}\n`);
    });
    // One line per change that matters, not one per reconnect attempt.
    let wasLive = false;
    realtime.on("state", (state) => {
      if (state === "live" && !wasLive) err.write(`live: watching conversation ${settings.conversationId}\n`);
      if (state === "reconnecting" && wasLive) err.write("connection lost: reconnecting (messages sent meanwhile are fetched over REST)\n");
      if (state === "live" || state === "reconnecting") wasLive = state === "live";
    });
    realtime.on("error", (error) => {
      const text = errorLine(error);
      err.write(`${error.fatal ? text : text.replace(/^error: /, "warning: ")}\n`);
      if (error.fatal) stop(1);
    });
    onStopSignal(async () => stop(0));
  });
}

function line(message: ClientMessage): string {
  const who = message.sender?.name ?? SENDERS[message.message_type] ?? `type ${message.message_type}`;
  return [`#${message.id}`, who, message.content ?? "(no text)"].map(printable).join("\t");
}
