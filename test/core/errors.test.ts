import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiError, AuthenticationError, ChatwootError, InvalidResponseError, NotFoundError, PermissionDeniedError,
  RateLimitError, RedirectError, ServerError, UnprocessableEntityError,
} from "../../src/index.js";
import { clientFor, routeTo } from "../helpers/client.js";
import { startServer, text, type TestServer } from "../helpers/http-server.js";

type Answer = { status: number; type: string; body: string; headers?: Record<string, string> };
const answers: Record<string, Answer> = {
  "401-error": { status: 401, type: "application/json", body: '{"error":"Invalid Access Token"}' },
  "401-errors": { status: 401, type: "application/json", body: '{"errors":["You need to sign in or sign up before continuing."]}' },
  "403": { status: 403, type: "application/json", body: '{"error":"Message status update is only allowed for API inboxes"}' },
  "404": { status: 404, type: "application/json", body: '{"error":"Resource could not be found"}', headers: { "x-request-id": "req-404-abc" } },
  "422-error": { status: 422, type: "application/json", body: '{"error":"Validation failed: Too many messages"}' },
  "422-record": { status: 422, type: "application/json", body: '{"message":"Too many messages","attributes":["base"]}' },
  "429": { status: 429, type: "text/plain", body: "Retry later\n" },
  "429-after": { status: 429, type: "text/plain", body: "Retry later\n", headers: { "retry-after": "7" } },
  "500": { status: 500, type: "application/json", body: '{"error":"Internal Server Error"}' },
  "502-html": {
    status: 502,
    type: "text/html",
    body: `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>${"<p>padding</p>".repeat(200)}</body></html>`,
  },
  "503-long": { status: 503, type: "text/plain", body: "Service Unavailable ".repeat(50) },
  "418": { status: 418, type: "application/json", body: '{"error":"I am a teapot"}' },
  "302": { status: 302, type: "text/html", body: "", headers: { location: "https://elsewhere.example.org/login?token=abc" } },
  "200-html": { status: 200, type: "text/html", body: "<html><title>Captive portal</title></html>" },
  "200-empty": { status: 200, type: "application/json", body: "" },
  "200-truncated": { status: 200, type: "application/json", body: '{"id": 12, "content": "hel' },
  "200-scalar": { status: 200, type: "application/json", body: "true" },
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer((request, response) => {
    const answer = answers[request.url.split("/messages/")[1] ?? ""]!;
    text(response, answer.status, answer.body, answer.type, answer.headers);
  });
});
afterAll(() => server.close());


describe("error mapping", () => {
  // Route each scenario through the public client by giving the server a message id per scenario.
  async function thrown(key: string): Promise<ChatwootError> {
    const client = clientFor(server.url, { maxRetries: 0, middleware: [routeTo(key)] });
    const error = await client.messages.delete(42, 1).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ChatwootError);
    return error as ChatwootError;
  }

  it.each([
    ["401-error", AuthenticationError, 401, "401 Invalid Access Token"],
    ["401-errors", AuthenticationError, 401, "401 You need to sign in or sign up before continuing."],
    ["403", PermissionDeniedError, 403, "403 Message status update is only allowed for API inboxes"],
    ["404", NotFoundError, 404, "404 Resource could not be found"],
    ["422-error", UnprocessableEntityError, 422, "422 Validation failed: Too many messages"],
    ["422-record", UnprocessableEntityError, 422, "422 Too many messages (base)"],
    ["429", RateLimitError, 429, "429 Retry later"],
    ["500", ServerError, 500, "500 Internal Server Error"],
    ["502-html", ServerError, 502, "502 Bad Gateway"],
    ["418", ApiError, 418, "418 I am a teapot"],
  ] as const)("%s becomes %s with Chatwoot's own words", async (key, Class, status, message) => {
    const error = (await thrown(key)) as ApiError;
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.name).toBe(Class.name);
    expect(error.status).toBe(status);
    expect(error.message).toBe(message);
  });

  it("keeps the parsed body and the request id", async () => {
    const error = (await thrown("404")) as NotFoundError;
    expect(error.body).toEqual({ error: "Resource could not be found" });
    expect(error.requestId).toBe("req-404-abc");
    const record = (await thrown("422-record")) as UnprocessableEntityError;
    expect(record.body).toEqual({ message: "Too many messages", attributes: ["base"] });
  });

  it("cuts long text bodies short", async () => {
    const error = (await thrown("503-long")) as ServerError;
    expect(error.message.length).toBeLessThanOrEqual(210);
    expect(error.message.endsWith("…")).toBe(true);
  });

  it("reads Retry-After into RateLimitError.retryAfter, and leaves it undefined when absent", async () => {
    expect(((await thrown("429-after")) as RateLimitError).retryAfter).toBe(7);
    expect(((await thrown("429")) as RateLimitError).retryAfter).toBeUndefined();
  });

  it("does not follow a redirect; Node's own fetch hides where it pointed, and the error says how to find out", async () => {
    const error = (await thrown("302")) as RedirectError;
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.status).toBe(0);
    expect(error.location).toBeUndefined();
    expect(error.message).toBe("Redirect not followed: the token would travel with it. Point baseUrl at the final address (`curl -I` on the URL shows it).");
  });

  it("through a fetch of your own, a redirect's status and target are named, without the target's query", async () => {
    const client = clientFor(server.url, { maxRetries: 0, middleware: [routeTo("302")], fetch: (request) => fetch(request) });
    const error = (await client.messages.delete(42, 1).catch((e: unknown) => e)) as RedirectError;
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.status).toBe(302);
    expect(error.location).toBe("https://elsewhere.example.org/login?token=abc");
    expect(error.message).toContain("302 redirect to https://elsewhere.example.org/login not followed");
    expect(error.message).not.toContain("token=abc");
  });

  it.each([
    ["200-html", /not JSON \(text\/html\): <html><title>Captive portal/],
    ["200-empty", /empty body/],
    ["200-truncated", /not JSON/],
    ["200-scalar", /not an object/],
  ])("a 2xx answer that is not a JSON object (%s) is an InvalidResponseError", async (key, message) => {
    const error = await thrown(key);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(message);
  });
});
