/**
 * `npm run contract:live` against a local fake Chatwoot: a known off-spec answer must be reported
 * as a violation and fail the run, and a faithful server must pass.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { json, message, startServer, type TestServer } from "../helpers/http-server.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A fake Chatwoot; `offSpec` makes create answer with the webhook's string message_type. */
async function fakeChatwoot(offSpec: boolean) {
  const server = await startServer((request, response) => {
    if (request.headers["api_access_token"] !== "live-token") return json(response, 401, { error: "Invalid Access Token" });
    if (request.method === "POST") return json(response, 200, message(501, offSpec ? { message_type: "outgoing", private: true } : { private: true }));
    if (request.method === "GET") return json(response, 200, { meta: { labels: [], additional_attributes: {}, contact: { id: 1, name: "A", type: "contact" }, agent_last_seen_at: null, assignee_last_seen_at: null }, payload: [message(500)] });
    if (request.method === "PATCH") return json(response, 403, { error: "Message status update is only allowed for API inboxes" });
    return json(response, 200, message(501, { content: "This message was deleted", content_attributes: { deleted: true } }));
  });
  servers.push(server);
  return server;
}

async function contractLive(upstream: string) {
  const args = ["scripts/contract-live.mjs", "--upstream", upstream, "--account", "1", "--conversation", "42"];
  return run(process.execPath, args, { cwd: root, env: { ...process.env, CHATWOOT_API_TOKEN: "live-token" } }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

describe("contract:live", () => {
  it("reports an off-spec answer as a violation and exits non-zero", async () => {
    const upstream = await fakeChatwoot(true);
    const { code, stdout } = await contractLive(upstream.url);
    expect(code).toBe(1);
    const rows = Object.fromEntries(stdout.split("\n").filter((l) => /^\w+Message/.test(l)).map((l) => [l.split(/\s+/)[0], l.split(/\s+/).slice(1, 3)]));
    expect(rows).toEqual({
      createMessage: ["500", "2"],
      listMessages: ["200", "0"],
    });
    expect(stdout).toContain("response.body.message_type: Response body property message_type must be integer");
    expect(upstream.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
  });

  it("passes a server that answers as the spec says, documented 403 included", async () => {
    const upstream = await fakeChatwoot(false);
    const { code, stdout } = await contractLive(upstream.url);
    expect(stdout).toMatch(/createMessage\s+200\s+0/);
    expect(stdout).toMatch(/listMessages\s+200\s+0/);
    expect(stdout).toMatch(/updateMessageStatus\s+403\s+0\s+\(PermissionDeniedError/);
    expect(stdout).toMatch(/deleteMessage\s+200\s+0/);
    expect(code).toBe(0);
    expect(upstream.requests.map((r) => r.method)).toEqual(["POST", "GET", "PATCH", "DELETE"]);
  });

  it("prints usage and exits 2 without its arguments", async () => {
    const result = await run(process.execPath, ["scripts/contract-live.mjs"], { cwd: root, env: { ...process.env, CHATWOOT_API_TOKEN: "" } }).catch((e) => e);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage: npm run contract:live");
  });
});
