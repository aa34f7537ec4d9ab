/**
 * The spec is no stricter than the server: for every constraint the audit changed
 * (openapi/README.md), a body the server accepts passes Prism's validation, and a body the
 * server refuses is refused by Prism too (sent through `raw`, past the client's own checks).
 */
import { describe, expect, it } from "vitest";
import type { CreateMessageBody } from "../../src/index.js";
import { prismClient } from "../helpers/prism.js";
import { validateResponse, validateSchema } from "../helpers/schemas.js";

const MESSAGES = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages" as const;

const accepted: Array<[string, object]> = [
  ["a card link action whose uri is a Liquid placeholder", { content_type: "cards", content_attributes: { items: [{ title: "Portal", actions: [{ type: "link", text: "Open", uri: "{{contact.custom_attributes.portal}}" }] }] } }],
  ["a card without a title, its action without a type", { content_type: "cards", content_attributes: { items: [{ actions: [{ text: "Go", payload: "GO" }] }] } }],
  ["a card whose media_url is not a URL", { content_type: "cards", content_attributes: { items: [{ media_url: "logo.png", actions: [{ type: "postback", text: "A", payload: "A" }] }] } }],
  ["a form item without name or type", { content_type: "form", content_attributes: { items: [{ label: "Your email", placeholder: "me@example.com" }] } }],
  ["a form item of a type the widget may add", { content_type: "form", content_attributes: { items: [{ name: "when", type: "date" }] } }],
  ["an input_select item without a value", { content_type: "input_select", content_attributes: { items: [{ title: "Yes" }] } }],
  ["an article item without a link", { content_type: "article", content_attributes: { items: [{ title: "Returns" }] } }],
  ["a template header media_url with a Liquid placeholder", { template_params: { name: "invoice", processed_params: { header: { media_url: "https://cdn.example.com/{{contact.name}}.pdf", media_type: "document" } } } }],
  ["a template with a blank name (stored; fails at delivery)", { content: "x", template_params: { name: "" } }],
  ["content_attributes: null (stored as {})", { content: "x", content_attributes: null }],
  ["source_id: null", { content: "x", source_id: null }],
  ["a source_id of 20000 characters", { content: "x", source_id: "s".repeat(20_000) }],
  ["a campaign_id as a string (stored as sent)", { content: "x", campaign_id: "spring-sale" }],
  ["a numeric echo_id (echoed back as sent)", { content: "x", echo_id: 5 }],
  ["a template whose processed_params body has blank values (send_on_whatsapp_service_spec, blank values)", { template_params: { name: "order_shipped", language: "en_US", processed_params: { body: { "1": "Alex", "2": "", "3": null } } } }],
  ["a Twilio flat processed_params map with a blank value", { template_params: { name: "receipt", processed_params: { "1": "Visa", "2": null } } }],
  ["blank header, footer and button parameters", { template_params: { name: "t", processed_params: { header: { "1": null }, footer: { "1": null }, buttons: [{ type: "url", parameter: null }] } } }],
];

const refused: Array<[string, object]> = [
  ["processed_params as an array (TEMPLATE_PARAMS_SCHEMA takes an object)", { template_params: { name: "t", processed_params: ["a", "b"] } }],
  ["a source_id of 20001 characters", { content: "x", source_id: "s".repeat(20_001) }],
  ["an action key outside the allow-list", { content_type: "cards", content_attributes: { items: [{ actions: [{ type: "link", url: "https://x.org" }] }] } }],
  ["a card without actions", { content_type: "cards", content_attributes: { items: [{ title: "A" }] } }],
];

describe("what the server accepts passes", () => {
  it.each(accepted)("%s", async (_name, body) => {
    const { client, seen } = prismClient();
    await client.messages.create(42, body as CreateMessageBody);
    expect(seen.violations).toEqual([]);
  });
});

describe("what the server refuses is refused", () => {
  it.each(refused)("%s", async (_name, body) => {
    const { raw, seen } = prismClient();
    const { response } = await raw.POST(MESSAGES, { params: { path: { account_id: 1, conversation_id: 42 } }, body: body as never });
    expect(response.status).toBe(422);
    expect(seen.violations.length).toBeGreaterThan(0);
  });
});

describe("what the server sends validates", () => {
  // chatwoot#2067: a create on a server of April 2021 answered content_type null.
  const from2021 = {
    id: 85, content: null, inbox_id: 6, conversation_id: 29, message_type: 1, content_type: null, content_attributes: {}, created_at: 1617862872,
    private: false, source_id: null, sender: { id: 1, name: "xxx", available_name: "xxx", avatar_url: "xxx", type: "user", availability_status: "online" },
  };

  it("a 2021 message with content_type null (chatwoot#2067), as a message, in a create's answer and in a list", () => {
    expect(validateSchema("Message", from2021)).toEqual({ valid: true, errors: [] });
    expect(validateResponse(MESSAGES, "post", 200, from2021).valid).toBe(true);
    expect(validateResponse(MESSAGES, "get", 200, { meta: {}, payload: [from2021] }).errors.filter((e) => e.includes("content_type"))).toEqual([]);
  });

  it("but not a content_type the server does not know", () => {
    expect(validateSchema("Message", { ...from2021, content_type: "carousel" }).valid).toBe(false);
  });

  it("a CSAT message's submitted_values, an object", () => {
    const csat = { ...from2021, content_type: "input_csat", content_attributes: { submitted_values: { csat_survey_response: { rating: 4, feedback_message: "amazing experience" } } } };
    expect(validateSchema("Message", csat)).toEqual({ valid: true, errors: [] });
  });
});
