/**
 * Names for the generated types that users need, and what the client adds on top of them
 * (attachments as files). Everything here is derived from generated/schema.d.ts.
 */
import type { components, operations, paths } from "../generated/schema.js";

export type { components, operations, paths };
type Schemas = components["schemas"];

/** The 200 JSON body of an operation, from the generated `paths`: a spec edit to a response changes the method's type. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

export type Message = Schemas["Message"];
export type MessageList = Schemas["MessageList"];
export type Attachment = Schemas["Attachment"];
export type Sender = Schemas["Sender"];
export type ContentType = Schemas["ContentType"];
export type MessageStatus = Schemas["MessageStatus"];
export type CreateMessageRequest = Schemas["CreateMessageRequest"];
export type UpdateMessageStatusRequest = Schemas["UpdateMessageStatusRequest"];
export type ListMessagesQuery = NonNullable<operations["listMessages"]["parameters"]["query"]>;

/** The `message_type` integers of responses, by name. */
export const MessageType = {
  Incoming: 0,
  Outgoing: 1,
  Activity: 2,
  Template: 3,
} as const satisfies Record<string, Schemas["MessageType"]>;
export type MessageType = Schemas["MessageType"];

/** A file to upload: a Blob or File, or bytes with a file name. */
export type AttachmentInput =
  | Blob
  | { data: Uint8Array | ArrayBuffer | Blob; filename: string; contentType?: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A create body: the spec's request, whose `attachments` may also hold files. With files it is
 * sent as multipart/form-data, otherwise as JSON. Strings stay signed blob ids from a direct upload.
 */
export type CreateMessageBody = DistributiveOmit<CreateMessageRequest, "attachments" | "message_type"> & {
  /** The spec also accepts integers, which the server attributes to the contact; the client takes the strings only. */
  message_type?: Extract<Schemas["RequestMessageType"], string>;
  attachments?: ReadonlyArray<AttachmentInput | string>;
};

/** A webhook delivery's body, told apart by `event`. */
export type WebhookEvent =
  | Schemas["MessageCreatedEvent"]
  | Schemas["MessageUpdatedEvent"]
  | Schemas["ConversationWebhookEvent"]
  | Schemas["OtherWebhookEvent"];
export type MessageCreatedEvent = Schemas["MessageCreatedEvent"];
export type MessageUpdatedEvent = Schemas["MessageUpdatedEvent"];
export type WebhookMessage = Schemas["WebhookMessage"];
export type WebhookPushMessage = Schemas["WebhookPushMessage"];

// The Client API (the contact's side).
export type ClientContact = Schemas["ClientContact"];
export type ContactRecord = Schemas["ContactRecord"];
export type ClientConversation = Schemas["ClientConversation"];
export type ClientMessage = Schemas["ClientMessage"];
export type ClientInbox = Schemas["ClientInbox"];
export type CreateContactRequest = Schemas["CreateContactRequest"];
export type UpdateContactRequest = Schemas["UpdateContactRequest"];
export type CreateConversationRequest = Schemas["CreateConversationRequest"];
export type UpdateContactMessageRequest = Schemas["UpdateContactMessageRequest"];

/**
 * A contact's message: the spec's JSON request, whose `attachments` are files (sent as
 * multipart/form-data); signed ids of direct uploads are not accepted by the Client API.
 */
export type CreateContactMessageBody = Omit<Schemas["CreateContactMessageRequest"], "attachments"> & {
  attachments?: ReadonlyArray<AttachmentInput>;
};

/** The realtime channel's payloads (the `data` of each event). */
export type RealtimeMessage = Schemas["RealtimeMessage"];
export type RealtimeMessageUpdate = Schemas["RealtimeMessageUpdate"];
export type RealtimeConversation = Schemas["RealtimeConversation"];
export type RealtimeTyping = Schemas["RealtimeTyping"];
export type RealtimePresence = Schemas["RealtimePresence"];
/** A stream frame's `message`, `{event, data}`; agents also receive events not listed here. */
export type RealtimeEvent =
  | Schemas["RealtimeMessageCreatedEvent"]
  | Schemas["RealtimeMessageUpdatedEvent"]
  | Schemas["RealtimeConversationCreatedEvent"]
  | Schemas["RealtimeConversationUpdatedEvent"]
  | Schemas["RealtimeConversationStatusChangedEvent"]
  | Schemas["RealtimeTypingOnEvent"]
  | Schemas["RealtimeTypingOffEvent"]
  | Schemas["RealtimePresenceEvent"];
