// `npm run diff`: the API changes since the last released spec (openapi/released/VERSION.json),
// classified by `redocly diff` with diff-recommended, printed as Markdown. Exits 1 when a breaking
// change is not announced by the package version (a major bump, or a minor one while 0.x), naming
// each breaking change and its operation, and when there is no released spec to compare with.
// `npm test` runs it; the workbench prints its summary.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle, projectDir, root, tool } from "./tools.mjs";
import { compareVersions, parseVersion } from "./versions.mjs";

/** No released spec to compare with: the project has not been released yet, or its baselines are gone. */
export class NoBaselineError extends Error {
  name = "NoBaselineError";
}

/** The released baselines' versions (openapi/released/VERSION.json, pre-releases included), oldest first. */
export function releasedVersions() {
  const released = path.join(projectDir, "openapi", "released");
  const files = existsSync(released) ? readdirSync(released) : [];
  return files
    .filter((f) => /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\.json$/.test(f))
    .map((f) => f.slice(0, -5))
    .sort(compareVersions);
}

/** package.json's version: the project's own, or this checkout's when the spec lives elsewhere. */
export function packageVersion() {
  const manifest = [projectDir, root].map((dir) => path.join(dir, "package.json")).find(existsSync);
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

/**
 * @param {{ revision?: string, markdown?: boolean }} options  `revision`: a bundled spec to compare instead
 *   of bundling openapi/; `markdown: false` skips the Markdown report (a second Redocly run) when only the summary matters.
 * @returns {{ baseVersion: string, version: string, markdown: string, summary: Record<string, number>, breaking: string[], announced: boolean }}
 */
export function apiDiff({ revision, markdown: withMarkdown = true } = {}) {
  const baseVersion = releasedVersions().at(-1);
  if (!baseVersion) {
    throw new NoBaselineError(
      "No released spec to compare with: openapi/released/ has no VERSION.json yet. At the first release, set package.json's version and run `npm run release:notes`: it records the current spec as openapi/released/VERSION.json, the baseline that later diffs compare with.",
    );
  }
  const version = packageVersion();
  // Bundled under build/ (git ignores it) and left there: the Location column points into it.
  const current = revision ?? path.join(projectDir, "build", "api-diff", "openapi.json");
  if (!revision) {
    mkdirSync(path.dirname(current), { recursive: true });
    bundle(current);
  }
  const base = path.join(projectDir, "openapi", "released", `${baseVersion}.json`);
  // A config of its own: openapi-typescript's older Redocly core refuses diff-recommended in redocly.yaml.
  const config = path.join(root, "openapi", "released", "redocly.yaml");
  const run = (format) => tool("redocly", ["diff", base, current, "--config", config, "--format", format, "--fail-on", "none"]);
  const report = JSON.parse(run("json"));
  const breaking = report.changes
    .filter((change) => change.impact === "major")
    .map((change) => `${where(change.path)}: ${change.verdicts.map((v) => v.message).join("; ") || `${change.kind} ${change.property ?? ""}`.trim()}`);
  const announced = announces(baseVersion, version);
  // Names only in the heading: the Location column keeps real paths (relative to the project), with line:column.
  if (!withMarkdown) return { baseVersion, version, markdown: "", summary: report.summary, breaking, announced };
  const [heading, ...table] = run("markdown").split("\n");
  const markdown = [
    heading.replaceAll(path.relative(projectDir, current), "the current spec").replaceAll(path.relative(projectDir, base), `the ${baseVersion} spec`),
    ...table,
  ]
    .join("\n")
    .replace(/requires a \*\*major\*\* bump/, breakingVerdict(baseVersion, version, announced));
  return { baseVersion, version, markdown, summary: report.summary, breaking, announced };
}

/** In place of Redocly's "requires a major bump", which is wrong while 0.x: what announces the change. */
function breakingVerdict(baseVersion, version, announced) {
  if (announced) return `announced by **${version}**`;
  return parseVersion(baseVersion).major === 0 ? "needs a new **minor** version to announce it (0.x)" : "needs a new **major** version to announce it";
}

/**
 * Whether going from `from` to `to` announces a breaking change under semver: a new major, or a
 * new minor while 0.x. Pre-releases of one version promise nothing to each other, and that
 * version's release announces what they changed, as its first pre-release did.
 */
export function announces(from, to) {
  const [a, b] = [from, to].map(parseVersion);
  if (a.pre.length > 0 && a.major === b.major && a.minor === b.minor && a.patch === b.patch) return true;
  return b.major > a.major || (a.major === 0 && b.major === 0 && b.minor > a.minor);
}

/** "DELETE /api/v1/..." or "webhook messageCreated" from a JSON pointer into the spec. */
function where(pointer) {
  const parts = pointer.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (parts[0] === "paths") return parts[2] && parts[2] !== "parameters" ? `${parts[2].toUpperCase()} ${parts[1]}` : parts[1];
  if (parts[0] === "webhooks") return `webhook ${parts[1]}`;
  return parts.slice(0, 3).join("/");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let diff;
  try {
    diff = apiDiff();
  } catch (error) {
    if (!(error instanceof NoBaselineError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  console.log(diff.markdown.trim());
  if (diff.breaking.length > 0 && !diff.announced) {
    const needed = parseVersion(diff.baseVersion).major === 0 ? "a new minor version while 0.x" : "a new major version";
    console.error(`\nBreaking changes since ${diff.baseVersion}, but package.json says ${diff.version} (a breaking change needs ${needed}):`);
    for (const change of diff.breaking) console.error(`- ${change}`);
    process.exit(1);
  }
}
