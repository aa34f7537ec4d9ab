/**
 * A chat of your own in a real headless Chromium (Debian's package, driven by playwright-core):
 * the page loads the contact client and realtime as a browser bundle (rolldown, ES modules, as a
 * browser build splits it), creates a contact session and a conversation against the Prism mock,
 * follows the conversation on the fake ActionCable server (socket, and its messages index for the
 * resyncs), receives what the fake pushes, and sends a message with an echo_id whose optimistic
 * entry resolves when the message comes back. Every request off this machine is blocked.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { rolldown } from "rolldown";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFakeCable, type FakeCable } from "../helpers/fake-cable.js";
import { root } from "../helpers/processes.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const INBOX = "x7Hd2LqfTq8cJd5GZ5vU3kWp";

let files: Map<string, string>;
let site: Server;
let siteUrl: string;
let browser: Browser;
let page: Page;
let fake: FakeCable | undefined;
const blocked: string[] = [];

/** The page's modules: an entry importing what a chat UI imports, and the chunks it loads. */
async function bundleForThePage(): Promise<Map<string, string>> {
  const index = path.join(root, "src/index.ts");
  const build = await rolldown({
    input: "entry",
    platform: "browser",
    logLevel: "silent",
    plugins: [{
      name: "entry",
      resolveId: (id) => (id === "entry" ? "\0entry" : undefined),
      load: (id) => (id === "\0entry" ? `export { createContactClient, connectRealtime } from ${JSON.stringify(index)};` : undefined),
    }],
  });
  const { output } = await build.generate({ format: "es", entryFileNames: "entry.js" });
  await build.close();
  return new Map(output.filter((chunk) => chunk.type === "chunk").map((chunk) => [`/${chunk.fileName}`, chunk.code]));
}

beforeAll(async () => {
  files = await bundleForThePage();
  files.set("/", `<!doctype html><meta charset="utf-8"><title>chat</title><script type="module">import * as lib from "./entry.js"; window.lib = lib;</script>`);
  site = createServer((request, response) => {
    const body = files.get(request.url ?? "/");
    if (body === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": request.url === "/" ? "text/html" : "text/javascript" }).end(body);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  } catch (error) {
    throw new Error(`Chromium could not start from ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium). ${(error as Error).message.split("\n")[0]}`);
  }
  page = await browser.newPage();
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  await page.goto(siteUrl);
  await page.waitForFunction(() => "lib" in window, undefined, { timeout: 20_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  await new Promise((resolve) => site?.close(resolve));
});

interface PageState { received: Array<{ id: number; content: string | null; echoId: string | null }>; optimistic: { state: string; id?: number }; errors: string[] }

describe("a chat of your own in Chromium", () => {
  it("creates a session, follows the conversation live, and resolves an optimistic message by its echo_id", async () => {
    // The page makes its session over the Client API (Prism): the pubsub token it gets is the one the socket must confirm.
    const started = await page.evaluate(async ({ prismUrl, inbox }) => {
      const { createContactClient } = (window as unknown as { lib: typeof import("../../src/index.js") }).lib;
      const contact = createContactClient({ baseUrl: prismUrl, inboxIdentifier: inbox });
      const session = await contact.contacts.create({ name: "Page visitor" });
      const conversation = await contact.session(session.source_id).conversations.create();
      Object.assign(window, { contact, sourceId: session.source_id });
      return { pubsubToken: session.pubsub_token, conversationId: conversation.id };
    }, { prismUrl: inject("prismUrl"), inbox: INBOX });
    fake = await startFakeCable({ tokens: [started.pubsubToken] });
    const earlier = fake.create({ conversationId: started.conversationId, broadcast: false, content: "before the page connected" });

    await page.evaluate(({ fakeUrl, inbox, pubsubToken, conversationId }) => {
      const w = window as unknown as { lib: typeof import("../../src/index.js"); sourceId: string; realtime: unknown; state: PageState };
      const { createContactClient, connectRealtime } = w.lib;
      // The messages index of the fake (Prism's examples are static): the resyncs go through the contact client's pager.
      const history = createContactClient({ baseUrl: fakeUrl, inboxIdentifier: inbox }).session(w.sourceId);
      w.state = { received: [], optimistic: { state: "none" }, errors: [] };
      const realtime = connectRealtime({ url: fakeUrl, pubsubToken, conversationId, after: 0, listMessages: history.messages.pager(conversationId), presenceIntervalMs: 0, reorderWindowMs: 0 });
      realtime.on("message", (message, info) => w.state.received.push({ id: message.id, content: message.content, echoId: info.echoId ?? null }));
      realtime.on("error", (error) => w.state.errors.push(error.message));
      w.realtime = realtime;
    }, { fakeUrl: fake.url, inbox: INBOX, ...started });
    const received = () => page.evaluate(() => (window as unknown as { state: PageState }).state.received);
    await page.waitForFunction(() => (window as unknown as { realtime: { state: string } }).realtime.state === "live" && (window as unknown as { state: PageState }).state.received.length === 1, undefined, { timeout: 20_000 });

    const pushed = [fake.create({ conversationId: started.conversationId, content: "an agent's answer" }), fake.create({ conversationId: started.conversationId, content: "and another" })];
    fake.create({ conversationId: started.conversationId + 1, content: "another conversation" });
    await page.waitForFunction(() => (window as unknown as { state: PageState }).state.received.length === 3, undefined, { timeout: 20_000 });

    // Sending: an optimistic entry, resolved when the message comes back with its echo_id.
    await page.evaluate(({ conversationId }) => {
      const w = window as unknown as { contact: ReturnType<typeof import("../../src/index.js").createContactClient>; sourceId: string; realtime: ReturnType<typeof import("../../src/index.js").connectRealtime>; state: PageState };
      w.state.optimistic = { state: "pending" };
      const sent = w.contact.session(w.sourceId).messages.create(conversationId, { content: "hi from the page", echo_id: "page-echo-1" });
      w.realtime.expect("page-echo-1", sent).then((message) => (w.state.optimistic = { state: "resolved", id: message.id }), (error: Error) => (w.state.optimistic = { state: `failed: ${error.message}` }));
    }, started);
    await page.waitForFunction(() => (window as unknown as { state: PageState }).state.optimistic.state === "pending", undefined, { timeout: 20_000 });
    const echoed = fake.create({ conversationId: started.conversationId, content: "hi from the page", messageType: 0, echoId: "page-echo-1" });
    await page.waitForFunction(() => (window as unknown as { state: PageState }).state.optimistic.state !== "pending", undefined, { timeout: 20_000 });

    const state = await page.evaluate(() => (window as unknown as { state: PageState }).state);
    expect(state.optimistic).toEqual({ state: "resolved", id: echoed.id });
    expect(await received()).toEqual([
      { id: earlier.id, content: "before the page connected", echoId: null },
      { id: pushed[0]!.id, content: "an agent's answer", echoId: null },
      { id: pushed[1]!.id, content: "and another", echoId: null },
      { id: echoed.id, content: "hi from the page", echoId: "page-echo-1" },
    ]);
    expect(state.errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.evaluate(() => (window as unknown as { realtime: { close(): void } }).realtime.close());
    await fake.until(() => fake!.open === 0, "the page's socket to close");
  }, 90_000);
});
