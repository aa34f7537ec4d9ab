/**
 * What the Client API's resources check before sending: the inbox identifier and the session's
 * source_id (path segments that are credentials), and the bodies the server reads. Each failure is
 * a ValidationError naming the parameter; nothing is sent. A message never quotes a source_id,
 * an identifier_hash or an inbox identifier: they are credentials.
 */
import { ValidationError } from "../core/errors.js";
import { codePoints, oneOf, requireObject, show, validateAttachments } from "../core/validate.js";

const MAX_CONTENT = 150_000;

/** The inbox's identifier: a token of letters and digits (has_secure_token), a path segment. */
export function validateInboxIdentifier(value: unknown): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]{1,255}$/.test(value)) {
    throw new ValidationError("inboxIdentifier", `must be the API inbox's identifier, letters and digits (Settings → Inboxes → Configuration), got ${typeof value === "string" ? `a string of ${value.length} characters` : show(value)}`);
  }
  return value;
}

/**
 * A session's source_id: any text the server stored, but a path segment cannot hold "/" or "." (the
 * route would not reach the session), and control characters are a copy-paste accident.
 */
export function validateSourceId(parameter: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new ValidationError(parameter, `must be the session's source_id (a non-empty string), got ${typeof value === "string" ? "an empty string" : show(value)}`);
  if (/[/.]/.test(value)) throw new ValidationError(parameter, "must not contain \"/\" or \".\": no route of the Client API can reach such a session");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new ValidationError(parameter, "must not contain control characters (a line break?)");
  return value;
}

const CONTACT_FIELDS = ["identifier", "identifier_hash", "name", "email", "phone_number", "avatar_url"] as const;

/** A contact create or update body: the fields the server permits, typed; `source_id` on create only. */
export function validateContactBody(body: unknown, create: boolean): Record<string, unknown> {
  if (body === undefined) return {};
  const b = requireObject("body", body);
  for (const field of CONTACT_FIELDS) {
    if (b[field] !== undefined && typeof b[field] !== "string") throw new ValidationError(`body.${field}`, `must be a string, got ${show(b[field])}`);
  }
  if (b.custom_attributes !== undefined) requireObject("body.custom_attributes", b.custom_attributes);
  if (b.source_id !== undefined) {
    if (!create) throw new ValidationError("body.source_id", "cannot be changed: it names the session");
    validateSourceId("body.source_id", b.source_id);
  }
  validateIdentity(b, "body");
  return b;
}

/**
 * identifier_hash: the server compares it with `==` to the lowercase hex HMAC of `identifier`, and
 * answers anything else with a 500 that says nothing; it is checked here so the error says why.
 */
export function validateIdentity(given: { identifier?: unknown; identifier_hash?: unknown }, prefix: string): void {
  const { identifier, identifier_hash: hash } = given;
  if (hash === undefined) return;
  if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) {
    throw new ValidationError(`${prefix}.identifier_hash`, "must be 64 lowercase hex characters, as identifierHash(identifier, hmacToken) gives (the server answers any other value with a 500)");
  }
  if (typeof identifier !== "string" || identifier === "") {
    throw new ValidationError(`${prefix}.identifier`, "is required with identifier_hash: the hash is of the identifier");
  }
}

/** getContact's query: identifier and identifier_hash, for identity validation. */
export function validateIdentityQuery(query: unknown): Record<string, string> | undefined {
  if (query === undefined) return undefined;
  const q = requireObject("query", query);
  const extra = Object.keys(q).filter((key) => key !== "identifier" && key !== "identifier_hash");
  if (extra.length) throw new ValidationError("query", `takes only identifier and identifier_hash, got ${extra.join(", ")}`);
  if (q.identifier !== undefined && typeof q.identifier !== "string") throw new ValidationError("query.identifier", `must be a string, got ${show(q.identifier)}`);
  validateIdentity(q, "query");
  return q as Record<string, string>;
}

/** custom_attributes of a new conversation: what the server's JsonbAttributesLengthValidator refuses with 422. */
export function validateConversationBody(body: unknown): void {
  if (body === undefined) return;
  const b = requireObject("body", body);
  if (b.custom_attributes === undefined) return;
  for (const [key, value] of Object.entries(requireObject("body.custom_attributes", b.custom_attributes))) {
    const at = `body.custom_attributes.${key}`;
    if (typeof value === "string" && codePoints(value) > 1500) throw new ValidationError(at, `is ${codePoints(value)} characters long; the server refuses more than 1500`);
    if (typeof value === "number" && Number.isInteger(value) && value > 9_999_999_999) throw new ValidationError(at, "is above 9999999999, which the server refuses");
  }
}

const MESSAGE_KEYS = ["content", "echo_id", "attachments"];

/**
 * A contact's message: content, echo_id and files. Other keys are refused rather than sent: the
 * server would drop them silently (a contact's message is always incoming, never private).
 */
export function validateMessageBody(body: unknown): void {
  const b = requireObject("body", body);
  const extra = Object.keys(b).filter((key) => !MESSAGE_KEYS.includes(key) && b[key] !== undefined);
  if (extra.length) {
    throw new ValidationError("body", `has keys the Client API does not read: ${extra.join(", ")} (it reads ${MESSAGE_KEYS.join(", ")}; a contact's message is always incoming)`);
  }
  if (b.content !== undefined) {
    if (typeof b.content !== "string") throw new ValidationError("body.content", `must be a string, got ${show(b.content)}`);
    const length = codePoints(b.content);
    if (length > MAX_CONTENT) throw new ValidationError("body.content", `is ${length} characters long; the server refuses more than ${MAX_CONTENT}`);
  }
  validateEchoId(b.echo_id);
  if (b.attachments !== undefined) validateAttachments(b.attachments, false);
}

function validateEchoId(echoId: unknown): void {
  if (echoId === undefined) return;
  if ((typeof echoId === "string" && echoId !== "" && echoId.length <= 255) || (typeof echoId === "number" && Number.isSafeInteger(echoId))) return;
  throw new ValidationError("body.echo_id", `must be a non-empty string (at most 255 characters) or an integer, got ${show(echoId)}`);
}

/** messages.list: `before`, a message id (the only cursor the Client API has). */
export function validateBefore(query: unknown): number | undefined {
  if (query === undefined) return undefined;
  const q = requireObject("query", query);
  const extra = Object.keys(q).filter((key) => key !== "before" && q[key] !== undefined);
  if (extra.length) throw new ValidationError("query", `takes only before (the Client API has no other cursor), got ${extra.join(", ")}`);
  if (q.before === undefined) return undefined;
  if (!(Number.isSafeInteger(q.before) && (q.before as number) > 0) && !(typeof q.before === "string" && /^[1-9][0-9]*$/.test(q.before))) {
    throw new ValidationError("query.before", `must be a message id (a positive integer), got ${show(q.before)}`);
  }
  return Number(q.before);
}

export function validateTypingStatus(status: unknown): void {
  if (status === undefined) throw new ValidationError("status", "is required: \"on\" or \"off\"");
  oneOf("status", status, ["on", "off"]);
}

/** submitted_values: an array of {name, title, value}, or {csat_survey_response}. */
export function validateMessageUpdate(body: unknown): void {
  const b = requireObject("body", body);
  const values = b.submitted_values;
  if (values === undefined) throw new ValidationError("body.submitted_values", "is required: it is all the server reads");
  if (Array.isArray(values)) {
    values.forEach((value, index) => requireObject(`body.submitted_values[${index}]`, value));
    return;
  }
  requireObject("body.submitted_values", values);
}
