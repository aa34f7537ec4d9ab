/**
 * What the CLI prints. Message content, names and error texts come from customers and servers:
 * an ANSI or OSC escape sequence in them must not drive the operator's terminal, so control
 * characters (C0, DEL, C1 such as the 8-bit CSI \x9b), line separators and bidi overrides are
 * printed escaped.
 */
import { ApiError, ChatwootError } from "../core/errors.js";

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify leaves raw inside strings (it escapes C0 itself; its own newlines are layout).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One line of text, safe for a terminal. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => NAMED[char] ?? unicodeEscape(char));
}

/** Lines of text, each safe for a terminal: the newlines between them stay (parseArgs' messages have some). */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}

/** JSON for a terminal: JSON.stringify escapes C0 controls but not C1, line separators or bidi overrides. */
export function printableJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, unicodeEscape);
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** One readable line for a failure; ChatwootError messages never carry the token. */
export function errorLine(error: unknown): string {
  if (error instanceof ApiError) return printable(`error: ${error.message}${error.requestId ? ` (request id ${error.requestId})` : ""}`);
  if (error instanceof ChatwootError) return printable(`error: ${error.name}: ${error.message}`);
  return printable(`error: ${(error as Error | null)?.message ?? String(error)}`);
}

/** A URL for messages: without its userinfo, so that a password in it is never printed. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.href;
  } catch {
    // Unparsable: it may still hold "user:password@"; say nothing of it.
    return "the base URL";
  }
}

/** The URL of an HTTP server listening on `host`: an IPv6 address goes in brackets. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * Writes `text` and resolves once it is written. A reader that has gone away (`| head -1`)
 * rejects it: whatever waits for this counts nothing as printed that was not.
 */
export function printed(stream: Io["out"], text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}

/** What a shell reports for a program stopped by a closed pipe (128 + SIGPIPE). */
export const CLOSED_PIPE_EXIT = 141;

/** Where a command writes. */
export interface Io {
  out: { write(text: string, callback?: (error?: Error | null) => void): unknown };
  err: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}
