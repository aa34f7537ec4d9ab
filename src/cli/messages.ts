/** The message commands: each maps to one client method and prints a one-line summary (or --json). */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import type { ParseArgsConfig } from "node:util";
import type { ChatwootClient } from "../application/client.js";
import type { Message, MessageList, MessageStatus } from "../types.js";
import { messageId, UsageError } from "./args.js";

export interface Command {
  usage: string;
  options: ParseArgsConfig["options"];
  positionals: number;
  run(client: ChatwootClient, args: string[], values: Record<string, unknown>): Promise<unknown>;
  /** The lines to print, each a list of tab-separated cells; main escapes every cell, whatever of it came from the server. */
  summary(result: unknown): string[][];
}

export const messageCommands: Record<string, Command> = {
  send: {
    usage: "send CONVERSATION [--content TEXT] [--private] [--attach FILE]...",
    options: { content: { type: "string" }, private: { type: "boolean" }, attach: { type: "string", multiple: true } },
    positionals: 1,
    async run(client, [conversation], values) {
      const files = (values.attach as string[] | undefined) ?? [];
      if (values.content === undefined && files.length === 0) throw new UsageError("send needs --content or --attach");
      const attachments = [];
      for (const file of files) attachments.push(await readAttachment(file));
      return client.messages.create(conversation!, {
        ...(values.content !== undefined ? { content: values.content as string } : {}),
        ...(values.private ? { private: true } : {}),
        ...(attachments.length ? { attachments } : {}),
      });
    },
    summary: (message) => [[`sent message ${(message as Message).id}${(message as Message).private ? " (private note)" : ""}`]],
  },
  list: {
    usage: "list CONVERSATION [--before ID] [--after ID] [--no-internal]",
    options: { before: { type: "string" }, after: { type: "string" }, "no-internal": { type: "boolean" } },
    positionals: 1,
    run: (client, [conversation], values) =>
      client.messages.list(conversation!, {
        ...(values.before !== undefined ? { before: messageId("--before", values.before) } : {}),
        ...(values.after !== undefined ? { after: messageId("--after", values.after) } : {}),
        ...(values["no-internal"] ? { filter_internal_messages: true as const } : {}),
      }),
    summary: (page) => ((page as MessageList).payload.length ? (page as MessageList).payload.map(describe) : [["(no messages)"]]),
  },
  status: {
    usage: "status CONVERSATION MESSAGE sent|delivered|read|failed [--error TEXT]",
    options: { error: { type: "string" } },
    positionals: 3,
    run: (client, [conversation, message, status], values) =>
      client.messages.updateStatus(conversation!, message!, {
        status: status as MessageStatus,
        ...(values.error !== undefined ? { external_error: values.error as string } : {}),
      }),
    summary: (message) => [[`message ${(message as Message).id} is ${(message as Message).status ?? "unchanged"}`]],
  },
  delete: {
    usage: "delete CONVERSATION MESSAGE",
    options: {},
    positionals: 2,
    run: (client, [conversation, message]) => client.messages.delete(conversation!, message!),
    summary: (message) => [[`deleted message ${(message as Message).id}`]],
  },
  retry: {
    usage: "retry CONVERSATION MESSAGE",
    options: {},
    positionals: 2,
    run: (client, [conversation, message]) => client.messages.retry(conversation!, message!),
    summary: (message) => [[`message ${(message as Message).id} handed to its channel again (${(message as Message).status})`]],
  },
  translate: {
    usage: "translate CONVERSATION MESSAGE LANGUAGE",
    options: {},
    positionals: 3,
    run: (client, [conversation, message, language]) => client.messages.translate(conversation!, message!, language!),
    summary: (result) => [[(result as { content?: string }).content ?? "(already translated: see content_attributes.translations)"]],
  },
};

const TYPES = ["incoming", "outgoing", "activity", "template"];

/** One line per message: id, type, then who and what (a tab or newline in a cell is escaped with the rest of it). */
function describe(message: Message): string[] {
  const who = message.sender ? `${message.sender.name ?? message.sender.type}` : "system";
  const files = message.attachments?.length ? ` [${message.attachments.length} attachment(s)]` : "";
  const note = message.private ? " (private)" : "";
  return [`${message.id}`, `${TYPES[message.message_type] ?? message.message_type}`, `${who}${note}: ${message.content ?? ""}${files}`];
}

/** Chatwoot's default MAXIMUM_FILE_UPLOAD_SIZE: 40 MB, enforced for website inboxes. */
const MAX_ATTACHMENT_BYTES = 40 * 1024 * 1024;

/**
 * One --attach file, checked before it is read: only a regular file up to Chatwoot's limit. It is
 * opened non-blocking (a FIFO would otherwise hold the open until a writer came), then checked on
 * the open handle, so that what is read is what was checked, and no more than its size is read.
 */
async function readAttachment(file: string): Promise<{ data: Uint8Array; filename: string }> {
  const refuse = (why: string) => new UsageError(`--attach ${file}: ${why}; nothing was sent`);
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw refuse(error.code === "ENOENT" ? "no such file" : error.code === "EACCES" ? "permission denied" : error.message);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuse(`not a regular file (${info.isDirectory() ? "a directory" : "a device, FIFO or socket"})`);
    if (info.size > MAX_ATTACHMENT_BYTES) {
      throw refuse(`${(info.size / 1024 / 1024).toFixed(1)} MB is over Chatwoot's attachment limit of ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
    }
    const data = new Uint8Array(info.size);
    const { bytesRead } = await handle.read(data, 0, info.size, 0);
    return { data: data.subarray(0, bytesRead), filename: basename(file) };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw refuse((error as Error).message);
  } finally {
    await handle.close();
  }
}
