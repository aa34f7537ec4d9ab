/**
 * One contact session's resources: its contact, conversations and messages. The session's
 * source_id is the credential of every call: it lives in this closure only (never on an object
 * that could be logged or serialized) and goes to the core as a secret of each operation, so that
 * no error or log line shows it.
 */
import { retryCreate, retryIdempotent } from "../core/retry.js";
import type { CallOptions, Send } from "../core/send.js";
import { validateId, validateTransportOptions } from "../core/validate.js";
import type { Answer, ClientConversation, ClientMessage, CreateContactMessageBody, CreateConversationRequest, UpdateContactMessageRequest, UpdateContactRequest, paths } from "../types.js";
import { randomUuid } from "./ids.js";
import {
  validateBefore, validateContactBody, validateConversationBody, validateIdentityQuery, validateMessageBody, validateMessageUpdate,
  validateSourceId, validateTypingStatus,
} from "./validate.js";

export const CONTACT = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{source_id}" satisfies keyof paths;
const CONVERSATIONS = `${CONTACT}/conversations` as const satisfies keyof paths;
const CONVERSATION = `${CONVERSATIONS}/{conversation_id}` as const satisfies keyof paths;
const TOGGLE_STATUS = `${CONVERSATION}/toggle_status` as const satisfies keyof paths;
const TOGGLE_TYPING = `${CONVERSATION}/toggle_typing` as const satisfies keyof paths;
const UPDATE_LAST_SEEN = `${CONVERSATION}/update_last_seen` as const satisfies keyof paths;
const MESSAGES = `${CONVERSATION}/messages` as const satisfies keyof paths;
const MESSAGE = `${MESSAGES}/{message_id}` as const satisfies keyof paths;

export interface CreateCallOptions extends CallOptions {
  /** Also retry this create after a timeout, a 5xx or a broken connection: the message may then be posted twice. */
  unsafeRetries?: boolean;
}

/** A contact's message as the server stored it, with the echo_id it was sent with (the server's answer leaves it out). */
export type SentMessage = Answer<typeof MESSAGES, "post"> & { echo_id: string | number };

export interface ContactSession {
  readonly contact: {
    /** The session and its contact. With `identifier` and a valid `identifier_hash` the session becomes verified. */
    get(query?: { identifier?: string; identifier_hash?: string }, options?: CallOptions): Promise<Answer<typeof CONTACT, "get">>;
    /** Updates the contact; resolves with the whole contact record (no source_id or pubsub_token). */
    update(body: UpdateContactRequest, options?: CallOptions): Promise<Answer<typeof CONTACT, "patch">>;
  };
  readonly conversations: {
    /** Every conversation of the session, unordered, each with all its messages. */
    list(options?: CallOptions): Promise<Answer<typeof CONVERSATIONS, "get">>;
    /** Starts a conversation (not retried where it may have been created). */
    create(body?: CreateConversationRequest, options?: CallOptions): Promise<Answer<typeof CONVERSATIONS, "post">>;
    get(conversationId: number | string, options?: CallOptions): Promise<Answer<typeof CONVERSATION, "get">>;
    /** Resolves the conversation (`toggle_status` only resolves; a new message reopens it). */
    resolve(conversationId: number | string, options?: CallOptions): Promise<Answer<typeof TOGGLE_STATUS, "post">>;
    /** Shows ("on") or hides ("off") the contact's typing indicator to the agents. */
    toggleTyping(conversationId: number | string, status: "on" | "off", options?: CallOptions): Promise<void>;
    /** Marks the conversation seen by the contact now (the agents' messages become read). */
    updateLastSeen(conversationId: number | string, options?: CallOptions): Promise<void>;
  };
  readonly messages: {
    /** One page of at most 20, oldest first: the newest, or those before the message id `before`. */
    list(conversationId: number | string, query?: { before?: number | string }, options?: CallOptions): Promise<Answer<typeof MESSAGES, "get">>;
    /**
     * `list` for one conversation as a function of `{ before, signal }`: the shape of realtime's
     * `listMessages`, so `connectRealtime({ ..., conversationId, listMessages: session.messages.pager(conversationId) })`
     * resyncs through this client (its timeouts, retries and redaction).
     */
    pager(conversationId: number | string, options?: Omit<CallOptions, "signal">): (query: { before?: number; signal?: AbortSignal }) => Promise<ClientMessage[]>;
    /**
     * Sends a message as the contact; files in `attachments` make it multipart. Resolves with the
     * message and its `echo_id` (yours, or one made up), which the realtime `message.created` event
     * carries back. Not retried where it may have been posted, unless `unsafeRetries`.
     */
    create(conversationId: number | string, body: CreateContactMessageBody, options?: CreateCallOptions): Promise<SentMessage>;
    /** Answers an interactive message (`submitted_values`: an input_select choice, a form, a CSAT rating). */
    update(conversationId: number | string, messageId: number | string, body: UpdateContactMessageRequest, options?: CallOptions): Promise<Answer<typeof MESSAGE, "patch">>;
  };
}

