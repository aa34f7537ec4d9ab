/**
 * Property-based contract tests: hundreds of generated create bodies, valid ones accepted by
 * Prism with no violation, invalid ones refused by the client or by Prism, never sent silently.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UnprocessableEntityError, ValidationError, type CreateMessageBody } from "../../src/index.js";
import { prismClient } from "../helpers/prism.js";

const text = fc.string({ unit: "grapheme", maxLength: 60 });
const nonEmpty = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 });
const url = fc.webUrl({ withQueryParameters: true });
const id = fc.integer({ min: 1, max: 2 ** 31 });
const content = fc.oneof(
  { weight: 8, arbitrary: text },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom("x".repeat(150_000), "😀".repeat(150_000), "<b>&amp;</b>\u0000\u202e") },
);

const common = fc.record(
  {
    content,
    private: fc.boolean(),
    message_type: fc.constantFrom("outgoing", "incoming"),
    echo_id: nonEmpty,
    source_id: fc.option(nonEmpty, { nil: null }),
    campaign_id: id,
    sender_type: fc.constant("AgentBot"),
    sender_id: id,
    external_created_at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), id),
    cc_emails: fc.oneof(fc.constant(""), fc.array(fc.emailAddress(), { maxLength: 3 }).map((a) => a.join(","))),
    email_html_content: text,
    is_voice_message: fc.boolean(),
  },
  { requiredKeys: [] },
);

// Liquid placeholders and other non-URLs: the server parses no URL.
const link = fc.oneof(url, fc.constant("{{contact.custom_attributes.portal}}/orders"), text);

const template = fc.record(
  {
    name: nonEmpty,
    category: fc.constantFrom("UTILITY", "MARKETING", "AUTHENTICATION"),
    language: fc.constantFrom("en_US", "pt_BR", "de"),
    namespace: nonEmpty,
    processed_params: fc.oneof(
      fc.record(
        {
          body: fc.dictionary(fc.integer({ min: 1, max: 9 }).map(String), text),
          header: fc.oneof(
            fc.record({ media_url: link, media_type: fc.constantFrom("image", "video", "document"), media_name: nonEmpty }, { requiredKeys: ["media_url"] }),
            fc.dictionary(fc.constantFrom("1", "name"), text),
          ),
          footer: fc.dictionary(fc.constantFrom("1", "2"), text),
          buttons: fc.array(fc.option(fc.record({ type: fc.constantFrom("url", "copy_code", "quick_reply"), parameter: fc.string({ maxLength: 15 }) }), { nil: null }), { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.integer({ min: 1, max: 9 }).map(String), text),
    ),
  },
  { requiredKeys: ["name"] },
);

const action = fc.oneof(
  fc.record({ type: fc.constant("postback"), text: nonEmpty, payload: nonEmpty }, { requiredKeys: [] }),
  fc.record({ type: fc.constant("link"), text: nonEmpty, uri: link }, { requiredKeys: [] }),
);

const typed = fc.oneof(
  fc.record({ content_type: fc.constant("text" as const), content_attributes: fc.option(fc.record({ in_reply_to: id }, { requiredKeys: [] }), { nil: null }) }, { requiredKeys: [] }),
  fc.record({
    content_type: fc.constant("input_select" as const),
    content_attributes: fc.record({ items: fc.array(fc.record({ title: nonEmpty, value: text }, { requiredKeys: [] }), { minLength: 1, maxLength: 5 }) }),
  }),
  fc.record({
    content_type: fc.constant("cards" as const),
    content_attributes: fc.record({
      items: fc.array(
        fc.record({ title: nonEmpty, description: text, media_url: link, actions: fc.array(action, { minLength: 1, maxLength: 3 }) }, { requiredKeys: ["actions"] }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  }),
  fc.record({
    content_type: fc.constant("form" as const),
    content_attributes: fc.record({
      items: fc.array(
        fc.record(
          {
            name: nonEmpty,
            type: fc.constantFrom("text", "text_area", "email", "select", "date"),
            label: text,
            placeholder: text,
            required: fc.boolean(),
            pattern: fc.constant("^[a-z]+$"),
            pattern_error: text,
            options: fc.array(fc.record({ label: nonEmpty, value: nonEmpty }, { requiredKeys: [] }), { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  }),
  fc.record({
    content_type: fc.constant("article" as const),
    content_attributes: fc.record({ items: fc.array(fc.record({ title: nonEmpty, link, description: text }, { requiredKeys: [] }), { minLength: 1, maxLength: 3 }) }),
  }),
  fc.record({ content_type: fc.constant("input_email" as const) }),
);

const validBody = fc
  .tuple(common, typed, fc.option(template, { nil: undefined }))
  .map(([base, kind, template_params]) => ({ ...base, ...kind, ...(template_params ? { template_params } : {}) }) as CreateMessageBody);

/** Ways real mistakes break a valid body. */
const breakers: Array<(body: any) => any> = [
  (b) => ({ ...b, content_type: "cards", content_attributes: { items: [{ title: "no actions" }] } }),
  (b) => ({ ...b, content_type: "cards", content_attributes: { items: [] } }),
  (b) => ({ ...b, content_type: "input_select", content_attributes: undefined }),
  (b) => ({ ...b, content_type: "input_select", content_attributes: { items: [{ title: "t", value: "v", extra: 1 }] } }),
  (b) => ({ ...b, content_type: "article", content_attributes: { items: [{ title: "t", link: "https://x.org", image: "y" }] } }),
  (b) => ({ ...b, content_type: "carousel" }),
  (b) => ({ ...b, content: "a".repeat(150_001) }),
  (b) => ({ ...b, content: 12 }),
  (b) => ({ ...b, message_type: 1 }),
  (b) => ({ ...b, message_type: "sideways" }),
  (b) => ({ ...b, private: "yes" }),
  (b) => ({ ...b, template_params: { language: "en" } }),
  (b) => ({ ...b, template_params: { name: "t", processed_params: ["legacy", "array"] } }),
  (b) => ({ ...b, source_id: "s".repeat(20_001) }),
  (b) => ({ ...b, sender_type: "User" }),
  (b) => ({ ...b, echo_id: { id: 5 } }),
  (b) => ({ ...b, cc_emails: ["a@b.org"] }),
];

