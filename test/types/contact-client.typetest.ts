/** Compile-time tests of the contact client's public surface (npm run typecheck), the README's example included. */
import { createContactClient, identifierHash, type ClientContact, type ClientMessage, type ContactRecord, type SentMessage } from "../../src/index.js";

const chat = createContactClient({ baseUrl: "https://chat.example.com", inboxIdentifier: "x7Hd2LqfTq8cJd5GZ5vU3kWp" });

export async function readmeExample(): Promise<void> {
  const { source_id, pubsub_token } = await chat.contacts.create({ name: "Alex", email: "alex@example.org" });
  const session = chat.session(source_id);
  const conversation = await session.conversations.create();
  const sent = await session.messages.create(conversation.id, { content: "Hi", echo_id: "bubble-1" });
  const page = await session.messages.list(conversation.id, { before: sent.id });
  await session.conversations.toggleTyping(conversation.id, "on");
  await session.messages.update(conversation.id, 1244, { submitted_values: { csat_survey_response: { rating: 5 } } });
  void [pubsub_token, page];
}

export async function rightUses(): Promise<void> {
  const contact: ClientContact = await chat.contacts.create();
  const session = chat.session(contact.source_id);
  const sent: SentMessage = await session.messages.create(44, { attachments: [new Blob(["x"]), { data: new Uint8Array(1), filename: "a.png" }] });
  const echo: string | number = sent.echo_id;
  const id: number = sent.id;
  const createdAt: number = sent.created_at; // Unix seconds in a message
  const page: ClientMessage[] = await session.messages.list("44");
  const record: ContactRecord = await session.contact.update({ name: "A" });
  const iso: string = record.created_at; // ISO in the contact record
  const typed: void = await session.conversations.updateLastSeen(44);
  const hash: string = await identifierHash("customer-8841", "hmac-token");
  await session.contact.get({ identifier: "customer-8841", identifier_hash: hash }, { timeoutMs: 5000 });
  await session.messages.create(44, { content: "x" }, { unsafeRetries: true, maxRetries: 1 });
  void [echo, id, createdAt, page, iso, typed];
}

export async function wrongUses(): Promise<void> {
  // @ts-expect-error the inbox identifier is required
  createContactClient({ baseUrl: "https://x.org" });
  // @ts-expect-error the Client API takes no token
  createContactClient({ baseUrl: "https://x.org", inboxIdentifier: "abc", apiAccessToken: "t" });
  const session = chat.session("s");
  // @ts-expect-error a contact's message is always incoming: no private
  await session.messages.create(44, { content: "x", private: true });
  // @ts-expect-error no signed upload ids: files only
  await session.messages.create(44, { attachments: ["signed-id"] });
  // @ts-expect-error only "on" or "off"
  await session.conversations.toggleTyping(44, "typing");
  // @ts-expect-error the Client API pages with before only
  await session.messages.list(44, { after: 3 });
}

/** The pager is realtime's listMessages by shape alone (neither family imports the other): this line breaks if either drifts. */
export function pagerIsListMessages(): void {
  const listMessages: import("../../src/index.js").ListMessages = chat.session("s").messages.pager(44);
  const resolved: Promise<ClientMessage[]> = listMessages({ before: 120, signal: new AbortController().signal });
  // @ts-expect-error a conversation id is a number or a string, not an object
  chat.session("s").messages.pager({ id: 44 });
  void resolved;
}
