/**
 * Compile-time tests of connectRealtime's public API, checked by `tsc --noEmit` (npm run
 * typecheck). Each @ts-expect-error line must fail to compile.
 */
import { connectRealtime, type ClientMessage, type MessageInfo, type Realtime, type RealtimeState } from "../../src/index.js";

declare const realtime: Realtime;

export function listeners(): void {
  realtime.on("message", (message: ClientMessage, info: MessageInfo) => {
    const late: boolean = info.late;
    const id: number = message.id;
    void late, id;
  });
  realtime.on("message.created", (data) => {
    const echo: string | number | undefined = data.echo_id;
    void echo;
  });
  realtime.on("conversation.typing_off", (data, { expired }) => {
    const conversation: number = data.conversation.id;
    const timedOut: boolean = expired;
    void conversation, timedOut;
  });
  realtime.on("presence.update", (data) => void data.users["5"]);
  realtime.on("state", (state: RealtimeState) => void state);
  const off: () => void = realtime.on("error", (error) => void (error.fatal && error.code));
  off();
  // @ts-expect-error: no such event
  realtime.on("message.deleted", () => {});
  // @ts-expect-error: a message listener gets a ClientMessage, whose id is a number
  realtime.on("message", (message: { id: string }) => void message);
}

export async function expecting(send: () => Promise<ClientMessage>): Promise<number> {
  const message = await realtime.expect("echo-1", send());
  return message.id;
}

export function options(listMessages: (q: { before?: number; signal: AbortSignal }) => Promise<ClientMessage[]>): void {
  connectRealtime({ url: "https://chat.example.com", pubsubToken: "t", conversationId: 7, listMessages });
  connectRealtime({ url: "https://chat.example.com", pubsubToken: "t", userId: 1, accountId: 1 });
  // @ts-expect-error: the token is required
  connectRealtime({ url: "https://chat.example.com" });
  // @ts-expect-error: listMessages resolves with messages
  connectRealtime({ url: "https://chat.example.com", pubsubToken: "t", conversationId: 7, listMessages: async () => "nope" });
}
