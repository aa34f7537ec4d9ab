/**
 * The Application API's checks of message bodies, list queries and its client's own options,
 * made before anything is sent (the checks every family shares are in core/validate.ts). Each
 * failure is a ValidationError that names the parameter. The lists below are runtime copies of enums and
 * allow-lists in the spec, and the `_InSync` assertions make the compiler fail when they drift
 * from the generated types.
 */
import type { components } from "../../generated/schema.js";
import { ValidationError } from "../core/errors.js";
import { codePoints, oneOf, requireObject, show, validateId, validateAttachments, validateMs, validateTransportOptions, type CallOptionsInput } from "../core/validate.js";

type Schemas = components["schemas"];
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

const MAX_CONTENT_LENGTH = 150_000;
const MAX_TEXT_COLUMN = 20_000; // ApplicationRecord's cap on text columns without a length validation of their own

const CONTENT_TYPES = [
  "text", "input_text", "input_textarea", "input_email", "input_select", "cards", "form", "article",
  "incoming_email", "input_csat", "integrations", "sticker", "voice_call",
] as const;
type _InSync1 = Assert<SameMembers<(typeof CONTENT_TYPES)[number], Schemas["ContentType"]>>;

const STATUSES = ["sent", "delivered", "read", "failed"] as const;
type _InSync2 = Assert<SameMembers<(typeof STATUSES)[number], Schemas["MessageStatus"]>>;

const MESSAGE_TYPES = ["outgoing", "incoming", "activity", "template"] as const;
type _InSync3 = Assert<SameMembers<(typeof MESSAGE_TYPES)[number], Extract<Schemas["RequestMessageType"], string>>>;

/** The item keys the server accepts for each structurally validated content type. */
const ITEM_KEYS = {
  input_select: ["title", "value"],
  cards: ["title", "description", "media_url", "actions"],
  form: ["name", "type", "label", "placeholder", "title", "default", "required", "pattern", "pattern_error", "options"],
  article: ["title", "description", "link"],
} as const;
type _InSync4 = Assert<SameMembers<(typeof ITEM_KEYS.input_select)[number], keyof Schemas["InputSelectItem"]>>;
type _InSync5 = Assert<SameMembers<(typeof ITEM_KEYS.cards)[number], keyof Schemas["CardItem"]>>;
type _InSync6 = Assert<SameMembers<(typeof ITEM_KEYS.form)[number], keyof Schemas["FormItem"]>>;
type _InSync7 = Assert<SameMembers<(typeof ITEM_KEYS.article)[number], keyof Schemas["ArticleItem"]>>;
const ACTION_KEYS = ["type", "text", "payload", "uri"] as const;
type _InSync8 = Assert<SameMembers<(typeof ACTION_KEYS)[number], keyof Schemas["CardAction"]>>;

/** A non-empty string of printable characters, at most 200 (it is stored in the message). */
export function validateIdempotencyKey(key: unknown): string {
  if (typeof key !== "string" || !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new ValidationError("options.idempotencyKey", `must be 1 to 200 printable ASCII characters without spaces, got ${show(key)}`);
  }
  return key;
}

/** The core's option checks, plus the Application API client's own `idempotencyKeys`. */
export function validateClientOptions(options: CallOptionsInput & { idempotencyKeys?: unknown }, prefix = "options"): void {
  validateTransportOptions(options, prefix);
  const { idempotencyKeys } = options;
  if (idempotencyKeys !== undefined && idempotencyKeys !== "auto" && idempotencyKeys !== "off") {
    throw new ValidationError(`${prefix}.idempotencyKeys`, `must be "auto" or "off", got ${show(idempotencyKeys)}`);
  }
}

/** `settleMs`: how long a keyed create's ambiguous failure is given to show up in the list. */
export function validateSettleMs(value: unknown): number {
  return validateMs("options.settleMs", value);
}

/** `botId`: stored in every message's marker, compared by the echo guard. */
export function validateBotId(value: unknown, parameter = "options.botId"): string {
  if (typeof value !== "string" || !/^[\x21-\x7e]{1,100}$/.test(value)) {
    throw new ValidationError(parameter, `must be 1 to 100 printable ASCII characters without spaces, got ${show(value)}`);
  }
  return value;
}

