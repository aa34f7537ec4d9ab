/**
 * The Application API's client: checks the options once, builds the request core's sender for
 * its token (and the lookup token's), adds the account id to every call, and hands the senders to
 * the messages resource.
 */
import { checkToken } from "../core/auth.js";
import { createLimiter, unlimited } from "../core/concurrency.js";
import { ValidationError } from "../core/errors.js";
import { onFirstNeed } from "../core/lazy.js";
import type { Logger } from "../core/logging.js";
import { DEFAULT_BACKOFF, type Backoff } from "../core/retry.js";
import { GENERAL_PATH, createSender, type Send } from "../core/send.js";
import { checkConnection, type ConnectionOptions } from "../core/transport.js";
import { validateBackoff, validateId } from "../core/validate.js";
import { DEFAULT_BOT_ID, watchMarkers } from "./marker.js";
import { createMessages, type CallOptions, type MessagesResource } from "./messages.js";
import { validateBotId, validateClientOptions, validateSettleMs } from "./validate.js";

export interface ChatwootClientOptions extends ConnectionOptions {
  /** The account every call uses unless the call names another. */
  accountId?: number | string;
  /** Per attempt, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2; 0 turns retries off. */
  maxRetries?: number;
  /** Also retry creates after a timeout, a 5xx or a broken connection. The message may then be posted twice. */
  unsafeRetries?: boolean;
  backoff?: Partial<Backoff>;
  /** Off unless given: a line per attempt of the resource methods. Lines never include headers or bodies. */
  logger?: Logger;
  /** At most this many creates, status updates and deletes in flight; the rest wait. Default: no limit. */
  maxConcurrentWrites?: number;
  /** "auto": every create gets an idempotency key, so that an ambiguous failure is reconciled, never re-sent blindly. */
  idempotencyKeys?: "auto" | "off";
  /**
   * Who posts, in every message's marker (`content_attributes.chatwoot_messages_by`): give each bot
   * on one inbox its own, and the same to `createWebhookHandler`. Default "chatwoot-messages".
   */
  botId?: string;
  /**
   * A second token (a user's or agent's) used only to list messages when reconciling keyed creates:
   * an agent bot's own token may not list (401), which leaves an ambiguous failure unknowable.
   */
  lookupToken?: string;
  /**
   * After an ambiguous failure of a keyed create, how long the server is given to commit it: the
   * message is looked for once soon and once this long after the failure, and sent again only if
   * both looks miss it. Default 5000.
   */
  settleMs?: number;
}

export interface ChatwootClient {
  readonly messages: MessagesResource;
}

export { GENERAL_PATH } from "../core/send.js";

export function createChatwootClient(options: ChatwootClientOptions): ChatwootClient {
  const { baseUrl, origin, token, authHeader } = checkConnection(options);
  validateClientOptions(options);
  const defaultAccountId = options.accountId === undefined ? undefined : validateId("accountId", options.accountId);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  const backoff = { ...DEFAULT_BACKOFF, ...validateBackoff(options.backoff) };
  const botId = options.botId === undefined ? DEFAULT_BOT_ID : validateBotId(options.botId);
  const settleMs = options.settleMs === undefined ? 5_000 : validateSettleMs(options.settleMs);
  const lookupToken = options.lookupToken === undefined ? undefined : checkToken(options.lookupToken, "lookupToken");
  // Neither token may reach an error, whichever of them the request carried.
  const secrets = lookupToken ? [token, lookupToken] : [token];
  const userFetch = options.fetch;
  const logger = options.logger;
  const generalPath = Boolean(userFetch || options.middleware?.length || (options as { [GENERAL_PATH]?: boolean })[GENERAL_PATH]);

  const accountOf = (call: CallOptions | undefined): number => {
    const accountId = call?.accountId ?? defaultAccountId;
    if (accountId === undefined) {
      throw new ValidationError("accountId", "is required: give it to createChatwootClient or to this call");
    }
    return validateId("accountId", accountId);
  };

  const senderFor = (apiAccessToken: string): Send<CallOptions> => createSender<CallOptions>({
    connection: {
      baseUrl, apiAccessToken, authHeader, allowInsecureHttp: options.allowInsecureHttp === true,
      ...(userFetch ? { fetch: userFetch } : {}), middleware: [...(options.middleware ?? [])],
    },
    origin, secrets, generalPath, timeoutMs, maxRetries, backoff, logger,
    pathParams: (call) => ({ account_id: accountOf(call) }),
  });

  const send = senderFor(token);
  const lookup = lookupToken ? senderFor(lookupToken) : send;
  const writes = options.maxConcurrentWrites === undefined ? unlimited : createLimiter(options.maxConcurrentWrites);
  const markers = watchMarkers(logger);
  const reconciler = onFirstNeed(() => import("./idempotency.js").then(({ createReconciler }) =>
    createReconciler({ waitMs: Math.min(backoff.initialMs * 2, settleMs), settleMs, markers })), "the reconciler of idempotent creates");
  const autoKeys = options.idempotencyKeys === "auto";
  return Object.freeze({
    messages: createMessages(send, {
      unsafeRetries: options.unsafeRetries === true, writes, reconciler, markers, autoKeys, botId, maxRetries, timeoutMs, accountOf, lookup,
    }),
  });
}
