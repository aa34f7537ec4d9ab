/**
 * Compile-time tests of the Client API's and the realtime events' generated types, checked by
 * `tsc --noEmit` (npm run typecheck). Each @ts-expect-error line must fail to compile.
 */
import type { components, operations } from "../../generated/schema.js";

type S = components["schemas"];

// The events a contact subscription receives, told apart by `event`.
type RealtimeContactEvent =
  | S["RealtimeMessageCreatedEvent"]
  | S["RealtimeMessageUpdatedEvent"]
  | S["RealtimeConversationCreatedEvent"]
  | S["RealtimeConversationUpdatedEvent"]
  | S["RealtimeConversationStatusChangedEvent"]
  | S["RealtimeTypingOnEvent"]
  | S["RealtimeTypingOffEvent"]
  | S["RealtimePresenceEvent"];

export function describeEvent(frame: RealtimeContactEvent): string {
  switch (frame.event) {
    case "message.created":
      return `${frame.data.conversation_id}:${frame.data.id} ${frame.data.echo_id ?? ""}`;
    case "message.updated":
      return JSON.stringify(frame.data.previous_changes ?? {});
    case "conversation.typing_on":
    case "conversation.typing_off":
      return `${frame.data.conversation.id} ${String(frame.data.is_private)}`;
    case "presence.update":
      return Object.values(frame.data.users).join(",");
    default:
      return `${frame.data.id} ${frame.data.status}`;
  }
}

// Client API responses: integers and Unix seconds in messages, ISO strings in the contact record.
declare const message: S["ClientMessage"];
export const createdAt: number = message.created_at;
export const messageType: 0 | 1 | 2 | 3 = message.message_type;
export const contentType: S["ContentType"] | null = message.content_type;
declare const record: S["ContactRecord"];
export const recordCreatedAt: string = record.created_at;
declare const session: S["ClientContact"];
export const credentials: [string, string] = [session.source_id, session.pubsub_token];
export const page: S["ClientMessage"][] = [] satisfies operations["listContactMessages"]["responses"][200]["content"]["application/json"];
export const before: operations["listContactMessages"]["parameters"]["query"] = { before: 1240 };
export const csat: S["UpdateContactMessageRequest"] = { submitted_values: { csat_survey_response: { rating: 4, feedback_message: "ok" } } };
export const selected: S["UpdateContactMessageRequest"] = { submitted_values: [{ title: "Yes", value: "yes" }] };

// The Application API's 2021 answers and blank template values (issue 22, item 6).
export const from2021: S["Message"]["content_type"] = null;
export const blankValues: S["TemplateProcessedParams"] = { body: { "1": "Alex", "2": null } };

// Wrong uses do not compile.
// @ts-expect-error a message's created_at is Unix seconds, not an ISO string
export const isoCreatedAt: S["ClientMessage"]["created_at"] = "2026-06-17T09:13:20.000Z";
// @ts-expect-error the contact record's created_at is an ISO string
export const unixRecord: S["ContactRecord"]["created_at"] = 1781687564;
// @ts-expect-error message ids are integers (the swagger before 4.12.1 said strings)
export const stringId: S["ClientMessage"]["id"] = "1241";
// @ts-expect-error there is no `after` in the Client API
export const after: operations["listContactMessages"]["parameters"]["query"] = { after: 1 };
// @ts-expect-error files are multipart parts, never JSON
export const jsonAttachments: S["CreateContactMessageRequest"] = { content: "x", attachments: ["signed-id"] };
// @ts-expect-error a presence value the server never sends
export const away: S["RealtimePresence"]["users"] = { "5": "away" };
// @ts-expect-error a message.created event carries a message, not presence
export const mismatched: S["RealtimeMessageCreatedEvent"] = { event: "message.created", data: { account_id: 1, users: {} } };
