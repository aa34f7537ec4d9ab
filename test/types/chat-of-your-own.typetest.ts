/**
 * README "A chat of your own", compiled by `tsc --noEmit` (npm run typecheck). The part between
 * the markers is the README's code block, the package name mapped to the source
 * (test/docs/readme-chat.test.ts checks that the two are the same text).
 */
// README:begin
import { connectRealtime, createContactClient, type ClientMessage } from "../../src/index.js";

const BASE_URL = "https://chat.example.com";
const chat = createContactClient({ baseUrl: BASE_URL, inboxIdentifier: "x7Hd2LqfTq8cJd5GZ5vU3kWp" });

// A returning visitor keeps its session: source_id and pubsub_token are its credentials, store them as such.
type Saved = { sourceId: string; pubsubToken: string; conversationId: number };
async function start(): Promise<Saved> {
  const kept = localStorage.getItem("chat");
  if (kept) return JSON.parse(kept) as Saved;
  const contact = await chat.contacts.create({ name: "Alex" });
  const conversation = await chat.session(contact.source_id).conversations.create();
  const saved = { sourceId: contact.source_id, pubsubToken: contact.pubsub_token, conversationId: conversation.id };
  localStorage.setItem("chat", JSON.stringify(saved));
  return saved;
}

const { sourceId, pubsubToken, conversationId } = await start();
const session = chat.session(sourceId);
const list = document.querySelector("#messages")!;
const bubbles = new Map<number | string, HTMLElement>(); // by message id; by echo_id while pending

function show(key: number | string, text: string, className: string): HTMLElement {
  const bubble = bubbles.get(key) ?? list.appendChild(document.createElement("li"));
  bubble.textContent = text;
  bubble.className = className;
  bubbles.set(key, bubble);
  return bubble;
}

// Every message of the conversation once, in id order, by socket or by REST (after a reconnect, every 30 s).
const realtime = connectRealtime({ url: BASE_URL, pubsubToken, conversationId, listMessages: session.messages.pager(conversationId) });
realtime.on("message", (message: ClientMessage, { echoId }) => {
  if (echoId !== undefined && bubbles.has(echoId)) return; // our own, still pending: send() resolves its bubble
  show(message.id, message.content ?? "(attachment)", message.message_type === 0 ? "mine" : "theirs");
});
realtime.on("conversation.typing_on", () => list.classList.add("typing"));
realtime.on("conversation.typing_off", () => list.classList.remove("typing"));
realtime.on("error", (error) => { if (error.fatal) show("error", "The chat is unavailable: reload the page", "error"); });

// Sending: the bubble shows at once, and the message's return (its echo, or the resync that finds it) resolves it.
export async function send(text: string): Promise<void> {
  const echoId = crypto.randomUUID();
  const bubble = show(echoId, text, "mine pending");
  const sent = session.messages.create(conversationId, { content: text, echo_id: echoId });
  try {
    const message = await realtime.expect(echoId, sent);
    bubbles.delete(echoId);
    bubbles.set(message.id, bubble);
    bubble.className = "mine";
  } catch {
    bubble.className = "mine failed"; // the create failed: offer to send again
  }
}
// README:end
