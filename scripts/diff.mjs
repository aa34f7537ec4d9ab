// `npm run diff`: the API changes since the last released spec (openapi/released/VERSION.json),
// classified by Redocly's diff with diff-recommended, printed as Markdown. Exits 1 when a breaking
// change is not announced by the package version (a major bump, or a minor one while 0.x), naming
// each breaking change and its operation, and when there is no released spec to compare with.
// `npm test` runs it; the workbench prints its summary.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { displaySide, getLineColLocation } from "@redocly/openapi-core";
import { bundleSpec, diffSpecs } from "./redocly.mjs";
import { exitOnToolError, projectDir, root } from "./tools.mjs";
import { compareVersions, parseVersion } from "./versions.mjs";

/** No released spec to compare with: the project has not been released yet, or its baselines are gone. */
export class NoBaselineError extends Error {
  name = "NoBaselineError";
}

/** The released baselines' versions (openapi/released/VERSION.json, pre-releases included), oldest first. */
export function releasedVersions(dir = projectDir) {
  const released = path.join(dir, "openapi", "released");
  const files = existsSync(released) ? readdirSync(released) : [];
  return files
    .filter((f) => /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\.json$/.test(f))
    .map((f) => f.slice(0, -5))
    .sort(compareVersions);
}

/** package.json's version: the project's own, or this checkout's when the spec lives elsewhere. */
export function packageVersion(dir = projectDir) {
  const manifest = [dir, root].map((candidate) => path.join(candidate, "package.json")).find(existsSync);
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

/** The changes since the last released spec, and whether the version announces them (typed in diff.d.mts). */
export async function apiDiff({ revision, markdown: withMarkdown = true, dir = projectDir } = {}) {
  const baseVersion = releasedVersions(dir).at(-1);
  if (!baseVersion) {
    throw new NoBaselineError(
      "No released spec to compare with: openapi/released/ has no VERSION.json yet. At the first release, set package.json's version and run `npm run release:notes`: it records the current spec as openapi/released/VERSION.json, the baseline that later diffs compare with.",
    );
  }
  const version = packageVersion(dir);
  // Bundled under build/ (git ignores it) and left there: the Location column points into it.
  const current = revision ?? path.join(dir, "build", "api-diff", "openapi.json");
  if (!revision) await bundleSpec(current, dir);
  const base = path.join(dir, "openapi", "released", `${baseVersion}.json`);
  const report = await diffSpecs(base, current);
  const breaking = report.changes
    .filter((change) => change.impact === "major")
    .map((change) => `${where(change.path)}: ${change.verdicts.map((v) => v.message).join("; ") || `${change.kind} ${change.property ?? ""}`.trim()}`);
  const announced = announces(baseVersion, version);
  const markdown = withMarkdown ? markdownReport(report, { baseVersion, version, announced, dir }) : "";
  return { baseVersion, version, markdown, summary: report.summary, breaking, announced };
}

const impactLabels = { major: "🔴 major", minor: "🟢 minor", patch: "⚪ patch" };

/**
 * The report as `redocly diff --format markdown` prints it, but with names in the heading (the
 * Location column keeps real paths, relative to the project, with line:column) and, for a breaking
 * change, what announces it in place of Redocly's "requires a major bump", which is wrong while 0.x.
 */
function markdownReport(report, { baseVersion, version, announced, dir }) {
  const { major, minor, patch } = report.summary;
  const bump = !report.bump ? "" : report.bump === "major" ? ` · ${breakingVerdict(baseVersion, version, announced)}` : ` · requires a **${report.bump}** bump`;
  // In the CLI's order: by pointer (then as Redocly found them).
  const pointerOf = (change) => (change.kind === "modified" ? `${change.path} · ${change.property}` : change.path);
  const changes = [...report.changes].sort((a, b) => (pointerOf(a) < pointerOf(b) ? -1 : pointerOf(a) > pointerOf(b) ? 1 : 0));
  const rows = changes.map((change) => {
    const pointer = pointerOf(change);
    const { location } = displaySide(change);
    const { line, col } = getLineColLocation(location).start;
    const details = change.verdicts.map((verdict) => `${cell(verdict.message)} \`${verdict.ruleId}\``).join("<br>");
    return `| ${impactLabels[change.impact]} | ${change.kind} | ${code(pointer)} | ${cell(`${path.relative(dir, location.source.absoluteRef)}:${line}:${col}`)} | ${details} |`;
  });
  return [
    `## API diff: the ${baseVersion} spec → the current spec`,
    "",
    `**${major}** major · **${minor}** minor · **${patch}** patch${bump}`,
    "",
    "| Impact | Change | Pointer | Location | Details |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

const cell = (text) => text.replaceAll("|", "\\|").replaceAll("`", "\\`").split("\n").map((line) => line.trim()).join(" ");
function code(text) {
  const escaped = text.replaceAll("|", "\\|").replaceAll("\n", " ");
  return escaped.includes("`") ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
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
    diff = await exitOnToolError(apiDiff);
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