describe("generated create bodies against Prism", () => {
  it("at least 300 valid bodies are sent and accepted with no violation", async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(validBody, async (body) => {
        const { client, seen } = prismClient();
        await client.messages.create(42, body);
        sent += seen.requests;
        expect(seen.violations).toEqual([]);
      }),
      { numRuns: 320, seed: 20261125 },
    );
    expect(sent).toBeGreaterThanOrEqual(300);
  }, 90_000); // 320 round trips to Prism: seconds alone, longer beside the other test files

  it("invalid bodies are refused by the client (nothing sent) or by Prism with 422, never accepted", async () => {
    const outcomes = { client: 0, prism: 0 };
    await fc.assert(
      fc.asyncProperty(validBody, fc.constantFrom(...breakers), async (body, breakIt) => {
        const { client, seen } = prismClient();
        const error = await client.messages.create(42, breakIt(body)).then(() => undefined, (e: unknown) => e);
        if (error instanceof ValidationError) {
          expect(seen.requests).toBe(0);
          outcomes.client++;
        } else {
          expect(error).toBeInstanceOf(UnprocessableEntityError);
          expect(seen.violations.length).toBeGreaterThan(0);
          outcomes.prism++;
        }
      }),
      { numRuns: 120, seed: 20261126 },
    );
    expect(outcomes.client + outcomes.prism).toBe(120);
    expect(outcomes.prism).toBeGreaterThan(0);
  }, 90_000);
});
