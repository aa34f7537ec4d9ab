/** The message commands: each maps to one client method and prints a one-line summary (or --json). */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { ParseArgsConfig } from "node:util";
import type { ChatwootClient } from "../client.js";
import type { Message, MessageList, MessageStatus } from "../types.js";
import { messageId, UsageError } from "./args.js";
import { printable } from "./output.js";

export interface Command {
  usage: string;
  options: ParseArgsConfig["options"];
  positionals: number;
  run(client: ChatwootClient, args: string[], values: Record<string, unknown>): Promise<unknown>;
  summary(result: unknown): string;
}

export const messageCommands: Record<string, Command> = {
  send: {
    usage: "send CONVERSATION [--content TEXT] [--private] [--attach FILE]...",
    options: { content: { type: "string" }, private: { type: "boolean" }, attach: { type: "string", multiple: true } },
    positionals: 1,
    async run(client, [conversation], values) {
      const files = (values.attach as string[] | undefined) ?? [];
      if (values.content === undefined && files.length === 0) throw new UsageError("send needs --content or --attach");
      const attachments = await Promise.all(files.map(async (file) => ({ data: new Uint8Array(await readFile(file)), filename: basename(file) })));
      return client.messages.create(conversation!, {
        ...(values.content !== undefined ? { content: values.content as string } : {}),
        ...(values.private ? { private: true } : {}),
        ...(attachments.length ? { attachments } : {}),
      });
    },
    summary: (message) => `sent message ${(message as Message).id}${(message as Message).private ? " (private note)" : ""}`,
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
    summary: (page) => (page as MessageList).payload.map(describe).join("\n") || "(no messages)",
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
    summary: (message) => `message ${(message as Message).id} is ${(message as Message).status ?? "unchanged"}`,
  },
  delete: {
    usage: "delete CONVERSATION MESSAGE",
    options: {},
    positionals: 2,
    run: (client, [conversation, message]) => client.messages.delete(conversation!, message!),
    summary: (message) => `deleted message ${(message as Message).id}`,
  },
  retry: {
    usage: "retry CONVERSATION MESSAGE",
    options: {},
    positionals: 2,
    run: (client, [conversation, message]) => client.messages.retry(conversation!, message!),
    summary: (message) => `message ${(message as Message).id} handed to its channel again (${(message as Message).status})`,
  },
  translate: {
    usage: "translate CONVERSATION MESSAGE LANGUAGE",
    options: {},
    positionals: 3,
    run: (client, [conversation, message, language]) => client.messages.translate(conversation!, message!, language!),
    summary: (result) => printable((result as { content?: string }).content ?? "(already translated: see content_attributes.translations)"),
  },
};

const TYPES = ["incoming", "outgoing", "activity", "template"];

/** One line per message; the content and the sender's name came from customers, so they are escaped. */
function describe(message: Message): string {
  const who = message.sender ? `${message.sender.name ?? message.sender.type}` : "system";
  const files = message.attachments?.length ? ` [${message.attachments.length} attachment(s)]` : "";
  const note = message.private ? " (private)" : "";
  return `${message.id}\t${TYPES[message.message_type]}\t${printable(who)}${note}: ${printable(message.content ?? "")}${files}`;
}
