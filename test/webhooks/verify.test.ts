import { createHmac } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ChatwootError, ValidationError, verifyWebhook, WebhookVerificationError, type WebhookEvent } from "../../src/index.js";
import { SECRET, sign } from "../helpers/sign.js";
import { resolve, spec } from "../helpers/prism.js";

const event = { event: "message_created", id: 1, content: "hi", message_type: "incoming" };
const body = JSON.stringify(event);

async function refusal(options: Partial<Parameters<typeof verifyWebhook>[0]>) {
  const error = await verifyWebhook({ rawBody: body, headers: sign(body), secret: SECRET, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WebhookVerificationError);
  expect((error as Error).name).toBe("WebhookVerificationError");
  for (const view of [(error as Error).message, (error as Error).stack ?? "", JSON.stringify(error), inspect(error)]) expect(view).not.toContain(SECRET);
  return (error as WebhookVerificationError).reason;
}

describe("the HMAC implementation", () => {
  const expected = process.env.CHATWOOT_TEST_HMAC ?? "node:crypto";
  it(`is ${expected} in this run (the "web crypto" project runs these tests as a runtime without node:crypto would)`, async () => {
    const { hmacImplementation } = await import("../../src/core/hmac.js");
    expect(hmacImplementation).toBe(expected);
  });
});

describe("verifyWebhook accepts", () => {
  it("a delivery signed as Chatwoot signs it, as a string, Uint8Array or ArrayBuffer, with Headers or a plain object", async () => {
    const bytes = new TextEncoder().encode(body);
    for (const rawBody of [body, bytes, bytes.buffer.slice(0) as ArrayBuffer]) {
      expect(await verifyWebhook({ rawBody, headers: sign(body), secret: SECRET })).toEqual(event);
      expect(await verifyWebhook({ rawBody, headers: new Headers(sign(body)), secret: SECRET })).toEqual(event);
    }
  });

  it("header names in any case, and Node's array-valued headers", async () => {
    const headers = Object.fromEntries(Object.entries(sign(body)).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(await verifyWebhook({ rawBody: body, headers, secret: SECRET })).toEqual(event);
  });

  it("non-ASCII text and <, >, & verified over the raw bytes, escaped or not", async () => {
    for (const raw of ['{"event":"message_created","content":"Olá <b>&amp;</b> 🚚 ¿qué?"}', '{"event":"message_created","content":"\\u003cb\\u003e \\u0026 \\u003e"}']) {
      const parsed = await verifyWebhook({ rawBody: Buffer.from(raw, "utf8"), headers: sign(Buffer.from(raw, "utf8")), secret: SECRET });
      expect(parsed).toEqual(JSON.parse(raw));
    }
  });

  it("a timestamp within the tolerance either way", async () => {
    const now = 1_800_000_000_000;
    for (const offset of [-299, 0, 299]) {
      const headers = sign(body, now / 1000 + offset);
      await expect(verifyWebhook({ rawBody: body, headers, secret: SECRET, now })).resolves.toEqual(event);
    }
  });

  it("an unsigned delivery only with allowUnsigned: true", async () => {
    expect(await refusal({ headers: { "content-type": "application/json" } })).toBe("missing_signature");
    expect(await verifyWebhook({ rawBody: body, headers: {}, secret: SECRET, allowUnsigned: true })).toEqual(event);
  });
});

describe("verifyWebhook refuses", () => {
  // `now` is passed to every call: a test that reads the clock at collection time fails when it runs seconds later.
  const nowMs = 1_800_000_000_000;
  const now = nowMs / 1000;
  it.each([
    ["a missing signature", { headers: { "x-chatwoot-timestamp": String(now) } }, "missing_signature"],
    ["a signature without sha256=", { headers: { ...sign(body, now), "x-chatwoot-signature": sign(body, now)["x-chatwoot-signature"]!.slice(7) } }, "malformed_signature"],
    ["a short signature", { headers: { ...sign(body, now), "x-chatwoot-signature": "sha256=abc" } }, "malformed_signature"],
    ["a sha1 signature", { headers: { ...sign(body, now), "x-chatwoot-signature": `sha1=${"a".repeat(40)}` } }, "malformed_signature"],
    ["a missing timestamp", { headers: { "x-chatwoot-signature": sign(body, now)["x-chatwoot-signature"] } }, "missing_timestamp"],
    ["a malformed timestamp", { headers: { ...sign(body, now), "x-chatwoot-timestamp": "yesterday" } }, "malformed_timestamp"],
    ["an old timestamp", { headers: sign(body, now - 301) }, "stale_timestamp"],
    ["a future timestamp", { headers: sign(body, now + 301) }, "stale_timestamp"],
    ["a tighter tolerance", { headers: sign(body, now - 20), toleranceSeconds: 10 }, "stale_timestamp"],
    ["a wrong secret", { headers: sign(body, now, "another-secret") }, "signature_mismatch"],
    ["a tampered body", { rawBody: body.replace("hi", "HI") }, "signature_mismatch"],
    ["a body re-serialized with other spacing", { rawBody: JSON.stringify(event, null, 1) }, "signature_mismatch"],
    ["the body signed alone, without the timestamp (a common mistake)", { headers: { ...sign(body, now), "x-chatwoot-signature": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` } }, "signature_mismatch"],
    ["a timestamp swapped after signing", { headers: { ...sign(body, now), "x-chatwoot-timestamp": String(now - 1) } }, "signature_mismatch"],
    ["a signed body that is not JSON", { rawBody: "not json", headers: sign("not json", now) }, "invalid_body"],
    ["a signed body without an event name", { rawBody: "{}", headers: sign("{}", now) }, "invalid_body"],
  ])("%s", async (_name, options, reason) => {
    expect(await refusal({ headers: sign(body, now), now: nowMs, ...(options as object) })).toBe(reason);
  });

  it("a signed delivery even with allowUnsigned, when the signature is wrong", async () => {
    expect(await refusal({ headers: sign(body, now, "other"), allowUnsigned: true, now: nowMs })).toBe("signature_mismatch");
  });
});

describe("verifyWebhook's options", () => {
  it.each([NaN, Infinity, -Infinity, -5, "300", null])("toleranceSeconds %s is refused with a ValidationError, not replay protection turned off", async (toleranceSeconds) => {
    const stale = sign(body, Math.floor(Date.now() / 1000) - 3600);
    const error = await verifyWebhook({ rawBody: body, headers: stale, secret: SECRET, toleranceSeconds: toleranceSeconds as number }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).parameter).toBe("toleranceSeconds");
  });

  it("toleranceSeconds 0 is allowed: only the current second verifies", async () => {
    const nowMs = 1_800_000_000_000;
    await expect(verifyWebhook({ rawBody: body, headers: sign(body, nowMs / 1000), secret: SECRET, toleranceSeconds: 0, now: nowMs })).resolves.toEqual(event);
  });

  it.each([
    ["a missing secret", { secret: undefined }, "secret"],
    ["an empty secret", { secret: "" }, "secret"],
    ["an empty list of secrets", { secret: [] }, "secret"],
    ["a rawBody that is an object", { rawBody: { event: "message_created" } }, "rawBody"],
    ["a rawBody that is a number", { rawBody: 42 }, "rawBody"],
    ["no headers", { headers: undefined }, "headers"],
  ])("%s is a ChatwootError (ValidationError) naming the option", async (_name, options, parameter) => {
    const error = await verifyWebhook({ rawBody: body, headers: sign(body), secret: SECRET, ...(options as object) } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatwootError);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).parameter).toBe(parameter);
  });

  it("a list of secrets (rotation): a delivery signed with any of them verifies", async () => {
    const nowMs = 1_800_000_000_000;
    const secret = ["new-secret", SECRET];
    await expect(verifyWebhook({ rawBody: body, headers: sign(body, nowMs / 1000), secret, now: nowMs })).resolves.toEqual(event);
    await expect(verifyWebhook({ rawBody: body, headers: sign(body, nowMs / 1000, "new-secret"), secret, now: nowMs })).resolves.toEqual(event);
    expect(await refusal({ headers: sign(body, nowMs / 1000, "retired"), secret, now: nowMs })).toBe("signature_mismatch");
  });
});

describe("every webhook example in the spec", () => {
  const examples = Object.values<any>(spec.webhooks).flatMap((item) =>
    Object.entries<any>(item.post.requestBody.content["application/json"].examples).map(([name, example]) => [name, resolve(example).value] as const),
  );

  it("covers both message events and the other kinds", () => {
    expect(new Set(examples.map(([, value]) => value.event))).toEqual(
      new Set(["message_created", "message_updated", "conversation_status_changed", "conversation_typing_on"]),
    );
  });

  it.each(examples)("%s is verified and parsed from Chatwoot-style JSON bytes", async (_name, value) => {
    // Rails escapes <, > and & in JSON; the signature covers those exact bytes.
    const raw = JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
    const parsed: WebhookEvent = await verifyWebhook({ rawBody: Buffer.from(raw), headers: sign(raw), secret: SECRET });
    expect(parsed).toEqual(value);
    if (parsed.event === "message_created" || parsed.event === "message_updated") {
      expect(typeof parsed.message_type).toBe("string");
      expect(typeof parsed.created_at).toBe("string");
      expect(parsed.conversation.messages.every((m) => typeof m.message_type === "number")).toBe(true);
    }
  });
});