export function createSession(send: Send, sourceId: unknown, unsafeRetries: boolean): ContactSession {
  const source_id = validateSourceId("sourceId", sourceId);
  const secrets = [source_id];
  const conversation = (conversationId: unknown) => ({ source_id, conversation_id: validateId("conversationId", conversationId) });

  const listMessages: ContactSession["messages"]["list"] = async (conversationId, query, options) => {
    const params = conversation(conversationId);
    const before = validateBefore(query);
    return send({ method: "GET", path: MESSAGES, params, query: before === undefined ? undefined : { before }, secrets, policy: retryIdempotent, check: isArray }, options);
  };

  return Object.freeze({
    contact: Object.freeze({
      async get(query, options) {
        const q = validateIdentityQuery(query);
        const hidden = q?.identifier_hash ? [...secrets, q.identifier_hash] : secrets;
        return send({ method: "GET", path: CONTACT, params: { source_id }, query: q, secrets: hidden, policy: retryIdempotent, check: isSession }, options);
      },
      async update(body, options) {
        const b = validateContactBody(body, false);
        const hidden = typeof b.identifier_hash === "string" ? [...secrets, b.identifier_hash] : secrets;
        return send({ method: "PATCH", path: CONTACT, params: { source_id }, body: b, secrets: hidden, policy: retryIdempotent }, options);
      },
    } satisfies ContactSession["contact"]),

    conversations: Object.freeze({
      async list(options) {
        return send({ method: "GET", path: CONVERSATIONS, params: { source_id }, secrets, policy: retryIdempotent, check: isArray }, options);
      },
      async create(body, options) {
        validateConversationBody(body);
        return send({ method: "POST", path: CONVERSATIONS, params: { source_id }, body: body ?? {}, secrets, policy: retryCreate }, options);
      },
      async get(conversationId, options) {
        return send<ClientConversation>({ method: "GET", path: CONVERSATION, params: conversation(conversationId), secrets, policy: retryIdempotent }, options);
      },
      async resolve(conversationId, options) {
        // Resolving a resolved conversation answers it unchanged: safe to repeat.
        return send({ method: "POST", path: TOGGLE_STATUS, params: conversation(conversationId), secrets, policy: retryIdempotent }, options);
      },
      async toggleTyping(conversationId, status, options) {
        const params = conversation(conversationId);
        validateTypingStatus(status);
        await send({ method: "POST", path: TOGGLE_TYPING, params, body: { typing_status: status }, secrets, policy: retryIdempotent, emptyAnswer: {} }, options);
      },
      async updateLastSeen(conversationId, options) {
        await send({ method: "POST", path: UPDATE_LAST_SEEN, params: conversation(conversationId), secrets, policy: retryIdempotent, emptyAnswer: {} }, options);
      },
    } satisfies ContactSession["conversations"]),

    messages: Object.freeze({
      list: listMessages,
      pager(conversationId, options) {
        // Checked now, not at the first resync: a bad id is the caller's mistake, reported where it was made.
        const id = conversation(conversationId).conversation_id;
        validateTransportOptions(options ?? {});
        return ({ before, signal } = {}) => listMessages(id, before === undefined ? undefined : { before }, { ...options, ...(signal ? { signal } : {}) });
      },
      async create(conversationId, body, options) {
        const params = conversation(conversationId);
        validateMessageBody(body);
        validateTransportOptions(options ?? {});
        const echo_id = body.echo_id ?? randomUuid();
        const unsafe = options?.unsafeRetries ?? unsafeRetries;
        // No files, no attachments key: the JSON form of this operation has none.
        const { attachments, ...fields } = body;
        const multipart = (attachments?.length ?? 0) > 0;
        const message = await send<ClientMessage>({
          method: "POST", path: MESSAGES, params, body: multipart ? { ...fields, echo_id, attachments } : { ...fields, echo_id },
          multipart, secrets, policy: unsafe ? retryIdempotent : retryCreate,
        }, options);
        return { ...message, echo_id };
      },
      async update(conversationId, messageId, body, options) {
        const params = { ...conversation(conversationId), message_id: validateId("messageId", messageId) };
        validateMessageUpdate(body);
        return send({ method: "PATCH", path: MESSAGE, params, body, secrets, policy: retryIdempotent }, options);
      },
    } satisfies ContactSession["messages"]),
  });
}

/** A session answer must carry both credentials: a contact without them is unusable, never silently so. */
export function isSession(value: object): string | undefined {
  const { source_id, pubsub_token } = value as { source_id?: unknown; pubsub_token?: unknown };
  return typeof source_id === "string" && typeof pubsub_token === "string" ? undefined : "answer has no source_id and pubsub_token";
}

/** Lists are bare arrays: anything else is an InvalidResponseError, never an empty list. */
function isArray(value: object): string | undefined {
  return Array.isArray(value) ? undefined : "answer is not a list";
}
