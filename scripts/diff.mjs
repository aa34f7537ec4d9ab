// `npm run diff`: the API changes since the last released spec (openapi/released/VERSION.json),
// classified by `redocly diff` with diff-recommended, printed as Markdown. Exits 1 when a breaking
// change is not announced by the package version (a major bump, or a minor one while 0.x), naming
// each breaking change and its operation. `npm test` runs it; the workbench prints its summary.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle, projectDir, root, tool } from "./tools.mjs";

/** @returns {{ baseVersion: string, version: string, markdown: string, summary: Record<string, number>, breaking: string[], announced: boolean }} */
export function apiDiff({ revision } = {}) {
  const released = path.join(projectDir, "openapi", "released");
  const baseVersion = readdirSync(released).filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f)).map((f) => f.slice(0, -5)).sort(bySemver).at(-1);
  const manifest = [projectDir, root].map((dir) => path.join(dir, "package.json")).find(existsSync);
  const version = JSON.parse(readFileSync(manifest, "utf8")).version;
  const scratch = mkdtempSync(path.join(tmpdir(), "chatwoot-messages-diff-"));
  try {
    const current = revision ?? path.join(scratch, "openapi.json");
    if (!revision) bundle(current);
    const base = path.join(released, `${baseVersion}.json`);
    // A config of its own: openapi-typescript's older Redocly core refuses diff-recommended in redocly.yaml.
    const config = path.join(root, "openapi", "released", "redocly.yaml");
    const run = (format) => tool("redocly", ["diff", base, current, "--config", config, "--format", format, "--fail-on", "none"]);
    const report = JSON.parse(run("json"));
    const breaking = report.changes
      .filter((change) => change.impact === "major")
      .map((change) => `${where(change.path)}: ${change.verdicts.map((v) => v.message).join("; ") || `${change.kind} ${change.property ?? ""}`.trim()}`);
    const markdown = run("markdown").replaceAll(path.relative(projectDir, current), "the current spec").replaceAll(path.relative(projectDir, base), `the ${baseVersion} spec`);
    return { baseVersion, version, markdown, summary: report.summary, breaking, announced: announces(baseVersion, version) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Whether going from `from` to `to` announces a breaking change under semver (minor counts while 0.x). */
function announces(from, to) {
  const [a, b] = [from, to].map((v) => v.split(".").map(Number));
  return b[0] > a[0] || (a[0] === 0 && b[0] === 0 && b[1] > a[1]);
}

/** "DELETE /api/v1/..." or "webhook messageCreated" from a JSON pointer into the spec. */
function where(pointer) {
  const parts = pointer.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (parts[0] === "paths") return parts[2] && parts[2] !== "parameters" ? `${parts[2].toUpperCase()} ${parts[1]}` : parts[1];
  if (parts[0] === "webhooks") return `webhook ${parts[1]}`;
  return parts.slice(0, 3).join("/");
}

function bySemver(a, b) {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const diff = apiDiff();
  console.log(diff.markdown.trim());
  if (diff.breaking.length > 0 && !diff.announced) {
    console.error(`\nBreaking changes since ${diff.baseVersion}, but package.json says ${diff.version} (a breaking change needs ${diff.baseVersion.startsWith("0.") ? "a new minor version while 0.x" : "a new major version"}):`);
    for (const change of diff.breaking) console.error(`- ${change}`);
    process.exit(1);
  }
}
