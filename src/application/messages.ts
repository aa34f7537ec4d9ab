/**
 * The messages resource: one method per operation of the spec. Each checks its input, then
 * hands `send` a description of the operation (method, path, parameters, body, which failures
 * may be retried). The methods are async so that bad input rejects the returned promise like
 * every other failure, instead of throwing.
 */
import type { Limiter } from "../core/concurrency.js";
import type { CallOptions as CoreCallOptions, Send as CoreSend } from "../core/send.js";
import type { Reconciler } from "./idempotency.js";
import { unmarked, withMarker, type MarkerWatch } from "./marker.js";
import { walkBack, type IterateQuery } from "./pagination.js";
import { retryCreate, retryIdempotent } from "../core/retry.js";
import { MessageType, type Answer, type CreateMessageBody, type ListMessagesQuery, type Message, type MessageList, type UpdateMessageStatusRequest, type paths } from "../types.js";
import { ValidationError } from "../core/errors.js";
import { validateId, validateTransportOptions } from "../core/validate.js";
import { validateCreateBody, validateIdempotencyKey, validateListQuery, validateStatusBody } from "./validate.js";

const MESSAGES = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages" satisfies keyof paths;
const MESSAGE = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}" satisfies keyof paths;
const RETRY = `${MESSAGE}/retry` as const satisfies keyof paths;
const TRANSLATE = `${MESSAGE}/translate` as const satisfies keyof paths;

export type { Answer } from "../types.js";

export interface CallOptions extends CoreCallOptions {
  /** The account for this call, instead of the client's. */
  accountId?: number | string;
}

export interface CreateCallOptions extends CallOptions {
  /** Also retry this create after a timeout, a 5xx or a broken connection (it may be posted twice). Ignored with an idempotency key. */
  unsafeRetries?: boolean;
  /**
   * Makes the create idempotent: the same key resolves with the same message, and after an
   * ambiguous failure the message is looked for before it is sent again. Derive it from what you
   * answer (e.g. `reply-${incomingMessageId}`). Stored in content_attributes.chatwoot_messages_key.
   * The key is looked for before the first send: among the messages after `idempotencyAnchor`, or
   * without one in the conversation's latest 20 messages.
   */
  idempotencyKey?: string;
  /**
   * A message id older than any message this key can have posted, typically the incoming message
   * you answer (ids only grow): the key is looked for among all the messages after it.
   */
  idempotencyAnchor?: number | string;
}

type Send = CoreSend<CallOptions>;

export interface MessagesResource {
  /**
   * Posts a message (or, with `private: true`, a note). Files in `attachments` send it as multipart.
   * Not retried where it may have been posted, unless `unsafeRetries`; with an `idempotencyKey`, the
   * conversation is looked at before the first send and after an ambiguous failure, and the
   * message is sent (again) only when absent.
   */
  create(conversationId: number | string, body: CreateMessageBody, options?: CreateCallOptions): Promise<Answer<typeof MESSAGES, "post">>;
  /** One page, oldest first: the latest 20, or around the `before`/`after` message ids. */
  list(conversationId: number | string, query?: ListMessagesQuery, options?: CallOptions): Promise<Answer<typeof MESSAGES, "get">>;
  /** Every message, newest first, walking back page by page with `before`. */
  iterate(conversationId: number | string, query?: IterateQuery, options?: CallOptions): AsyncGenerator<Message, void, undefined>;
  /** Records a delivery status (API channel inboxes only; others answer 403). */
  updateStatus(conversationId: number | string, messageId: number | string, body: UpdateMessageStatusRequest, options?: CallOptions): Promise<Answer<typeof MESSAGE, "patch">>;
  /** Soft-deletes a message and resolves with it as it now is. */
  delete(conversationId: number | string, messageId: number | string, options?: CallOptions): Promise<Answer<typeof MESSAGE, "delete">>;
  /** Hands a (failed) message to its channel again; the server then empties its content_attributes. An unknown id is a 422. Retried like a create: only when the server provably did not act. */
  retry(conversationId: number | string, messageId: number | string, options?: CallOptions): Promise<Answer<typeof RETRY, "post">>;
  /** Translates a message's content; resolves with `{}` when a translation into that language was already stored. */
  translate(conversationId: number | string, messageId: number | string, targetLanguage: string, options?: CallOptions): Promise<Answer<typeof TRANSLATE, "post">>;
}

export interface MessagesSettings {
  /** The client's default for `create`'s unsafeRetries. */
  unsafeRetries: boolean;
  /** Queues writes beyond the client's maxConcurrentWrites. */
  writes: Limiter;
  /** Finds out what an ambiguous keyed create did; loaded by the first keyed create. */
  reconciler: () => Promise<Reconciler>;
  /** Checks every create's answer for its marker. */
  markers: MarkerWatch;
  /** `idempotencyKeys: "auto"`: a key for every create. */
  autoKeys: boolean;
  /** Who posts: the marker's `by`. */
  botId: string;
  /** The client's maxRetries: a keyed create's resends unless the call gives its own. */
  maxRetries: number;
  /** The client's timeoutMs: also how long a keyed create may wait for an earlier call with its key, unless the call gives its own. */
  timeoutMs: number;
  /** The account a call is for (the call's, else the client's), checked. */
  accountOf(options: CallOptions | undefined): number;
  /** How reconciling lists: with the lookup token when the client has one. */
  lookup: Send;
}

