/**
 * chatwoot-messages: a typed client for Chatwoot's conversation messages API.
 * Everything a user imports comes from here.
 */
export { createChatwootClient } from "./application/client.js";
export type { ChatwootClient, ChatwootClientOptions } from "./application/client.js";
export type { CallOptions, CreateCallOptions } from "./application/messages.js";
export { createRawClient } from "./core/raw.js";
export { createContactClient } from "./contact/client.js";
export type { ContactClient, ContactClientOptions } from "./contact/client.js";
export type { ContactSession, CreateCallOptions as ContactCreateCallOptions, SentMessage } from "./contact/session.js";
export { identifierHash } from "./contact/identity.js";
export type { ConnectionOptions, EndpointOptions } from "./core/transport.js";
export type { CallOptions as ContactCallOptions } from "./core/send.js";
export type { MessagesResource } from "./application/messages.js";
export type { IterateQuery } from "./application/pagination.js";
export type { AuthHeader } from "./core/auth.js";
export type { Logger } from "./core/logging.js";
export type { Backoff } from "./core/retry.js";
export {
  AbortError,
  ApiError,
  AuthenticationError,
  ChatwootError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  ServerError,
  TimeoutError,
  UnknownOutcomeError,
  UnprocessableEntityError,
  ValidationError,
} from "./core/errors.js";
export type { ChatwootErrorBody } from "./core/errors.js";
export { MessageType } from "./types.js";
export { verifyWebhook, WebhookVerificationError } from "./webhooks/verify.js";
export type { VerifyWebhookOptions, WebhookFailure, WebhookHeaders } from "./webhooks/verify.js";
export { createWebhookHandler } from "./webhooks/handler.js";
export type { WebhookHandler, WebhookHandlerOptions } from "./webhooks/handler.js";
export { dedupeKey, memoryDeliveryStore } from "./webhooks/dedupe.js";
export type { DeliveryClaim, DeliveryStore } from "./webhooks/dedupe.js";
export { memoryWebhookQueue } from "./webhooks/queue.js";
export type { DeadLetter, EventHandler, QueueOptions, WebhookDelivery, WebhookQueue, WebhookWorker, WorkOptions } from "./webhooks/queue.js";
export { toNodeListener } from "./webhooks/node.js";
export { isOwnMessage, routeEvents } from "./webhooks/events.js";
export type { EventHandlers, WebhookEventName, WebhookEventOf } from "./webhooks/events.js";
export { signWebhook } from "./webhooks/sign.js";
export type { SignWebhookOptions } from "./webhooks/sign.js";
export type { NodeRequestLike, NodeResponseLike } from "./webhooks/node.js";
export { connectRealtime } from "./realtime/connect.js";
export type { Realtime, RealtimeEventMap, RealtimeState } from "./realtime/connect.js";
export type { RealtimeOptions, WebSocketConstructor, WebSocketLike } from "./realtime/options.js";
export type { ListMessages, MessageInfo } from "./realtime/stream.js";
export type { Timers } from "./realtime/timers.js";
export { RealtimeError } from "./realtime/errors.js";
export type { RealtimeErrorCode } from "./realtime/errors.js";
export type {
  Attachment,
  AttachmentInput,
  ContentType,
  CreateMessageBody,
  CreateMessageRequest,
  ListMessagesQuery,
  Message,
  MessageList,
  MessageStatus,
  Sender,
  UpdateMessageStatusRequest,
  MessageCreatedEvent,
  MessageUpdatedEvent,
  ClientContact,
  ClientConversation,
  ClientInbox,
  ClientMessage,
  ContactRecord,
  CreateContactMessageBody,
  CreateContactRequest,
  CreateConversationRequest,
  UpdateContactMessageRequest,
  UpdateContactRequest,
  WebhookEvent,
  WebhookMessage,
  WebhookPushMessage,
  RealtimeConversation,
  RealtimeEvent,
  RealtimeMessage,
  RealtimeMessageUpdate,
  RealtimePresence,
  RealtimeTyping,
  components,
  operations,
  paths,
} from "./types.js";
