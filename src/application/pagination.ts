/**
 * Walks a conversation from its newest page back to its first message. Pages come oldest first
 * and hold the 20 messages below the cursor; the next cursor is the smallest id seen. Only ids
 * below the cursor are yielded, so each message comes once and a server that ignored the cursor
 * cannot make the walk loop.
 */
import type { ListMessagesQuery, Message, MessageList } from "../types.js";
import { throwIfAborted } from "../core/timeout.js";

export type IterateQuery = Pick<ListMessagesQuery, "before" | "filter_internal_messages">;

export async function* walkBack(
  list: (query: ListMessagesQuery) => Promise<MessageList>,
  query: IterateQuery,
  signal: AbortSignal | undefined,
): AsyncGenerator<Message, void, undefined> {
  let before = query.before;
  for (;;) {
    throwIfAborted(signal);
    const page = await list({ ...query, before });
    const fresh = page.payload.filter((message) => before === undefined || message.id < before);
    if (fresh.length === 0) return;
    fresh.sort((a, b) => b.id - a.id);
    for (const message of fresh) {
      yield message;
      throwIfAborted(signal);
    }
    before = fresh[fresh.length - 1]!.id;
  }
}
