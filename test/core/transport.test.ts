import type { Middleware } from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { GENERAL_PATH } from "../../src/application/client.js";
import { ConnectionError, createChatwootClient, RedirectError, ValidationError } from "../../src/index.js";
import { TOKEN, clientFor, rawFor, requestPath } from "../helpers/client.js";
import { json, message, useServers } from "../helpers/http-server.js";

const server = useServers();

describe("baseUrl", () => {
  it.each([
    "http://chat.example.com",
    "http://10.0.0.5:3000",
    "http://127.evil.example.com",
    "ftp://chat.example.com",
    "chat.example.com",
    "",
    "https://user:pass@chat.example.com",
    "https://chat.example.com/?x=1",
  ])("%j is refused at construction", (baseUrl) => {
    expect(() => createChatwootClient({ baseUrl, apiAccessToken: TOKEN })).toThrow(ValidationError);
  });

  it.each(["https://chat.example.com", "https://chat.example.com/chatwoot/", "http://127.0.0.1:3000", "http://localhost:3000", "http://[::1]:3000", "http://127.1.2.3"])(
    "%j is accepted",
    (baseUrl) => {
      expect(() => createChatwootClient({ baseUrl, apiAccessToken: TOKEN })).not.toThrow();
    },
  );

  it("plain http to another host needs allowInsecureHttp: true, and the error says why", () => {
    expect(() => createChatwootClient({ baseUrl: "http://chat.example.com", apiAccessToken: TOKEN })).toThrow(/unencrypted/);
    expect(() => createChatwootClient({ baseUrl: "http://chat.example.com", apiAccessToken: TOKEN, allowInsecureHttp: true })).not.toThrow();
  });

  it("a path prefix is kept", async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    await clientFor(`${target.url}/chatwoot/`).messages.delete(42, 1);
    expect(target.requests[0]!.url).toBe("/chatwoot/api/v1/accounts/1/conversations/42/messages/1");
  });
});

