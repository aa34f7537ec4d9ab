// The types of diff.mjs, for the TypeScript that imports it (the tests): see redocly.d.mts for why.
export class NoBaselineError extends Error {}
export function releasedVersions(dir?: string): string[];
export function packageVersion(dir?: string): string;
export function announces(from: string, to: string): boolean;
export interface ApiDiff {
  baseVersion: string;
  version: string;
  /** The report, as `redocly diff --format markdown` prints it (empty with `markdown: false`). */
  markdown: string;
  summary: Record<"major" | "minor" | "patch", number>;
  /** Each breaking change: where, and what. */
  breaking: string[];
  /** Whether the package version announces a breaking change since the baseline. */
  announced: boolean;
}
/**
 * `revision`: a bundled spec to compare instead of bundling openapi/; `markdown: false` when only
 * the summary matters; `dir`: the project (SPEC_PROJECT_DIR's).
 */
export function apiDiff(options?: { revision?: string; markdown?: boolean; dir?: string }): Promise<ApiDiff>;
