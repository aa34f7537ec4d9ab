/**
 * The order in which vitest starts the test files: the slow ones first, all projects mixed.
 *
 * vitest's own order runs the projects one after the other. Within a project it puts the longest
 * files first, but only where it has timings cached from an earlier run, and a clean clone (CI) has
 * none: it then orders by file size. A slow file that starts near the end becomes the run's tail.
 * The slow files are those that wait on programs they start (the workbench, Redis, Prism, the CLI,
 * Chromium): started first, they wait while the quick files use the CPU. A file missing from this
 * list only runs later; no test depends on the order.
 */
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Slowest first, as measured on the 2-core machine (a file in several projects counts for each). */
const slowFirst = [
  "test/workbench/start.test.ts",
  "test/webhooks/redis.test.ts",
  "test/diff.test.ts",
  "test/cli/options.test.ts",
  "test/contract/live.test.ts",
  "test/cli/listen.test.ts",
  "test/application/idempotency.test.ts",
  "test/cli/cli.test.ts",
  "test/generation.test.ts",
  "test/workbench/cleanup.test.ts",
  "test/docs/browser.test.ts",
  "test/package/layers.test.ts",
  "test/package/package.test.ts",
  "test/contract/prism-cleanup.test.ts",
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = slowFirst.indexOf(path.relative(this.ctx.config.root, spec.moduleId));
      return at === -1 ? slowFirst.length : at;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order among themselves.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
