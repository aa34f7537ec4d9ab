/**
 * Whether a listed message is what a create sent, its marker aside: how a look recognises our own
 * message on a server that dropped the marker. Every field the create sent is compared (type,
 * privacy, content type, content, content attributes, number of attachments), so a message without
 * text (cards, attachments only) is recognised as surely as one with it. Content attributes agree
 * when every key both carry is deep-equal: a server that drops the marker keeps only the keys it
 * knows (up to early 2025: `items`, `in_reply_to`) and may add its own (`email`), so demanding the
 * same keys would miss our message, and a miss is what posts twice; a needless match only makes the
 * outcome unknown.
 */
import { unmarked } from "./marker.js";
import type { Message } from "../types.js";

/** What a keyed create sent, as the REST list answers it. */
export interface SentShape {
  content: string | null;
  /** The REST list's integer message_type. */
  messageType: number;
  private: boolean;
  contentType: string;
  /** The content attributes sent, without the marker. */
  attributes: Record<string, unknown>;
  attachments: number;
}

export function sameShape(message: Message, sent: SentShape): boolean {
  return (
    message.message_type === sent.messageType &&
    (message.private ?? false) === sent.private &&
    (message.content_type ?? "text") === sent.contentType &&
    (message.content ?? null) === sent.content &&
    (message.attachments?.length ?? 0) === sent.attachments && // absent when there are none
    agree(unmarked(message.content_attributes), sent.attributes)
  );
}

function agree(stored: Record<string, unknown>, sent: Record<string, unknown>): boolean {
  return Object.keys(stored).every((key) => !(key in sent) || deepEqual(stored[key], sent[key]));
}

/** JSON values: what both sides of a content attribute are. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => key in b && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
