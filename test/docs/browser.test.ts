/**
 * The built docs in a real headless Chromium (Debian's package, driven by playwright-core), with
 * every request off this machine blocked: the page must render offline and show the operations
 * of both APIs in their groups, the request body fields, the TypeScript sample and the realtime
 * events' schemas. A screenshot goes to build/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocs } from "../../scripts/build-docs.mjs";
import { startDocsServer } from "../../scripts/docs-server.mjs";
import { bundlePath } from "../../scripts/tools.mjs";

const root = new URL("../..", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OPERATIONS = [
  "List the messages of a conversation",
  "Create a message in a conversation",
  "Update the delivery status of a message",
  "Delete a message (soft delete)",
  "Send a message to its channel again",
  "Translate a message",
];

const CLIENT_OPERATIONS = [
  ["Inbox", "Get the inbox's public settings"],
  ["Contacts", "Create (or find) a contact session"],
  ["Conversations", "Start a conversation"],
  ["Contact messages", "Send a message as the contact"],
] as const;

let scratch: string;
let docs: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
const blocked: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "docs-browser-"));
  const docsPath = await buildDocs(path.join(scratch, "index.html"));
  docs = await startDocsServer({ port: 0, docsPath, specPath: bundlePath });
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  } catch (error) {
    throw new Error(
      `Chromium could not start from ${CHROMIUM} (set CHROMIUM_PATH, or install Debian's package: apt-get install chromium). ${(error as Error).message.split("\n")[0]}`,
    );
  }
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  await page.goto(docs.url);
  // Redoc 3 shows the overview first, with each tag's operations folded in the sidebar.
  await page.getByText("Messages", { exact: true }).first().click({ timeout: 20_000 });
  await page.getByText(OPERATIONS[1]!, { exact: true }).first().waitFor({ timeout: 20_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await docs?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the docs page in Chromium, offline", () => {
  it.each(OPERATIONS)("shows the operation %j", async (summary) => {
    expect(await page.getByText(summary, { exact: true }).first().isVisible()).toBe(true);
  });

  it("shows the create request body's fields and the TypeScript sample", async () => {
    await page.getByText(OPERATIONS[1]!, { exact: true }).first().click();
    await page.getByText("Not idempotent.").first().waitFor();
    for (const field of ["content", "message_type", "private", "content_type", "content_attributes", "template_params", "echo_id", "attachments"]) {
      expect(await page.getByText(field, { exact: true }).first().isVisible(), field).toBe(true);
    }
    const samples = page.locator(".panel-request-samples").filter({ hasText: "POST" }).first();
    expect(await samples.getByRole("button", { name: "TypeScript" }).isVisible()).toBe(true);
    expect(await samples.getByText("createChatwootClient").first().isVisible()).toBe(true);
    mkdirSync(path.join(root, "build", "screenshots"), { recursive: true });
    await page.screenshot({ path: path.join(root, "build", "screenshots", "docs.png") });
  });

  it("groups the sidebar by API: Application API, Client API, Webhooks, Realtime", async () => {
    for (const group of ["Application API", "Client API", "Webhooks", "Realtime"]) {
      expect(await page.getByText(group, { exact: true }).first().isVisible(), group).toBe(true);
    }
  });

  it("shows the Client API's operations, and the realtime events' payloads", async () => {
    // The sidebar keeps one tag unfolded at a time.
    for (const [tag, summary] of CLIENT_OPERATIONS) {
      await page.getByRole("link", { name: tag, exact: true }).first().click();
      await page.getByText(summary, { exact: true }).first().waitFor({ timeout: 20_000 });
      expect(await page.getByText(summary, { exact: true }).first().isVisible(), summary).toBe(true);
    }
    await page.getByRole("link", { name: "Realtime channel", exact: true }).first().click();
    await page.getByText("confirm_subscription").first().waitFor({ timeout: 20_000 });
    // The event schemas are listed under the section (x-tags), each with its payload's fields.
    await page.getByRole("link", { name: /RealtimeMessageCreatedEvent/ }).first().click();
    await page.getByText("The conversation's display id; filter events on it.").first().waitFor({ timeout: 20_000 });
    for (const name of ["RealtimeTypingOnEvent", "RealtimePresenceEvent", "RealtimeConversationStatusChangedEvent"]) {
      expect(await page.getByRole("link", { name: new RegExp(name) }).first().isVisible(), name).toBe(true);
    }
    await page.screenshot({ path: path.join(root, "build", "screenshots", "realtime.png") });
  });

  it("lists both message webhooks with their signature headers and payload", async () => {
    // The tag's link, not the "Webhooks" group heading above it.
    await page.getByRole("link", { name: "Webhooks", exact: true }).first().click();
    for (const name of ["message_created", "message_updated"]) {
      expect(await page.getByText(name, { exact: true }).first().isVisible(), name).toBe(true);
    }
    await page.getByText("message_created", { exact: true }).first().click();
    await page.getByText("X-Chatwoot-Signature", { exact: true }).first().waitFor();
    for (const text of ["X-Chatwoot-Timestamp", "X-Chatwoot-Delivery", "A message from the contact (non-ASCII text)"]) {
      expect(await page.getByText(text, { exact: true }).first().isVisible(), text).toBe(true);
    }
    await page.screenshot({ path: path.join(root, "build", "screenshots", "webhooks.png") });
  });

  it("needed nothing from the network (Redocly's CDN logo is the one request it makes, and it is not needed)", () => {
    expect(blocked.filter((url) => url !== "https://cdn.redoc.ly/redoc/logo-mini-full.svg")).toEqual([]);
  });
});
