/**
 * Compile-time tests of the generated types, checked by `tsc --noEmit` (npm run typecheck).
 * Each @ts-expect-error line must fail to compile; if the spec loosened so that it compiled,
 * tsc would report the unused directive and the test run would fail.
 */
import type { components, operations } from "../../generated/schema.js";

type S = components["schemas"];

// Right uses compile.
export const text: S["CreateMessageRequest"] = { content: "Hello", private: false };
export const attachmentOnly: S["CreateMessageRequest"] = {};
export const nullContent: S["CreateMessageRequest"] = { content: null, attachments: ["signed-id"] };
export const cards: S["CreateMessageRequest"] = {
  content_type: "cards",
  content_attributes: { items: [{ title: "A", actions: [{ type: "postback", text: "Go", payload: "GO" }, { type: "link", text: "Open", uri: "https://x.org" }] }] },
};
export const select: S["CreateMessageRequest"] = { content_type: "input_select", content_attributes: { items: [{ title: "Yes", value: "y" }] } };
export const form: S["CreateMessageRequest"] = { content_type: "form", content_attributes: { items: [{ name: "email", type: "email" }] } };
export const article: S["CreateMessageRequest"] = { content_type: "article", content_attributes: { items: [{ title: "T", link: "https://x.org" }] } };
export const email: S["CreateMessageRequest"] = { content_type: "input_email" };
export const reply: S["CreateMessageRequest"] = { content: "Re", content_attributes: { in_reply_to: 12 } };
export const template: S["CreateMessageRequest"] = {
  template_params: { name: "receipt", language: "en_US", processed_params: { body: { "1": "Visa" }, buttons: [null, { type: "url", parameter: "x" }] } },
};
export const twilio: S["CreateMessageRequest"] = { template_params: { name: "receipt", processed_params: { "1": "a", "2": "b" } } };
export const status: S["UpdateMessageStatusRequest"] = { status: "failed", external_error: "not on WhatsApp" };

// Responses: integer message_type, attachments array, nullable content, discriminated sender.
declare const message: S["Message"];
export const messageType: 0 | 1 | 2 | 3 = message.message_type;
export const firstAttachment: S["Attachment"] | undefined = message.attachments?.[0];
export const content: string | null = message.content;
if (message.sender?.type === "user") {
  export_availability(message.sender.availability_status);
}
function export_availability(_value: "online" | "busy" | "offline" | null | undefined) {}

// Wrong uses do not compile.
// @ts-expect-error a cards item without actions
export const cardsWithoutActions: S["CreateMessageRequest"] = { content_type: "cards", content_attributes: { items: [{ title: "A" }] } };
// @ts-expect-error cards without content_attributes
export const cardsWithoutAttributes: S["CreateMessageRequest"] = { content_type: "cards" };
// @ts-expect-error an input_select item with a key the server refuses
export const selectBadKey: S["CreateMessageRequest"] = { content_type: "input_select", content_attributes: { items: [{ title: "A", value: "a", label: "x" }] } };
// @ts-expect-error input_select items shaped like cards
export const selectAsCards: S["CreateMessageRequest"] = { content_type: "input_select", content_attributes: { items: [{ title: "A", actions: [] }] } };
// What the server accepts compiles: its validators require no item key but a card's actions.
export const articleNoLink: S["CreateMessageRequest"] = { content_type: "article", content_attributes: { items: [{ title: "A" }] } };
export const formItemWithoutName: S["CreateMessageRequest"] = { content_type: "form", content_attributes: { items: [{ label: "Email" }] } };
export const liquidMediaUrl: S["TemplateHeader"] = { media_url: "https://cdn.example.com/{{contact.name}}.pdf", media_type: "document" };
export const nullAttributes: S["CreateMessageRequest"] = { content: "x", content_attributes: null, source_id: null };
// @ts-expect-error an action key the server refuses
export const actionBadKey: S["CardAction"] = { type: "link", text: "Open", url: "https://x.org" };
// @ts-expect-error an unknown content_type
export const badContentType: S["CreateMessageRequest"] = { content_type: "carousel" };
// @ts-expect-error an unknown message_type
export const badMessageType: S["CreateMessageRequest"] = { message_type: "sideways" };
// @ts-expect-error content is text, not a number
export const numericContent: S["CreateMessageRequest"] = { content: 42 };
// @ts-expect-error template_params without the name the server requires
export const templateNoName: S["CreateMessageRequest"] = { template_params: { language: "en" } };
// @ts-expect-error a status the server does not know
export const badStatus: S["UpdateMessageStatusRequest"] = { status: "seen" };
// @ts-expect-error status is required
export const noStatus: S["UpdateMessageStatusRequest"] = { external_error: "x" };
// @ts-expect-error response message_type is an integer, not the webhook's string
export const stringType: S["Message"]["message_type"] = "outgoing";
// @ts-expect-error there is no singular `attachment` in the REST response
export const singular = message.attachment;
// @ts-expect-error account_id belongs to the webhook payload, not the REST response
export const accountId = message.account_id;
// @ts-expect-error ids in paths are integers, not strings
export const stringId: operations["deleteMessage"]["parameters"]["path"] = { account_id: "1", conversation_id: 42, message_id: 1 };
// @ts-expect-error the sender type of an agent is "user", not "agent"
export const agentSender: S["Sender"] = { id: 1, name: "A", type: "agent" };
