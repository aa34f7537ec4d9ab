/** `chatwoot-messages contact start|send`: the built command, against the Prism mock and real local servers. */
import { describe, expect, inject, it } from "vitest";
import { json, startServer } from "../helpers/http-server.js";
import { root, runSupervised } from "../helpers/processes.js";

const INBOX = "x7Hd2LqfTq8cJd5GZ5vU3kWp";
const SOURCE_ID = "6f2c0b8e-3a1d-4c7e-9b55-CLISECRET";

async function cli(args: string[], env: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? "", CHATWOOT_BASE_URL: inject("prismUrl") };
  return runSupervised(process.execPath, ["dist/cli.js", ...args], { cwd: root, env: { ...base, ...env } });
}

describe("chatwoot-messages contact", () => {
  it("start prints the session's source_id and pubsub_token and a new conversation's id; --json as JSON", async () => {
    const text = await cli(["contact", "start", "--inbox", INBOX, "--name", "Alex", "--email", "alex@example.org"]);
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(text.stdout).toMatch(/^source_id\t\S+\npubsub_token\t\S+\ncontact_id\t\d+\nconversation_id\t\d+\n$/);
    const json = await cli(["contact", "start", "--inbox", INBOX, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ source_id: expect.any(String), pubsub_token: expect.any(String), contact_id: expect.any(Number), conversation_id: expect.any(Number) });
  });

  it("send posts the content as the contact and prints the message id and echo_id; --json prints the message", async () => {
    const sent = await cli(["contact", "send", "--inbox", INBOX, "--source-id", SOURCE_ID, "--conversation", "44", "--content", "Hello"]);
    expect(sent).toMatchObject({ code: 0, stderr: "" });
    expect(sent.stdout).toMatch(/^sent message \d+ \(echo_id [0-9a-f-]{36}\)\n$/);
    const json = await cli(["contact", "send", "--inbox", INBOX, "--conversation", "44", "--content", "Hi", "--json"], { CHATWOOT_SOURCE_ID: SOURCE_ID });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: expect.any(Number), message_type: 0, echo_id: expect.any(String) });
  });

  it("what goes over the wire: the Client API's paths, no token, the source_id from the environment", async () => {
    const server = await startServer((request, response) =>
      request.url.endsWith("/conversations")
        ? json(response, 200, { id: 7, uuid: "u", inbox_id: 1, contact_last_seen_at: 0, status: "open", agent_last_seen_at: 0, messages: [], contact: {} })
        : json(response, 200, { source_id: SOURCE_ID, pubsub_token: "pubsub-1", id: 3, name: "n", email: null, phone_number: null }));
    try {
      const result = await cli(["contact", "start", "--inbox", INBOX, "--json"], { CHATWOOT_BASE_URL: server.url, CHATWOOT_API_TOKEN: "must-not-be-sent" });
      expect(JSON.parse(result.stdout)).toEqual({ source_id: SOURCE_ID, pubsub_token: "pubsub-1", contact_id: 3, conversation_id: 7 });
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST /public/api/v1/inboxes/${INBOX}/contacts`,
        `POST /public/api/v1/inboxes/${INBOX}/contacts/${SOURCE_ID}/conversations`,
      ]);
      expect(JSON.stringify(server.requests.map((r) => r.headers))).not.toContain("must-not-be-sent");
    } finally {
      await server.close();
    }
  });

  it("a 404 is one line with the server's words, exit 1, and never the source_id", async () => {
    const server = await startServer((request, response) => json(response, 404, { status: 404, error: `Not Found ${request.url}` }));
    try {
      const result = await cli(["contact", "send", "--inbox", INBOX, "--source-id", SOURCE_ID, "--conversation", "44", "--content", "x"], { CHATWOOT_BASE_URL: server.url });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: 404 Not Found .*\[redacted\].*\n$/);
      expect(result.stderr + result.stdout).not.toContain(SOURCE_ID);
    } finally {
      await server.close();
    }
  });

  it.each([
    [["contact"], /subcommand: start, send or watch/],
    [["contact", "start"], /needs --inbox/],
    [["contact", "send", "--inbox", INBOX, "--conversation", "44", "--content", "x"], /needs --source-id/],
    [["contact", "send", "--inbox", INBOX, "--source-id", SOURCE_ID, "--content", "x"], /needs --conversation/],
    [["contact", "send", "--inbox", INBOX, "--source-id", SOURCE_ID, "--conversation", "x1", "--content", "x"], /conversationId/],
    [["contact", "send", "--inbox", INBOX, "--source-id", "a.b", "--conversation", "4", "--content", "x"], /sourceId/],
    [["contact", "start", "--inbox", "bad/inbox"], /inboxIdentifier/],
    [["contact", "start", "--inbox", INBOX, "--bogus"], /bogus/],
  ])("%j: usage, exit 2, nothing sent", async (args, message) => {
    const server = await startServer((_request, response) => json(response, 500, {}));
    try {
      const result = await cli(args, { CHATWOOT_BASE_URL: server.url });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("usage: chatwoot-messages contact start");
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("--help prints the usage, exit 0; escaped output: a control character from the server is printed escaped", async () => {
    expect(await cli(["contact", "--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("contact send --inbox IDENT --source-id SID") });
    const server = await startServer((_request, response) => json(response, 422, { message: "bad \u001b[31mred\u001b[0m", attributes: [] }));
    try {
      const result = await cli(["contact", "send", "--inbox", INBOX, "--source-id", SOURCE_ID, "--conversation", "4", "--content", "x"], { CHATWOOT_BASE_URL: server.url });
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain("\u001b");
      expect(result.stderr).toContain("\\u001b[31m");
    } finally {
      await server.close();
    }
  });
});
