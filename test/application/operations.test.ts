/** retry and translate: how the client treats their answers, against real local servers. */
import { describe, expect, it } from "vitest";
import { InvalidResponseError, ServerError, UnprocessableEntityError, ValidationError } from "../../src/index.js";
import { clientFor } from "../helpers/client.js";
import { json, message, text, useServers } from "../helpers/http-server.js";

const server = useServers();

describe("retry", () => {
  it("POSTs to .../messages/{id}/retry and resolves with the message", async () => {
    const target = await server((_request, response) => json(response, 200, { ...message(9), status: "sent" }));
    await expect(clientFor(target.url).messages.retry(42, 9)).resolves.toMatchObject({ id: 9, status: "sent" });
    expect(target.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/v1/accounts/1/conversations/42/messages/9/retry"]);
  });

  it("an unknown id is the server's 422, and a 5xx is not retried (a retry sends the message again)", async () => {
    const refused = await server((_request, response) => json(response, 422, { error: "Couldn't find Message with 'id'=9" }));
    await expect(clientFor(refused.url).messages.retry(42, 9)).rejects.toBeInstanceOf(UnprocessableEntityError);
    const failing = await server((_request, response) => json(response, 500, { error: "boom" }));
    await expect(clientFor(failing.url).messages.retry(42, 9)).rejects.toBeInstanceOf(ServerError);
    expect(failing.requests).toHaveLength(1);
  });
});

describe("translate", () => {
  it("sends target_language and resolves with the translated content", async () => {
    const target = await server((_request, response) => json(response, 200, { content: "Hola" }));
    await expect(clientFor(target.url).messages.translate(42, 9, "es")).resolves.toEqual({ content: "Hola" });
    expect(JSON.parse(target.requests[0]!.body.toString())).toEqual({ target_language: "es" });
  });

  it("an empty 200 (a translation already stored) resolves with {}, where other operations call it invalid", async () => {
    const empty = await server((_request, response) => text(response, 200, "", "application/json"));
    await expect(clientFor(empty.url).messages.translate(42, 9, "es")).resolves.toEqual({});
    await expect(clientFor(empty.url).messages.delete(42, 9)).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it.each([[""], ["  "], [undefined], [3]])("refuses the target language %j before sending", async (language) => {
    const target = await server((_request, response) => json(response, 200, { content: "x" }));
    await expect(clientFor(target.url).messages.translate(42, 9, language as string)).rejects.toBeInstanceOf(ValidationError);
    expect(target.requests).toHaveLength(0);
  });
});
