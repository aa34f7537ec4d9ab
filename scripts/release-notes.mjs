// `npm run release:notes`, at release time, after the version bump: prepends this version's API
// changes to CHANGELOG.md (breaking ones first) and makes the current spec the new released
// baseline (openapi/released/VERSION.json) that `npm run diff` compares with.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { apiDiff } from "./diff.mjs";
import { bundle, projectDir } from "./tools.mjs";

const diff = apiDiff();
if (diff.version === diff.baseVersion) {
  console.error(`package.json still says ${diff.version}, the released version: bump it first (npm version minor|major|patch).`);
  process.exit(1);
}
if (diff.breaking.length > 0 && !diff.announced) {
  console.error(`${diff.version} does not announce the breaking changes since ${diff.baseVersion}: see npm run diff.`);
  process.exit(1);
}
const changelog = path.join(projectDir, "CHANGELOG.md");
const before = existsSync(changelog) ? readFileSync(changelog, "utf8").replace(/^# Changelog\n+/, "") : "";
const breaking = diff.breaking.length ? `### Breaking\n\n${diff.breaking.map((change) => `- ${change}`).join("\n")}\n\n` : "";
const section = `## ${diff.version} (${new Date().toISOString().slice(0, 10)})\n\n${breaking}### API changes since ${diff.baseVersion}\n\n${diff.markdown.replace(/^## .*\n+/, "").trim()}\n`;
writeFileSync(changelog, `# Changelog\n\n${section}\n${before}`);
const baseline = path.join(projectDir, "openapi", "released", `${diff.version}.json`);
bundle(baseline);
console.log(`CHANGELOG.md: section ${diff.version} written; ${path.relative(projectDir, baseline)} is the new baseline.`);
