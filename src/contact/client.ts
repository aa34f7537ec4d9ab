/**
 * The Client API's client (the contact's side of an API channel inbox): checks the options once,
 * builds the request core's sender without a token (the inbox identifier and the session's
 * source_id in the path are the credentials), and hands it to the inbox, contacts and session
 * resources.
 */
import { DEFAULT_BACKOFF, retryIdempotent, type Backoff } from "../core/retry.js";
import type { Logger } from "../core/logging.js";
import { GENERAL_PATH, createSender, type CallOptions } from "../core/send.js";
import { checkEndpoint, type EndpointOptions } from "../core/transport.js";
import { validateBackoff, validateTransportOptions } from "../core/validate.js";
import { ValidationError } from "../core/errors.js";
import type { Answer, CreateContactRequest, paths } from "../types.js";
import { randomUuid } from "./ids.js";
import { createSession, isSession, type ContactSession } from "./session.js";
import { validateContactBody, validateInboxIdentifier } from "./validate.js";

const INBOX = "/public/api/v1/inboxes/{inbox_identifier}" satisfies keyof paths;
const CONTACTS = `${INBOX}/contacts` as const satisfies keyof paths;

export interface ContactClientOptions extends EndpointOptions {
  /** The API channel inbox's identifier (Settings → Inboxes → the inbox → Configuration). */
  inboxIdentifier: string;
  /** Per attempt, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2; 0 turns retries off. */
  maxRetries?: number;
  /** Also retry message creates after a timeout, a 5xx or a broken connection. The message may then be posted twice. */
  unsafeRetries?: boolean;
  backoff?: Partial<Backoff>;
  /** Off unless given: a line per attempt, the source_id in its path shown as [redacted]. */
  logger?: Logger;
}

export interface ContactClient {
  readonly inbox: {
    /** The inbox's name, working hours and whether identity validation is on. */
    get(options?: CallOptions): Promise<Answer<typeof INBOX, "get">>;
  };
  readonly contacts: {
    /**
     * Creates a contact session and resolves with its `source_id` and `pubsub_token` (keep both
     * secret) and the contact. Without a `source_id` in the body one is made up (a UUID, as the
     * server would), so that a retry after an ambiguous failure finds this session instead of making
     * a second one.
     */
    create(body?: CreateContactRequest, options?: CallOptions): Promise<Answer<typeof CONTACTS, "post">>;
  };
  /** The resources of one session, by its source_id (from `contacts.create`, or kept from an earlier visit). */
  session(sourceId: string): ContactSession;
}

export type { ContactSession };

export function createContactClient(options: ContactClientOptions): ContactClient {
  const { baseUrl, origin } = checkEndpoint(options, "the contact's source_id");
  const inbox_identifier = validateInboxIdentifier(options.inboxIdentifier);
  validateTransportOptions(options);
  if (options.unsafeRetries !== undefined && typeof options.unsafeRetries !== "boolean") {
    throw new ValidationError("options.unsafeRetries", "must be true or false");
  }
  const userFetch = options.fetch;
  const generalPath = Boolean(userFetch || options.middleware?.length || (options as { [GENERAL_PATH]?: boolean })[GENERAL_PATH]);
  const send = createSender<CallOptions>({
    connection: { baseUrl, allowInsecureHttp: options.allowInsecureHttp === true, ...(userFetch ? { fetch: userFetch } : {}), middleware: [...(options.middleware ?? [])] },
    origin,
    secrets: [],
    generalPath,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
    backoff: { ...DEFAULT_BACKOFF, ...validateBackoff(options.backoff) },
    logger: options.logger,
    pathParams: () => ({ inbox_identifier }),
  });
  const unsafeRetries = options.unsafeRetries === true;

  const client: ContactClient = {
    inbox: Object.freeze({
      async get(call) {
        return send({ method: "GET", path: INBOX, params: {}, policy: retryIdempotent }, call);
      },
    }),
    contacts: Object.freeze({
      async create(body, call) {
        const given = validateContactBody(body, true);
        const source_id = (given.source_id as string | undefined) ?? randomUuid();
        const sent = { ...given, source_id };
        const secrets = typeof given.identifier_hash === "string" ? [source_id, given.identifier_hash] : [source_id];
        // The same source_id twice finds the session the first made: safe to retry like a read.
        return send({ method: "POST", path: CONTACTS, params: {}, body: sent, secrets, policy: retryIdempotent, check: isSession }, call);
      },
    }),
    session: (sourceId) => createSession(send, sourceId, unsafeRetries),
  };
  return Object.freeze(client);
}
