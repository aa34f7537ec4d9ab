/**
 * The order in which vitest starts the test files: the slow ones first.
 *
 * vitest puts the longest files first, but only where it has timings cached from an earlier run,
 * and a clean clone (CI) has none: it then orders by file size. A slow file that starts near the
 * end becomes the run's tail.
 * The slow files are those that wait on programs they start (the workbench, Redis, Prism, the CLI,
 * Chromium): started first, they wait while the quick files use the CPU. A file missing from this
 * list only runs later; no test depends on the order.
 */
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Slowest first, as measured on the 2-core machine: the default project's files, or PROJECT: FILE. */
const slowFirst = [
  "test/workbench/start.test.ts",
  "test/webhooks/redis.test.ts",
  "test/diff.test.ts",
  "test/cli/options.test.ts",
  "test/contract/live.test.ts",
  "test/cli/listen.test.ts",
  "test/application/idempotency.test.ts",
  "test/cli/cli.test.ts",
  // Mostly waiting, and as long as the default project's: early enough that it never ends the run.
  "general path: test/application/idempotency.test.ts",
  "test/generation.test.ts",
  "test/workbench/cleanup.test.ts",
  "test/docs/browser.test.ts",
  "test/package/layers.test.ts",
  "test/package/package.test.ts",
  "test/contract/prism-cleanup.test.ts",
  "test/application/memory.test.ts",
  "test/realtime/stream.test.ts",
  "test/core/retry.test.ts",
  "general path: test/core/retry.test.ts",
  "test/contract/properties.contract.test.ts",
  "test/webhooks/queue.test.ts",
  "test/redocly.test.ts",
  "test/cli/contact.test.ts",
  "test/core/timeout.test.ts",
  "general path: test/core/timeout.test.ts",
  "test/contract/client-api.contract.test.ts",
  "test/workbench/prism.test.ts",
  "test/cli/contact-watch.test.ts",
  "test/cli/walkthrough.test.ts",
  "test/bench/bench.test.ts",
  "test/core/faults.test.ts",
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // A worker goes on to the next file only if it is of the same project (another project's file gets
    // a new worker: about half a second of CPU). So the files of a project are kept together: the
    // slow ones above (the default project's, unless named with their project), then the general
    // path's, slowest first, then the default project's quick files, then the web crypto project's.
    const rank = (spec: TestSpecification) => {
      const file = path.relative(this.ctx.config.root, spec.moduleId);
      const named = slowFirst.indexOf(`${spec.project.name}: ${file}`);
      if (named !== -1) return named;
      const at = slowFirst.indexOf(file);
      const group = { default: at === -1 ? 2 : 0, "general path": 1 }[spec.project.name] ?? 3;
      return group * (slowFirst.length + 1) + (at === -1 ? slowFirst.length : at);
    };
    // Array.prototype.sort is stable: the rest keep vitest's order among themselves.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
