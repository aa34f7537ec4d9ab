/**
 * The messages resource: one method per operation of the spec. Each checks its input, then
 * hands `send` a function that performs one attempt with openapi-fetch. The methods are async
 * so that bad input rejects the returned promise like every other failure, instead of throwing.
 */
import type { Client } from "openapi-fetch";
import type { CallOptions, CreateCallOptions, Send } from "./client.js";
import type { Limiter } from "./concurrency.js";
import { hasFiles, toFormData } from "./multipart.js";
import { walkBack, type IterateQuery } from "./pagination.js";
import { retryCreate, retryIdempotent } from "./retry.js";
import type {
  CreateMessageBody, CreateMessageRequest, ListMessagesQuery, Message, MessageList, UpdateMessageStatusRequest, paths,
} from "./types.js";
import { validateCreateBody, validateId, validateListQuery, validateStatusBody } from "./validate.js";

const MESSAGES = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages";
const MESSAGE = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}";

export interface MessagesResource {
  /** Posts a message (or, with `private: true`, a note). Files in `attachments` send it as multipart. Not retried where it may have been posted, unless `unsafeRetries`. */
  create(conversationId: number | string, body: CreateMessageBody, options?: CreateCallOptions): Promise<Message>;
  /** One page, oldest first: the latest 20, or around the `before`/`after` message ids. */
  list(conversationId: number | string, query?: ListMessagesQuery, options?: CallOptions): Promise<MessageList>;
  /** Every message, newest first, walking back page by page with `before`. */
  iterate(conversationId: number | string, query?: IterateQuery, options?: CallOptions): AsyncGenerator<Message, void, undefined>;
  /** Records a delivery status (API channel inboxes only; others answer 403). */
  updateStatus(conversationId: number | string, messageId: number | string, body: UpdateMessageStatusRequest, options?: CallOptions): Promise<Message>;
  /** Soft-deletes a message and resolves with it as it now is. */
  delete(conversationId: number | string, messageId: number | string, options?: CallOptions): Promise<Message>;
}

export interface MessagesSettings {
  /** The client's default for `create`'s unsafeRetries. */
  unsafeRetries: boolean;
  /** Queues writes beyond the client's maxConcurrentWrites. */
  writes: Limiter;
}

export function createMessages(raw: Client<paths>, send: Send, { unsafeRetries, writes }: MessagesSettings): MessagesResource {
  const messages: MessagesResource = {
    async create(conversationId, body, options) {
      const conversation_id = validateId("conversationId", conversationId);
      validateCreateBody(body);
      const multipart = hasFiles(body);
      const unsafe = options?.unsafeRetries ?? unsafeRetries;
      return writes(() => send<Message>(unsafe ? retryIdempotent : retryCreate, options, (signal, account_id) =>
        raw.POST(MESSAGES, {
          params: { path: { account_id, conversation_id } },
          body: body as CreateMessageRequest,
          // A fresh form per attempt: a sent FormData body is consumed.
          ...(multipart ? { bodySerializer: () => toFormData(body) } : {}),
          parseAs: "text",
          signal,
        }),
      ), options?.signal);
    },

    async list(conversationId, query, options) {
      const conversation_id = validateId("conversationId", conversationId);
      validateListQuery(query);
      return send<MessageList>(retryIdempotent, options, (signal, account_id) =>
        raw.GET(MESSAGES, { params: { path: { account_id, conversation_id }, query }, parseAs: "text", signal }),
      );
    },

    async *iterate(conversationId, query, options) {
      validateId("conversationId", conversationId);
      validateListQuery(query);
      yield* walkBack((page) => messages.list(conversationId, page, options), query ?? {}, options?.signal);
    },

    async updateStatus(conversationId, messageId, body, options) {
      const path = {
        conversation_id: validateId("conversationId", conversationId),
        message_id: validateId("messageId", messageId),
      };
      validateStatusBody(body);
      return writes(() => send<Message>(retryIdempotent, options, (signal, account_id) =>
        raw.PATCH(MESSAGE, { params: { path: { account_id, ...path } }, body, parseAs: "text", signal }),
      ), options?.signal);
    },

    async delete(conversationId, messageId, options) {
      const path = {
        conversation_id: validateId("conversationId", conversationId),
        message_id: validateId("messageId", messageId),
      };
      return writes(() => send<Message>(retryIdempotent, options, (signal, account_id) =>
        raw.DELETE(MESSAGE, { params: { path: { account_id, ...path } }, parseAs: "text", signal }),
      ), options?.signal);
    },
  };
  return Object.freeze(messages);
}
