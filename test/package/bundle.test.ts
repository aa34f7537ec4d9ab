/**
 * What a browser build of the resource client loads up front, and what only on first need: the
 * split that keeps openapi-fetch, the multipart form and the reconciler out of a page that only
 * sends and reads messages. Sizes are the benchmark's business; this checks which modules go where.
 */
import { describe, expect, it } from "vitest";
import { bundle, entries } from "../../scripts/bench/bundle.mjs";

type Part = { code: string; modules: string[] };

describe("the client's browser bundle", () => {
  it("loads openapi-fetch, the multipart form and the reconciler only on first need", async () => {
    const { upFront, onFirstNeed } = (await bundle(entries["chatwoot-messages (client)"])) as { upFront: Part; onFirstNeed: Part };
    const later = ["node_modules/openapi-fetch/dist/index.mjs", "src/core/general.ts", "src/core/raw.ts", "src/core/request.ts", "src/core/multipart.ts", "src/application/idempotency.ts"];
    expect(upFront.modules).toEqual(expect.arrayContaining(["src/application/client.ts", "src/core/direct.ts", "src/application/messages.ts", "src/application/validate.ts", "src/core/errors.ts"]));
    expect(upFront.modules.filter((id) => later.includes(id))).toEqual([]);
    expect(onFirstNeed.modules).toEqual(expect.arrayContaining(later));
    expect(upFront.modules.filter((id) => id.startsWith("src/webhooks/"))).toEqual([]);
  }, 60_000);

  it("the typed fetch client alone is openapi-fetch and the checks it shares, without the resource methods", async () => {
    const { upFront } = (await bundle(entries["chatwoot-messages (typed fetch client)"])) as { upFront: Part };
    expect(upFront.modules).toEqual(expect.arrayContaining(["node_modules/openapi-fetch/dist/index.mjs", "src/core/raw.ts"]));
    expect(upFront.modules.filter((id) => ["src/application/client.ts", "src/application/messages.ts", "src/application/validate.ts"].includes(id))).toEqual([]);
  }, 60_000);

  it("the contact client loads no other API family, and openapi-fetch and the multipart form only on first need", async () => {
    const { upFront, onFirstNeed } = (await bundle(entries["chatwoot-messages (contact client)"])) as { upFront: Part; onFirstNeed: Part };
    expect(upFront.modules).toEqual(expect.arrayContaining(["src/contact/client.ts", "src/contact/session.ts", "src/core/direct.ts", "src/core/send.ts"]));
    expect(upFront.modules.filter((id) => /^src\/(application|webhooks)\//.test(id) || id.includes("openapi-fetch") || id === "src/core/multipart.ts")).toEqual([]);
    expect(onFirstNeed.modules).toEqual(expect.arrayContaining(["node_modules/openapi-fetch/dist/index.mjs", "src/core/multipart.ts"]));
  }, 60_000);
});