export function validateListQuery(query: unknown): void {
  const q = requireObject("query", query ?? {});
  if (q.before !== undefined) validateId("query.before", q.before);
  if (q.after !== undefined && !(Number.isSafeInteger(q.after) && (q.after as number) >= 0)) {
    throw new ValidationError("query.after", `must be a message id (a whole number of 0 or more), got ${show(q.after)}`);
  }
  if (q.filter_internal_messages !== undefined && q.filter_internal_messages !== true) {
    throw new ValidationError("query.filter_internal_messages", "must be true or left out (the server treats any value, even false, as true)");
  }
}

export function validateCreateBody(body: unknown): void {
  const b = requireObject("body", body);
  if (b.content !== undefined && b.content !== null) {
    if (typeof b.content !== "string") throw new ValidationError("body.content", `must be a string or null, got ${show(b.content)}`);
    if (b.content.length > MAX_CONTENT_LENGTH && codePoints(b.content) > MAX_CONTENT_LENGTH) {
      throw new ValidationError("body.content", `is longer than the server's limit of ${MAX_CONTENT_LENGTH} characters`);
    }
  }
  if (typeof b.message_type === "number") {
    throw new ValidationError("body.message_type", "must be a string such as \"outgoing\": the server attributes messages with an integer type to the contact");
  }
  oneOf("body.message_type", b.message_type, MESSAGE_TYPES);
  oneOf("body.content_type", b.content_type, CONTENT_TYPES);
  if (b.private !== undefined && typeof b.private !== "boolean") {
    throw new ValidationError("body.private", `must be true or false, got ${show(b.private)}`);
  }
  if (b.template_params !== undefined) {
    // The server requires the key and checks its type; a blank name is stored, and fails at delivery.
    const template = requireObject("body.template_params", b.template_params);
    if (typeof template.name !== "string") throw new ValidationError("body.template_params.name", "is required: the template's name");
  }
  if (b.source_id !== undefined && b.source_id !== null) {
    if (typeof b.source_id !== "string") throw new ValidationError("body.source_id", `must be a string or null, got ${show(b.source_id)}`);
    if (b.source_id.length > MAX_TEXT_COLUMN && codePoints(b.source_id) > MAX_TEXT_COLUMN) {
      throw new ValidationError("body.source_id", `is longer than the server's limit of ${MAX_TEXT_COLUMN} characters`);
    }
  }
  const contentType = (b.content_type ?? "text") as string;
  if (contentType in ITEM_KEYS) validateItems(contentType as keyof typeof ITEM_KEYS, b.content_attributes);
  if (b.attachments !== undefined) validateAttachments(b.attachments, true);
}

export function validateStatusBody(body: unknown): void {
  const b = requireObject("body", body);
  if (b.status === undefined) throw new ValidationError("body.status", `is required: one of ${STATUSES.join(", ")}`);
  oneOf("body.status", b.status, STATUSES);
  if (b.external_error !== undefined && typeof b.external_error !== "string") {
    throw new ValidationError("body.external_error", `must be a string, got ${show(b.external_error)}`);
  }
}

/** The server's own checks for interactive messages (its 422 "undefined method 'reject' for nil"). */
function validateItems(contentType: keyof typeof ITEM_KEYS, attributes: unknown): void {
  const where = "body.content_attributes";
  const parsed = typeof attributes === "string" ? parseJson(where, attributes) : attributes;
  const items = requireObject(where, parsed ?? {}).items;
  if (!Array.isArray(items) || items.length === 0) {
    throw new ValidationError(`${where}.items`, `must be a non-empty array for content_type "${contentType}"`);
  }
  items.forEach((item, index) => {
    const at = `${where}.items[${index}]`;
    allowedKeys(at, requireObject(at, item), ITEM_KEYS[contentType]);
    if (contentType !== "cards") return;
    const actions = (item as { actions?: unknown }).actions;
    if (!Array.isArray(actions) || actions.length === 0) {
      throw new ValidationError(`${at}.actions`, "must be a non-empty array: the server refuses a card without actions");
    }
    actions.forEach((action, n) => allowedKeys(`${at}.actions[${n}]`, requireObject(`${at}.actions[${n}]`, action), ACTION_KEYS));
  });
}

function allowedKeys(parameter: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(value).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    throw new ValidationError(parameter, `has keys the server refuses: ${extra.join(", ")} (allowed: ${allowed.join(", ")})`);
  }
}

function parseJson(parameter: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(parameter, "is a string but not valid JSON");
  }
}

