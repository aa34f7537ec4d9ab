// The types of redocly.mjs, for the TypeScript that imports it (the tests). Declared here, so that
// type-checking those does not load @redocly/openapi-core's own declarations: 289 files, about a
// quarter of `npm run typecheck`.
export function lintSpec(dir?: string): Promise<void>;
export function bundleSpec(output: string, dir?: string): Promise<boolean>;
export function diffSpecs(basePath: string, revisionPath: string): Promise<{ changes: unknown[]; summary: Record<"major" | "minor" | "patch", number> }>;
