/**
 * The mark this package puts on every message it posts: two namespaced keys in
 * `content_attributes`, which current Chatwoot servers store and return, in the REST list and in
 * webhooks, and which the contact never sees.
 *
 * - `chatwoot_messages_key`: the create's idempotency key, or `true` when there is none (as
 *   before 0.3, so that older echo guards still recognise the message);
 * - `chatwoot_messages_by`: who posted it, the client's `botId`, so that two bots on one inbox
 *   tell their messages apart. A message marked by an older version has no `by`: it counts as
 *   the default bot's.
 *
 * Never `source_id`: on every channel but API inboxes a `source_id` on an outgoing message means
 * "came from the channel", and the message is never delivered.
 */
const KEY = "chatwoot_messages_key";
const BY = "chatwoot_messages_by";

/** Who posted a message, when the client is not told: also who posted a message marked before `by` existed. */
export const DEFAULT_BOT_ID = "chatwoot-messages";

type Attributes = Record<string, unknown>;

export interface Mark {
  key: string | true;
  by: string;
}

export interface MarkerWatch {
  /** Looks at a create's answer: a server that drops the marker is warned about (once). */
  check(message: { content_attributes?: unknown }, key: string | undefined, by: string): void;
  /** Evidence from elsewhere (a list) that the marker was dropped: warned about (once). */
  saw(): void;
}

/**
 * Watches every create's answer for the marker it was sent with, and warns once when it is missing.
 * It remembers only that it has warned: no outcome depends on it (an ambiguous create on such a
 * server is found out by its looks, as in a fresh process).
 */
export function watchMarkers(logger: { warn?(message: string): void } | undefined): MarkerWatch {
  let warned = false;
  const saw = () => {
    if (warned) return;
    warned = true;
    logger?.warn?.(`this Chatwoot server dropped the ${KEY} content attribute: idempotent creates and the echo guard cannot work with it`);
  };
  return {
    check(message, key, by) {
      const mark = markOf(message);
      if (!mark || mark.key !== (key ?? true) || mark.by !== by) saw();
    },
    saw,
  };
}

/** `content_attributes` with the mark added, in the form it came in (an object, or a JSON string as multipart sends it). */
export function withMarker(attributes: unknown, key: string | undefined, by: string): Attributes | string {
  const mark = { [KEY]: key ?? true, [BY]: by };
  if (typeof attributes === "string") return JSON.stringify({ ...parseObject(attributes), ...mark });
  return { ...((attributes ?? {}) as Attributes), ...mark };
}

/** The mark a message carries, or undefined for a message this package did not post. */
export function markOf(message: { content_attributes?: unknown } | null | undefined): Mark | undefined {
  const attributes = message?.content_attributes;
  if (typeof attributes !== "object" || attributes === null) return undefined;
  const key = (attributes as Attributes)[KEY];
  if (typeof key !== "string" && key !== true) return undefined;
  const by = (attributes as Attributes)[BY];
  return { key, by: typeof by === "string" ? by : DEFAULT_BOT_ID };
}

/** Whether `message` is the one posted with this key by this bot. */
export function carries(message: { content_attributes?: unknown }, key: string, by: string): boolean {
  const mark = markOf(message);
  return mark !== undefined && mark.key === key && mark.by === by;
}

/** `content_attributes` as the server reads them (an object; a JSON string parsed), without the mark. */
export function unmarked(attributes: unknown): Attributes {
  const object = typeof attributes === "string" ? parseObject(attributes) : attributes;
  if (typeof object !== "object" || object === null || Array.isArray(object)) return {};
  const { [KEY]: _key, [BY]: _by, ...rest } = object as Attributes;
  return rest;
}

/** The server reads a JSON string that is not an object as `{}`; so do we. */
function parseObject(text: string): Attributes {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Attributes) : {};
  } catch {
    return {};
  }
}
