/** signWebhook signs as Chatwoot does: checked against node:crypto and against verifyWebhook. */
import { describe, expect, it } from "vitest";
import { signWebhook, ValidationError, verifyWebhook } from "../../src/index.js";
import { SECRET, sign } from "../helpers/sign.js";

describe("signWebhook", () => {
  it("produces Chatwoot's headers, byte for byte what node:crypto computes", async () => {
    const body = JSON.stringify({ event: "message_created", id: 1, content: "Olá \u003cb\u003e 🚚" });
    const headers = await signWebhook({ body, secret: SECRET, timestamp: 1_800_000_000, deliveryId: "d-1" });
    expect(headers).toEqual({ ...sign(body, 1_800_000_000), "x-chatwoot-delivery": "d-1" });
    expect(await signWebhook({ body: new TextEncoder().encode(body), secret: SECRET, timestamp: 1_800_000_000, deliveryId: "d-1" })).toEqual(headers);
  });

  it("round-trips through verifyWebhook, with a fresh delivery id and the current time by default", async () => {
    const body = JSON.stringify({ event: "message_updated", id: 2 });
    const headers = await signWebhook({ body, secret: SECRET });
    expect(headers["x-chatwoot-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    await expect(verifyWebhook({ rawBody: body, headers, secret: SECRET })).resolves.toEqual(JSON.parse(body));
  });

  it.each([[{ secret: "" }, "secret"], [{ timestamp: 1.5 }, "timestamp"], [{ timestamp: -1 }, "timestamp"]])("refuses %j", async (options, parameter) => {
    const error = await signWebhook({ body: "{}", secret: SECRET, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).parameter).toBe(parameter);
  });
});
