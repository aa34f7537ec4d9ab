/**
 * `npm run contract:live` against a local fake Chatwoot: a known off-spec answer must be reported
 * as a violation and fail the run, and a faithful server must pass; an operation that did not
 * complete fails the run too; the token never follows a redirect nor goes over plain http off
 * this machine; bad arguments are a usage error.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort, json, message, startServer, type TestServer } from "../helpers/http-server.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A list as Chatwoot answers it. */
const listAnswer = () => ({ meta: { labels: [], additional_attributes: {}, contact: { id: 1, name: "A", type: "contact" }, agent_last_seen_at: null, assignee_last_seen_at: null }, payload: [message(500)] });

/** A fake Chatwoot; `offSpec` makes create answer with the webhook's string message_type. */
async function fakeChatwoot(offSpec: boolean) {
  const server = await startServer((request, response) => {
    if (request.headers["api_access_token"] !== "live-token") return json(response, 401, { error: "Invalid Access Token" });
    if (request.method === "POST") return json(response, 200, message(501, offSpec ? { message_type: "outgoing", private: true } : { private: true }));
    if (request.method === "GET") return json(response, 200, listAnswer());
    if (request.method === "PATCH") return json(response, 403, { error: "Message status update is only allowed for API inboxes" });
    return json(response, 200, message(501, { content: "This message was deleted", content_attributes: { deleted: true } }));
  });
  servers.push(server);
  return server;
}

async function contractLive(upstream: string, { conversation = "42", token = "live-token", extra = [] as string[] } = {}) {
  const args = ["scripts/contract-live.mjs", "--upstream", upstream, "--account", "1", "--conversation", conversation, ...extra];
  // The ceiling only ends a run that hangs (the old code waited on an unreachable upstream); it decides nothing.
  return run(process.execPath, args, { cwd: root, timeout: 60_000, env: { ...process.env, CHATWOOT_API_TOKEN: token } }).then(
    ({ stdout, stderr }) => ({ code: 0 as number | null, stdout, stderr }),
    (error: { code: number | null; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

async function track(server: TestServer) {
  servers.push(server);
  return server;
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
      updateMessageStatus: ["-", "0"],
      deleteMessage: ["-", "0"],
    });
    expect(stdout).toMatch(/deleteMessage +- +0 +\(not run: createMessage did not complete\)/);
    expect(stdout).toContain("response.body.message_type: Response body property message_type must be integer");
    // The first look (a list straight to the upstream), then the operations through Prism.
    expect(upstream.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET"]);
  });

  it("passes a server that answers as the spec says, documented 403 included", async () => {
    const upstream = await fakeChatwoot(false);
    const { code, stdout } = await contractLive(upstream.url);
    expect(stdout).toMatch(/createMessage\s+200\s+0/);
    expect(stdout).toMatch(/listMessages\s+200\s+0/);
    expect(stdout).toMatch(/updateMessageStatus\s+403\s+0\s+\(PermissionDeniedError/);
    expect(stdout).toMatch(/deleteMessage\s+200\s+0/);
    expect(code).toBe(0);
    expect(upstream.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET", "PATCH", "DELETE"]);
  });

  it.each([
    ["every request (the first look meets it)", () => true, ["GET"], "4 of 4"],
    ["a create only (Prism meets it)", (method: string) => method === "POST", ["GET", "POST", "GET"], "3 of 4"],
  ])("never lets the token follow a redirect of %s: the target never hears from it, and the run fails", async (_which, redirects, methods, incomplete) => {
    const elsewhere = await track(await startServer((_request, response) => json(response, 200, message(501, { private: true }))));
    const redirecting = await track(
      await startServer((request, response) => {
        if (!redirects(request.method!)) return json(response, 200, listAnswer());
        response.writeHead(301, { location: `${elsewhere.url}${request.url}` }).end();
      }),
    );
    const { code, stdout, stderr } = await contractLive(redirecting.url);
    expect(elsewhere.requests).toEqual([]);
    expect(redirecting.requests.map((r) => r.method)).toEqual(methods);
    expect(stdout).toContain(`the upstream redirected (301 to ${elsewhere.url}); not followed, the API token would go along`);
    expect(stderr).toContain(`${incomplete} operations did not complete`);
    expect(code).toBe(1);
  }, 60_000);

  it.each([
    ["the upstream is down", async () => ({ upstream: `http://127.0.0.1:${await closedPort()}` }), /cannot be reached \(ECONNREFUSED\)/],
    ["the token is refused", async () => ({ upstream: (await fakeChatwoot(false)).url, token: "wrong-token" }), /AuthenticationError/],
    [
      "the conversation does not exist",
      async () => {
        const server = await track(await startServer((_request, response) => json(response, 404, { error: "Resource could not be found" })));
        return { upstream: server.url, conversation: "999" };
      },
      /NotFoundError/,
    ],
  ])("exits 1 when %s: nothing was checked, nor created", async (_name, setUp, why) => {
    const { upstream, ...options } = await setUp();
    const { code, stdout, stderr } = await contractLive(upstream, options);
    expect(stdout).toMatch(why);
    expect(stdout).toMatch(/createMessage +- +0 +\(not run: the first look at the upstream \(a list\) failed: /);
    expect(stderr).toContain("4 of 4 operations did not complete (createMessage, listMessages, updateMessageStatus, deleteMessage)");
    expect(code).toBe(1);
  }, 60_000);

  it.each([
    [["--upstream", "http://192.0.2.1"], "--upstream uses plain http to 192.0.2.1, which would send the API token unencrypted: use https, or pass --allow-insecure-http."],
    [["--upstream", "chat.example.com"], '--upstream must be an absolute URL such as https://chat.example.com, got "chat.example.com".'],
    [["--upstream", "ftp://chat.example.com"], "--upstream must use https: (got ftp:)."],
    [["--account", "one"], '--account must be a positive integer id, got "one".'],
    [["--conversation", "0"], '--conversation must be a positive integer id, got "0".'],
    [["--conversation", "../42"], '--conversation must be a positive integer id, got "../42".'],
    [["--accout", "1"], "Unknown option '--accout'"],
  ])("%j is a usage error: exit 2, nothing sent", async (change, said) => {
    const args: Record<string, string> = { "--upstream": "https://chat.example.com", "--account": "1", "--conversation": "42" };
    const argv = change[0]! in args ? Object.entries({ ...args, [change[0]!]: change[1]! }).flat() : [...Object.entries(args).flat(), ...change];
    const result = await run(process.execPath, ["scripts/contract-live.mjs", ...argv], { cwd: root, timeout: 60_000, env: { ...process.env, CHATWOOT_API_TOKEN: "live-token" } }).catch((e) => e);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`contract:live: ${said}`);
    expect(result.stderr).toContain("usage: npm run contract:live");
    expect(result.stderr).not.toContain("live-token");
  });

  it("prints usage and exits 2 without its arguments", async () => {
    const result = await run(process.execPath, ["scripts/contract-live.mjs"], { cwd: root, env: { ...process.env, CHATWOOT_API_TOKEN: "" } }).catch((e) => e);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage: npm run contract:live");
  });
});
