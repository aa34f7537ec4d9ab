// `npm run release:notes`, at release time, after the version bump: adds this version's API
// changes to CHANGELOG.md (breaking ones first) and makes the current spec the new released
// baseline (openapi/released/VERSION.json) that `npm run diff` compares with. Pre-releases
// (0.3.0-beta.1) are releases here too: they get a section and a baseline.
//
// It refuses a version that is not above the last release (so a second run writes nothing
// twice), and one that does not announce the breaking changes. An existing CHANGELOG.md keeps
// everything it has: its line endings, its introduction, its [Unreleased] notes.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { apiDiff, NoBaselineError, packageVersion, releasedVersions } from "./diff.mjs";
import { bundleSpec } from "./redocly.mjs";
import { exitOnToolError, projectDir, readOrEmpty } from "./tools.mjs";
import { compareVersions } from "./versions.mjs";

/** A release that must not be written, and why: the command prints it and exits 1, having written nothing. */
export class ReleaseRefused extends Error {
  name = "ReleaseRefused";
}

/**
 * Writes DIR's CHANGELOG.md section for package.json's version and records the spec as the new
 * baseline; resolves with what to tell the person releasing, one line each.
 */
export async function releaseNotes(dir = projectDir) {
  const version = packageVersion(dir);
  const last = releasedVersions(dir).at(-1);
  if (last && compareVersions(version, last) <= 0) {
    throw new ReleaseRefused(
      version === last
        ? `package.json still says ${version}, the released version: bump it first (npm version minor|major|patch, or a pre-release such as npm version preminor --preid beta).`
        : `package.json says ${version}, which is not above the last release, ${last}: set a higher version.`,
    );
  }
  const changelog = path.join(dir, "CHANGELOG.md");
  const existing = readOrEmpty(changelog);
  if (new RegExp(`^## \\[?${version.replace(/[.+]/g, "\\$&")}\\]?[ \\r\\n]`, "m").test(existing)) {
    throw new ReleaseRefused(`CHANGELOG.md already has a section for ${version}: nothing written.`);
  }

  const date = new Date().toISOString().slice(0, 10);
  const keepAChangelog = /^## \[/m.test(existing);
  const heading = keepAChangelog ? `## [${version}] - ${date}` : `## ${version} (${date})`;
  const section = `${heading}\n\n${await body(version, dir)}\n`;
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  writeFileSync(changelog, withSection(existing, section.replace(/\n/g, eol), eol));
  const baseline = path.join(dir, "openapi", "released", `${version}.json`);
  await bundleSpec(baseline, dir);
  const said = [`CHANGELOG.md: section ${version} written; ${path.relative(dir, baseline)} is the new baseline.`];
  if (/\S/.test(/^## \[?unreleased\]?.*$([\s\S]*?)(?=^## |^\[[^\]\n]+\]: |(?![\s\S]))/im.exec(existing)?.[1] ?? "")) {
    said.push(`CHANGELOG.md has notes under [Unreleased]: move those that ship in ${version} into its section.`);
  }
  return said;
}

/** The section's text: the breaking changes, then every API change since the last release. */
async function body(version, dir) {
  let diff;
  try {
    diff = await apiDiff({ dir });
  } catch (error) {
    if (!(error instanceof NoBaselineError)) throw error;
    return "### API\n\nThe first released spec: later sections list what changes from here.";
  }
  if (diff.breaking.length > 0 && !diff.announced) throw new ReleaseRefused(`${version} does not announce the breaking changes since ${diff.baseVersion}: see npm run diff.`);
  const breaking = diff.breaking.length ? `### Breaking\n\n${diff.breaking.map((change) => `- ${change}`).join("\n")}\n\n` : "";
  return `${breaking}### API changes since ${diff.baseVersion}\n\n${diff.markdown.replace(/^## .*\n+/, "").trim()}`;
}

/**
 * The changelog with `section` where the newest release goes: after the title, the introduction
 * and the [Unreleased] block, before the first release's section. Everything else stays as it is.
 */
function withSection(text, section, eol) {
  if (!text.trim()) return `# Changelog${eol}${eol}${section}`;
  const headings = [...text.matchAll(/^## .*$/gm)];
  const firstRelease = headings.find((match) => !/^## \[?unreleased\]?/i.test(match[0]));
  if (firstRelease) return `${text.slice(0, firstRelease.index)}${section}${eol}${text.slice(firstRelease.index)}`;
  // No release yet: after everything but the link references Keep a Changelog puts at the end.
  const links = /(?:^\[[^\]\n]+\]: \S+\r?\n?)+$/m.exec(text);
  const at = links ? links.index : text.length;
  const before = text.slice(0, at).replace(/(\r?\n)*$/, `${eol}${eol}`);
  return `${before}${section}${links ? `${eol}${text.slice(at)}` : ""}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    for (const line of await exitOnToolError(() => releaseNotes())) console.log(line);
  } catch (error) {
    if (!(error instanceof ReleaseRefused)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
