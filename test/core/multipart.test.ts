import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor } from "../helpers/client.js";
import { json, message, startServer, type ReceivedRequest, type TestServer } from "../helpers/http-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_request, response) => json(response, 200, message(5)));
});
afterAll(() => server.close());

/** Parses what the server received with the platform's own multipart parser. */
async function formOf(request: ReceivedRequest): Promise<FormData> {
  return new Request("http://parse.invalid", {
    method: "POST",
    headers: { "content-type": String(request.headers["content-type"]) },
    body: new Uint8Array(request.body),
  }).formData();
}

describe("create with files", () => {
  it("sends multipart/form-data with one attachments[] part per file, names and types as given", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    await clientFor(server.url).messages.create(42, {
      content: "Here you go",
      private: true,
      content_attributes: { in_reply_to: 1228 },
      echo_id: "e-1",
      attachments: [
        new File(["%PDF-1.4"], "invoice.pdf", { type: "application/pdf" }),
        { data: png, filename: "photo.png" },
        { data: new TextEncoder().encode("a,b\n").buffer as ArrayBuffer, filename: "data.bin", contentType: "text/csv" },
        new Blob(["raw"], { type: "text/plain" }),
        "eyJfcmFpbHMiOnsiZGF0YSI6MX19--signed-blob-id",
      ],
    });
    const request = server.requests.at(-1)!;
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(request);
    expect(form.get("content")).toBe("Here you go");
    expect(form.get("private")).toBe("true");
    expect(form.get("echo_id")).toBe("e-1");
    // The caller's attributes and this package's marker, as one JSON field.
    expect(JSON.parse(form.get("content_attributes") as string)).toEqual({ in_reply_to: 1228, chatwoot_messages_key: true, chatwoot_messages_by: "chatwoot-messages" });
    expect(form.has("attachments")).toBe(false);
    const parts = form.getAll("attachments[]");
    expect(parts).toHaveLength(5);
    const files = parts.slice(0, 4) as File[];
    expect(files.map((file) => [file.name, file.type])).toEqual([
      ["invoice.pdf", "application/pdf"],
      ["photo.png", "image/png"],
      ["data.bin", "text/csv"],
      ["attachment-4.txt", "text/plain"],
    ]);
    expect(new Uint8Array(await files[1]!.arrayBuffer())).toEqual(png);
    expect(await files[0]!.text()).toBe("%PDF-1.4");
    expect(parts[4]).toBe("eyJfcmFpbHMiOnsiZGF0YSI6MX19--signed-blob-id");
  });

  it("an attachment-only message carries no content field, only the marker and the file", async () => {
    await clientFor(server.url).messages.create(42, { attachments: [new File(["x"], "x.txt", { type: "text/plain" })] });
    const form = await formOf(server.requests.at(-1)!);
    expect([...form.keys()]).toEqual(["content_attributes", "attachments[]"]);
  });

  it("content_attributes given as a JSON string is parsed, merged with the marker (and key), and sent back as a string", async () => {
    const chatwoot = await startServer((request, response) =>
      request.method === "GET" ? json(response, 200, { payload: [] }) : json(response, 200, { ...message(8), content_attributes: { chatwoot_messages_key: "reply-7", chatwoot_messages_by: "chatwoot-messages" } }),
    );
    try {
      await clientFor(chatwoot.url).messages.create(42, { content_attributes: JSON.stringify({ in_reply_to: 7 }), attachments: [new File(["x"], "x.txt")] }, { idempotencyKey: "reply-7" });
      const form = await formOf(chatwoot.requests.at(-1)!);
      expect(form.get("content_attributes")).toBeTypeOf("string");
      expect(JSON.parse(form.get("content_attributes") as string)).toEqual({ in_reply_to: 7, chatwoot_messages_key: "reply-7", chatwoot_messages_by: "chatwoot-messages" });
    } finally {
      await chatwoot.close();
    }
  });

  it("without files the body is JSON, signed blob ids included", async () => {
    await clientFor(server.url).messages.create(42, { content: "hi", attachments: ["signed-1"] });
    const request = server.requests.at(-1)!;
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body.toString())).toEqual({ content: "hi", attachments: ["signed-1"], content_attributes: { chatwoot_messages_key: true, chatwoot_messages_by: "chatwoot-messages" } });
  });

  it("a retried multipart create (429) sends the whole form again", async () => {
    const flaky = await startServer((_request, response, index) =>
      index === 0 ? json(response, 429, "Retry later") : json(response, 200, message(6)),
    );
    try {
      await clientFor(flaky.url).messages.create(42, { content: "again", attachments: [new File(["abc"], "a.txt")] });
      expect(flaky.requests).toHaveLength(2);
      const forms = await Promise.all(flaky.requests.map(formOf));
      for (const form of forms) expect(await (form.get("attachments[]") as File).text()).toBe("abc");
    } finally {
      await flaky.close();
    }
  });
});
