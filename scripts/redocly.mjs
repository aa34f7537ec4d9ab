// Lint, bundle and diff of the spec with @redocly/openapi-core, the library Redocly CLI is built from
// (both pinned to the same version), in this process: a CLI run costs about a second of CPU to start,
// and the workbench lints, bundles and diffs on every save. The CLI stays for `npm run lint`, whose
// output these reproduce, and for build-docs.
import path from "node:path";
import { BaseResolver, bundle, diffDocuments, formatProblems, getTotals, lint, loadConfig, logger } from "@redocly/openapi-core";
import { projectDir, root, ToolError, writeIfChanged } from "./tools.mjs";

const api = "messages";

/** redocly.yaml's `messages` API: its root file and its settings (read afresh: a save may change them). */
async function specConfig(dir) {
  const config = await loadConfig({ configPath: path.join(dir, "redocly.yaml") });
  const entry = config.resolvedConfig.apis?.[api];
  if (!entry) throw new ToolError(`redocly.yaml has no apis.${api} entry`);
  return { ref: path.resolve(dir, entry.root), config: config.forAlias(api) };
}

/** `redocly lint messages`: throws a ToolError with Redocly's report when the spec has an error. */
export async function lintSpec(dir = projectDir) {
  const { ref, config } = await specConfig(dir);
  const problems = await lint({ ref, config });
  failOnErrors("lint", problems, dir);
}

/**
 * `redocly bundle messages --output FILE`: one JSON file, written only when the spec bundles without
 * an error, and only when its bytes change (Prism watches the workbench's bundle, and reloads on any
 * write). Resolves true when it wrote.
 */
export async function bundleSpec(output, dir = projectDir) {
  const { ref, config } = await specConfig(dir);
  const result = await bundle({ ref, config });
  failOnErrors("bundle", result.problems, dir);
  return writeIfChanged(output, JSON.stringify(result.bundle.parsed, null, 2));
}

/**
 * `redocly diff BASE REVISION` with diff-recommended (openapi/released/redocly.yaml, kept apart from
 * redocly.yaml, whose other reader, openapi-typescript's older core, refuses that preset).
 */
export async function diffSpecs(basePath, revisionPath) {
  const config = await loadConfig({ configPath: path.join(root, "openapi", "released", "redocly.yaml") });
  const resolver = new BaseResolver(config.resolve);
  let base, revision;
  try {
    [base, revision] = await Promise.all([basePath, revisionPath].map((file) => resolver.resolveDocument(null, path.resolve(file), true)));
  } catch (error) {
    throw new ToolError(`redocly diff failed:\n${error.message}`);
  }
  return diffDocuments({ base, revision, config, externalRefResolver: resolver });
}

function failOnErrors(command, problems, dir) {
  const totals = getTotals(problems);
  if (totals.errors === 0) return;
  throw new ToolError(`redocly ${command} failed:\n${report(condensed(problems), totals, command, dir)}`);
}

/**
 * A YAML file that does not parse breaks every $ref to it, and Redocly reports the parse error
 * again for each one, with an unresolved $ref beside it. Only the parse error says what to fix: keep it once.
 */
function condensed(problems) {
  const unparsed = problems.filter((problem) => problem.message.startsWith("Failed to parse"));
  if (unparsed.length === 0) return problems;
  return [...new Map(unparsed.map((problem) => [problem.message, problem])).values()];
}

/** Redocly's own report of the problems, as its CLI prints them (codeframes, then a summary). */
function report(problems, totals, command, dir) {
  let text = "";
  const saved = { output: logger.output, info: logger.info, warn: logger.warn, error: logger.error };
  // The report goes through Redocly's logger, which writes to the terminal: catch it instead.
  for (const name of Object.keys(saved)) logger[name] = (chunk) => void (text += chunk);
  try {
    formatProblems(problems, { totals, format: "codeframe", cwd: dir, command, maxProblems: 100 });
  } finally {
    Object.assign(logger, saved);
  }
  return `${text.trim()}\n\n❌ Validation failed with ${totals.errors} error${totals.errors === 1 ? "" : "s"}.`;
}
