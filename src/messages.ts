/**
 * The messages resource: one method per operation of the spec. Each checks its input, then
 * hands `send` a description of the operation (method, path, parameters, body, which failures
 * may be retried). The methods are async so that bad input rejects the returned promise like
 * every other failure, instead of throwing.
 */
import type { CallOptions, CreateCallOptions, Send } from "./client.js";
import type { Limiter } from "./concurrency.js";
import { hasFiles, toFormData } from "./multipart.js";
import { walkBack, type IterateQuery } from "./pagination.js";
import { retryCreate, retryIdempotent } from "./retry.js";
import type { CreateMessageBody, ListMessagesQuery, Message, MessageList, UpdateMessageStatusRequest, paths } from "./types.js";
import { validateCreateBody, validateId, validateListQuery, validateStatusBody } from "./validate.js";

const MESSAGES = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages" satisfies keyof paths;
const MESSAGE = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}" satisfies keyof paths;

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

export function createMessages(send: Send, { unsafeRetries, writes }: MessagesSettings): MessagesResource {
  const messages: MessagesResource = {
    async create(conversationId, body, options) {
      const conversation_id = validateId("conversationId", conversationId);
      validateCreateBody(body);
      const unsafe = options?.unsafeRetries ?? unsafeRetries;
      return writes(() => send<Message>({
        method: "POST",
        path: MESSAGES,
        params: { conversation_id },
        body,
        form: hasFiles(body) ? () => toFormData(body) : undefined,
        policy: unsafe ? retryIdempotent : retryCreate,
      }, options), options?.signal);
    },

    async list(conversationId, query, options) {
      const conversation_id = validateId("conversationId", conversationId);
      validateListQuery(query);
      return send<MessageList>({ method: "GET", path: MESSAGES, params: { conversation_id }, query, policy: retryIdempotent }, options);
    },

    async *iterate(conversationId, query, options) {
      validateId("conversationId", conversationId);
      validateListQuery(query);
      yield* walkBack((page) => messages.list(conversationId, page, options), query ?? {}, options?.signal);
    },

    async updateStatus(conversationId, messageId, body, options) {
      const params = {
        conversation_id: validateId("conversationId", conversationId),
        message_id: validateId("messageId", messageId),
      };
      validateStatusBody(body);
      return writes(() => send<Message>({ method: "PATCH", path: MESSAGE, params, body, policy: retryIdempotent }, options), options?.signal);
    },

    async delete(conversationId, messageId, options) {
      const params = {
        conversation_id: validateId("conversationId", conversationId),
        message_id: validateId("messageId", messageId),
      };
      return writes(() => send<Message>({ method: "DELETE", path: MESSAGE, params, policy: retryIdempotent }, options), options?.signal);
    },
  };
  return Object.freeze(messages);
}
