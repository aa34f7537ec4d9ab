/**
 * The mark this package puts on every message it posts: a namespaced key in `content_attributes`,
 * which current Chatwoot servers store and return, in the REST list and in webhooks, and which the
 * contact never sees. Its value is the create's idempotency key, or `true` when there is none.
 * Never `source_id`: on every channel but API inboxes a `source_id` on an outgoing message means
 * "came from the channel", and the message is never delivered.
 */
const MARKER = "chatwoot_messages_key";

type Attributes = Record<string, unknown>;

export interface MarkerWatch {
  /** Looks at a create's answer: a server that drops the marker makes every later outcome unknowable. */
  check(message: { content_attributes?: unknown }, key: string | undefined): void;
  /** Whether a create's answer has come back without its marker. */
  dropped(): boolean;
}

/** Watches every create's answer for the marker it was sent with, and warns once when it is missing. */
export function watchMarkers(logger: { warn?(message: string): void } | undefined): MarkerWatch {
  let dropped = false;
  return {
    check(message, key) {
      if (dropped || markOf(message) === (key ?? true)) return;
      dropped = true;
      logger?.warn?.(`this Chatwoot server dropped the ${MARKER} content attribute: idempotent creates and the echo guard cannot work with it`);
    },
    dropped: () => dropped,
  };
}

/** `content_attributes` with the mark added, in the form it came in (an object, or a JSON string as multipart sends it). */
export function withMarker(attributes: unknown, key: string | undefined): Attributes | string {
  const value = key ?? true;
  if (typeof attributes === "string") return JSON.stringify({ ...parseObject(attributes), [MARKER]: value });
  return { ...((attributes ?? {}) as Attributes), [MARKER]: value };
}

/** The mark a message carries: its key, `true`, or undefined for a message this package did not post. */
export function markOf(message: { content_attributes?: unknown } | null | undefined): string | true | undefined {
  const attributes = message?.content_attributes;
  if (typeof attributes !== "object" || attributes === null) return undefined;
  const value = (attributes as Attributes)[MARKER];
  return typeof value === "string" || value === true ? value : undefined;
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
