import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/sequencer.js";

// Three projects: everything as users run it; the resource-method tests again on the general request
// path (openapi-fetch), so that the direct path cannot drift from it; and the webhook tests again
// with Web Crypto, as in runtimes without node:crypto.
export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Three files at a time: on 2 cores the default is one, while most files spend their time waiting on
    // programs they started (Prism, Redis, Chromium, the workbench, the CLI). Tests that time things
    // wait on events with generous ceilings, so a busy machine makes them slower, not red.
    maxWorkers: 4,
    // A worker runs file after file without a fresh module graph each time: about 12 s of CPU less
    // over the run. No file leaves a global changed (fake timers, stubbed globals are restored).
    isolate: false,
    hookTimeout: 30_000,
    setupFiles: ["test/exit-with-runner.ts"],
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        extends: true,
        test: { name: "default", include: ["test/**/*.test.ts"], globalSetup: ["test/prism.setup.ts"] },
      },
      {
        extends: true,
        test: { name: "general path", include: ["test/core/**/*.test.ts", "test/application/**/*.test.ts", "test/contact/**/*.test.ts"], env: { CHATWOOT_TEST_PATH: "general" } },
      },
      {
        extends: true,
        test: {
          name: "web crypto",
          include: ["test/webhooks/{verify,handler,sign,events}.test.ts"],
          setupFiles: ["test/exit-with-runner.ts", "test/web-crypto-only.ts"],
          env: { CHATWOOT_TEST_HMAC: "web-crypto" },
        },
      },
    ],
  },
});