describe("redirects", () => {
  it("a redirect to another origin is not followed, and the token never reaches it", async () => {
    const elsewhere = await server((_request, response) => json(response, 200, message(1)));
    const origin = await server((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/api/v1/accounts/1/conversations/42/messages` });
      response.end();
    });
    const error = await clientFor(origin.url).messages.create(42, { content: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(origin.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("raw calls get the redirect itself, and do not follow it either", async () => {
    const elsewhere = await server((_request, response) => json(response, 200, message(1)));
    const target = `${elsewhere.url}/api/v1/accounts/1/conversations/42/messages`;
    const origin = await server((_request, response) => {
      response.writeHead(307, { location: target });
      response.end();
    });
    const { response } = await rawFor(origin.url).POST("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages", {
      params: { path: { account_id: 1, conversation_id: 42 } },
      body: { content: "hi" },
    });
    expect([response.status, response.headers.get("location")]).toEqual([307, target]);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("raw calls pointed at another origin go out without the token", async () => {
    const other = await server((_request, response) => json(response, 200, message(1)));
    const home = await server((_request, response) => json(response, 200, message(1)));
    await rawFor(home.url).DELETE("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}", {
      baseUrl: other.url,
      params: { path: { account_id: 1, conversation_id: 42, message_id: 1 } },
    });
    expect(other.requests).toHaveLength(1);
    expect(JSON.stringify(other.requests[0]!.headers)).not.toContain(TOKEN);
  });
});

describe("authentication header", () => {
  it("sends the token once, in api_access_token by default, and nothing else that carries it", async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    await clientFor(target.url).messages.delete(42, 1);
    const headers = target.requests[0]!.headers;
    expect(headers["api_access_token"]).toBe(TOKEN);
    expect(headers["api-access-token"]).toBeUndefined();
    expect(headers.authorization).toBeUndefined();
    expect(Object.values(headers).filter((value) => String(value).includes(TOKEN))).toHaveLength(1);
  });

  it("authHeader: \"Api-Access-Token\" uses the hyphenated spelling instead, never both", async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    await clientFor(target.url, { authHeader: "Api-Access-Token" }).messages.delete(42, 1);
    const headers = target.requests[0]!.headers;
    expect(headers["api-access-token"]).toBe(TOKEN);
    expect(headers["api_access_token"]).toBeUndefined();
  });

  it("a custom fetch receives the request and is used", async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    const seen: string[] = [];
    const client = clientFor(target.url, { fetch: (request) => { seen.push(`${request.method} ${request.url}`); return fetch(request); } });
    await client.messages.delete(42, 1);
    expect(seen).toEqual([`DELETE ${target.url}/api/v1/accounts/1/conversations/42/messages/1`]);
  });

  it("openapi-fetch middleware given in options runs on every request", async () => {
    const target = await server((_request, response) => json(response, 200, { meta: {}, payload: [] }));
    const client = clientFor(target.url, { middleware: [{ onRequest: ({ request }) => { request.headers.set("x-trace", "t-1"); } }] });
    await client.messages.list(42);
    expect(target.requests[0]!.headers["x-trace"]).toBe("t-1");
  });

  it("middleware gets a real Request: new Request(request, init) works, on the client and on createRawClient", async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    const rewrap: Middleware = {
      onRequest: ({ request }) => {
        expect(request).toBeInstanceOf(Request);
        const headers = new Headers(request.headers);
        headers.set("x-rewrapped", "yes");
        return new Request(request, { headers });
      },
    };
    await clientFor(target.url, { middleware: [rewrap] }).messages.delete(42, 1);
    await rawFor(target.url, { middleware: [rewrap] }).DELETE("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}", {
      params: { path: { account_id: 1, conversation_id: 42, message_id: 1 } },
    });
    expect(target.requests.map((request) => [request.method, request.headers["x-rewrapped"], request.headers.api_access_token])).toEqual([
      ["DELETE", "yes", TOKEN],
      ["DELETE", "yes", TOKEN],
    ]);
  });
});

describe("account", () => {
  it("a call's accountId overrides the client's", async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    await clientFor(target.url, { accountId: 3 }).messages.delete(42, 1, { accountId: "8" });
    expect(target.requests[0]!.url).toBe("/api/v1/accounts/8/conversations/42/messages/1");
  });
});

describe("the two request paths", () => {
  it("send byte-for-byte the same requests: method, URL and query, headers, body", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const target = await server((request, response) => {
      const { host: _host, connection: _connection, "content-length": _length, ...headers } = request.headers;
      seen.push({ method: request.method, url: request.url, headers, body: request.body.toString() });
      json(response, 200, request.method === "GET" ? { payload: [] } : message(1));
    });
    const run = async (client: ReturnType<typeof clientFor>) => {
      await client.messages.list(42, { before: 1200, filter_internal_messages: true });
      await client.messages.list(42, { after: 0 });
      await client.messages.create(42, { content: "héllo & <b>", private: true, content_attributes: { in_reply_to: 7 } });
      await client.messages.updateStatus(42, 7, { status: "failed", external_error: "no route" });
      await client.messages.delete(42, 7, { accountId: 9 });
    };
    await run(clientFor(target.url));
    const direct = seen.splice(0);
    await run(createChatwootClient({ baseUrl: target.url, apiAccessToken: TOKEN, accountId: 1, [GENERAL_PATH]: true } as never));
    expect(direct).toEqual(seen);
    expect(direct.map((request) => request.url)).toContain("/api/v1/accounts/1/conversations/42/messages?before=1200&filter_internal_messages=true");
  });

  it(`this run's resource calls take the ${requestPath} path`, async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    const spy = vi.spyOn(globalThis, "fetch");
    try {
      await clientFor(target.url).messages.delete(42, 1);
      const init = spy.mock.calls[0]![1] as RequestInit;
      // The direct path hands fetch one plain headers object; openapi-fetch's request carries a Headers.
      expect(init.headers instanceof Headers ? "general" : "direct").toBe(requestPath);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("errors that are not the network's", () => {
  it.each(["onRequest", "onResponse"] as const)("a TypeError in a caller's %s middleware is thrown as itself, once, never retried", async (hook) => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    let thrown: unknown;
    const buggy: Middleware = {
      [hook as "onRequest"]: () => {
        try {
          (undefined as unknown as { x: { y: number } }).x.y;
        } catch (error) {
          thrown = error;
          throw error;
        }
      },
    };
    const client = clientFor(target.url, { middleware: [buggy] });
    const error = await client.messages.list(42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBe(thrown);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(target.requests).toHaveLength(hook === "onRequest" ? 0 : 1);
  });

  it("fetch's own TypeError (a caller's fetch that rejects) is a ConnectionError, for raw calls too", async () => {
    const failing = async () => {
      throw new TypeError("fetch failed");
    };
    const client = clientFor("http://127.0.0.1:9", { fetch: failing, maxRetries: 0 });
    await expect(client.messages.list(42)).rejects.toBeInstanceOf(ConnectionError);
    await expect(rawFor("http://127.0.0.1:9", { fetch: failing }).GET("/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages", {
      params: { path: { account_id: 1, conversation_id: 42 } },
    })).rejects.toBeInstanceOf(ConnectionError);
  });

  it("a bug in a caller's middleware surfaces as itself, not as a ConnectionError", async () => {
    const target = await server((_request, response) => json(response, 200, message(1)));
    const bug = new RangeError("middleware bug");
    const client = clientFor(target.url, { middleware: [{ onResponse: () => { throw bug; } }] });
    await expect(client.messages.delete(42, 1)).rejects.toBe(bug);
  });
});