export function createMessages(send: Send, settings: MessagesSettings): MessagesResource {
  const { unsafeRetries, writes, reconciler, markers, autoKeys, botId } = settings;
  const listWith = (sender: Send, conversation_id: number, query: ListMessagesQuery | undefined, options: CallOptions | undefined) =>
    sender<MessageList>({ method: "GET", path: MESSAGES, params: { conversation_id }, query, policy: retryIdempotent, check: hasPayload }, options);

  const messages: MessagesResource = {
    async create(conversationId, body, options) {
      const conversation_id = validateId("conversationId", conversationId);
      validateCreateBody(body);
      validateTransportOptions(options ?? {});
      const given = options?.idempotencyKey === undefined ? undefined : validateIdempotencyKey(options.idempotencyKey);
      const key = given ?? (autoKeys ? crypto.randomUUID() : undefined);
      const anchor = options?.idempotencyAnchor === undefined ? undefined : validateId("options.idempotencyAnchor", options.idempotencyAnchor);
      if (anchor !== undefined && key === undefined) {
        throw new ValidationError("options.idempotencyAnchor", "needs an idempotencyKey (or the client's idempotencyKeys: \"auto\"): it says where to look for the key");
      }
      // Every message this package posts carries the marker (the echo guard relies on it); a keyed one carries its key.
      const marked = { ...body, content_attributes: withMarker(body.content_attributes, key, botId) } as CreateMessageBody;
      // A keyed create is never retried blindly: reconciling is what makes a second send safe.
      const unsafe = key === undefined && (options?.unsafeRetries ?? unsafeRetries);
      const post = () => writes(() => send<Message>({
        method: "POST",
        path: MESSAGES,
        params: { conversation_id },
        body: marked,
        multipart: hasFiles(marked),
        policy: unsafe ? retryIdempotent : retryCreate,
      }, options), options?.signal);
      if (key === undefined) {
        const message = await post();
        markers.check(message, undefined, botId);
        return message;
      }
      const account = settings.accountOf(options);
      const { signal: _callers, ...unsignalled } = options ?? {};
      return (await reconciler()).create({
        scope: `${account}/${conversation_id}`,
        key,
        by: botId,
        anchor,
        fresh: given === undefined,
        resends: options?.maxRetries ?? settings.maxRetries,
        sent: {
          content: body.content ?? null,
          messageType: MessageType[typeName(body.message_type)],
          private: body.private === true,
          contentType: body.content_type ?? "text",
          attributes: unmarked(body.content_attributes),
          attachments: body.attachments?.length ?? 0,
        },
        post,
        // The background looks after a call gave up go without its (aborted) signal.
        list: (query, signal) => listWith(settings.lookup, conversation_id, query, signal ? { ...unsignalled, signal } : unsignalled),
        signal: options?.signal,
        timeoutMs: options?.timeoutMs ?? settings.timeoutMs,
      });
    },

    async list(conversationId, query, options) {
      const conversation_id = validateId("conversationId", conversationId);
      validateListQuery(query);
      return listWith(send, conversation_id, query, options);
    },

    async *iterate(conversationId, query, options) {
      validateId("conversationId", conversationId);
      validateListQuery(query);
      yield* walkBack((page) => messages.list(conversationId, page, options), query ?? {}, options?.signal);
    },

    async updateStatus(conversationId, messageId, body, options) {
      const params = messageParams(conversationId, messageId);
      validateStatusBody(body);
      return writes(() => send<Message>({ method: "PATCH", path: MESSAGE, params, body, policy: retryIdempotent }, options), options?.signal);
    },

    async delete(conversationId, messageId, options) {
      const params = messageParams(conversationId, messageId);
      return writes(() => send<Message>({ method: "DELETE", path: MESSAGE, params, policy: retryIdempotent }, options), options?.signal);
    },

    async retry(conversationId, messageId, options) {
      const params = messageParams(conversationId, messageId);
      return writes(() => send<Message>({ method: "POST", path: RETRY, params, policy: retryCreate }, options), options?.signal);
    },

    async translate(conversationId, messageId, targetLanguage, options) {
      const params = messageParams(conversationId, messageId);
      if (typeof targetLanguage !== "string" || targetLanguage.trim() === "") {
        throw new ValidationError("targetLanguage", "is required: a language code such as \"es\"");
      }
      const body = { target_language: targetLanguage };
      return send({ method: "POST", path: TRANSLATE, params, body, policy: retryIdempotent, emptyAnswer: {} }, options);
    },
  };
  return Object.freeze(messages);
}

/** "outgoing" -> "Outgoing": the REST list answers message_type as an integer. */
function typeName(type: CreateMessageBody["message_type"]) {
  const name = type ?? "outgoing";
  return `${name[0]!.toUpperCase()}${name.slice(1)}` as keyof typeof MessageType;
}

/**
 * A list answer must have its messages, each an object: anything else is an InvalidResponseError,
 * never an empty conversation nor a TypeError in whatever reads the page. (Their fields are not
 * checked here: the CLI prints a hostile server's strange fields, escaped.)
 */
function hasPayload(value: object): string | undefined {
  const payload = (value as { payload?: unknown }).payload;
  if (!Array.isArray(payload)) return "answer has no payload array of messages";
  const odd = payload.findIndex((message: unknown) => typeof message !== "object" || message === null || Array.isArray(message));
  return odd < 0 ? undefined : `answer's payload[${odd}] is not a message object`;
}

/** Files (not signed ids of uploads already made) make a create multipart. */
function hasFiles(body: CreateMessageBody): boolean {
  return body.attachments?.some((attachment) => typeof attachment !== "string") ?? false;
}

/** The path parameters of one message, checked. */
function messageParams(conversationId: unknown, messageId: unknown) {
  return { conversation_id: validateId("conversationId", conversationId), message_id: validateId("messageId", messageId) };
}
