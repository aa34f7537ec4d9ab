/**
 * The checks every API family makes before anything is sent: ids, the options of a client or a
 * call, and the small helpers that name what is wrong. Each failure is a ValidationError that
 * names the parameter; the request is never built.
 */
import { ValidationError } from "./errors.js";

export const MAX_TIMEOUT_MS = 2_147_483_647; // setTimeout's limit
const MAX_RETRIES = 10;

/** Account, conversation and message ids: positive safe integers, or strings of digits. */
export function validateId(parameter: string, value: unknown): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === "string" && /^[0-9]+$/.test(value)) {
    const id = Number(value);
    if (Number.isSafeInteger(id) && id > 0) return id;
  }
  throw new ValidationError(parameter, `must be a positive integer or a string of digits, got ${show(value)}`);
}

export interface CallOptionsInput {
  maxConcurrentWrites?: unknown;
  signal?: unknown;
  timeoutMs?: unknown;
  maxRetries?: unknown;
}

/** timeoutMs, maxRetries and signal, whether given to the client or to one call. */
export function validateTransportOptions(options: CallOptionsInput, prefix = "options"): void {
  const { timeoutMs, maxRetries, signal } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new ValidationError(`${prefix}.timeoutMs`, `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${show(timeoutMs)}`);
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && (maxRetries as number) >= 0 && (maxRetries as number) <= MAX_RETRIES)) {
    throw new ValidationError(`${prefix}.maxRetries`, `must be a whole number from 0 to ${MAX_RETRIES}, got ${show(maxRetries)}`);
  }
  const { maxConcurrentWrites } = options;
  if (maxConcurrentWrites !== undefined && !(Number.isInteger(maxConcurrentWrites) && (maxConcurrentWrites as number) >= 1)) {
    throw new ValidationError(`${prefix}.maxConcurrentWrites`, `must be a whole number of 1 or more, got ${show(maxConcurrentWrites)}`);
  }
  if (signal !== undefined && !(typeof AbortSignal !== "undefined" && signal instanceof AbortSignal)) {
    throw new ValidationError(`${prefix}.signal`, "must be an AbortSignal");
  }
}

/** A duration option: a number of milliseconds from `min` to setTimeout's limit (a `NaN` from `Number(process.env.X)` is refused). */
export function validateMs(parameter: string, value: unknown, min = 0): number {
  if (typeof value === "number" && value >= min && value <= MAX_TIMEOUT_MS) return value;
  throw new ValidationError(parameter, `must be a number of milliseconds from ${min} to ${MAX_TIMEOUT_MS}, got ${show(value)}`);
}

/** `backoff`: each delay given must be a number of milliseconds (a `NaN` from `Number(process.env.X)` is refused). */
export function validateBackoff(backoff: unknown): Record<string, number> {
  if (backoff === undefined) return {};
  const given = requireObject("options.backoff", backoff);
  for (const name of ["initialMs", "maxMs", "maxRetryAfterMs"]) {
    const value = given[name];
    if (value !== undefined) validateMs(`options.backoff.${name}`, value);
  }
  return given as Record<string, number>;
}

export function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

export function requireObject(parameter: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(parameter, `must be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

export function oneOf(parameter: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw new ValidationError(parameter, `must be one of ${allowed.join(", ")}, got ${show(value)}`);
  }
}

/** Ruby (and the spec's maxLength) count characters, not UTF-16 code units. */
export function codePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const high = text.charCodeAt(i);
    const low = text.charCodeAt(i + 1);
    if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
      pairs++;
      i++;
    }
  }
  return text.length - pairs;
}

export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/**
 * `body.attachments`: files (a Blob, or `{ data, filename, contentType? }`), and where the API
 * takes them, strings (signed ids of direct uploads).
 */
export function validateAttachments(attachments: unknown, signedIds: boolean): void {
  if (!Array.isArray(attachments)) throw new ValidationError("body.attachments", "must be an array");
  attachments.forEach((attachment, index) => {
    const at = `body.attachments[${index}]`;
    if (isBlob(attachment)) return;
    if (typeof attachment === "string") {
      if (signedIds) return;
      throw new ValidationError(at, "must be a file (a Blob, or { data, filename }): this API takes no signed ids of uploads");
    }
    const { data, filename, contentType } = requireObject(at, attachment);
    if (!(data instanceof Uint8Array || data instanceof ArrayBuffer || isBlob(data))) {
      throw new ValidationError(`${at}.data`, "must be a Uint8Array, an ArrayBuffer or a Blob");
    }
    if (typeof filename !== "string" || filename.trim() === "") {
      throw new ValidationError(`${at}.filename`, "must be a non-empty string");
    }
    if (contentType !== undefined && typeof contentType !== "string") {
      throw new ValidationError(`${at}.contentType`, "must be a MIME type string");
    }
  });
}
